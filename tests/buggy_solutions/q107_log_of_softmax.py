"""BUG: log_softmax is log(softmax(z)), which is -inf where softmax underflows, so cross-entropy becomes inf for confident wrong logits."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray


def logsumexp(z: NDArray[np.float64], axis: int = -1) -> NDArray[np.float64]:
    """log(sum(exp(z))) along axis, computed as m + log(sum(exp(z - m))) with m = max(z)."""
    z = np.asarray(z, dtype=float)
    m = z.max(axis=axis, keepdims=True)
    return (m + np.log(np.exp(z - m).sum(axis=axis, keepdims=True))).squeeze(axis)


def softmax(z: NDArray[np.float64], axis: int = -1) -> NDArray[np.float64]:
    """Softmax is invariant to adding a constant, so subtracting the max changes nothing
    mathematically but keeps exp() in (0, 1] so it cannot overflow."""
    z = np.asarray(z, dtype=float)
    e = np.exp(z - z.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def log_softmax(z: NDArray[np.float64], axis: int = -1) -> NDArray[np.float64]:
    """z - logsumexp(z): finite even where softmax underflows to exactly 0."""
    z = np.asarray(z, dtype=float)
    return np.log(softmax(z, axis=axis))


def cross_entropy(logits: NDArray[np.float64], y: NDArray[np.int64]) -> float:
    """Mean cross-entropy for integer class labels y, taken straight from logits (n, c)."""
    logp = log_softmax(logits, axis=1)
    return float(-logp[np.arange(len(y)), y].mean())


def cross_entropy_soft(logits: NDArray[np.float64], targets: NDArray[np.float64]) -> float:
    """Mean cross-entropy against target distributions (rows sum to 1, e.g. label smoothing)."""
    return float(-(targets * log_softmax(logits, axis=1)).sum(axis=1).mean())


def cross_entropy_grad(logits: NDArray[np.float64], y: NDArray[np.int64]) -> NDArray[np.float64]:
    """Gradient of the mean cross-entropy w.r.t. logits: (softmax(z) - one_hot(y)) / n."""
    g = softmax(logits, axis=1)
    g[np.arange(len(y)), y] -= 1.0
    return g / len(y)
