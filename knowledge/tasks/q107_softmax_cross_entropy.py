"""Hidden tests for Q107, numerically stable softmax and cross-entropy. Each test gets the candidate's module."""

import numpy as np
from harness import check, check_close, check_equal

TIME_LIMITS = {"test_vectorised_over_400000_rows": 2.5}


def exact_log_softmax(z):
    """Reference log-softmax along the last axis, in extended precision where available."""
    z = np.asarray(z, dtype=np.longdouble)
    m = z.max(axis=-1, keepdims=True)
    return (z - m - np.log(np.exp(z - m).sum(axis=-1, keepdims=True))).astype(float)


def quiet(f, *args, **kwargs):
    with np.errstate(all="ignore"):
        return f(*args, **kwargs)


def test_softmax_of_small_logits(candidate):
    z = np.array([[1.0, 2.0, 3.0], [0.5, -0.5, 0.0]])
    want = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
    got = np.asarray(candidate.softmax(z), dtype=float)
    check_close(got, want, "softmax([[1, 2, 3], [0.5, -0.5, 0]])", rtol=1e-12, atol=0.0)


def test_softmax_of_huge_and_tiny_logits(candidate):
    e10 = np.exp(-10.0)
    cases = [
        ([1000.0, 1000.0, 990.0], [1 / (2 + e10), 1 / (2 + e10), e10 / (2 + e10)]),
        ([-1000.0, -1000.0], [0.5, 0.5]),
        ([0.0, 1000.0], [0.0, 1.0]),
        ([5.0, 5.0, 5.0, 5.0], [0.25, 0.25, 0.25, 0.25]),
    ]
    for z, want in cases:
        got = np.asarray(quiet(candidate.softmax, np.array(z)), dtype=float)
        check_close(got, np.array(want), f"softmax({z})", rtol=1e-12, atol=1e-300)


def test_softmax_along_an_axis(candidate):
    z = np.array([[1.0, 5.0], [3.0, 2.0], [0.0, 0.0]])
    want0 = np.exp(z) / np.exp(z).sum(axis=0, keepdims=True)
    check_close(np.asarray(candidate.softmax(z, axis=0), dtype=float), want0, "softmax of a 3 x 2 array, axis=0")
    t = np.arange(24, dtype=float).reshape(2, 3, 4) / 7.0
    want = np.exp(exact_log_softmax(t))
    check_close(np.asarray(candidate.softmax(t), dtype=float), want, "softmax of a 2 x 3 x 4 array, default axis=-1")


def test_integer_logits_and_inputs_left_unchanged(candidate):
    got = np.asarray(candidate.softmax(np.array([1, 2, 3])), dtype=float)
    check_close(got, np.exp(exact_log_softmax([1.0, 2.0, 3.0])), "softmax(np.array([1, 2, 3])) (integer input)")
    z = np.array([[2.0, 7.0, 1.0], [0.0, 3.0, 3.0]])
    before = z.copy()
    candidate.softmax(z)
    candidate.cross_entropy(z, np.array([1, 2]))
    candidate.cross_entropy_grad(z, np.array([1, 2]))
    check_equal(z, before, "logits after softmax, cross_entropy and cross_entropy_grad (they must not be modified)")


def test_cross_entropy_known_values(candidate):
    check_close(
        float(candidate.cross_entropy(np.zeros((4, 5)), np.array([0, 1, 2, 4]))),
        float(np.log(5.0)),
        "cross_entropy of all-zero logits, 5 classes (log 5)",
    )
    check_close(
        float(quiet(candidate.cross_entropy, np.array([[0.0, 1000.0]]), np.array([0]))),
        1000.0,
        "cross_entropy([[0, 1000]], y=[0]) (a confident mistake)",
        rtol=1e-12,
    )
    z = np.array([[2.0, 1.0, 0.1], [0.0, 0.0, 3.0]])
    y = np.array([0, 1])
    want = -float(np.mean(exact_log_softmax(z)[np.arange(2), y]))
    check_close(
        float(candidate.cross_entropy(z, y)), want, "cross_entropy([[2, 1, 0.1], [0, 0, 3]], y=[0, 1]) (the mean)"
    )


def test_cross_entropy_of_huge_logits(candidate):
    rng = np.random.default_rng(0)
    z = rng.normal(size=(50, 10)) * 1e4
    y = rng.integers(0, 10, size=50)
    want = -float(np.mean(exact_log_softmax(z)[np.arange(50), y]))
    got = float(quiet(candidate.cross_entropy, z, y))
    check(np.isfinite(got), f"50 x 10 logits of size ~1e4: expected a finite loss {want:.6g}, got {got}")
    check_close(got, want, "50 x 10 logits of size ~1e4: cross_entropy", rtol=1e-9)


def test_gradient_matches_finite_differences(candidate):
    rng = np.random.default_rng(1)
    z = rng.normal(size=(4, 3))
    y = np.array([2, 0, 1, 1])
    g = np.asarray(candidate.cross_entropy_grad(z, y), dtype=float)
    check(g.shape == (4, 3), f"cross_entropy_grad of 4 x 3 logits: expected shape (4, 3), got {g.shape}")
    eps = 1e-6
    numeric = np.zeros_like(z)
    for i in np.ndindex(z.shape):
        zp, zm = z.copy(), z.copy()
        zp[i] += eps
        zm[i] -= eps
        lp = -np.mean(exact_log_softmax(zp)[np.arange(4), y])
        lm = -np.mean(exact_log_softmax(zm)[np.arange(4), y])
        numeric[i] = (lp - lm) / (2 * eps)
    check_close(
        g, numeric, "4 x 3 logits: cross_entropy_grad vs central differences of the mean loss", rtol=1e-5, atol=1e-8
    )


def test_gradient_of_huge_logits(candidate):
    z = np.array([[1000.0, 0.0, -1000.0], [0.0, 1000.0, 1000.0]])
    y = np.array([2, 0])
    g = np.asarray(quiet(candidate.cross_entropy_grad, z, y), dtype=float)
    want = np.array([[1.0, 0.0, -1.0], [-1.0, 0.5, 0.5]]) / 2
    check_close(g, want, "cross_entropy_grad([[1000, 0, -1000], [0, 1000, 1000]], y=[2, 0])", atol=1e-12)


def test_vectorised_over_400000_rows(candidate):
    # 400,000 x 4 logits through softmax, cross_entropy and cross_entropy_grad: the reference takes about 0.1 s of
    # CPU; a Python loop over the rows takes about 5 s.
    rng = np.random.default_rng(2)
    z = rng.normal(size=(400000, 4)) * 5
    y = rng.integers(0, 4, size=400000)
    p = np.asarray(candidate.softmax(z))
    check(p.shape == z.shape, f"softmax of 400,000 x 4 logits: expected shape {z.shape}, got {p.shape}")
    check_close(p.sum(axis=1), np.ones(400000), "softmax of 400,000 x 4 logits: row sums")
    loss = float(candidate.cross_entropy(z, y))
    want = -float(np.mean(exact_log_softmax(z[:1000])[np.arange(1000), y[:1000]]))
    check(
        np.isfinite(loss) and 0.5 * want < loss < 2.0 * want,
        f"400,000 x 4 logits: loss {loss:.4f}, the first 1,000 rows alone give {want:.4f}",
    )
    g = np.asarray(candidate.cross_entropy_grad(z, y))
    check(g.shape == z.shape, f"400,000 x 4 logits: gradient shape should be {z.shape}, got {g.shape}")
