"""Hidden tests for Q105, binary logistic regression trained by gradient descent.

Each test gets the candidate's module.
"""

import numpy as np
from harness import check, check_close, check_equal

TIME_LIMITS = {"test_vectorised_on_10000_rows": 3.0}


def newton(X, y, lam, iters=50):
    """The exact minimiser of mean log-loss + lam/2 |w|^2 (bias unpenalised), by Newton's method."""
    n, d = X.shape
    Xb = np.hstack([X, np.ones((n, 1))])
    theta = np.zeros(d + 1)
    R = lam * np.eye(d + 1)
    R[-1, -1] = 0.0
    for _ in range(iters):
        p = 1.0 / (1.0 + np.exp(-(Xb @ theta)))
        grad = Xb.T @ (p - y) / n + R @ theta
        hess = (Xb * (p * (1 - p))[:, None]).T @ Xb / n + R
        theta -= np.linalg.solve(hess, grad)
    return theta[:-1], float(theta[-1])


def noisy_data(seed, n=200):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 3))
    z = X @ np.array([1.5, -2.0, 0.5]) + 0.7
    y = (rng.uniform(size=n) < 1.0 / (1.0 + np.exp(-z))).astype(float)
    return X, y


def test_sigmoid_values(candidate):
    z = np.array([0.0, 2.0, -2.0, -40.0, 40.0])
    check_close(
        np.asarray(candidate.sigmoid(z), dtype=float),
        1.0 / (1.0 + np.exp(-z)),
        "sigmoid([0, 2, -2, -40, 40])",
        rtol=1e-9,
        atol=0.0,
    )


def test_sigmoid_of_huge_inputs_does_not_overflow(candidate):
    z = np.array([-1000.0, -750.0, 710.0, 1000.0])
    try:
        with np.errstate(over="raise"):
            got = np.asarray(candidate.sigmoid(z), dtype=float)
    except FloatingPointError as exc:
        check(
            False,
            f"sigmoid([-1000, -750, 710, 1000]): np.exp overflowed ({exc}); never exponentiate a large positive number",
        )
    check_close(got, np.array([0.0, 0.0, 1.0, 1.0]), "sigmoid([-1000, -750, 710, 1000])", atol=1e-300)


def test_log_loss_from_logits(candidate):
    z = np.array([0.0, 2.0, -1.0])
    y = np.array([1.0, 0.0, 1.0])
    want = float(np.mean(np.log1p(np.exp(z)) - y * z))
    check_close(float(candidate.log_loss_from_logits(z, y)), want, "log_loss_from_logits([0, 2, -1], y=[1, 0, 1])")
    with np.errstate(all="ignore"):
        huge = float(candidate.log_loss_from_logits(np.array([1000.0, -1000.0, 1000.0]), np.array([0.0, 1.0, 1.0])))
    check_close(
        huge, 2000.0 / 3, "log_loss_from_logits([1000, -1000, 1000], y=[0, 1, 1]) (two confident mistakes)", rtol=1e-9
    )


def test_fit_reaches_the_regularised_optimum(candidate):
    X, y = noisy_data(seed=1)
    w_opt, b_opt = newton(X, y, lam=0.1)
    model = candidate.LogisticRegressionGD(lr=0.5, n_iter=5000, lam=0.1, tol=1e-10).fit(X, y)
    check_close(
        np.asarray(model.w, dtype=float), w_opt, "200 noisy points, lam=0.1: w vs the exact minimiser", atol=1e-5
    )
    check_close(
        float(model.b),
        b_opt,
        "200 noisy points, lam=0.1: b vs the exact minimiser (the bias is not penalised)",
        atol=1e-5,
    )


def test_unregularised_fit_matches_maximum_likelihood(candidate):
    X, y = noisy_data(seed=2)
    w_opt, b_opt = newton(X, y, lam=0.0)
    model = candidate.LogisticRegressionGD(lr=1.0, n_iter=5000, tol=1e-10).fit(X, y)
    check_close(
        np.asarray(model.w, dtype=float), w_opt, "200 noisy points, lam=0: w vs the maximum-likelihood fit", atol=1e-5
    )
    check_close(float(model.b), b_opt, "200 noisy points, lam=0: b vs the maximum-likelihood fit", atol=1e-5)


