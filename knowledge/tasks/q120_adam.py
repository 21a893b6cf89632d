"""Hidden tests for Q120, the Adam update step. Each test gets the candidate's module."""

import math

import numpy as np
from harness import check, check_close, check_equal


def _adam(p, g, m, v, t, lr=1e-3, b1=0.9, b2=0.999, eps=1e-8):
    """The paper's update, one coordinate at a time in Python floats."""
    m = b1 * m + (1 - b1) * g
    v = b2 * v + (1 - b2) * g * g
    m_hat, v_hat = m / (1 - b1**t), v / (1 - b2**t)
    return p - lr * m_hat / (math.sqrt(v_hat) + eps), m, v


def _adam_arrays(p, g, m, v, t, **kw):
    rows = [_adam(*args, t, **kw) for args in zip(p.ravel(), g.ravel(), m.ravel(), v.ravel(), strict=True)]
    return tuple(np.array([r[i] for r in rows]).reshape(p.shape) for i in range(3))


def _step(candidate, *args, case, **kw):
    got = candidate.adam_step(*args, **kw)
    check(
        isinstance(got, tuple) and len(got) == 3,
        f"{case}: expected a tuple (new_param, new_m, new_v), got {type(got).__name__}",
    )
    return tuple(np.asarray(x, dtype=float) for x in got)


def test_first_step_moves_each_coordinate_by_about_lr(candidate):
    g = np.array([1e-3, -0.5, 2.0, -1e3])
    p, _, _ = _step(candidate, np.ones(4), g, np.zeros(4), np.zeros(4), 1, lr=0.01, case="first step")
    check_close(
        p,
        np.array([0.99, 1.01, 0.99, 1.01]),
        "t=1, lr=0.01, grad [1e-3, -0.5, 2, -1e3] from zero moments: "
        "new_param (bias correction makes every first step lr * sign(grad))",
        rtol=1e-6,
        atol=1e-6,
    )


def test_moments_are_moving_averages(candidate):
    m, v = np.array([0.5, -1.0]), np.array([0.2, 3.0])
    g = np.array([2.0, 4.0])
    _, new_m, new_v = _step(candidate, np.zeros(2), g, m, v, 3, case="moments")
    check_close(
        new_m,
        np.array([0.9 * 0.5 + 0.1 * 2.0, 0.9 * -1.0 + 0.1 * 4.0]),
        "m=[0.5, -1], grad=[2, 4]: new_m = 0.9 m + 0.1 grad",
    )
    check_close(
        new_v,
        np.array([0.999 * 0.2 + 0.001 * 4.0, 0.999 * 3.0 + 0.001 * 16.0]),
        "v=[0.2, 3], grad=[2, 4]: new_v = 0.999 v + 0.001 grad^2",
    )


def test_bias_correction_uses_step_t(candidate):
    p, g, m, v = np.array([1.0, -2.0]), np.array([0.3, -0.1]), np.array([0.05, 0.02]), np.array([0.01, 0.004])
    for t in (2, 10, 1000):
        want = _adam_arrays(p, g, m, v, t)
        got = _step(candidate, p, g, m, v, t, case=f"t={t}")
        check_close(
            got[0],
            want[0],
            f"param [1, -2], grad [0.3, -0.1], m [0.05, 0.02], v [0.01, 0.004], t={t}: new_param",
            rtol=1e-9,
            atol=1e-12,
        )


def test_matches_the_paper_over_several_steps(candidate):
    rng = np.random.default_rng(0)
    p = rng.normal(size=(2, 3))
    m, v = np.zeros((2, 3)), np.zeros((2, 3))
    wp, wm, wv = p.copy(), m.copy(), v.copy()
    for t in range(1, 8):
        g = rng.normal(size=(2, 3)) * 10.0 ** rng.integers(-3, 3, size=(2, 3))
        p, m, v = _step(candidate, p, g, m, v, t, lr=0.01, case=f"step {t}")
        wp, wm, wv = _adam_arrays(wp, g, wm, wv, t, lr=0.01)
        case = f"7 steps on a (2, 3) parameter, lr=0.01, step {t}"
        check_close(m, wm, f"{case}: new_m", rtol=1e-9, atol=1e-12)
        check_close(v, wv, f"{case}: new_v", rtol=1e-9, atol=1e-15)
        check_close(p, wp, f"{case}: new_param", rtol=1e-9, atol=1e-12)


