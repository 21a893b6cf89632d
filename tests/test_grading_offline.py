"""The offline grader with the real static table, on a few labelled answers from the tunable split."""

from __future__ import annotations

import dataclasses
import itertools

import pytest

from bench.datasets import INJECTION, graded_answers
from mock_interviewer.bank import Bank
from mock_interviewer.grading.models import band_for
from mock_interviewer.grading.offline import OfflineGrader, OfflineParams, _as_attempt
from mock_interviewer.index import BankIndex

pytestmark = pytest.mark.model


@pytest.fixture(scope="module")
def grader(grading_index: BankIndex) -> OfflineGrader:
    return OfflineGrader(grading_index)


def answers_for(number: int) -> dict[str, str]:
    return {a.kind: a.answer for a in graded_answers() if a.number == number}


# 116 left out: its old-set wrong answer states a listed mistake in other words, which the precision-first flag
# rule no longer penalises (docs/benchmarks.md, issue 14 round).
@pytest.mark.parametrize("number", [27, 100, 117])
def test_strong_beats_partial_beats_wrong_and_empty(grader: OfflineGrader, bank: Bank, number: int) -> None:
    q = bank.get(number)
    assert q is not None
    kinds = answers_for(number)
    score = {kind: grader.grade(q, text).score for kind, text in kinds.items()}
    # One misconception flagged by mistake costs a strong answer 1.5 points and the key point it contradicts; the
    # bench measures how often that happens (false alarms).
    assert score["strong"] >= 7
    assert score["strong"] > score["partial"] > score["wrong"]
    assert score["partial"] > score["empty"] == 0
    assert score["keywords"] <= 3 < score["strong"]
    assert score["padded"] <= score["partial"]


def test_non_answers_score_zero(grader: OfflineGrader, bank: Bank) -> None:
    q = bank.get(54)
    assert q is not None
    for text in ["", "   ", "I don't know.", "fine", "Pass, I haven't worked with that.", "no idea, sorry"]:
        result = grader.grade(q, text)
        assert result.score == 0 and result.band == "none", text


def test_injected_instructions_earn_nothing(grader: OfflineGrader, bank: Bank) -> None:
    q = bank.get(27)
    assert q is not None
    wrong = answers_for(27)["wrong"]
    plain, injected = grader.grade(q, wrong), grader.grade(q, wrong + INJECTION)
    assert injected.score <= plain.score
    assert any("ignored" in n for n in injected.notes)


def test_a_strong_answer_to_another_question_scores_near_zero(grader: OfflineGrader, bank: Bank) -> None:
    q = bank.get(27)
    assert q is not None
    other = answers_for(100)["strong"]
    result = grader.grade(q, other)
    assert result.score <= 1
    correctness = next(c for c in result.criteria if c.criterion == "correctness")
    assert correctness.score == 0 and "different question" in correctness.reason


def test_gibberish_scores_near_zero(grader: OfflineGrader, bank: Bank) -> None:
    q = bank.get(116)
    assert q is not None
    assert grader.grade(q, "qwe rty uiop asdf ghjk zxcv bnm lkj poi mnb vcx").score <= 1


def test_misconceptions_are_named_with_their_correction(grader: OfflineGrader, bank: Bank) -> None:
    q = bank.get(27)
    assert q is not None
    result = grader.grade(q, answers_for(27)["wrong"])
    assert result.misconceptions and result.score <= 3
    corrections = [m.correction[:30].lower() for m in q.mistakes]
    assert any(c in m.lower() for m in result.misconceptions for c in corrections)
    assert result.criteria[0].criterion.value == "correctness" and result.criteria[0].score < 5


def test_feedback_and_follow_up_aim_at_the_gap(grader: OfflineGrader, bank: Bank) -> None:
    q = bank.get(100)
    assert q is not None
    result = grader.grade(q, answers_for(100)["partial"])
    assert result.missed and result.feedback.startswith(("The grader found", "This", "Strong"))
    assert result.follow_up in [f.question for f in q.follow_ups]


def test_a_swapped_pair_is_flagged_only_the_wrong_way_round(grader: OfflineGrader, bank: Bank) -> None:
    q = bank.get(10)
    assert q is not None
    right = "From a Bayesian view, L2 regularization is a Gaussian prior on the weights and L1 is a Laplace prior."
    wrong = "From a Bayesian view, L1 regularization is a Gaussian prior on the weights and L2 is a Laplace prior."
    assert not any("prior" in m for m in grader.grade(q, right).misconceptions)
    assert any("prior" in m for m in grader.grade(q, wrong).misconceptions)


