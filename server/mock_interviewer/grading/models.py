"""The grade result: one model shared by the API, the CLI and the interviewer, whichever grader ran."""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, Field

Band = Literal["pass", "partial", "weak", "none"]


class Criterion(StrEnum):
    correctness = "correctness"
    completeness = "completeness"
    depth = "depth"
    clarity = "clarity"


class CriterionScore(BaseModel):
    criterion: Criterion
    score: int = Field(ge=0, le=10)
    reason: str


def band_for(score: float) -> Band:
    """The scale both graders share: 8-10 would pass, 4-7 partly right or thin, 1-3 mostly wrong, 0 no answer."""
    if score >= 8:
        return "pass"
    if score >= 4:
        return "partial"
    if score >= 1:
        return "weak"
    return "none"


class TestCaseResult(BaseModel):
    name: str
    passed: bool
    message: str = ""  # for a failing case: input, expected and got, or the exception with its line, or a limit


class TestsSummary(BaseModel):
    """What the hidden tests found for a coding answer; `ran` is false when the code could not be run at all."""

    passed: int
    total: int
    ran: bool = True
    error: str | None = None  # why no case ran (the code did not load, the run stopped, no sandbox)
    cases: list[TestCaseResult] = Field(default_factory=list)


class GradeResult(BaseModel):
    number: int
    score: float = Field(ge=0, le=10, description="overall, 0-10, one decimal")
    band: Band
    criteria: list[CriterionScore]
    covered: list[str] = Field(description="key points the answer made")
    missed: list[str] = Field(description="key points the answer did not make")
    misconceptions: list[str] = Field(description="claims in the answer that contradict the reference")
    feedback: str
    follow_up: str = Field(description="one question aimed at the biggest gap")
    grader: Literal["llm", "offline"]
    fallback_reason: str | None = Field(None, description="set when the LLM failed and the offline grade stands in")
    notes: list[str] = Field(default_factory=list, description="things the grader noticed, e.g. an ignored instruction")
    tests: TestsSummary | None = Field(None, description="a coding answer's hidden-test results; None for prose")

    def criterion(self, name: Criterion) -> int:
        return next(c.score for c in self.criteria if c.criterion == name)
