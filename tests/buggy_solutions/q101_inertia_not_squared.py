"""BUG: inertia sums plain Euclidean distances to the assigned centroids instead of squared distances."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray


@dataclass
class KMeansResult:
    """Outcome of the best k-means run."""

    centroids: NDArray[np.float64]  # (k, d)
    labels: NDArray[np.int64]  # (n,)
    inertia: float  # sum of squared distances to the assigned centroid
    n_iter: int


def squared_distances(X: NDArray[np.float64], C: NDArray[np.float64]) -> NDArray[np.float64]:
    """Squared Euclidean distances between every row of X (n, d) and every row of C (k, d).

    Uses ||x||^2 - 2 x.c + ||c||^2, which avoids an (n, k, d) intermediate; tiny negative
    values caused by floating-point cancellation are clipped to zero.
    """
    d2 = (X**2).sum(axis=1)[:, None] - 2.0 * X @ C.T + (C**2).sum(axis=1)[None, :]
    return np.maximum(d2, 0.0)


def kmeans_plus_plus_init(X: NDArray[np.float64], k: int, rng: np.random.Generator) -> NDArray[np.float64]:
    """k-means++ seeding: each new centre is sampled with probability proportional to D(x)^2,
    the squared distance from x to the nearest centre chosen so far."""
    n = X.shape[0]
    centroids = np.empty((k, X.shape[1]), dtype=float)
    centroids[0] = X[rng.integers(n)]
    closest = squared_distances(X, centroids[:1]).ravel()
    for j in range(1, k):
        total = closest.sum()
        # If fewer distinct points than k remain, fall back to a uniform pick.
        idx = int(rng.integers(n)) if total == 0.0 else int(rng.choice(n, p=closest / total))
        centroids[j] = X[idx]
        closest = np.minimum(closest, squared_distances(X, centroids[j : j + 1]).ravel())
    return centroids


def _lloyd(X: NDArray[np.float64], centroids: NDArray[np.float64], max_iter: int, tol: float) -> KMeansResult:
    """One run of Lloyd's algorithm from the given starting centroids."""
    k = centroids.shape[0]
    centroids = centroids.copy()
    labels = np.zeros(X.shape[0], dtype=np.int64)
    n_iter = 0
    for _ in range(max_iter):
        n_iter += 1
        # Assignment step: nearest centroid for every point.
        d2 = squared_distances(X, centroids)
        labels = d2.argmin(axis=1)
        # Update step: each centroid moves to the mean of its points.
        new_centroids = np.empty_like(centroids)
        for j in range(k):
            members = X[labels == j]
            if len(members) == 0:
                # Empty cluster: re-seed it at the point currently worst served.
                far = int(d2[np.arange(len(X)), labels].argmax())
                new_centroids[j] = X[far]
            else:
                new_centroids[j] = members.mean(axis=0)
        shift = float(((new_centroids - centroids) ** 2).sum())
        centroids = new_centroids
        if shift <= tol:
            break
    # Final assignment so labels and inertia match the returned centroids.
    d2 = squared_distances(X, centroids)
    labels = d2.argmin(axis=1)
    inertia = float(np.sqrt(d2[np.arange(len(X)), labels]).sum())
    return KMeansResult(centroids, labels, inertia, n_iter)


def kmeans(
    X: NDArray[np.float64],
    k: int,
    n_init: int = 10,
    max_iter: int = 300,
    tol: float = 1e-4,
    seed: int | None = None,
) -> KMeansResult:
    """Cluster X (n, d) into k groups; keep the run with the lowest inertia out of n_init.

    tol is an absolute threshold on the total squared centroid movement between iterations
    (scale it to your data, or standardise features first).
    """
    X = np.asarray(X, dtype=float)
    if not 1 <= k <= X.shape[0]:
        raise ValueError("k must be between 1 and the number of samples")
    rng = np.random.default_rng(seed)
    best: KMeansResult | None = None
    for _ in range(n_init):
        result = _lloyd(X, kmeans_plus_plus_init(X, k, rng), max_iter, tol)
        if best is None or result.inertia < best.inertia:
            best = result
    assert best is not None
    return best
