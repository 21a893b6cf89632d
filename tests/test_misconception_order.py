"""Word order settles wrong claims that swap the terms of a true statement (embeddings cannot tell them apart)."""

from __future__ import annotations

from mock_interviewer.grading.offline import _order_votes

TRUTH = "L2 regularization corresponds to a Gaussian prior on the weights, and L1 regularization to a Laplace prior."
CLAIM = "L1 regularization corresponds to a Gaussian prior on the weights, and L2 to a Laplace prior."


def test_a_sentence_in_the_true_order_votes_for_the_truth() -> None:
    assert _order_votes("From a Bayesian angle L2 is a Gaussian prior and L1 a Laplace prior.", CLAIM, TRUTH) > 0


def test_a_sentence_in_the_claims_order_votes_for_the_claim() -> None:
    assert _order_votes("Bayesians read L1 as a Gaussian prior and L2 as a Laplace prior.", CLAIM, TRUTH) < 0


def test_a_claim_that_is_not_a_swap_gets_no_vote() -> None:
    claim = "F1 is just the average of precision and recall."
    truth = "F1 is the harmonic mean of precision and recall, which stays low unless both are reasonably high."
    assert _order_votes("Recall and precision are combined by F1 as a plain average.", claim, truth) == 0


def test_stemming_and_case_do_not_break_the_vote() -> None:
    claim = (
        "Batch norm normalizes each example over its features, while layer norm normalizes each feature over the batch."
    )
    truth = (
        "Batch norm normalizes each feature over the batch, while layer norm normalizes each example over its features."
    )
    sentence = "BATCH normalization normalises every feature across the batch; LAYER normalization normalises examples."
    assert _order_votes(sentence, claim, truth) > 0
