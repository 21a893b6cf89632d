"""The LLM rubric grader: fills the prompt templates, asks for schema-constrained JSON, validates it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import anyio
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ..bank import Question
from ..llm import LLMClient, LLMError, extract_json_object
from ..prompts import delimit, render
from .models import Criterion, CriterionScore, GradeResult, band_for
from .rubric import Rubric


class _CriterionReply(BaseModel):
    model_config = ConfigDict(extra="ignore")
    score: int = Field(ge=0, le=10)
    reason: str = Field(min_length=1)


class _Criteria(BaseModel):
    correctness: _CriterionReply
    completeness: _CriterionReply
    depth: _CriterionReply
    clarity: _CriterionReply


class LLMGradeReply(BaseModel):
    """What the model must return; anything else triggers one repair attempt."""

    model_config = ConfigDict(extra="ignore")
    score: float = Field(ge=0, le=10)
    criteria: _Criteria
    covered_key_points: list[int]
    misconceptions: list[str]
    feedback: str = Field(min_length=1)
    follow_up: str = Field(min_length=1)


def _criterion_schema() -> dict[str, Any]:
    return {
        "type": "object",
        "properties": {
            "score": {"type": "integer", "minimum": 0, "maximum": 10},
            "reason": {"type": "string"},
        },
        "required": ["score", "reason"],
        "additionalProperties": False,
    }


def grade_schema(n_key_points: int) -> dict[str, Any]:
    """The reply's JSON schema for one question: it states the ranges (scores 0-10, key points 1..n), so a
    constrained decoder cannot produce a score of 14 or key point 9 of 6 and spend a repair round trip."""
    return {
        "type": "object",
        "properties": {
            "score": {"type": "number", "minimum": 0, "maximum": 10},
            "criteria": {
                "type": "object",
                "properties": {c.value: _criterion_schema() for c in Criterion},
                "required": [c.value for c in Criterion],
                "additionalProperties": False,
            },
            "covered_key_points": {
                "type": "array",
                "items": {"type": "integer", "minimum": 1, "maximum": max(n_key_points, 1)},
                "maxItems": max(n_key_points, 1),
            },
            "misconceptions": {"type": "array", "items": {"type": "string"}},
            "feedback": {"type": "string"},
            "follow_up": {"type": "string"},
        },
        "required": ["score", "criteria", "covered_key_points", "misconceptions", "feedback", "follow_up"],
        "additionalProperties": False,
    }


# The rubric prompt's $tests section for an answer that is not code run against a coding task's tests.
NOT_CODING = "not a coding answer"


class LLMGradeError(Exception):
    """The LLM gave no usable grade; the caller falls back to the offline grader."""


def parse_reply(content: str, n_key_points: int) -> LLMGradeReply:
    """Validate the model's JSON; raises ValueError with a message fit to send back as a repair request."""
    data = extract_json_object(content)  # ValueError "it was not valid JSON (...)"; <think> and fences dropped
    try:
        reply = LLMGradeReply.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise ValueError(f"field '{where}': {first['msg']}") from exc
    bad = [i for i in reply.covered_key_points if not 1 <= i <= n_key_points]
    if bad:
        raise ValueError(f"covered_key_points has numbers outside 1-{n_key_points}: {bad}")
    return reply


class LLMRubricGrader:
    name = "llm"

    def __init__(self, client: LLMClient, prompts_dir: Path) -> None:
        self.client = client
        self.prompts_dir = prompts_dir

    def messages(self, question: Rubric, answer: str, tests: str = NOT_CODING) -> list[dict[str, str]]:
        user = render(
            self.prompts_dir,
            "grade_user",
            number=question.number,
            section=question.section,
            level=question.level,
            title=question.title,
            reference_answer=question.reference_answer,
            key_points="\n".join(f"{i}. {kp}" for i, kp in enumerate(question.key_points, start=1)),
            mistakes="\n".join(f"- {m.claim} (in fact: {m.correction})" for m in question.mistakes),
            answer=delimit(answer),
            tests=tests,
        )
        return [
            {"role": "system", "content": render(self.prompts_dir, "grade_system")},
            {"role": "user", "content": user},
        ]

    async def grade(self, question: Question | Rubric, answer: str, tests: str = NOT_CODING) -> GradeResult:
        """One request, and one repair request if the reply is unusable; raises LLMGradeError after that, or when
        the whole grade outlives the total time-out."""
        total = self.client.total_timeout_s
        with anyio.move_on_after(total):
            return await self._grade(question, answer, tests)
        raise LLMGradeError(f"the LLM took longer than {total:g} s to grade (MOCK_INTERVIEWER_LLM_TOTAL_TIMEOUT)")

    async def _grade(self, question: Question | Rubric, answer: str, tests: str = NOT_CODING) -> GradeResult:
        question = question if isinstance(question, Rubric) else Rubric.of(question)
        messages = self.messages(question, answer, tests)
        n = len(question.key_points)
        schema = grade_schema(n)
        try:
            content = await self.client.chat_json(messages, schema, "grade")
            try:
                reply = parse_reply(content, n)
            except ValueError as first_error:
                repair = render(self.prompts_dir, "repair", error=str(first_error), n_key_points=n)
                messages += [{"role": "assistant", "content": content}, {"role": "user", "content": repair}]
                content = await self.client.chat_json(messages, schema, "grade")
                try:
                    reply = parse_reply(content, n)
                except ValueError as second_error:
                    raise LLMGradeError(f"the LLM reply was unusable twice ({second_error})") from second_error
        except LLMError as exc:
            raise LLMGradeError(str(exc)) from exc
        return to_result(question, reply)


def to_result(question: Rubric, reply: LLMGradeReply) -> GradeResult:
    covered_idx = sorted(set(reply.covered_key_points))
    score = round(reply.score, 1)
    return GradeResult(
        number=question.number,
        score=score,
        band=band_for(score),
        criteria=[
            CriterionScore(
                criterion=c,
                score=getattr(reply.criteria, c.value).score,
                reason=getattr(reply.criteria, c.value).reason,
            )
            for c in Criterion
        ],
        covered=[question.key_points[i - 1] for i in covered_idx],
        missed=[kp for i, kp in enumerate(question.key_points, start=1) if i not in covered_idx],
        misconceptions=reply.misconceptions,
        feedback=reply.feedback,
        follow_up=reply.follow_up,
        grader="llm",
    )
