"""BUG: macro F1 is the harmonic mean of macro precision and macro recall instead of the mean of the per-class F1 scores."""

from __future__ import annotations

from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

Average = Literal["binary", "micro", "macro", "weighted", None]


def confusion_matrix(
    y_true: ArrayLike, y_pred: ArrayLike, labels: ArrayLike | None = None
) -> tuple[NDArray[np.int64], NDArray]:
    """Return (cm, labels). Labels default to the sorted union of both arrays.

    Built in O(n + K^2) with one ``bincount`` over the flattened (true, pred) index.
    Samples whose label is not in ``labels`` are ignored.
    """
    y_true = np.asarray(y_true)
    y_pred = np.asarray(y_pred)
    if y_true.shape != y_pred.shape:
        raise ValueError("y_true and y_pred must have the same shape")
    labs = np.unique(np.concatenate([y_true, y_pred])) if labels is None else np.asarray(labels)
    K = len(labs)
    index = {lab: i for i, lab in enumerate(labs.tolist())}
    t = np.array([index.get(v, -1) for v in y_true.tolist()], dtype=np.int64)
    p = np.array([index.get(v, -1) for v in y_pred.tolist()], dtype=np.int64)
    keep = (t >= 0) & (p >= 0)
    cm = np.bincount(t[keep] * K + p[keep], minlength=K * K).reshape(K, K)
    return cm, labs


def _safe_div(num: NDArray, den: NDArray, zero_division: float) -> NDArray[np.float64]:
    num = np.asarray(num, dtype=float)
    den = np.asarray(den, dtype=float)
    out = np.full(np.broadcast(num, den).shape, float(zero_division))
    np.divide(num, den, out=out, where=den != 0)
    return out


def precision_recall_f1(
    y_true: ArrayLike,
    y_pred: ArrayLike,
    labels: ArrayLike | None = None,
    average: Average = "macro",
    pos_label: object = 1,
    zero_division: float = 0.0,
) -> tuple[NDArray[np.float64] | float, NDArray[np.float64] | float, NDArray[np.float64] | float]:
    """Precision, recall and F1.

    average=None returns per-class arrays in label order; "binary" reports only
    ``pos_label``; "micro" pools TP/FP/FN over classes (equals accuracy for
    single-label multiclass); "macro" is the unweighted mean of per-class scores;
    "weighted" weights per-class scores by support (true count). A 0/0 ratio
    becomes ``zero_division``.
    """
    cm, labs = confusion_matrix(y_true, y_pred, labels)
    tp = np.diag(cm).astype(float)
    fp = cm.sum(axis=0) - tp  # predicted as the class but truly another
    fn = cm.sum(axis=1) - tp  # truly the class but predicted as another
    support = cm.sum(axis=1)

    if average == "micro":
        p = _safe_div(tp.sum(), tp.sum() + fp.sum(), zero_division)
        r = _safe_div(tp.sum(), tp.sum() + fn.sum(), zero_division)
        f = _safe_div(2 * p * r, p + r, zero_division)
        return float(p), float(r), float(f)

    precision = _safe_div(tp, tp + fp, zero_division)
    recall = _safe_div(tp, tp + fn, zero_division)
    # F1 = 2TP / (2TP + FP + FN): the harmonic mean of precision and recall.
    f1 = _safe_div(2 * tp, 2 * tp + fp + fn, zero_division)

    if average is None:
        return precision, recall, f1
    if average == "binary":
        matches = np.flatnonzero(labs == pos_label)
        if len(matches) == 0:
            raise ValueError(f"pos_label {pos_label!r} not among labels")
        i = int(matches[0])
        return float(precision[i]), float(recall[i]), float(f1[i])
    if average == "macro":
        p_macro, r_macro = float(precision.mean()), float(recall.mean())
        f_macro = 2 * p_macro * r_macro / (p_macro + r_macro) if p_macro + r_macro else 0.0
        return p_macro, r_macro, f_macro
    if average == "weighted":
        w = support / support.sum() if support.sum() else np.zeros_like(precision)
        return float(precision @ w), float(recall @ w), float(f1 @ w)
    raise ValueError(f"unknown average {average!r}")
