"""Hidden tests for Q116, confusion matrix, precision, recall and F1. Each test gets the candidate's module."""

import numpy as np
from harness import check, check_close, check_equal

# y_true = [0,0,0,1,1,2,2,2,2,2], y_pred = [0,1,2,1,1,2,2,0,2,1]: cm = [[1,1,1],[0,2,0],[1,1,3]],
# TP = [1,2,3], column totals [2,4,4], row totals (support) [3,2,5].
T3 = [0, 0, 0, 1, 1, 2, 2, 2, 2, 2]
P3 = [0, 1, 2, 1, 1, 2, 2, 0, 2, 1]
CASE3 = "y_true=[0,0,0,1,1,2,2,2,2,2], y_pred=[0,1,2,1,1,2,2,0,2,1]"
PREC3 = np.array([1 / 2, 2 / 4, 3 / 4])
REC3 = np.array([1 / 3, 2 / 2, 3 / 5])
F13 = np.array([2 / 5, 4 / 6, 6 / 9])


def _floats(result, case):
    check(
        isinstance(result, tuple) and len(result) == 3,
        f"{case}: expected a tuple (precision, recall, f1), got {type(result).__name__}",
    )
    arrays = [np.asarray(v, dtype=float) for v in result]
    return tuple(a if a.ndim else float(a) for a in arrays)


def _raises(call, case):
    try:
        call()
    except ValueError:
        return
    check(False, f"{case}: expected ValueError, got no error")


def test_binary_layout_rows_are_truth(candidate):
    y_true = [1, 1, 1, 1, 0, 0, 0, 0, 0, 0]
    y_pred = [1, 1, 1, 0, 1, 1, 0, 0, 0, 0]  # TP=3, FN=1, FP=2, TN=4
    cm, labels = candidate.confusion_matrix(y_true, y_pred)
    check_equal(
        np.asarray(cm), np.array([[4, 2], [1, 3]]), f"y_true={y_true}, y_pred={y_pred}: cm ([[TN, FP], [FN, TP]])"
    )
    check_equal(np.asarray(labels).tolist(), [0, 1], "same case: labels")
    check_close(
        _floats(candidate.precision_recall_f1(y_true, y_pred, average="binary"), "binary"),
        (0.6, 0.75, 2 / 3),
        "same case, average='binary': (precision, recall, f1)",
    )


def test_default_labels_are_the_sorted_union(candidate):
    cm, labels = candidate.confusion_matrix(["b", "c", "b"], ["b", "a", "c"])  # "a" is only ever predicted
    check_equal(np.asarray(labels).tolist(), ["a", "b", "c"], "y_true=['b','c','b'], y_pred=['b','a','c']: labels")
    check_equal(np.asarray(cm), np.array([[0, 0, 0], [0, 1, 1], [1, 0, 0]]), "same case: cm")


def test_explicit_labels_fix_the_order_and_filter(candidate):
    cm, labels = candidate.confusion_matrix([1, 2, 3, 3], [1, 2, 2, 3], labels=[3, 2])
    check_equal(np.asarray(labels).tolist(), [3, 2], "labels=[3, 2]: labels")
    check_equal(
        np.asarray(cm),
        np.array([[1, 1], [0, 1]]),
        "y_true=[1,2,3,3], y_pred=[1,2,2,3], labels=[3, 2]: cm (samples with label 1 ignored)",
    )
    cm, _ = candidate.confusion_matrix([0, 0], [0, 0], labels=[0, 1, 2])
    check_equal(np.asarray(cm), np.array([[2, 0, 0], [0, 0, 0], [0, 0, 0]]), "y_true=y_pred=[0,0], labels=[0,1,2]: cm")


def test_per_class_scores(candidate):
    cm, _ = candidate.confusion_matrix(T3, P3)
    check_equal(np.asarray(cm), np.array([[1, 1, 1], [0, 2, 0], [1, 1, 3]]), f"{CASE3}: cm")
    got = _floats(candidate.precision_recall_f1(T3, P3, average=None), f"{CASE3}, average=None")
    check_close(got[0], PREC3, f"{CASE3}, average=None: precision per class")
    check_close(got[1], REC3, f"{CASE3}, average=None: recall per class")
    check_close(got[2], F13, f"{CASE3}, average=None: f1 per class")


def test_macro_and_weighted_averages(candidate):
    macro = (float(PREC3.mean()), float(REC3.mean()), float(F13.mean()))
    got = _floats(candidate.precision_recall_f1(T3, P3, average="macro"), f"{CASE3}, macro")
    check_close(got, macro, f"{CASE3}, average='macro': (precision, recall, f1)")
    got = _floats(candidate.precision_recall_f1(T3, P3), f"{CASE3}, default average")
    check_close(got, macro, f"{CASE3}, default average (macro)")
    w = np.array([3, 2, 5]) / 10
    got = _floats(candidate.precision_recall_f1(T3, P3, average="weighted"), f"{CASE3}, weighted")
    check_close(
        got,
        (float(PREC3 @ w), float(REC3 @ w), float(F13 @ w)),
        f"{CASE3}, average='weighted': (precision, recall, f1)",
    )


