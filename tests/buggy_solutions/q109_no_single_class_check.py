"""BUG: inputs with only one class are not rejected, so AUC divides by zero and returns NaN/inf instead of raising ValueError."""

from __future__ import annotations

from itertools import pairwise
from typing import Any

import numpy as np
from numpy.typing import NDArray


def _check(y_true: NDArray[Any], scores: NDArray[Any]) -> tuple[NDArray[np.int64], NDArray[np.float64]]:
    y = np.asarray(y_true).astype(np.int64)
    s = np.asarray(scores, dtype=float)
    if y.shape != s.shape or y.ndim != 1:
        raise ValueError("y_true and scores must be 1-D arrays of equal length")
    if not np.isin(y, (0, 1)).all():
        raise ValueError("y_true must be binary 0/1")
    return y, s


def average_ranks(values: NDArray[np.float64]) -> NDArray[np.float64]:
    """1-based ranks where tied values share the mean of the ranks they span."""
    order = np.argsort(values, kind="mergesort")
    sorted_vals = values[order]
    # Start index of every run of equal values, plus the end sentinel.
    boundaries = np.flatnonzero(np.r_[True, sorted_vals[1:] != sorted_vals[:-1], True])
    ranks_sorted = np.empty(len(values))
    for start, end in pairwise(boundaries.tolist()):
        ranks_sorted[start:end] = (start + 1 + end) / 2.0  # mean of ranks start+1 .. end
    ranks = np.empty(len(values))
    ranks[order] = ranks_sorted
    return ranks


def roc_auc_rank(y_true: NDArray[Any], scores: NDArray[Any]) -> float:
    """AUC = (R_pos - n_pos (n_pos + 1) / 2) / (n_pos n_neg), R_pos = sum of positive ranks."""
    y, s = _check(y_true, scores)
    ranks = average_ranks(s)
    n_pos = int(y.sum())
    n_neg = len(y) - n_pos
    return float((ranks[y == 1].sum() - n_pos * (n_pos + 1) / 2.0) / (n_pos * n_neg))


def roc_curve(
    y_true: NDArray[Any], scores: NDArray[Any]
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    """FPR, TPR and thresholds, one point per distinct score (highest first), starting at (0, 0)."""
    y, s = _check(y_true, scores)
    order = np.argsort(-s, kind="mergesort")
    s_sorted, y_sorted = s[order], y[order]
    # Last index of each group of equal scores: all tied samples cross the threshold together.
    last_of_group = np.r_[np.flatnonzero(s_sorted[1:] != s_sorted[:-1]), len(s) - 1]
    tps = np.cumsum(y_sorted)[last_of_group]
    fps = (last_of_group + 1) - tps
    tpr = np.r_[0.0, tps / tps[-1]]
    fpr = np.r_[0.0, fps / fps[-1]]
    thresholds = np.r_[np.inf, s_sorted[last_of_group]]
    return fpr, tpr, thresholds


def auc_trapezoid(x: NDArray[np.float64], y: NDArray[np.float64]) -> float:
    """Area under a piecewise-linear curve given by points sorted by x."""
    return float(np.sum(np.diff(x) * (y[1:] + y[:-1]) / 2.0))


def roc_auc_curve(y_true: NDArray[Any], scores: NDArray[Any]) -> float:
    fpr, tpr, _ = roc_curve(y_true, scores)
    return auc_trapezoid(fpr, tpr)
