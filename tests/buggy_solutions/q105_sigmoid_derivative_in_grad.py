"""BUG: gradient multiplies the error by the sigmoid derivative p(1-p) (MSE-style chain rule), so it is not the gradient of the cross-entropy objective."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray


def sigmoid(z: NDArray[np.float64]) -> NDArray[np.float64]:
    """Overflow-free logistic function: uses exp(-|z|) so exp never sees a large positive input."""
    z = np.asarray(z, dtype=float)
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def log_loss_from_logits(z: NDArray[np.float64], y: NDArray[np.float64]) -> float:
    """Mean binary cross-entropy computed from logits: log(1 + e^z) - y z, via logaddexp."""
    return float(np.mean(np.logaddexp(0.0, z) - y * z))


@dataclass
class LogisticRegressionGD:
    lr: float = 0.1
    n_iter: int = 5000
    lam: float = 0.0  # L2 strength on w (bias is not penalised)
    tol: float = 1e-8
    w: NDArray[np.float64] = field(default_factory=lambda: np.zeros(0))
    b: float = 0.0
    losses: list[float] = field(default_factory=list)

    def objective(self, X: NDArray[np.float64], y: NDArray[np.float64]) -> float:
        return log_loss_from_logits(X @ self.w + self.b, y) + 0.5 * self.lam * float(self.w @ self.w)

    def gradients(self, X: NDArray[np.float64], y: NDArray[np.float64]) -> tuple[NDArray[np.float64], float]:
        p = sigmoid(X @ self.w + self.b)
        err = (p - y) * p * (1.0 - p)
        return X.T @ err / len(y) + self.lam * self.w, float(err.mean())

    def fit(self, X: NDArray[np.float64], y: NDArray[np.float64]) -> LogisticRegressionGD:
        X = np.asarray(X, dtype=float)
        y = np.asarray(y, dtype=float)
        self.w = np.zeros(X.shape[1])
        self.b = 0.0
        self.losses = []
        for _ in range(self.n_iter):
            gw, gb = self.gradients(X, y)
            self.w -= self.lr * gw
            self.b -= self.lr * gb
            self.losses.append(self.objective(X, y))
            if np.sqrt(gw @ gw + gb * gb) < self.tol:
                break
        return self

    def predict_proba(self, X: NDArray[np.float64]) -> NDArray[np.float64]:
        """P(y = 1 | x) for each row."""
        return sigmoid(np.asarray(X, dtype=float) @ self.w + self.b)

    def predict(self, X: NDArray[np.float64], threshold: float = 0.5) -> NDArray[np.int64]:
        return (self.predict_proba(X) >= threshold).astype(np.int64)
