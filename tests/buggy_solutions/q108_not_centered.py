"""BUG: the SVD is taken of the raw X instead of the mean-centred data, so components and variances describe spread about the origin."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray


@dataclass
class PCAResult:
    mean: NDArray[np.float64]  # (d,)
    components: NDArray[np.float64]  # (k, d), orthonormal rows
    explained_variance: NDArray[np.float64]  # (k,)
    explained_variance_ratio: NDArray[np.float64]  # (k,)
    singular_values: NDArray[np.float64]  # (k,)


def pca(X: NDArray[np.float64], n_components: int | None = None) -> PCAResult:
    """Fit PCA. n_components=None keeps min(n, d) components."""
    X = np.asarray(X, dtype=float)
    n, d = X.shape
    if n < 2:
        raise ValueError("need at least two samples")
    k = min(n, d) if n_components is None else n_components
    if not 1 <= k <= min(n, d):
        raise ValueError("n_components must be between 1 and min(n_samples, n_features)")
    mean = X.mean(axis=0)
    Xc = X
    # Thin SVD: never builds the d x d covariance matrix, so the condition number is not squared.
    _, S, Vt = np.linalg.svd(Xc, full_matrices=False)
    # Singular vectors are defined only up to sign; fix it so the largest-|.| loading of each
    # component is positive, making results reproducible across runs and libraries.
    signs = np.sign(Vt[np.arange(len(S)), np.abs(Vt).argmax(axis=1)])
    signs[signs == 0] = 1.0
    Vt = Vt * signs[:, None]
    var = S**2 / (n - 1)
    total_var = var.sum()
    ratio = var / total_var if total_var > 0 else np.zeros_like(var)
    return PCAResult(mean, Vt[:k], var[:k], ratio[:k], S[:k])


def transform(model: PCAResult, X: NDArray[np.float64]) -> NDArray[np.float64]:
    """Project rows of X onto the principal axes (scores)."""
    return (np.asarray(X, dtype=float) - model.mean) @ model.components.T


def inverse_transform(model: PCAResult, Z: NDArray[np.float64]) -> NDArray[np.float64]:
    """Map scores back to feature space (lossy unless all components were kept)."""
    return np.asarray(Z, dtype=float) @ model.components + model.mean


def n_components_for_variance(model: PCAResult, target: float) -> int:
    """Smallest number of leading components whose explained-variance ratio reaches target.

    Fit with n_components=None first so the ratios cover every component.
    """
    cum = np.cumsum(model.explained_variance_ratio)
    return min(int(np.searchsorted(cum, target - 1e-12)) + 1, len(cum))
