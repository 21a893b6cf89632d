"""Which grader runs: the LLM rubric when one is configured, else offline; offline also stands in on LLM failure."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Literal

import anyio

from ..bank import Question
from ..coding.grading import CodingGrader, extract_code
from ..llm import LLMClient, LLMError
from ..prompts import delimit, render
from .llm import LLMGradeError, LLMRubricGrader
from .models import GradeResult
from .offline import OfflineGrader
from .rubric import Rubric

log = logging.getLogger(__name__)


class Grader:
    def __init__(
        self, offline: OfflineGrader, llm: LLMRubricGrader | None = None, coding: CodingGrader | None = None
    ) -> None:
        self.offline = offline
        self.llm = llm
        self.coding = coding  # grades answers with code to coding questions by running the hidden tests

    @property
    def kind(self) -> Literal["llm", "offline"]:
        return "llm" if self.llm else "offline"

    async def grade(self, question: Question | Rubric, answer: str, code: str | None = None) -> GradeResult:
        """Never raises for an LLM problem: the offline grade comes back, labelled with the reason.

        An answer to a coding question that holds code (`code`, fenced Python in `answer`, or code-only `answer`)
        is graded by running the hidden tests; `code` is ignored for other questions' answers."""
        coding_question = self.coding.coding_question(question) if self.coding is not None else None
        if self.coding is not None and coding_question is not None:
            submission = extract_code(answer, code)
            if submission.code is not None:
                return await self.coding.grade(coding_question, submission, self.llm)
        if self.llm is not None:
            try:
                return await self.llm.grade(question, answer)
            except LLMGradeError as exc:
                reason = str(exc)
            except Exception as exc:  # an LLM bug must not cost the candidate their answer
                log.exception("LLM grading failed unexpectedly")
                reason = f"unexpected LLM error ({type(exc).__name__})"
            result = await self.grade_offline(question, answer)
            return result.model_copy(update={"fallback_reason": reason})
        return await self.grade_offline(question, answer)

    async def grade_offline(self, question: Question | Rubric, answer: str) -> GradeResult:
        # Embedding is CPU-bound: run it in a worker thread so the event loop keeps serving other sessions.
        return await anyio.to_thread.run_sync(self.offline.grade, question, answer)


class FollowUpWriter:
    """Phrases a follow-up from the candidate's own answer with the LLM, streamed piece by piece."""

    max_chars = 600  # a follow-up is one question; a model that rambles on is cut off here

    def __init__(self, client: LLMClient, prompts_dir: Path) -> None:
        self.client = client
        self.prompts_dir = prompts_dir

    async def stream(self, question: Question, answer: str, missed: list[str], suggested: str) -> AsyncIterator[str]:
        messages = [
            {"role": "system", "content": render(self.prompts_dir, "follow_up_system")},
            {
                "role": "user",
                "content": render(
                    self.prompts_dir,
                    "follow_up_user",
                    title=question.title,
                    answer=delimit(answer),
                    missed="\n".join(f"- {m}" for m in missed) or "- (none: probe deeper)",
                    suggested=suggested,
                ),
            },
        ]
        async for piece in self.client.stream(messages, max_chars=self.max_chars):
            yield piece


__all__ = ["FollowUpWriter", "Grader", "LLMError"]
