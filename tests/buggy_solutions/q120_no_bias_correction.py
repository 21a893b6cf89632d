"""BUG: no bias correction: m and v are used directly instead of m / (1 - beta1**t) and v / (1 - beta2**t), so early steps are mis-scaled."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray


def adam_step(
    param: NDArray[np.float64],
    grad: NDArray[np.float64],
    m: NDArray[np.float64],
    v: NDArray[np.float64],
    t: int,
    lr: float = 1e-3,
    beta1: float = 0.9,
    beta2: float = 0.999,
    eps: float = 1e-8,
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    """Pure function: return (new_param, new_m, new_v) for step ``t`` (1-based)."""
    if t < 1:
        raise ValueError("t is 1-based")
    m = beta1 * m + (1.0 - beta1) * grad
    v = beta2 * v + (1.0 - beta2) * grad * grad
    m_hat = m
    v_hat = v
    return param - lr * m_hat / (np.sqrt(v_hat) + eps), m, v


class Adam:
    """Stateful Adam over a list of NumPy arrays, updated in place.

    weight_decay with decoupled=False adds ``wd * theta`` to the gradient (classic
    L2-in-Adam, scaled by the adaptive denominator); decoupled=True applies
    ``theta -= lr * wd * theta`` directly, as AdamW does.
    """

    def __init__(
        self,
        params: Sequence[NDArray[np.float64]],
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0.0,
        decoupled: bool = False,
    ) -> None:
        if lr <= 0 or eps <= 0 or not (0 <= betas[0] < 1 and 0 <= betas[1] < 1):
            raise ValueError("need lr > 0, eps > 0 and 0 <= beta < 1")
        self.params = list(params)
        self.lr, self.eps = lr, eps
        self.beta1, self.beta2 = betas
        self.weight_decay, self.decoupled = weight_decay, decoupled
        self.m = [np.zeros_like(p, dtype=float) for p in self.params]
        self.v = [np.zeros_like(p, dtype=float) for p in self.params]
        self.t = 0

    def step(self, grads: Sequence[NDArray[np.float64]]) -> None:
        """Apply one update given one gradient per parameter (same shapes)."""
        if len(grads) != len(self.params):
            raise ValueError("one gradient per parameter")
        self.t += 1
        for p, g, m, v in zip(self.params, grads, self.m, self.v, strict=False):
            g = np.asarray(g, dtype=float)
            if self.weight_decay and not self.decoupled:
                g = g + self.weight_decay * p
            m *= self.beta1
            m += (1.0 - self.beta1) * g
            v *= self.beta2
            v += (1.0 - self.beta2) * g * g
            if self.weight_decay and self.decoupled:
                p -= self.lr * self.weight_decay * p
            p -= self.lr * m / (np.sqrt(v) + self.eps)
