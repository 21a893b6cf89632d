"""BUG: stratified_kfold loops over range(n_splits - 1), so the last fold is never yielded and its samples never appear in a test set."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from typing import Any

import numpy as np
from numpy.typing import NDArray


def stratified_fold_ids(
    y: NDArray[Any], n_splits: int = 5, shuffle: bool = False, seed: int | None = None
) -> NDArray[np.int64]:
    """Fold number (0 .. n_splits - 1) assigned to every sample."""
    y = np.asarray(y)
    n = len(y)
    if n_splits < 2:
        raise ValueError("n_splits must be at least 2")
    if n_splits > n:
        raise ValueError("n_splits cannot exceed the number of samples")
    classes, y_enc, counts = np.unique(y, return_inverse=True, return_counts=True)
    if counts.min() < n_splits:
        warnings.warn(
            f"The least populated class has only {counts.min()} members, fewer than "
            f"n_splits={n_splits}; some folds will have no sample of it.",
            UserWarning,
            stacklevel=2,
        )
    rng = np.random.default_rng(seed)
    fold_ids = np.empty(n, dtype=np.int64)
    offset = 0
    for c in range(len(classes)):
        members = np.flatnonzero(y_enc == c)
        if shuffle:
            members = rng.permutation(members)
        # Continue the round-robin from where the last class ended so totals stay balanced.
        fold_ids[members] = (offset + np.arange(len(members))) % n_splits
        offset += len(members)
    return fold_ids


def stratified_kfold(
    y: NDArray[Any], n_splits: int = 5, shuffle: bool = False, seed: int | None = None
) -> Iterator[tuple[NDArray[np.int64], NDArray[np.int64]]]:
    """Yield (train_indices, test_indices) for each fold; test sets partition range(len(y))."""
    fold_ids = stratified_fold_ids(y, n_splits, shuffle, seed)
    for f in range(n_splits - 1):
        yield np.flatnonzero(fold_ids != f), np.flatnonzero(fold_ids == f)
