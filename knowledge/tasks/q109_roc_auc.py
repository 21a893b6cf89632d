"""Hidden tests for Q109, ROC AUC from scores and labels. Each test gets the candidate's module."""

import numpy as np
from harness import check, check_close

TIME_LIMITS = {"test_200000_samples_in_n_log_n": 3.0}


def pairwise_auc(y, s):
    """The definition, O(n_pos * n_neg): P(positive scores higher) + 0.5 P(tie)."""
    y, s = np.asarray(y), np.asarray(s, dtype=float)
    pos, neg = s[y == 1][:, None], s[y == 0][None, :]
    return float(((pos > neg).sum() + 0.5 * (pos == neg).sum()) / (pos.size * neg.size))


def auc(candidate, y, s):
    return float(candidate.roc_auc_rank(np.asarray(y), np.asarray(s)))


def test_worked_example(candidate):
    check_close(auc(candidate, [0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]), 0.75, "y=[0,0,1,1], scores=[0.1,0.4,0.35,0.8]")


def test_perfect_reversed_and_constant_scores(candidate):
    y = [0, 1, 0, 1, 1]
    check_close(auc(candidate, y, [0.1, 0.9, 0.2, 0.8, 0.7]), 1.0, "positives all score higher")
    check_close(auc(candidate, y, [0.9, 0.1, 0.8, 0.2, 0.3]), 0.0, "positives all score lower")
    check_close(auc(candidate, y, [0.5] * 5), 0.5, "every score equal (all ties count 1/2)")


def test_ties_across_classes_count_half(candidate):
    check_close(
        auc(candidate, [0, 1, 0, 1], [0.5, 0.5, 0.5, 0.9]),
        0.75,
        "y=[0,1,0,1], scores=[0.5,0.5,0.5,0.9] (two tied pairs count 1/2 each)",
    )
    check_close(
        auc(candidate, [1, 0, 0, 1, 0, 1], [2, 2, 1, 1, 3, 3]),
        pairwise_auc([1, 0, 0, 1, 0, 1], [2, 2, 1, 1, 3, 3]),
        "y=[1,0,0,1,0,1], integer scores [2,2,1,1,3,3] (one tie per level)",
    )


def test_many_ties_match_the_pairwise_definition(candidate):
    rng = np.random.default_rng(0)
    for trial in range(5):
        y = rng.integers(0, 2, size=300)
        s = rng.integers(0, 5, size=300).astype(float) + 0.3 * y * rng.integers(0, 2, size=300)
        check_close(auc(candidate, y, s), pairwise_auc(y, s), f"300 samples, scores with many ties (trial {trial})")


def test_only_the_order_of_scores_matters(candidate):
    rng = np.random.default_rng(1)
    y = rng.integers(0, 2, size=200)
    logits = rng.normal(size=200) * 50 + y * 20
    want = pairwise_auc(y, logits)
    check_close(auc(candidate, y, logits), want, "200 logits between about -150 and 170 (negative scores)")
    with np.errstate(all="ignore"):
        probs = 1.0 / (1.0 + np.exp(-logits / 50))
    check_close(auc(candidate, y, probs), want, "the same scores through a sigmoid (a monotone map)")
    order = rng.permutation(200)
    check_close(auc(candidate, y[order], logits[order]), want, "the same samples in another order")


def test_bool_labels_and_lists(candidate):
    check_close(
        float(candidate.roc_auc_rank([False, False, True, True], [0.1, 0.4, 0.35, 0.8])),
        0.75,
        "labels as a list of bools, scores as a list",
    )


def test_invalid_input_raises(candidate):
    cases = [
        ("only negatives", [0, 0, 0], [0.1, 0.2, 0.3]),
        ("only positives", [1, 1], [0.1, 0.2]),
        ("a label 2", [0, 1, 2], [0.1, 0.2, 0.3]),
        ("3 labels but 2 scores", [0, 1, 1], [0.1, 0.2]),
    ]
    for name, y, s in cases:
        try:
            with np.errstate(all="ignore"):
                candidate.roc_auc_rank(np.array(y), np.array(s))
        except ValueError:
            continue
        check(False, f"{name}: expected ValueError, got no error")


def test_200000_samples_in_n_log_n(candidate):
    # 200,000 samples (10^10 positive-negative pairs): the reference (sort and mid-ranks) takes about 0.2 s;
    # comparing all pairs cannot finish.
    rng = np.random.default_rng(2)
    y = rng.integers(0, 2, size=200000)
    s = rng.normal(size=200000) + 0.5 * y
    s[::7] = np.round(s[::7], 1)  # some ties as well
    got = auc(candidate, y, s)
    # Check against the definition, counted with a sort: for each positive, negatives below it plus half the ties.
    neg = np.sort(s[y == 0])
    pos = s[y == 1]
    below = np.searchsorted(neg, pos, side="left")
    ties = np.searchsorted(neg, pos, side="right") - below
    want = float((below.sum() + 0.5 * ties.sum()) / (len(pos) * len(neg)))
    check_close(got, want, "200,000 samples, scores N(0.5 y, 1) with some ties")
