"""The LLM rubric grader: fills the prompt templates, asks for schema-constrained JSON, validates it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ..bank import Question
from ..llm import LLMClient, LLMError
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
        "properties": {"score": {"type": "integer"}, "reason": {"type": "string"}},
        "required": ["score", "reason"],
        "additionalProperties": False,
    }


GRADE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "score": {"type": "number"},
        "criteria": {
            "type": "object",
            "properties": {c.value: _criterion_schema() for c in Criterion},
            "required": [c.value for c in Criterion],
            "additionalProperties": False,
        },
        "covered_key_points": {"type": "array", "items": {"type": "integer"}},
        "misconceptions": {"type": "array", "items": {"type": "string"}},
        "feedback": {"type": "string"},
        "follow_up": {"type": "string"},
    },
    "required": ["score", "criteria", "covered_key_points", "misconceptions", "feedback", "follow_up"],
    "additionalProperties": False,
}
RESPONSE_FORMAT: dict[str, Any] = {
    "type": "json_schema",
    "json_schema": {"name": "grade", "strict": True, "schema": GRADE_SCHEMA},
}


class LLMGradeError(Exception):
    """The LLM gave no usable grade; the caller falls back to the offline grader."""


def parse_reply(content: str, n_key_points: int) -> LLMGradeReply:
    """Validate the model's JSON; raises ValueError with a message fit to send back as a repair request."""
    try:
        data = json.loads(_strip_fences(content))
    except json.JSONDecodeError as exc:
        raise ValueError(f"it was not valid JSON ({exc.msg})") from exc
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


def _strip_fences(content: str) -> str:
    text = content.strip()
    if text.startswith("```"):
        text = text.split("\n", 1)[1] if "\n" in text else ""
        text = text.rsplit("```", 1)[0]
    return text


class LLMRubricGrader:
    name = "llm"

    def __init__(self, client: LLMClient, prompts_dir: Path) -> None:
        self.client = client
        self.prompts_dir = prompts_dir

    def messages(self, question: Rubric, answer: str) -> list[dict[str, str]]:
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
        )
        return [
            {"role": "system", "content": render(self.prompts_dir, "grade_system")},
            {"role": "user", "content": user},
        ]

    async def grade(self, question: Question | Rubric, answer: str) -> GradeResult:
        """One request, and one repair request if the reply is unusable; raises LLMGradeError after that."""
        question = question if isinstance(question, Rubric) else Rubric.of(question)
        messages = self.messages(question, answer)
        n = len(question.key_points)
        try:
            content = await self.client.chat(messages, RESPONSE_FORMAT)
            try:
                reply = parse_reply(content, n)
            except ValueError as first_error:
                repair = render(self.prompts_dir, "repair", error=str(first_error), n_key_points=n)
                messages += [{"role": "assistant", "content": content}, {"role": "user", "content": repair}]
                content = await self.client.chat(messages, RESPONSE_FORMAT)
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
