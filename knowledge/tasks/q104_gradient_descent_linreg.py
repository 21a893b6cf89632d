"""Hidden tests for Q104, linear regression fitted by gradient descent. Each test gets the candidate's module."""

import numpy as np
from harness import check, check_close, check_equal

TIME_LIMITS = {"test_vectorised_full_batch_steps": 2.0}


def half_mse(X, y, w, b):
    return float(0.5 * np.mean((X @ w + b - y) ** 2))


def regression(seed, n=200, d=5, noise=0.5, intercept=5.0, shift=3.0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, d)) + shift  # features not centred: the intercept must be learned, not implied
    w = rng.normal(size=d)
    y = X @ w + intercept + noise * rng.normal(size=n)
    return X, y


def lstsq(X, y):
    coef = np.linalg.lstsq(np.hstack([X, np.ones((len(X), 1))]), y, rcond=None)[0]
    return coef[:-1], float(coef[-1])


def test_one_step_from_zero(candidate):
    # From w = 0, b = 0 the half-MSE gradient is (-X^T y / n, -mean(y)).
    X = np.array([[1.0, 2.0], [3.0, -1.0], [0.0, 4.0]])
    y = np.array([1.0, 2.0, -3.0])
    r = candidate.fit_gd(X, y, lr=0.1, n_iter=1)
    check_close(
        np.asarray(r.w, dtype=float), 0.1 * X.T @ y / 3, "3 x 2 data, lr=0.1, n_iter=1: w after one step from 0"
    )
    check_close(float(r.b), 0.1 * y.mean(), "3 x 2 data, lr=0.1, n_iter=1: b after one step from 0")


def test_recovers_an_exact_line(candidate):
    X = np.array([[0.0], [1.0], [2.0], [3.0], [4.0]])
    y = 2.0 * X[:, 0] - 3.0
    r = candidate.fit_gd(X, y, lr=0.1, n_iter=20000)
    check_close(np.asarray(r.w, dtype=float), np.array([2.0]), "y = 2x - 3 on x = 0..4: w", atol=1e-6)
    check_close(float(r.b), -3.0, "y = 2x - 3 on x = 0..4: b", atol=1e-6)


def test_matches_least_squares_with_an_intercept(candidate):
    X, y = regression(seed=1)
    X = (X - X.mean(axis=0)) / X.std(axis=0) * 2.0 + 1.0  # scaled so lr=0.1 is stable and converges quickly
    w_ref, b_ref = lstsq(X, y)
    r = candidate.fit_gd(X, y, lr=0.1, n_iter=20000)
    check_close(np.asarray(r.w, dtype=float), w_ref, "200 x 5 noisy data, intercept 5: w vs np.linalg.lstsq", atol=1e-6)
    check_close(float(r.b), b_ref, "200 x 5 noisy data, intercept 5: b vs np.linalg.lstsq", atol=1e-6)


def test_losses_fall_and_end_at_the_returned_fit(candidate):
    X, y = regression(seed=2, n=100, d=3, shift=0.0)
    r = candidate.fit_gd(X, y, lr=0.2, n_iter=50, tol=0.0)
    losses = np.asarray(r.losses, dtype=float)
    check(len(losses) == 50, f"100 x 3 data, n_iter=50, tol=0: expected 50 losses, got {len(losses)}")
    check(
        np.all(np.diff(losses) <= 1e-12 * losses[:-1]),
        f"full-batch GD, lr=0.2: the loss should never rise, got {losses[:6].round(5).tolist()}...",
    )
    check_close(
        float(losses[-1]),
        half_mse(X, y, np.asarray(r.w, dtype=float), float(r.b)),
        "losses[-1] vs the half-MSE mean((Xw + b - y)^2) / 2 of the returned w, b",
    )


