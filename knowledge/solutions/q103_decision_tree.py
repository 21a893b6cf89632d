"""A CART-style decision tree classifier (binary splits, Gini impurity), NumPy only.

Public API:
    gini(counts) -> impurity of a node given its class counts
    best_split(X, y, n_classes) -> (feature, threshold, weighted_child_impurity) or None
    DecisionTreeClassifier(max_depth=None, min_samples_split=2, min_samples_leaf=1).fit(X, y).predict(X)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray


def gini(counts: NDArray[np.float64]) -> float:
    """Gini impurity 1 - sum_k p_k^2 for a vector of class counts."""
    total = counts.sum()
    if total == 0:
        return 0.0
    p = counts / total
    return float(1.0 - (p**2).sum())


def best_split(
    X: NDArray[np.float64], y: NDArray[np.int64], n_classes: int, min_samples_leaf: int = 1
) -> tuple[int, float, float] | None:
    """Exhaustive search for the split with the lowest weighted child Gini impurity.

    For each feature the samples are sorted once, then a single left-to-right sweep keeps
    running class counts, so every candidate threshold is scored in O(n_classes):
    O(d * n log n) per node overall. Thresholds are midpoints between consecutive distinct
    values (or the lower value when the midpoint does not fall strictly below the upper one),
    so equal values never end up on different sides and both sides are non-empty.
    Returns None when no valid split exists.
    """
    n, d = X.shape
    best: tuple[int, float, float] | None = None
    best_score = np.inf
    total_counts = np.bincount(y, minlength=n_classes).astype(float)
    for j in range(d):
        order = np.argsort(X[:, j], kind="stable")
        xs, ys = X[order, j], y[order]
        # left_counts[i] = class counts of the first i+1 sorted samples
        onehot = np.zeros((n, n_classes))
        onehot[np.arange(n), ys] = 1.0
        left_counts = np.cumsum(onehot, axis=0)[:-1]  # split after position i (left size i+1)
        right_counts = total_counts - left_counts
        n_left = np.arange(1, n, dtype=float)
        n_right = n - n_left
        # Valid cut points: the value changes and both children are large enough.
        valid = (xs[1:] > xs[:-1]) & (n_left >= min_samples_leaf) & (n_right >= min_samples_leaf)
        if not valid.any():
            continue
        gini_left = 1.0 - ((left_counts / n_left[:, None]) ** 2).sum(axis=1)
        gini_right = 1.0 - ((right_counts / n_right[:, None]) ** 2).sum(axis=1)
        weighted = (n_left * gini_left + n_right * gini_right) / n
        weighted[~valid] = np.inf
        i = int(weighted.argmin())
        if weighted[i] < best_score:
            best_score = float(weighted[i])
            lo, hi = float(xs[i]), float(xs[i + 1])
            threshold = (lo + hi) / 2.0
            # Between adjacent floats the midpoint can round up to hi, and between huge values lo + hi can
            # overflow to +-inf; x <= threshold would then send both sides one way and the tree would recurse
            # forever. Fall back to lo, as scikit-learn does.
            if not lo <= threshold < hi:
                threshold = lo
            best = (j, threshold, best_score)
    return best


@dataclass
class Node:
    """Internal node (feature/threshold/children set) or leaf (children None)."""

    prediction: int
    class_counts: NDArray[np.float64]
    feature: int | None = None
    threshold: float | None = None
    left: Node | None = None
    right: Node | None = None

    @property
    def is_leaf(self) -> bool:
        return self.left is None


class DecisionTreeClassifier:
    """Greedy, recursive binary tree; samples with x[feature] <= threshold go left."""

    def __init__(self, max_depth: int | None = None, min_samples_split: int = 2, min_samples_leaf: int = 1) -> None:
        self.max_depth = max_depth
        self.min_samples_split = min_samples_split
        self.min_samples_leaf = min_samples_leaf
        self.root: Node | None = None
        self.n_classes = 0

    def fit(self, X: NDArray[np.float64], y: NDArray[np.int64]) -> DecisionTreeClassifier:
        X = np.asarray(X, dtype=float)
        y = np.asarray(y, dtype=np.int64)
        self.n_classes = int(y.max()) + 1
        self.root = self._grow(X, y, depth=0)
        return self

    def _grow(self, X: NDArray[np.float64], y: NDArray[np.int64], depth: int) -> Node:
        counts = np.bincount(y, minlength=self.n_classes).astype(float)
        node = Node(prediction=int(counts.argmax()), class_counts=counts)
        # Stopping rules: pure node, depth limit, too few samples to split.
        if (
            gini(counts) == 0.0
            or (self.max_depth is not None and depth >= self.max_depth)
            or len(y) < self.min_samples_split
        ):
            return node
        split = best_split(X, y, self.n_classes, self.min_samples_leaf)
        if split is None or split[2] >= gini(counts):  # no split reduces impurity
            return node
        feature, threshold, _ = split
        mask = X[:, feature] <= threshold
        node.feature, node.threshold = feature, threshold
        node.left = self._grow(X[mask], y[mask], depth + 1)
        node.right = self._grow(X[~mask], y[~mask], depth + 1)
        return node

    def _predict_one(self, x: NDArray[np.float64]) -> int:
        if self.root is None:
            raise RuntimeError("call fit first")
        node: Node = self.root
        while node.left is not None and node.right is not None:
            assert node.feature is not None and node.threshold is not None
            node = node.left if x[node.feature] <= node.threshold else node.right
        return node.prediction

    def predict(self, X: NDArray[np.float64]) -> NDArray[np.int64]:
        X = np.asarray(X, dtype=float)
        return np.array([self._predict_one(x) for x in X], dtype=np.int64)

    def depth(self) -> int:
        def _depth(node: Node | None) -> int:
            if node is None or node.is_leaf:
                return 0
            return 1 + max(_depth(node.left), _depth(node.right))

        return _depth(self.root)
