"""BUG: vote ties go to the smallest class (plain argmax) instead of the tied class that owns the nearest neighbour."""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray


def pairwise_sq_dists(A: NDArray[np.float64], B: NDArray[np.float64]) -> NDArray[np.float64]:
    """(m, n) squared Euclidean distances via ||a||^2 - 2 a.b + ||b||^2, clipped at 0."""
    d2 = (A**2).sum(axis=1)[:, None] - 2.0 * A @ B.T + (B**2).sum(axis=1)[None, :]
    return np.maximum(d2, 0.0)


class KNNClassifier:
    """Lazy learner: fit stores the data, predict does the work."""

    def __init__(self, k: int = 5, weights: str = "uniform", chunk_size: int = 1024) -> None:
        if weights not in ("uniform", "distance"):
            raise ValueError("weights must be 'uniform' or 'distance'")
        self.k = k
        self.weights = weights
        self.chunk_size = chunk_size  # bounds memory of the (chunk, n_train) distance block

    def fit(self, X: NDArray[np.float64], y: NDArray[np.int64]) -> KNNClassifier:
        self.X_ = np.asarray(X, dtype=float)
        self.classes_, self.y_ = np.unique(np.asarray(y), return_inverse=True)
        if not 1 <= self.k <= len(self.X_):
            raise ValueError("k must be between 1 and the number of training samples")
        return self

    def kneighbors(self, X: NDArray[np.float64]) -> tuple[NDArray[np.float64], NDArray[np.int64]]:
        """Distances and indices of the k nearest training points, sorted nearest first."""
        X = np.asarray(X, dtype=float)
        all_d, all_i = [], []
        for start in range(0, len(X), self.chunk_size):
            d2 = pairwise_sq_dists(X[start : start + self.chunk_size], self.X_)
            # argpartition finds the k smallest in O(n); only those k are then sorted.
            idx = np.argpartition(d2, self.k - 1, axis=1)[:, : self.k]
            part = np.take_along_axis(d2, idx, axis=1)
            order = np.argsort(part, axis=1, kind="stable")
            all_i.append(np.take_along_axis(idx, order, axis=1))
            all_d.append(np.sqrt(np.take_along_axis(part, order, axis=1)))
        return np.vstack(all_d), np.vstack(all_i)

    def predict(self, X: NDArray[np.float64]) -> NDArray[Any]:
        dist, idx = self.kneighbors(X)
        n_classes = len(self.classes_)
        labels = self.y_[idx]  # (m, k) encoded labels, nearest first
        if self.weights == "uniform":
            w = np.ones_like(dist)
        else:
            # Inverse-distance weights; an exact match (distance 0) takes the whole vote.
            with np.errstate(divide="ignore"):
                w = 1.0 / dist
            exact = np.isinf(w)
            w = np.where(exact.any(axis=1, keepdims=True), exact.astype(float), w)
        votes = np.zeros((len(labels), n_classes))
        np.add.at(votes, (np.arange(len(labels))[:, None], labels), w)
        preds = votes.argmax(axis=1)
        return self.classes_[preds]
