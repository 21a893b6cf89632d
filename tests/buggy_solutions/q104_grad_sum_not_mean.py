"""BUG: gradients() sums over samples instead of averaging (missing 1/n), so it is n times too large and GD diverges at normal learning rates."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray


@dataclass
class GDResult:
    w: NDArray[np.float64]
    b: float
    losses: list[float] = field(default_factory=list)


def mse_loss(X: NDArray[np.float64], y: NDArray[np.float64], w: NDArray[np.float64], b: float) -> float:
    """Half mean squared error, the objective the gradients below belong to."""
    r = X @ w + b - y
    return float(0.5 * np.mean(r**2))


def gradients(
    X: NDArray[np.float64], y: NDArray[np.float64], w: NDArray[np.float64], b: float
) -> tuple[NDArray[np.float64], float]:
    """Gradient of the half-MSE with respect to w and b."""
    r = X @ w + b - y
    return X.T @ r, float(r.sum())


def max_stable_lr(X: NDArray[np.float64]) -> float:
    """Full-batch GD on this quadratic converges for lr < 2 / L, where L is the largest
    eigenvalue of the Hessian [X 1]^T [X 1] / n (the bias is an extra column of ones)."""
    Xb = np.hstack([X, np.ones((X.shape[0], 1))])
    L = float(np.linalg.eigvalsh(Xb.T @ Xb / X.shape[0]).max())
    return 2.0 / L


def fit_gd(
    X: NDArray[np.float64],
    y: NDArray[np.float64],
    lr: float = 0.1,
    n_iter: int = 1000,
    batch_size: int | None = None,
    tol: float = 1e-10,
    seed: int = 0,
) -> GDResult:
    """Gradient descent on the half-MSE.

    batch_size=None uses the full batch (deterministic, stops when the gradient norm < tol);
    an integer gives mini-batch SGD with reshuffling every epoch (n_iter then counts epochs).
    """
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    n, d = X.shape
    w = np.zeros(d)
    b = 0.0
    losses: list[float] = []
    rng = np.random.default_rng(seed)
    for _ in range(n_iter):
        if batch_size is None:
            gw, gb = gradients(X, y, w, b)
            w -= lr * gw
            b -= lr * gb
            if np.sqrt(gw @ gw + gb * gb) < tol:
                losses.append(mse_loss(X, y, w, b))
                break
        else:
            order = rng.permutation(n)
            for start in range(0, n, batch_size):
                idx = order[start : start + batch_size]
                gw, gb = gradients(X[idx], y[idx], w, b)
                w -= lr * gw
                b -= lr * gb
        losses.append(mse_loss(X, y, w, b))
    return GDResult(w, b, losses)


def fit_closed_form(X: NDArray[np.float64], y: NDArray[np.float64]) -> tuple[NDArray[np.float64], float]:
    """Least-squares reference via np.linalg.lstsq (SVD based; never invert X^T X explicitly)."""
    Xb = np.hstack([X, np.ones((X.shape[0], 1))])
    coef, *_ = np.linalg.lstsq(Xb, y, rcond=None)
    return np.asarray(coef[:-1], dtype=np.float64), float(coef[-1])
