"""Hidden tests for Q118, the forward pass of a 2-D convolution layer. Each test gets the candidate's module."""

import numpy as np
from harness import check, check_close, check_equal

# The reference (sliding_window_view + tensordot) takes about 0.05 s on the large case (0.2 s on a loaded machine);
# a loop over output positions vectorised over batch and channels about 0.05 s; a Python loop per output value
# (n, o, i, j) with np.sum inside about 5 s, and pure-Python multiply-adds far longer.
TIME_LIMITS = {"test_large_input_is_vectorised": 2.0}


def _pair(v):
    return (v, v) if isinstance(v, int) else tuple(v)


def _conv(x, w, b=None, stride=1, padding=0):
    """Direct definition, one output position at a time."""
    (sh, sw), (ph, pw) = _pair(stride), _pair(padding)
    xp = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    _, _, kh, kw = w.shape
    ho, wo = (xp.shape[2] - kh) // sh + 1, (xp.shape[3] - kw) // sw + 1
    out = np.zeros((x.shape[0], w.shape[0], ho, wo))
    for i in range(ho):
        for j in range(wo):
            patch = xp[:, :, i * sh : i * sh + kh, j * sw : j * sw + kw]
            out[:, :, i, j] = np.tensordot(patch, w, axes=([1, 2, 3], [1, 2, 3]))
    if b is not None:
        out += np.asarray(b)[None, :, None, None]
    return out


def _got(result, shape, case):
    got = np.asarray(result, dtype=float)
    check(got.shape == shape, f"{case}: expected output shape {shape}, got {got.shape}")
    return got


def test_known_small_case(candidate):
    x = np.arange(16.0).reshape(1, 1, 4, 4)
    w = np.array([[[[1.0, 2.0], [3.0, 4.0]]]])
    want = np.array([[[[34.0, 44.0, 54.0], [74.0, 84.0, 94.0], [114.0, 124.0, 134.0]]]])  # 40 i + 10 j + 34
    check_close(
        _got(candidate.conv2d(x, w), (1, 1, 3, 3), "4x4 input"), want, "x = arange(16) as 1x1x4x4, w = [[1, 2], [3, 4]]"
    )


def test_kernel_is_not_flipped(candidate):
    x = np.array([[[[1.0, 2.0, 3.0, 4.0], [5.0, 6.0, 7.0, 8.0]]]])
    w = np.array([[[[0.0, 1.0], [0.0, 0.0]]]])  # picks the top-right pixel of each window
    check_close(
        _got(candidate.conv2d(x, w), (1, 1, 1, 3), "flip"),
        np.array([[[[2.0, 3.0, 4.0]]]]),
        "x = [[1,2,3,4],[5,6,7,8]], w = [[0,1],[0,0]] (cross-correlation picks the top-right of each window)",
    )


def test_sums_over_input_channels_and_adds_bias(candidate):
    rng = np.random.default_rng(0)
    x, w, b = rng.normal(size=(2, 3, 5, 5)), rng.normal(size=(4, 3, 3, 3)), np.array([1.0, -2.0, 0.5, 10.0])
    got = _got(candidate.conv2d(x, w, b), (2, 4, 3, 3), "x (2, 3, 5, 5), w (4, 3, 3, 3)")
    check_close(got, _conv(x, w, b), "random x (2, 3, 5, 5), w (4, 3, 3, 3), bias [1, -2, 0.5, 10]")
    check_close(_got(candidate.conv2d(x, w), (2, 4, 3, 3), "no bias"), _conv(x, w), "same x and w, b=None")


def test_stride_and_output_size(candidate):
    rng = np.random.default_rng(1)
    w = rng.normal(size=(2, 1, 3, 3))
    for size, want in [(7, 3), (6, 2), (3, 1)]:
        x = rng.normal(size=(1, 1, size, size))
        got = _got(candidate.conv2d(x, w, stride=2), (1, 2, want, want), f"{size}x{size} input, 3x3 kernel, stride 2")
        check_close(got, _conv(x, w, stride=2), f"random {size}x{size} input, 3x3 kernel, stride 2")


def test_zero_padding_keeps_the_size(candidate):
    x = np.ones((1, 1, 4, 4))
    w = np.ones((1, 1, 3, 3))
    want = np.array([[[[4.0, 6.0, 6.0, 4.0], [6.0, 9.0, 9.0, 6.0], [6.0, 9.0, 9.0, 6.0], [4.0, 6.0, 6.0, 4.0]]]])
    check_close(
        _got(candidate.conv2d(x, w, padding=1), (1, 1, 4, 4), "padding 1"),
        want,
        "4x4 ones, 3x3 ones kernel, padding=1 (zeros around: corners see 4 ones, edges 6)",
    )