def test_eps_is_added_after_the_square_root(candidate):
    g = np.array([1e-10])
    p, _, _ = _step(candidate, np.zeros(1), g, np.zeros(1), np.zeros(1), 1, lr=1.0, case="tiny gradient")
    want = -1e-10 / (1e-10 + 1e-8)
    check_close(
        p,
        np.array([want]),
        "t=1, lr=1, grad 1e-10 (step = 1e-10 / (1e-10 + eps); with eps inside the square root it would be about 1e-6)",
        rtol=1e-6,
        atol=1e-15,
    )


def test_custom_hyperparameters(candidate):
    p, g, m, v = np.array([0.5, 0.5]), np.array([1.0, -3.0]), np.array([0.1, 0.2]), np.array([0.3, 0.4])
    kw = dict(lr=0.2, beta1=0.5, beta2=0.9, eps=0.1)
    want = _adam_arrays(p, g, m, v, 4, lr=0.2, b1=0.5, b2=0.9, eps=0.1)
    got = _step(candidate, p, g, m, v, 4, case="custom", **kw)
    check_close(
        got, want, "lr=0.2, beta1=0.5, beta2=0.9, eps=0.1, t=4: (new_param, new_m, new_v)", rtol=1e-9, atol=1e-12
    )


def test_zero_gradient_gives_no_nan(candidate):
    p, m, v = _step(candidate, np.array([3.0, -1.0]), np.zeros(2), np.zeros(2), np.zeros(2), 1, case="zero grad")
    check(np.all(np.isfinite(p)), f"zero gradient, zero moments, t=1: new_param has NaN/inf: {p}")
    check_close(
        (p, m, v),
        (np.array([3.0, -1.0]), np.zeros(2), np.zeros(2)),
        "zero gradient, zero moments, t=1: (new_param, new_m, new_v)",
    )


def test_inputs_are_not_modified(candidate):
    p, g, m, v = np.array([1.0, 2.0]), np.array([0.5, -0.5]), np.array([0.1, 0.1]), np.array([0.01, 0.02])
    before = [a.copy() for a in (p, g, m, v)]
    got = _step(candidate, p, g, m, v, 5, case="inputs")
    check_close(
        got,
        _adam_arrays(*before, 5),
        "param [1, 2], grad [0.5, -0.5], m [0.1, 0.1], v [0.01, 0.02], t=5: (new_param, new_m, new_v)",
        rtol=1e-9,
        atol=1e-12,
    )
    for name, a, b in zip(("param", "grad", "m", "v"), (p, g, m, v), before, strict=True):
        check_equal(a, b, f"after adam_step, the {name} array passed in")


def test_t_below_one_raises(candidate):
    try:
        candidate.adam_step(np.zeros(1), np.ones(1), np.zeros(1), np.zeros(1), 0)
    except ValueError:
        return
    check(False, "t=0: expected ValueError (t is 1-based), got no error")


def test_step_size_ignores_gradient_scale(candidate):
    rng = np.random.default_rng(1)
    grads = [rng.normal(size=4) for _ in range(5)]
    results = []
    for scale in (1.0, 1000.0):
        p, m, v = np.zeros(4), np.zeros(4), np.zeros(4)
        for t, g in enumerate(grads, start=1):
            p, m, v = _step(candidate, p, g * scale, m, v, t, lr=0.01, case=f"scale {scale}")
        results.append(p)
    check_close(
        results[1],
        results[0],
        "5 steps, gradients scaled by 1000: new_param should barely change",
        rtol=1e-5,
        atol=1e-7,
    )


def test_minimises_a_quadratic(candidate):
    a, c = np.array([1.0, 10.0, 0.1]), np.array([3.0, -2.0, 0.5])
    x, m, v = np.zeros(3), np.zeros(3), np.zeros(3)
    for t in range(1, 2001):
        x, m, v = _step(candidate, x, 2 * a * (x - c), m, v, t, lr=0.05, case=f"step {t}")
    check_close(x, c, "2000 steps, lr=0.05, on sum(a * (x - c)^2), c = [3, -2, 0.5], from x = 0: x", rtol=0, atol=1e-2)
