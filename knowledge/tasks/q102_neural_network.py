"""Hidden tests for Q102, a one-hidden-layer network with hand-written backprop. Each test gets the candidate's module.

Random initialisation differs between implementations, so tests set known weights through `params` where they need
exact values, and check training by what it achieves.
"""

import numpy as np
from harness import check, check_close, check_equal

SHAPES = ("W1", "b1", "W2", "b2")


def set_params(model, n_in, n_hidden, n_out, seed, scale=1.0):
    rng = np.random.default_rng(seed)
    model.params["W1"] = rng.normal(size=(n_in, n_hidden))
    model.params["b1"] = rng.normal(size=n_hidden)
    model.params["W2"] = rng.normal(size=(n_hidden, n_out)) * scale
    model.params["b2"] = rng.normal(size=n_out)


def expected_logits(params, X):
    return np.maximum(X @ params["W1"] + params["b1"], 0.0) @ params["W2"] + params["b2"]


def expected_loss(logits, y):
    m = logits.max(axis=1, keepdims=True)
    logp = logits - m - np.log(np.exp(logits - m).sum(axis=1, keepdims=True))
    return float(-logp[np.arange(len(y)), y].mean())


def xor_data(seed, n=200):
    rng = np.random.default_rng(seed)
    corners = rng.integers(0, 2, size=(n, 2))
    X = (2.0 * corners - 1.0) + rng.normal(0.0, 0.2, size=(n, 2))
    y = (corners[:, 0] ^ corners[:, 1]).astype(np.int64)
    return X, y


def test_parameter_shapes_and_random_scaled_init(candidate):
    model = candidate.MLP(100, 200, 7, seed=0)
    for name, shape in zip(SHAPES, [(100, 200), (200,), (200, 7), (7,)], strict=True):
        got = np.shape(model.params[name])
        check(got == shape, f"MLP(100, 200, 7): params['{name}'] should have shape {shape}, got {got}")
    W1 = np.asarray(model.params["W1"], dtype=float)
    he = np.sqrt(2.0 / 100)
    check(
        he / 3 <= W1.std() <= 3 * he,
        f"MLP(100, 200, 7): W1 should be random with a std near sqrt(2/n_in) = {he:.3f} (He init), "
        f"got std {W1.std():.4g}",
    )
    check(
        np.ptp(W1, axis=0).min() > 0 and np.unique(W1.round(12), axis=1).shape[1] == 200,
        "MLP(100, 200, 7): hidden units start identical (symmetric weights never break symmetry)",
    )
    again = candidate.MLP(100, 200, 7, seed=0)
    check_equal(np.asarray(again.params["W1"]), W1, "MLP(100, 200, 7, seed=0) twice: W1")


def test_forward_computes_relu_network(candidate):
    model = candidate.MLP(3, 4, 2, seed=0)
    set_params(model, 3, 4, 2, seed=1)
    X = np.random.default_rng(2).normal(size=(5, 3))
    logits, _ = model.forward(X)
    check_close(
        np.asarray(logits),
        expected_logits(model.params, X),
        "params set by hand, 5 x 3 input: forward(X)[0] vs relu(X W1 + b1) W2 + b2",
    )


def test_loss_is_mean_cross_entropy(candidate):
    model = candidate.MLP(3, 4, 3, seed=0)
    set_params(model, 3, 4, 3, seed=3)
    X = np.random.default_rng(4).normal(size=(6, 3))
    y = np.array([0, 1, 2, 2, 1, 0])
    loss, _ = model.loss_and_grads(X, y)
    check_close(
        float(loss),
        expected_loss(expected_logits(model.params, X), y),
        "params set by hand, 6 samples, 3 classes: loss vs mean cross-entropy",
    )


def test_gradients_match_finite_differences(candidate):
    model = candidate.MLP(4, 5, 3, seed=0)
    set_params(model, 4, 5, 3, seed=5)
    X = np.random.default_rng(6).normal(size=(7, 4))
    y = np.array([0, 1, 2, 1, 0, 2, 2])
    _, grads = model.loss_and_grads(X, y)
    eps = 1e-6
    for name in SHAPES:
        param = model.params[name]
        g = np.asarray(grads[name], dtype=float)
        check(g.shape == param.shape, f"grads['{name}'] should have shape {param.shape}, got {g.shape}")
        numeric = np.zeros_like(param)
        for i in np.ndindex(param.shape):
            old = param[i]
            param[i] = old + eps
            plus = model.loss_and_grads(X, y)[0]
            param[i] = old - eps
            minus = model.loss_and_grads(X, y)[0]
            param[i] = old
            numeric[i] = (plus - minus) / (2 * eps)
        err = np.abs(g - numeric).max() / max(1e-8, np.abs(numeric).max())
        check(
            err < 1e-5,
            f"7 samples, 4-5-3 network: grads['{name}'] differ from central differences "
            f"(relative error {err:.2g}); expected {numeric.ravel()[:6].round(6).tolist()}..., "
            f"got {g.ravel()[:6].round(6).tolist()}...",
        )