def test_rectangular_kernel_stride_and_padding_pairs(candidate):
    rng = np.random.default_rng(2)
    x, w, b = rng.normal(size=(2, 2, 6, 9)), rng.normal(size=(3, 2, 2, 3)), rng.normal(size=3)
    # H_out = (6 + 4 - 2) // 1 + 1 = 9, W_out = (9 + 0 - 3) // 2 + 1 = 4
    got = _got(
        candidate.conv2d(x, w, b, stride=(1, 2), padding=(2, 0)),
        (2, 3, 9, 4),
        "x (2, 2, 6, 9), w (3, 2, 2, 3), stride=(1, 2), padding=(2, 0)",
    )
    check_close(
        got,
        _conv(x, w, b, stride=(1, 2), padding=(2, 0)),
        "random x (2, 2, 6, 9), w (3, 2, 2, 3), stride=(1, 2), padding=(2, 0)",
    )


def test_one_by_one_kernel_mixes_channels(candidate):
    rng = np.random.default_rng(3)
    x, w = rng.normal(size=(2, 4, 3, 5)), rng.normal(size=(6, 4, 1, 1))
    got = _got(candidate.conv2d(x, w), (2, 6, 3, 5), "1x1 kernel")
    check_close(got, np.einsum("nchw,oc->nohw", x, w[:, :, 0, 0]), "random x (2, 4, 3, 5), 1x1 kernel w (6, 4, 1, 1)")


def test_matches_the_definition_on_random_cases(candidate):
    rng = np.random.default_rng(4)
    configs = [(1, 1, 5, 5, 1, 5, 1, 0), (3, 2, 8, 7, 2, 3, 3, 1), (2, 5, 9, 9, 3, 4, 2, 2)]
    for n, c_in, h, wd, c_out, k, s, p in configs:
        x, w, b = rng.normal(size=(n, c_in, h, wd)), rng.normal(size=(c_out, c_in, k, k)), rng.normal(size=c_out)
        want = _conv(x, w, b, s, p)
        case = f"random x {x.shape}, w {w.shape}, stride={s}, padding={p}"
        check_close(_got(candidate.conv2d(x, w, b, stride=s, padding=p), want.shape, case), want, case)


def test_bad_shapes_raise(candidate):
    cases = [
        ((1, 3, 5, 5), (2, 2, 3, 3), 0, "x with 3 channels, w expecting 2"),
        ((1, 1, 2, 2), (1, 1, 3, 3), 0, "2x2 input, 3x3 kernel, no padding"),
        ((1, 5, 5), (1, 1, 3, 3), 0, "3-D x (1, 5, 5)"),
    ]
    for xs, ws, p, what in cases:
        try:
            candidate.conv2d(np.ones(xs), np.ones(ws), padding=p)
        except ValueError:
            continue
        check(False, f"{what}: expected ValueError, got no error")
    got = _got(
        candidate.conv2d(np.ones((1, 1, 2, 2)), np.ones((1, 1, 3, 3)), padding=1),
        (1, 1, 2, 2),
        "2x2 input, 3x3 kernel, padding=1",
    )
    check_equal(got, np.full((1, 1, 2, 2), 4.0), "2x2 ones, 3x3 ones kernel, padding=1")


def test_large_input_is_vectorised(candidate):
    rng = np.random.default_rng(5)
    x, w, b = rng.normal(size=(8, 16, 40, 40)), rng.normal(size=(32, 16, 3, 3)), rng.normal(size=32)
    got = _got(
        candidate.conv2d(x, w, b, stride=1, padding=1),
        (8, 32, 40, 40),
        "x (8, 16, 40, 40), w (32, 16, 3, 3), padding=1",
    )
    want = np.tensordot(x[3, :, 9:12, 19:22], w, axes=([0, 1, 2], [1, 2, 3])) + b
    check_close(got[3, :, 10, 20], want, "x (8, 16, 40, 40), w (32, 16, 3, 3), padding=1: out[3, :, 10, 20]")
    want = np.tensordot(x[7, :, 0:2, 0:2], w[:, :, 1:, 1:], axes=([0, 1, 2], [1, 2, 3])) + b
    check_close(got[7, :, 0, 0], want, "same case: out[7, :, 0, 0] (the corner, over padding)")
