"""The LLM rubric grader for bench/grading.py (`--grader llm`): the same labelled sets, the same figures, sent
through whatever OpenAI-compatible server is configured (OPENAI_BASE_URL / OPENAI_API_KEY / MOCK_INTERVIEWER_MODEL),
plus latency and tokens per grade.

    .venv/bin/python bench/grading.py --grader llm --limit 2      # 2 questions per split; no --limit: everything

The object it builds grades synchronously, like the offline grader, so the benchmark's loops need no change. A grade
the LLM cannot give (time-out, unusable reply twice, server error) is scored as the product would score it, by
the offline grader standing in, and counted apart: the figures then say how often that happened and why.
"""

from __future__ import annotations

import asyncio
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Protocol, TypeVar

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "server"))

from mock_interviewer.bank import Question  # noqa: E402
from mock_interviewer.config import Settings  # noqa: E402
from mock_interviewer.grading.llm import LLMGradeError, LLMRubricGrader  # noqa: E402
from mock_interviewer.grading.models import GradeResult  # noqa: E402
from mock_interviewer.grading.rubric import Rubric  # noqa: E402
from mock_interviewer.llm import FORM_LABELS, LLMClient  # noqa: E402


class SyncGrader(Protocol):
    def grade(self, question: Question | Rubric, answer: str) -> GradeResult: ...


class LLMBenchGrader:
    """`grade(question, answer)` through the LLM, on an event loop of its own; `report()` adds the LLM's costs."""

    name = "llm"

    def __init__(self, fallback: SyncGrader, settings: Settings | None = None) -> None:
        settings = settings or Settings()
        if not settings.llm_enabled:
            raise SystemExit(
                "--grader llm needs an LLM: set OPENAI_BASE_URL (a local server) or OPENAI_API_KEY, and "
                "MOCK_INTERVIEWER_MODEL; `mock-interviewer llm check` tells whether it works"
            )
        self.settings = settings
        self.fallback = fallback
        # An event loop of its own in a daemon thread: the benchmark stays synchronous and exits when it is done.
        self._loop = asyncio.new_event_loop()
        threading.Thread(target=self._loop.run_forever, daemon=True).start()
        self.client = LLMClient(settings)
        self._grader = LLMRubricGrader(self.client, settings.prompts_dir)
        self.seconds: list[float] = []  # LLM grades only
        self.prompt_tokens: list[int] = []
        self.completion_tokens: list[int] = []
        self.requests: list[int] = []
        self.failures: Counter[str] = Counter()

    def grade(self, question: Question | Rubric, answer: str) -> GradeResult:
        usage = self.client.usage
        before = (usage.requests, usage.prompt_tokens, usage.completion_tokens)
        started = time.perf_counter()
        try:
            result = asyncio.run_coroutine_threadsafe(self._grader.grade(question, answer), self._loop).result()
        except LLMGradeError as exc:
            self.failures[_reason_kind(str(exc))] += 1
            return self.fallback.grade(question, answer).model_copy(update={"fallback_reason": str(exc)})
        self.seconds.append(time.perf_counter() - started)
        self.requests.append(usage.requests - before[0])
        self.prompt_tokens.append(usage.prompt_tokens - before[1])
        self.completion_tokens.append(usage.completion_tokens - before[2])
        return result

    def report(self) -> str:
        graded, failed = len(self.seconds), sum(self.failures.values())
        lines = [
            f"LLM grader: '{self.client.model}' at {self.client.base_url},"
            f" response_format {FORM_LABELS[self.client.json_form] if self.client.json_form else 'never settled'}",
            f"  graded by the LLM: {graded} of {graded + failed}"
            + (f"; offline stood in for {failed}: " + ", ".join(f"{k} {v}" for k, v in self.failures.most_common())
               if failed else ""),
        ]
        if graded:
            p50, p95 = np.percentile(self.seconds, [50, 95])
            lines += [
                f"  latency per grade: p50 {p50:.1f} s, p95 {p95:.1f} s, mean {np.mean(self.seconds):.1f} s",
                f"  tokens per grade: prompt {np.mean(self.prompt_tokens):.0f}, completion"
                f" {np.mean(self.completion_tokens):.0f} (mean); requests per grade {np.mean(self.requests):.2f}"
                " (above 1: repairs)",
            ]
        return "\n".join(lines)

    def close(self) -> None:
        asyncio.run_coroutine_threadsafe(self.client.aclose(), self._loop).result()
        self._loop.call_soon_threadsafe(self._loop.stop)


def _reason_kind(reason: str) -> str:
    for key, label in (
        ("took longer", "total time-out"),
        ("timed out", "request time-out"),
        ("unusable", "unusable reply"),
        ("context window", "context window"),
        ("does not know model", "unknown model"),
        ("cannot reach", "unreachable"),
    ):
        if key in reason:
            return label
    return reason[:60]


class _Row(Protocol):
    @property
    def number(self) -> int: ...
    @property
    def split(self) -> str: ...


Row = TypeVar("Row", bound=_Row)


def first_questions(rows: Iterable[Row], limit: int | None) -> list[Row]:
    """Keep every answer to the first `limit` questions of each split (all answers of a question stay together,
    so its ordered pairs and bands are still measured); None keeps everything."""
    rows = list(rows)
    if limit is None:
        return rows
    kept: dict[str, list[int]] = {}
    for row in rows:
        numbers = kept.setdefault(row.split, [])
        if row.number not in numbers and len(numbers) < limit:
            numbers.append(row.number)
    return [r for r in rows if r.number in kept[r.split]]
