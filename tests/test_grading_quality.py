"""Offline grading quality on the labelled answers (bench/data), guarding the figures in docs/benchmarks.md.

The held-out sets (fresh, fresh2) are only measured, never tuned on; the floors sit a few pairs below what was
measured so that noise in a later change does not fail the suite, while a real regression does.
"""

from __future__ import annotations

import pytest

from bench.datasets import HELD_OUT, TUNABLE, graded_answers
from bench.grading import report, score_all
from mock_interviewer.bank import Bank
from mock_interviewer.grading.offline import OfflineGrader
from mock_interviewer.index import BankIndex

pytestmark = pytest.mark.model


@pytest.fixture(scope="module")
def figures(grading_index: BankIndex, bank: Bank) -> dict[str, dict[str, float]]:
    answers = graded_answers()
    scores, _ = score_all(OfflineGrader(grading_index), bank, answers)
    out = {}
    for name, splits in (("tunable", TUNABLE), ("held out", HELD_OUT)):
        out[name] = report(scores, sorted({a.number for a in answers if a.split in splits}))
    return out


def test_every_graded_question_has_the_six_authored_kinds() -> None:
    kinds: dict[int, set[str]] = {}
    for a in graded_answers():
        kinds.setdefault(a.number, set()).add(a.kind)
    authored = {"strong", "partial", "wrong", "empty", "keywords", "padded"}
    assert len(kinds) == 60
    assert all(authored <= k for k in kinds.values())


def test_held_out_answers_are_ordered_and_banded(figures: dict[str, dict[str, float]]) -> None:
    held_out = figures["held out"]
    # Measured on 36 questions never tuned on: pairs 0.896 (n=144), adversarial 0.956, in band 0.858 (since the
    # precision-first misconception rule of issue 14; before it 0.924 / 0.961 / 0.873 with 0.20 false flags).
    assert held_out["n_pairs"] == 144
    assert held_out["pairs"] >= 0.87
    assert held_out["adversarial"] >= 0.93
    assert held_out["in_band"] >= 0.83


def test_tunable_answers_are_ordered_and_banded(figures: dict[str, dict[str, float]]) -> None:
    tunable = figures["tunable"]
    # Measured: pairs 0.819 (n=144), adversarial 0.975, in band 0.817 (0.910 / 0.975 / 0.845 before issue 14's
    # precision-first flags: these older answers were written from the bank's mistakes and flattered the flags).
    assert tunable["pairs"] >= 0.79
    assert tunable["adversarial"] >= 0.95
    assert tunable["in_band"] >= 0.79


def test_blind_set_false_flags_strong_answers_and_clarifications(grading_index: BankIndex, bank: Bank) -> None:
    """The yardstick since issue 14: answers written by people who saw only the question (bench/data/blind)."""
    from bench.datasets import blind_answers
    from mock_interviewer.clarify import is_clarifying_question
    from mock_interviewer.grading.rubric import Rubric

    grader = OfflineGrader(grading_index)
    answers = blind_answers({q.number: q.section.value for q in bank})
    assert len({a.number for a in answers}) == 45 and len(answers) == 270
    flags, strong, clarified, mistaken = [], [], 0, 0
    for a in answers:
        q = bank.get(a.number)
        assert q is not None
        if is_clarifying_question(a.answer):
            clarified += a.kind == "clarify"
            mistaken += a.kind != "clarify"
            continue
        result = grader.grade(Rubric.for_follow_up(q, a.follow_up) if a.follow_up is not None else Rubric.of(q), a.answer)
        if a.kind in ("strong", "partial", "follow_up_strong"):
            flags.append(len(result.misconceptions))
        if a.kind == "strong":
            strong.append(result.score >= 7)
    # Measured (both splits): 0.015 false flags per correct answer, strong in band 0.98, 45 of 45 clarifications.
    assert sum(flags) / len(flags) <= 0.05
    assert sum(strong) / len(strong) >= 0.9
    assert mistaken == 0 and clarified >= 44