def test_stops_once_the_gradient_is_tiny(candidate):
    # n_iter is huge; only stopping at gradient norm < tol finishes in time.
    X = np.array([[0.0], [1.0], [2.0], [3.0]])
    y = np.array([1.0, 3.0, 5.0, 7.0])
    r = candidate.fit_gd(X, y, lr=0.1, n_iter=10**7, tol=1e-8)
    check(0 < len(r.losses) < 10**7, f"n_iter=10^7, tol=1e-8: expected an early stop, got {len(r.losses)} losses")
    check_close(np.asarray(r.w, dtype=float), np.array([2.0]), "y = 2x + 1, stopped at tol=1e-8: w", atol=1e-6)


def test_minibatch_sgd_converges_on_noiseless_data(candidate):
    rng = np.random.default_rng(3)
    X = rng.normal(size=(100, 3))
    y = X @ np.array([1.0, -2.0, 0.5]) + 4.0
    r = candidate.fit_gd(X, y, lr=0.1, n_iter=100, batch_size=10, seed=0)
    check(len(r.losses) == 100, f"batch_size=10, n_iter=100 epochs: expected 100 losses, got {len(r.losses)}")
    check_close(
        np.asarray(r.w, dtype=float),
        np.array([1.0, -2.0, 0.5]),
        "noiseless data, batch_size=10, 100 epochs: w",
        atol=1e-4,
    )
    check_close(float(r.b), 4.0, "noiseless data, batch_size=10, 100 epochs: b", atol=1e-4)


def test_minibatch_shuffles_with_its_seed(candidate):
    X, y = regression(seed=4, n=60, d=2, shift=0.0, noise=2.0)
    a = candidate.fit_gd(X, y, lr=0.05, n_iter=3, batch_size=8, seed=7)
    b = candidate.fit_gd(X, y, lr=0.05, n_iter=3, batch_size=8, seed=7)
    c = candidate.fit_gd(X, y, lr=0.05, n_iter=3, batch_size=8, seed=8)
    check_close(np.asarray(b.w, dtype=float), np.asarray(a.w, dtype=float), "batch_size=8, seed=7 twice: w")
    check(
        not np.allclose(np.asarray(a.w, dtype=float), np.asarray(c.w, dtype=float)),
        "batch_size=8: seeds 7 and 8 gave the same w; shuffle the rows each epoch with the seed",
    )


def test_one_batch_of_all_rows_is_full_batch(candidate):
    X, y = regression(seed=5, n=40, d=3, shift=0.0)
    full = candidate.fit_gd(X, y, lr=0.1, n_iter=30, tol=0.0)
    for batch_size in (40, 1000):
        one = candidate.fit_gd(X, y, lr=0.1, n_iter=30, batch_size=batch_size, tol=0.0)
        case = f"40 rows, batch_size={batch_size} vs full batch, 30 steps"
        check_close(
            np.asarray(one.w, dtype=float), np.asarray(full.w, dtype=float), f"{case}: w", rtol=1e-9, atol=1e-12
        )
        check_close(float(one.b), float(full.b), f"{case}: b", rtol=1e-9, atol=1e-12)


def test_accepts_lists(candidate):
    r = candidate.fit_gd([[0.0, 1.0], [1.0, 0.0], [1.0, 1.0], [2.0, 3.0]], [1.0, 2.0, 3.0, 7.0], lr=0.1, n_iter=20000)
    check_close(
        np.asarray(r.w, dtype=float), np.array([2.0, 1.0]), "X and y given as lists, y = 2 x0 + x1: w", atol=1e-6
    )
    check_equal(np.shape(r.w), (2,), "X given as a 4 x 2 list: shape of w")


def test_vectorised_full_batch_steps(candidate):
    # 20,000 x 10 data, 300 full-batch steps: the reference takes about 0.15 s; a Python loop over the rows in
    # every step takes far longer.
    X, y = regression(seed=6, n=20000, d=10, shift=0.0)
    r = candidate.fit_gd(X, y, lr=0.5, n_iter=300, tol=0.0)
    w_ref, _ = lstsq(X, y)
    check_close(np.asarray(r.w, dtype=float), w_ref, "20,000 x 10 data, lr=0.5, 300 steps: w vs lstsq", atol=1e-6)
