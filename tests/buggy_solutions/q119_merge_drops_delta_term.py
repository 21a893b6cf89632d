"""BUG: merge adds the two M2 values but drops Chan's delta**2 * n_a * n_b / n term, so merged (and update_many) variances are too small when means differ."""

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

    def update(self, x: ArrayLike) -> None:
        """Add one observation (a scalar, or one row of per-feature values)."""
        x = np.asarray(x, dtype=float)
        self.n += 1
        delta = x - self.mean  # deviation from the old mean
        self.mean = self.mean + delta / self.n
        delta2 = x - self.mean  # deviation from the new mean
        self.m2 = self.m2 + delta * delta2

    def update_many(self, xs: ArrayLike) -> None:
        """Add a batch along axis 0 by merging its exact batch statistics (Chan et al.)."""
        xs = np.asarray(xs, dtype=float)
        if len(xs) == 0:
            return
        other = RunningStats()
        other.n = len(xs)
        other.mean = xs.mean(axis=0)
        other.m2 = ((xs - other.mean) ** 2).sum(axis=0)
        self.merge(other)

    def merge(self, other: RunningStats) -> RunningStats:
        """Combine another accumulator into this one (parallel / distributed reduction)."""
        if other.n == 0:
            return self
        if self.n == 0:
            self.n, self.mean, self.m2 = other.n, other.mean, other.m2
            return self
        n = self.n + other.n
        delta = np.asarray(other.mean) - self.mean
        self.mean = self.mean + delta * (other.n / n)
        self.m2 = self.m2 + other.m2
        self.n = n
        return self

    def variance(self, ddof: int = 0) -> Number:
        """Population variance (ddof=0, like numpy.var) or sample variance (ddof=1)."""
        if self.n - ddof <= 0:
            return np.full_like(np.asarray(self.m2, dtype=float), np.nan) if np.ndim(self.m2) else float("nan")
        return self.m2 / (self.n - ddof)

    def std(self, ddof: int = 0) -> Number:
        return np.sqrt(self.variance(ddof))
