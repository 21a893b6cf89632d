"""BUG: the bias b is accepted but never added to the output (in both conv2d and conv2d_naive)."""

from __future__ import annotations

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view
from numpy.typing import ArrayLike, NDArray

IntPair = int | tuple[int, int]


def _pair(v: IntPair) -> tuple[int, int]:
    return (v, v) if isinstance(v, int) else (int(v[0]), int(v[1]))


def output_size(size: int, kernel: int, stride: int = 1, pad: int = 0, dilation: int = 1) -> int:
    """floor((size + 2*pad - dilation*(kernel-1) - 1) / stride) + 1."""
    return (size + 2 * pad - dilation * (kernel - 1) - 1) // stride + 1


def _prepare(x: ArrayLike, w: ArrayLike, padding: IntPair) -> tuple[NDArray, NDArray, int, int]:
    x = np.asarray(x, dtype=float)
    w = np.asarray(w, dtype=float)
    if x.ndim != 4 or w.ndim != 4 or x.shape[1] != w.shape[1]:
        raise ValueError("x must be (N, C_in, H, W) and w (C_out, C_in, kH, kW)")
    ph, pw = _pair(padding)
    if ph or pw:
        x = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))  # zero padding
    return x, w, ph, pw


def conv2d(
    x: ArrayLike,
    w: ArrayLike,
    b: ArrayLike | None = None,
    stride: IntPair = 1,
    padding: IntPair = 0,
) -> NDArray[np.float64]:
    """Vectorised 2-D cross-correlation with bias, stride and zero padding."""
    xp, w, _, _ = _prepare(x, w, padding)
    sh, sw = _pair(stride)
    _, _, kh, kw = w.shape
    if xp.shape[2] < kh or xp.shape[3] < kw:
        raise ValueError("kernel larger than padded input")
    # View of every kh x kw window: (N, C_in, H', W', kh, kw), no copy yet.
    windows = sliding_window_view(xp, (kh, kw), axis=(2, 3))[:, :, ::sh, ::sw]
    # Contract over C_in, kh, kw -> (N, H_out, W_out, C_out), then channels first.
    out = np.tensordot(windows, w, axes=([1, 4, 5], [1, 2, 3])).transpose(0, 3, 1, 2)
    return np.ascontiguousarray(out)


def conv2d_naive(
    x: ArrayLike,
    w: ArrayLike,
    b: ArrayLike | None = None,
    stride: IntPair = 1,
    padding: IntPair = 0,
) -> NDArray[np.float64]:
    """Loop reference: O(N * C_out * H_out * W_out * C_in * kH * kW) multiply-adds."""
    xp, w, _, _ = _prepare(x, w, padding)
    sh, sw = _pair(stride)
    n, _, hp, wp = xp.shape
    c_out, _, kh, kw = w.shape
    h_out = (hp - kh) // sh + 1
    w_out = (wp - kw) // sw + 1
    out = np.zeros((n, c_out, h_out, w_out))
    for i in range(h_out):
        for j in range(w_out):
            patch = xp[:, :, i * sh : i * sh + kh, j * sw : j * sw + kw]  # (N, C_in, kh, kw)
            for o in range(c_out):
                out[:, o, i, j] = np.sum(patch * w[o], axis=(1, 2, 3))
    return out