def test_micro_average_equals_accuracy(candidate):
    rng = np.random.default_rng(0)
    y_true = rng.integers(0, 4, 300)
    y_pred = np.where(rng.random(300) < 0.6, y_true, rng.integers(0, 4, 300))
    acc = float(np.mean(y_true == y_pred))
    got = _floats(candidate.precision_recall_f1(y_true, y_pred, average="micro"), "micro")
    check_close(
        got, (acc, acc, acc), f"300 random labels in 0..3, average='micro': each should equal the accuracy {acc:.4f}"
    )


def test_binary_with_a_string_pos_label(candidate):
    y_true = ["spam", "ham", "spam", "spam", "ham"]
    y_pred = ["spam", "spam", "ham", "spam", "ham"]  # spam: TP=2, FP=1, FN=1
    got = _floats(candidate.precision_recall_f1(y_true, y_pred, average="binary", pos_label="spam"), "binary spam")
    check_close(got, (2 / 3, 2 / 3, 2 / 3), f"y_true={y_true}, y_pred={y_pred}, pos_label='spam'")
    got = _floats(candidate.precision_recall_f1(y_true, y_pred, average="binary", pos_label="ham"), "binary ham")
    check_close(got, (1 / 2, 1 / 2, 1 / 2), "same case, pos_label='ham'")


def test_never_predicted_class_uses_zero_division(candidate):
    y_true, y_pred = [0, 0, 1, 1, 2], [0, 0, 1, 1, 1]  # class 2 is never predicted: its precision is 0/0
    case = f"y_true={y_true}, y_pred={y_pred}"
    got = _floats(candidate.precision_recall_f1(y_true, y_pred, average=None), case)
    check(all(np.all(np.isfinite(v)) for v in got), f"{case}, average=None: NaN or inf in {got}")
    check_close(
        got,
        (np.array([1.0, 2 / 3, 0.0]), np.array([1.0, 1.0, 0.0]), np.array([1.0, 0.8, 0.0])),
        f"{case}, average=None: (precision, recall, f1)",
    )
    got = _floats(candidate.precision_recall_f1(y_true, y_pred, average=None, zero_division=1.0), case)
    check_close(got[0], np.array([1.0, 2 / 3, 1.0]), f"{case}, average=None, zero_division=1.0: precision")
    got = _floats(candidate.precision_recall_f1([0, 0], [0, 0], labels=[0, 1], average="macro"), "absent class")
    check_close(got, (0.5, 0.5, 0.5), "y_true=y_pred=[0,0], labels=[0,1] (class 1 absent: all 0/0 -> 0), macro")


def test_bad_arguments_raise(candidate):
    _raises(lambda: candidate.confusion_matrix([0, 1, 1], [0, 1]), "confusion_matrix of 3 labels vs 2 predictions")
    _raises(lambda: candidate.precision_recall_f1([0, 1, 1], [0, 1]), "precision_recall_f1 of 3 labels vs 2")
    _raises(lambda: candidate.precision_recall_f1([0, 1], [0, 1], average="median"), "average='median'")
    _raises(
        lambda: candidate.precision_recall_f1(["a", "b"], ["a", "b"], average="binary"),
        "average='binary' with labels a, b and the default pos_label=1",
    )


def test_empty_input(candidate):
    cm, labels = candidate.confusion_matrix([], [])
    check_equal(np.asarray(cm).shape, (0, 0), "empty y_true and y_pred: cm shape")
    check_equal(len(labels), 0, "empty y_true and y_pred: number of labels")


def test_matches_counting_on_random_data(candidate):
    rng = np.random.default_rng(1)
    K, n = 6, 2000
    y_true = rng.integers(0, K, n)
    y_pred = np.where(rng.random(n) < 0.5, y_true, rng.integers(0, K, n))
    want = np.zeros((K, K), dtype=int)
    for t, p in zip(y_true.tolist(), y_pred.tolist(), strict=True):
        want[t, p] += 1
    cm, _ = candidate.confusion_matrix(y_true, y_pred)
    check_equal(np.asarray(cm), want, f"{n} random labels in 0..{K - 1}: cm")
    tp = np.diag(want)
    got = _floats(candidate.precision_recall_f1(y_true, y_pred, average=None), "random")
    check_close(
        got,
        (tp / want.sum(axis=0), tp / want.sum(axis=1), 2 * tp / (want.sum(axis=0) + want.sum(axis=1))),
        f"{n} random labels in 0..{K - 1}, average=None: (precision, recall, f1)",
    )
