"""BUG: the mask is applied after the softmax (blocked weights zeroed, no renormalisation), so allowed weights in a partly masked row no longer sum to 1."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray


def causal_mask(n_queries: int, n_keys: int | None = None) -> NDArray[np.bool_]:
    """Lower-triangular mask: query i may see keys 0..i (aligned to the end if n_keys > n_queries)."""
    n_keys = n_queries if n_keys is None else n_keys
    return np.tril(np.ones((n_queries, n_keys), dtype=bool), k=n_keys - n_queries)


def padding_mask(lengths: ArrayLike, max_len: int) -> NDArray[np.bool_]:
    """(batch, 1, max_len) mask that keeps the first ``lengths[b]`` keys of each sequence."""
    lengths = np.asarray(lengths)
    return (np.arange(max_len)[None, :] < lengths[:, None])[:, None, :]


def masked_softmax(scores: NDArray[np.float64], mask: ArrayLike | None = None) -> NDArray[np.float64]:
    """Softmax over the last axis; masked entries get exactly 0 weight.

    A row with every key masked returns all zeros instead of NaN.
    """
    if mask is None:
        m = scores.max(axis=-1, keepdims=True)
        e = np.exp(scores - m)
        return e / e.sum(axis=-1, keepdims=True)
    keep = np.broadcast_to(np.asarray(mask, dtype=bool), scores.shape)
    m = scores.max(axis=-1, keepdims=True)
    e = np.exp(scores - m)
    return e / e.sum(axis=-1, keepdims=True) * keep


def scaled_dot_product_attention(
    Q: ArrayLike, K: ArrayLike, V: ArrayLike, mask: ArrayLike | None = None
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Return (output, weights).

    Shapes: Q (..., Lq, d_k), K (..., Lk, d_k), V (..., Lk, d_v); leading batch/head
    axes broadcast. ``mask`` must broadcast to (..., Lq, Lk). Output is (..., Lq, d_v)
    and weights (..., Lq, Lk) with each unmasked row summing to 1.
    Cost: O(Lq * Lk * (d_k + d_v)) time and O(Lq * Lk) memory per batch/head.
    """
    Q = np.asarray(Q, dtype=float)
    K = np.asarray(K, dtype=float)
    V = np.asarray(V, dtype=float)
    d_k = Q.shape[-1]
    if K.shape[-1] != d_k or K.shape[-2] != V.shape[-2]:
        raise ValueError("K must match Q in d_k and V in sequence length")
    scores = Q @ np.swapaxes(K, -1, -2) / np.sqrt(d_k)  # (..., Lq, Lk)
    weights = masked_softmax(scores, mask)
    return weights @ V, weights
