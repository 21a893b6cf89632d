"""BUG: l2_normalize divides by the raw norm with no epsilon, so all-zero vectors become NaN instead of scoring 0."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray


def l2_normalize(X: ArrayLike, eps: float = 1e-12) -> NDArray[np.float64]:
    """Divide each row by its L2 norm; all-zero rows stay zero (similarity 0 to everything)."""
    X = np.asarray(X, dtype=float)
    norms = np.linalg.norm(X, axis=-1, keepdims=True)
    return X / norms


def cosine_top_k(
    queries: ArrayLike,
    corpus: ArrayLike,
    k: int,
    chunk_size: int = 1024,
    corpus_is_normalized: bool = False,
) -> tuple[NDArray[np.intp], NDArray[np.float64]]:
    """Return (indices, scores), each (n_queries, k), best match first.

    queries: (q, d) or (d,); corpus: (n, d). k is clipped to n.
    Time O(q * n * d) for the product plus O(q * (n + k log k)) for selection;
    memory O(chunk_size * n) for the similarity block.
    """
    Q = np.atleast_2d(np.asarray(queries, dtype=float))
    C = np.asarray(corpus, dtype=float)
    if C.ndim != 2 or Q.shape[1] != C.shape[1]:
        raise ValueError("queries and corpus must share the feature dimension")
    if k <= 0:
        raise ValueError("k must be positive")
    n = C.shape[0]
    k = min(k, n)
    Cn = C if corpus_is_normalized else l2_normalize(C)
    Qn = l2_normalize(Q)

    all_idx = np.empty((Q.shape[0], k), dtype=np.intp)
    all_scores = np.empty((Q.shape[0], k), dtype=float)
    rows = np.arange(min(chunk_size, Q.shape[0]))[:, None]
    for start in range(0, Q.shape[0], chunk_size):
        sims = Qn[start : start + chunk_size] @ Cn.T  # (b, n)
        b = sims.shape[0]
        r = rows[:b]
        # unordered top k (all n when k == n)
        part = np.argpartition(-sims, k - 1, axis=1)[:, :k] if k < n else np.broadcast_to(np.arange(n), (b, n))
        part_scores = sims[r, part]
        order = np.argsort(-part_scores, axis=1, kind="stable")  # sort only k per row
        all_idx[start : start + b] = part[r, order]
        all_scores[start : start + b] = part_scores[r, order]
    return all_idx, all_scores
