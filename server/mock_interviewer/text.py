"""Plain-text helpers shared by the index and the grader: sentence splitting and light Markdown stripping."""

from __future__ import annotations

import re

_CODE_BLOCK = re.compile(r"```.*?```", re.DOTALL)
_MARKUP = re.compile(r"[*_`#>|]+")
_MATH = re.compile(r"\$\$?([^$]*)\$\$?")
_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+(?=[A-Z0-9(\"'])")
_LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")
_WORD = re.compile(r"[A-Za-z][A-Za-z'-]*|\d+(?:\.\d+)?")


def strip_markdown(text: str) -> str:
    text = _CODE_BLOCK.sub(" ", text)
    text = _MATH.sub(r"\1", text)
    return _MARKUP.sub(" ", text)


def sentences(text: str, max_words: int = 60) -> list[str]:
    """Split prose into sentences; list items and lines count as their own units; long runs are chunked."""
    out: list[str] = []
    for raw_line in strip_markdown(text).splitlines():
        line = _LIST_ITEM.sub("", raw_line).strip()
        if not line or set(line) <= set("-|: "):
            continue
        for piece in _SENTENCE_END.split(line):
            words = piece.split()
            for start in range(0, len(words), max_words):
                chunk = " ".join(words[start : start + max_words]).strip()
                if chunk:
                    out.append(chunk)
    return out


def words(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text)]
