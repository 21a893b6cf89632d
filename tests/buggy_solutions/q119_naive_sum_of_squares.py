"""BUG: M2 is derived from running sum(x) and sum(x**2) (E[x^2] - E[x]^2), which cancels catastrophically when the mean is large relative to the spread."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

Number = float | NDArray[np.float64]


class RunningStats:
    """Running count, mean and M2 (sum of squared deviations from the current mean)."""

    def __init__(self) -> None:
        self.n: int = 0
        self.mean: Number = 0.0
        self.m2: Number = 0.0
        self.total: Number = 0.0  # running sum of x
        self.total_sq: Number = 0.0  # running sum of x**2

    def _refresh(self) -> None:
        self.mean = self.total / self.n
        self.m2 = self.total_sq - self.total * self.total / self.n  # sum(x^2) - n * mean^2

    def update(self, x: ArrayLike) -> None:
        """Add one observation (a scalar, or one row of per-feature values)."""
        x = np.asarray(x, dtype=float)
        self.n += 1
        self.total = self.total + x
        self.total_sq = self.total_sq + x * x
        self._refresh()

    def update_many(self, xs: ArrayLike) -> None:
        """Add a batch along axis 0 by merging its exact batch statistics (Chan et al.)."""
        xs = np.asarray(xs, dtype=float)
        if len(xs) == 0:
            return
        other = RunningStats()
        other.n = len(xs)
        other.total = xs.sum(axis=0)
        other.total_sq = (xs * xs).sum(axis=0)
        other._refresh()
        self.merge(other)

    def merge(self, other: RunningStats) -> RunningStats:
        """Combine another accumulator into this one (parallel / distributed reduction)."""
        if other.n == 0:
            return self
        self.n += other.n
        self.total = self.total + other.total
        self.total_sq = self.total_sq + other.total_sq
        self._refresh()
        return self

    def variance(self, ddof: int = 0) -> Number:
        """Population variance (ddof=0, like numpy.var) or sample variance (ddof=1)."""
        if self.n - ddof <= 0:
            return np.full_like(np.asarray(self.m2, dtype=float), np.nan) if np.ndim(self.m2) else float("nan")
        return self.m2 / (self.n - ddof)

    def std(self, ddof: int = 0) -> Number:
        return np.sqrt(self.variance(ddof))
