"""What issue 14 asked of a grade a candidate can trust, on the real grading embedder (the static table)."""

from __future__ import annotations

import pytest

from mock_interviewer.bank import Bank
from mock_interviewer.grading.offline import OfflineGrader
from mock_interviewer.grading.rubric import Rubric
from mock_interviewer.index import BankIndex

pytestmark = pytest.mark.model

CORRECT_58 = (
    "In encoder-decoder cross-attention, the queries come from the decoder and the keys and values come from the "
    "encoder output."
)
REVERSED_58 = (
    "In encoder-decoder cross-attention, the queries come from the encoder output and the keys and values come "
    "from the decoder."
)


@pytest.fixture(scope="module")
def grader(grading_index: BankIndex) -> OfflineGrader:
    return OfflineGrader(grading_index)


def test_q58_correct_sentence_is_not_flagged_and_its_reverse_is_not_credited(grader: OfflineGrader, bank: Bank) -> None:
    q = bank.get(58)
    assert q is not None
    right, wrong = grader.grade(q, CORRECT_58), grader.grade(q, REVERSED_58)
    assert right.misconceptions == []
    assert len(wrong.misconceptions) == 1 and "queries come from the encoder" in wrong.misconceptions[0]
    assert wrong.covered == []  # the flagged sentence earns nothing
    assert right.score > wrong.score


def test_a_flagged_sentence_never_counts_as_covering_a_key_point(grader: OfflineGrader, bank: Bank) -> None:
    for q in bank:
        if q.section.value == "coding":
            continue
        for mistake in q.mistakes:
            result = grader.grade(q, mistake.claim)  # the listed wrong claim, said as is
            if result.misconceptions:
                assert result.covered == [], (q.number, mistake.claim, result.covered)


def test_a_follow_up_answer_is_graded_on_the_follow_ups_own_points(grader: OfflineGrader, bank: Bank) -> None:
    q = bank.get(53)
    assert q is not None
    index = next(i for i, f in enumerate(q.follow_ups) if "inference" in f.question.lower())
    rubric = Rubric.for_follow_up(q, index)
    assert rubric.key_points and not set(rubric.key_points) & set(q.key_points)
    answer = " ".join(rubric.key_points)
    result = grader.grade(rubric, answer)
    assert result.covered == rubric.key_points and result.missed == []
    assert set(result.covered) <= set(rubric.key_points)
    assert not set(result.missed) & set(q.key_points)  # never asks for the main question's material
    assert result.follow_up != rubric.title  # never suggests the follow-up just answered
    assert result.follow_up in [f.question for i, f in enumerate(q.follow_ups) if i != index]


def test_criterion_reasons_agree_with_their_scores(grader: OfflineGrader, bank: Bank) -> None:
    texts = [
        "Dropout zeroes random activations during training.",
        "Dropout zeroes each unit with probability p during training, because that stops units co-adapting; for "
        "example with p=0.5 half are dropped. At inference it is off, and inverted dropout scales by 1/(1-p).",
        "Dropout permanently removes a fraction of the neurons from the network.",
    ]
    q = bank.get(54)
    assert q is not None
    for text in texts:
        result = grader.grade(q, text)
        by = {c.criterion.value: c for c in result.criteria}
        percent = int(by["completeness"].reason.split("about ")[1].split("%")[0])
        assert abs(by["completeness"].score * 10 - percent) <= 5
        assert by["depth"].reason.startswith("Explains") == (by["depth"].score >= 8)
        if by["correctness"].reason == "The answer addresses a different question.":
            assert by["correctness"].score == 0
        elif result.misconceptions:
            assert "listed common mistake" in by["correctness"].reason and by["correctness"].score < 10
        else:
            assert "contradict" not in by["correctness"].reason


def test_a_listed_mistake_in_other_words_is_flagged_and_earns_nothing(grader: OfflineGrader, bank: Bank) -> None:
    q = bank.get(60)
    assert q is not None
    said = "You can also just initialize all weights to zero since gradient descent will break the symmetry."
    result = grader.grade(q, said)
    assert any("Initializing all the weights to zero" in m for m in result.misconceptions)
    assert result.covered == []


AMERICAN = (
    "Batch normalization normalizes each feature over the mini-batch, then applies a learned scale and shift. "
    "It makes optimization easier and training less sensitive to initialization, and the batch noise has a mild "
    "regularizing effect. At inference it uses running averages collected during training, and its behavior "
    "suffers with very small batches, where layer norm is used instead."
)
BRITISH = (
    AMERICAN.replace("normalization normalizes", "normalisation normalises")
    .replace("optimization", "optimisation")
    .replace("initialization", "initialisation")
    .replace("regularizing", "regularising")
    .replace("behavior", "behaviour")
)


def test_british_spelling_earns_the_same_grade(grader: OfflineGrader, bank: Bank) -> None:
    question = bank.get(53)
    assert question is not None and BRITISH != AMERICAN
    american, british = grader.grade(question, AMERICAN), grader.grade(question, BRITISH)
    assert british.covered == american.covered
    assert abs(british.score - american.score) <= 0.3