def test_strong_l2_leaves_the_bias_free(candidate):
    # With lam=10 the weights shrink to about 0, but the unpenalised bias still matches the base rate (80%).
    rng = np.random.default_rng(3)
    X = rng.normal(size=(100, 2))
    y = (np.arange(100) % 5 != 0).astype(float)
    model = candidate.LogisticRegressionGD(lr=0.1, n_iter=5000, lam=10.0).fit(X, y)
    check(
        np.abs(np.asarray(model.w, dtype=float)).max() < 0.02,
        f"lam=10: weights should shrink to about 0, got {np.asarray(model.w).round(4).tolist()}",
    )
    check_close(
        float(np.mean(model.predict_proba(X))),
        0.8,
        "lam=10, 80% positives: mean predicted probability (a penalised bias drags it to 0.5)",
        atol=1e-3,
    )


def test_separable_data_stays_finite(candidate):
    rng = np.random.default_rng(4)
    X = rng.normal(size=(200, 2))
    X = X[np.abs(X[:, 0] + X[:, 1]) > 0.3][:100]  # a margin around the separating line x0 + x1 = 0
    y = (X[:, 0] + X[:, 1] > 0).astype(float)
    model = candidate.LogisticRegressionGD(lr=0.5, n_iter=5000).fit(X, y)
    w = np.asarray(model.w, dtype=float)
    check(
        np.isfinite(w).all() and np.isfinite(model.b),
        f"separable data, lam=0: w, b should stay finite, got {w}, {model.b}",
    )
    losses = np.asarray(model.losses, dtype=float)
    check(np.isfinite(losses).all(), "separable data: losses contain NaN or inf (compute the loss from logits)")
    check(losses[-1] < 0.1, f"separable data, 5000 steps: loss should approach 0, got {losses[-1]:.4f}")
    check_equal(np.asarray(model.predict(X)), y.astype(int), "separable data: predict on the training points")


def test_losses_fall_and_stop_early(candidate):
    X, y = noisy_data(seed=5)
    model = candidate.LogisticRegressionGD(lr=0.5, n_iter=10**7, lam=0.1, tol=1e-6).fit(X, y)
    losses = np.asarray(model.losses, dtype=float)
    check(0 < len(losses) < 10**7, f"n_iter=10^7, tol=1e-6: expected an early stop, got {len(losses)} losses")
    check(
        np.all(np.diff(losses) <= 1e-12),
        f"lr=0.5: the objective should never rise, got {losses[:5].round(5).tolist()}...",
    )
    z = X @ np.asarray(model.w, dtype=float) + float(model.b)
    objective = float(np.mean(np.logaddexp(0.0, z) - y * z) + 0.05 * np.asarray(model.w) @ np.asarray(model.w))
    check_close(float(losses[-1]), objective, "losses[-1] vs log-loss + lam/2 |w|^2 at the returned w, b", rtol=1e-6)


def test_predict_proba_and_threshold(candidate):
    X, y = noisy_data(seed=6)
    model = candidate.LogisticRegressionGD(lr=0.5, n_iter=2000).fit(X, y)
    p = np.asarray(model.predict_proba(X), dtype=float)
    check(p.shape == (200,), f"predict_proba on 200 rows: expected shape (200,), got {p.shape}")
    check_close(
        p,
        1.0 / (1.0 + np.exp(-(X @ np.asarray(model.w, dtype=float) + float(model.b)))),
        "predict_proba vs sigmoid(X w + b)",
    )
    got = np.asarray(model.predict(X))
    check(np.issubdtype(got.dtype, np.integer), f"predict should return 0/1 integers, got dtype {got.dtype}")
    check_equal(got, (p >= 0.5).astype(int), "predict(X) vs predict_proba(X) >= 0.5")
    check_equal(np.asarray(model.predict(X, threshold=0.9)), (p >= 0.9).astype(int), "predict(X, threshold=0.9)")


def test_vectorised_on_10000_rows(candidate):
    # 10,000 x 10 data, 300 steps: the reference takes about 0.3 s; a Python loop over rows takes far longer.
    rng = np.random.default_rng(7)
    X = rng.normal(size=(10000, 10))
    y = (rng.uniform(size=10000) < 1.0 / (1.0 + np.exp(-X[:, 0]))).astype(float)
    model = candidate.LogisticRegressionGD(lr=0.5, n_iter=300, tol=0.0).fit(X, y)
    check(len(model.losses) == 300, f"10,000 rows, n_iter=300, tol=0: expected 300 losses, got {len(model.losses)}")
    check(0.7 < float(model.w[0]) < 1.3, f"10,000 rows, true w[0] = 1: got w[0] = {float(model.w[0]):.3f}")