def test_gradients_are_averaged_over_the_batch(candidate):
    # Repeating every sample twice leaves the mean loss and its gradient unchanged.
    model = candidate.MLP(3, 4, 2, seed=0)
    set_params(model, 3, 4, 2, seed=7)
    X = np.random.default_rng(8).normal(size=(5, 3))
    y = np.array([0, 1, 1, 0, 1])
    loss1, g1 = model.loss_and_grads(X, y)
    loss2, g2 = model.loss_and_grads(np.vstack([X, X]), np.concatenate([y, y]))
    check_close(float(loss2), float(loss1), "the same batch twice over: loss")
    for name in SHAPES:
        check_close(np.asarray(g2[name]), np.asarray(g1[name]), f"the same batch twice over: grads['{name}']")


def test_huge_logits_stay_finite(candidate):
    model = candidate.MLP(3, 4, 3, seed=0)
    set_params(model, 3, 4, 3, seed=9, scale=1e4)  # logits up to about 10^6
    X = np.random.default_rng(10).normal(size=(6, 3)) * 10
    y = np.array([0, 1, 2, 0, 1, 2])
    logits = expected_logits(model.params, X)
    with np.errstate(all="ignore"):
        loss, grads = model.loss_and_grads(X, y)
    check(np.isfinite(loss), f"logits up to {np.abs(logits).max():.0f}: loss should be finite, got {loss}")
    check_close(float(loss), expected_loss(logits, y), f"logits up to {np.abs(logits).max():.0f}: loss", rtol=1e-6)
    bad = [name for name in SHAPES if not np.isfinite(np.asarray(grads[name])).all()]
    check(not bad, f"logits up to {np.abs(logits).max():.0f}: gradients of {bad} contain NaN or inf")


def test_predict_is_argmax_of_logits(candidate):
    model = candidate.MLP(2, 6, 4, seed=0)
    set_params(model, 2, 6, 4, seed=11)
    X = np.random.default_rng(12).normal(size=(20, 2))
    got = np.asarray(model.predict(X))
    check_equal(got, expected_logits(model.params, X).argmax(axis=1), "params set by hand, 20 points: predict")


def test_fit_learns_xor(candidate):
    # XOR of four noisy corners: no linear model gets past about 75%; a working ReLU network gets above 95%.
    # The reference, over model and fit seeds 0..9999, never ends below 95% here.
    X, y = xor_data(seed=13)
    model = candidate.MLP(2, 16, 2, seed=0)
    history = model.fit(X, y, lr=0.5, epochs=60, batch_size=32, seed=0)
    check(len(history) == 60, f"fit(epochs=60) should return 60 epoch losses, got {len(history)}")
    check(np.isfinite(history).all(), f"XOR, lr=0.5: losses should stay finite, got {np.asarray(history)[-3:]}")
    check(
        history[-1] < 0.5 * history[0],
        f"XOR, lr=0.5, 60 epochs: loss should fall to under half, got {history[0]:.3f} -> {history[-1]:.3f}",
    )
    accuracy = float((np.asarray(model.predict(X)) == y).mean())
    check(
        accuracy >= 0.95, f"XOR of 4 noisy corners, 200 points: expected training accuracy >= 0.95, got {accuracy:.2f}"
    )


def test_fit_overfits_a_tiny_batch(candidate):
    # The reference, over seeds 0..9999 for the model and the fit, ends with a loss of at most 0.0044 here.
    X = np.random.default_rng(14).normal(size=(6, 5))
    y = np.array([0, 1, 2, 0, 1, 2])
    model = candidate.MLP(5, 32, 3, seed=1)
    history = model.fit(X, y, lr=0.2, epochs=300, batch_size=6, seed=1)
    loss, _ = model.loss_and_grads(X, y)
    check(
        float(loss) < 0.05,
        f"6 random points, 3 classes, 300 full-batch steps: loss should approach 0, "
        f"got {float(loss):.4f} (first epoch {history[0]:.3f})",
    )
    check_equal(np.asarray(model.predict(X)), y, "6 random points after 300 steps: predict")


def test_fit_shuffles_with_its_seed(candidate):
    # Same start, same data: the same fit seed must give the same weights, another seed another batch order.
    X, y = xor_data(seed=15, n=100)
    runs = {}
    for name, fit_seed in (("a", 0), ("b", 0), ("c", 1)):
        model = candidate.MLP(2, 8, 2, seed=3)
        model.fit(X, y, lr=0.1, epochs=3, batch_size=10, seed=fit_seed)
        runs[name] = np.asarray(model.params["W1"], dtype=float).copy()
    check_close(runs["b"], runs["a"], "fit(seed=0) twice from the same start: W1")
    check(
        not np.allclose(runs["a"], runs["c"]),
        "fit(seed=0) and fit(seed=1) from the same start gave the same W1: shuffle the rows every epoch with the seed",
    )
