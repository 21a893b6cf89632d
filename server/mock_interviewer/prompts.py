"""Prompt templates live in prompts/ as files with $named placeholders; values are substituted, never parsed."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from string import Template


@cache
def _template(directory: Path, name: str) -> Template:
    return Template((directory / f"{name}.md").read_text(encoding="utf-8"))


def render(directory: Path, name: str, **values: object) -> str:
    return _template(directory, name).substitute({k: str(v) for k, v in values.items()})


def delimit(text: str, tag: str = "candidate_answer") -> str:
    """Keep user text inside its tags: neutralise anything that would open or close one."""
    return text.replace(f"</{tag}", f"&lt;/{tag}").replace(f"<{tag}", f"&lt;{tag}")
