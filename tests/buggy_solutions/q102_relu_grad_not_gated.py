"""BUG: backward pass ignores the ReLU derivative, passing the upstream gradient through units whose pre-activation was negative."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import NDArray

Params = dict[str, NDArray[np.float64]]


def relu(z: NDArray[np.float64]) -> NDArray[np.float64]:
    return np.maximum(z, 0.0)


def softmax(z: NDArray[np.float64]) -> NDArray[np.float64]:
    """Row-wise softmax, shifted by the row max for numerical stability."""
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def cross_entropy(logits: NDArray[np.float64], y: NDArray[np.int64]) -> float:
    """Mean cross-entropy computed from logits via log-sum-exp (never log of a probability)."""
    shifted = logits - logits.max(axis=1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    return float(-log_probs[np.arange(len(y)), y].mean())


class MLP:
    """Two-layer perceptron: ReLU hidden layer, softmax output."""

    def __init__(self, n_in: int, n_hidden: int, n_out: int, seed: int = 0) -> None:
        rng = np.random.default_rng(seed)
        # He initialisation (variance 2/fan_in) for the ReLU layer, LeCun scaling (variance 1/fan_in) for the output layer.
        self.params: Params = {
            "W1": rng.normal(0.0, np.sqrt(2.0 / n_in), size=(n_in, n_hidden)),
            "b1": np.zeros(n_hidden),
            "W2": rng.normal(0.0, np.sqrt(1.0 / n_hidden), size=(n_hidden, n_out)),
            "b2": np.zeros(n_out),
        }

    def forward(self, X: NDArray[np.float64]) -> tuple[NDArray[np.float64], dict[str, NDArray[np.float64]]]:
        """Return logits and the cache of intermediates the backward pass needs."""
        p = self.params
        z1 = X @ p["W1"] + p["b1"]
        a1 = relu(z1)
        logits = a1 @ p["W2"] + p["b2"]
        return logits, {"X": X, "z1": z1, "a1": a1}

    def loss_and_grads(self, X: NDArray[np.float64], y: NDArray[np.int64]) -> tuple[float, Params]:
        """Mean cross-entropy and the gradient of every parameter (backpropagation)."""
        logits, cache = self.forward(X)
        loss = cross_entropy(logits, y)
        n = X.shape[0]
        # d(mean CE)/d(logits) = (softmax - one_hot) / n
        dlogits = softmax(logits)
        dlogits[np.arange(n), y] -= 1.0
        dlogits /= n
        grads: Params = {
            "W2": cache["a1"].T @ dlogits,
            "b2": dlogits.sum(axis=0),
        }
        da1 = dlogits @ self.params["W2"].T
        dz1 = da1
        grads["W1"] = cache["X"].T @ dz1
        grads["b1"] = dz1.sum(axis=0)
        return loss, grads

    def predict(self, X: NDArray[np.float64]) -> NDArray[np.int64]:
        return self.forward(X)[0].argmax(axis=1)

    def fit(
        self,
        X: NDArray[np.float64],
        y: NDArray[np.int64],
        lr: float = 0.1,
        epochs: int = 100,
        batch_size: int = 32,
        seed: int = 0,
    ) -> list[float]:
        """Mini-batch SGD; returns the mean training loss of each epoch."""
        rng = np.random.default_rng(seed)
        history: list[float] = []
        n = X.shape[0]
        for _ in range(epochs):
            order = rng.permutation(n)
            epoch_loss = 0.0
            for start in range(0, n, batch_size):
                idx = order[start : start + batch_size]
                loss, grads = self.loss_and_grads(X[idx], y[idx])
                for name, g in grads.items():
                    self.params[name] -= lr * g
                epoch_loss += loss * len(idx)
            history.append(epoch_loss / n)
        return history


def numerical_gradient(f: Callable[[], float], param: NDArray[np.float64], eps: float = 1e-6) -> NDArray[np.float64]:
    """Central-difference gradient of the scalar f() w.r.t. ``param``, perturbed in place."""
    grad = np.zeros_like(param)
    it = np.nditer(param, flags=["multi_index"])
    for _ in it:
        i = it.multi_index
        old = param[i]
        param[i] = old + eps
        plus = f()
        param[i] = old - eps
        minus = f()
        param[i] = old
        grad[i] = (plus - minus) / (2.0 * eps)
    return grad