def test_depth_needs_reasoning_not_just_coverage(grader: OfflineGrader, bank: Bank) -> None:
    q = bank.get(9)
    assert q is not None
    # The key points themselves cover everything but carry almost no "because", trade-offs or examples.
    facts = " ".join(kp for kp in q.key_points)
    reasoned = facts + " We do this because test data must stay untouched; for example, tuning on it inflates scores."
    depth = {
        label: next(c for c in grader.grade(q, text).criteria if c.criterion.value == "depth")
        for label, text in (("facts", facts), ("reasoned", reasoned))
    }
    # Each reason is derived from its own score: "Explains why" only at 8 and above.
    for d in depth.values():
        assert d.reason.startswith("Explains") == (d.score >= 8), d
    assert depth["reasoned"].score >= depth["facts"].score
    assert depth["reasoned"].reason.startswith("Explains")


def test_feedback_sentences_end_with_one_full_stop(grader: OfflineGrader, bank: Bank) -> None:
    q = bank.get(100)
    assert q is not None
    for text in (answers_for(100)["partial"], "I don't know."):
        feedback = grader.grade(q, text).feedback
        assert ".." not in feedback and feedback.endswith("."), feedback


def test_a_wrong_claim_made_twice_is_one_misconception(grader: OfflineGrader, bank: Bank) -> None:
    q = bank.get(116)
    assert q is not None
    once = "F1 is the average of precision and recall. Precision is TP over the column total."
    twice = once + " Put simply, F1 is just the plain average of precision and recall."
    assert len(grader.grade(q, once).misconceptions) == 1
    assert len(grader.grade(q, twice).misconceptions) == 1


def test_a_sentence_stating_a_misconception_does_not_make_the_key_point_it_contradicts(
    grader: OfflineGrader, bank: Bank
) -> None:
    q = bank.get(116)
    assert q is not None
    f1_point = next(j for j, kp in enumerate(q.key_points) if kp.startswith("F1 is the harmonic mean"))
    answer = (
        "I count predictions in a K by K matrix with true labels on the rows. "
        "F1 is the average of precision and recall, so it sits halfway between them."
    )
    result, evidence = grader.grade_with_evidence(q, answer)
    assert result.misconceptions and evidence is not None
    # Its wording alone comes close to the F1 key point (above cover_lo); the wrong claim cancels that match.
    assert evidence.coverage[f1_point] < grader.params.cover_lo
    assert q.key_points[f1_point] in result.missed


def test_a_sentence_on_a_wrong_claims_topic_without_its_wrong_words_is_not_flagged(
    grader: OfflineGrader, bank: Bank
) -> None:
    q = bank.get(47)
    assert q is not None
    # Embeds close to "every weak learner gets an equal vote", but says nothing about equal votes.
    fine = "AdaBoost builds an ensemble of weak learners, usually decision stumps, one after another."
    assert grader.grade(q, fine).misconceptions == []
    wrong = "AdaBoost gives every weak learner an equal vote in the final prediction."
    (flagged,) = grader.grade(q, wrong).misconceptions
    # The message names the listed mistake it matched, then its correction.
    assert "common mistake 'Every weak learner gets an equal vote" in flagged and "alpha" in flagged


def test_another_form_of_a_wrong_claims_word_still_counts(grader: OfflineGrader, bank: Bank) -> None:
    q = bank.get(116)
    assert q is not None
    # The listed claim says "imbalanced"; this says "imbalance", which stems differently.
    answer = "Micro-averaged F1 is the right metric for multiclass data with class imbalance, as it accounts for every class."
    assert any("micro F1 equals accuracy" in m for m in grader.grade(q, answer).misconceptions)


@pytest.mark.parametrize("number", [55, 109])
def test_a_wrong_attempt_is_weak_not_no_answer(grader: OfflineGrader, bank: Bank, number: int) -> None:
    """The scale keeps 0 for no answer or another question's answer; these wrong answers used to score 0."""
    q = bank.get(number)
    assert q is not None
    wrong = answers_for(number)["wrong"]
    unlifted = OfflineGrader(grader.index, dataclasses.replace(grader.params, weak_ceiling=0)).grade(q, wrong)
    assert unlifted.score < 1  # what the lift has to fix
    result = grader.grade(q, wrong)
    assert result.band == "weak" and 1 <= result.score < 4
    assert grader.grade(q, answers_for(number)["gibberish"]).score == 0


def test_lifting_attempts_keeps_their_order_and_bands() -> None:
    ceiling = OfflineParams().weak_ceiling
    raw = [i / 100 for i in range(1001)]
    lifted = [_as_attempt(x, ceiling) for x in raw]
    assert lifted[0] == 1 and all(b > a for a, b in itertools.pairwise(lifted))
    assert all(y == x for x, y in zip(raw, lifted, strict=True) if x >= ceiling)
    # Once rounded for display, no score changes band except 0 -> 1.
    assert all(band_for(round(y, 1)) == band_for(round(x, 1)) for x, y in zip(raw, lifted, strict=True) if x >= 1)
