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
    is_follow_up: bool = False
    follow_up_index: int | None = None  # for a follow-up: its position in the bank entry's follow_ups

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
    def for_follow_up(cls, question: Question, index: int) -> Rubric:
        """A follow-up answer is judged on the follow-up's own key points only, never on the parent's: it answers
        a narrower question. Entries without authored points fall back to the sentences of `expects`."""
        follow_up: FollowUp = question.follow_ups[index]
        points = list(follow_up.key_points) or sentences(follow_up.expects) or [follow_up.expects]
        return cls(
            number=question.number,
            title=follow_up.question,
            section=question.section.value,
            level=question.level,
            reference_answer=follow_up.expects,
            key_points=points,
            mistakes=list(question.mistakes),
            follow_ups=list(question.follow_ups),  # the parent's, for the next suggestion (never this one)
            is_follow_up=True,
            follow_up_index=index,
        )
