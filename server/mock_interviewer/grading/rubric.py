"""What an answer is graded against: a bank question, or a follow-up derived from one."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..bank import FollowUp, Mistake, Question
from ..text import sentences


@dataclass(frozen=True)
class Rubric:
    number: int  # the bank question this rubric belongs to
    title: str
    section: str
    level: str
    reference_answer: str
    key_points: list[str]
    mistakes: list[Mistake]
    follow_ups: list[FollowUp] = field(default_factory=list)
    # For a follow-up: which of the parent's key points it probes (indices), and its own expected content.
    parent_key_points: list[int] = field(default_factory=list)
    is_follow_up: bool = False

    @classmethod
    def of(cls, question: Question) -> Rubric:
        return cls(
            number=question.number,
            title=question.title,
            section=question.section.value,
            level=question.level,
            reference_answer=question.reference_answer,
            key_points=list(question.key_points),
            mistakes=list(question.mistakes),
            follow_ups=list(question.follow_ups),
        )

    @classmethod
    def for_follow_up(cls, question: Question, follow_up: FollowUp, targets: list[int]) -> Rubric:
        """A follow-up is graded on what its `expects` says plus the parent's key points it was aimed at."""
        expected = sentences(follow_up.expects) or [follow_up.expects]
        return cls(
            number=question.number,
            title=follow_up.question,
            section=question.section.value,
            level=question.level,
            reference_answer=follow_up.expects,
            key_points=[*expected, *(question.key_points[i] for i in targets)],
            mistakes=list(question.mistakes),
            parent_key_points=list(targets),
            is_follow_up=True,
        )
