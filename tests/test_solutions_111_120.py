"""Known-answer tests for the reference solutions of coding questions 111-120."""

from __future__ import annotations

import importlib.util
import random
import sys
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest

SOLUTIONS = Path(__file__).parents[1] / "knowledge" / "solutions"


def load(name: str) -> ModuleType:
    """Import knowledge/solutions/NAME.py by path."""
    path = SOLUTIONS / f"{name}.py"
    spec = importlib.util.spec_from_file_location(f"solution_{name}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


# 111 Gaussian Naive Bayes -------------------------------------------------------------


def test_q111_gnb_separates_blobs_and_matches_direct_posterior() -> None:
    gnb_mod = load("q111_gaussian_naive_bayes")
    rng = np.random.default_rng(0)
    X = np.vstack([rng.normal([0, 0], 1.0, (100, 2)), rng.normal([6, 6], 1.0, (50, 2))])
    y = np.array([0] * 100 + [1] * 50)
    model = gnb_mod.GaussianNaiveBayes().fit(X, y)
    assert np.mean(model.predict(X) == y) > 0.99
    np.testing.assert_allclose(model.class_log_prior_, np.log([2 / 3, 1 / 3]))
    np.testing.assert_allclose(model.theta_[1], X[y == 1].mean(axis=0))

    # Posterior for one point computed directly with Gaussian pdfs and Bayes' rule.
    x = np.array([2.5, 3.0])

    def pdf(v: np.ndarray, mu: np.ndarray, var: np.ndarray) -> float:
        return float(np.prod(np.exp(-((v - mu) ** 2) / (2 * var)) / np.sqrt(2 * np.pi * var)))

    joint = np.array([np.exp(model.class_log_prior_[c]) * pdf(x, model.theta_[c], model.var_[c]) for c in range(2)])
    np.testing.assert_allclose(model.predict_proba(x[None])[0], joint / joint.sum(), rtol=1e-9)


def test_q111_gnb_far_point_does_not_underflow() -> None:
    gnb_mod = load("q111_gaussian_naive_bayes")
    X = np.array([[0.0], [0.1], [10.0], [10.1]])
    y = np.array(["a", "a", "b", "b"])
    model = gnb_mod.GaussianNaiveBayes().fit(X, y)
    proba = model.predict_proba(np.array([[1e3]]))  # densities underflow outside log space
    assert np.all(np.isfinite(proba)) and np.isclose(proba.sum(), 1.0)
    assert model.predict(np.array([[1e3]]))[0] == "b"


# 112 top-k frequent -------------------------------------------------------------------


def test_q112_top_k_frequent_heap_and_bucket_agree() -> None:
    mod = load("q112_top_k_frequent")
    words = ["b", "a", "c", "a", "b", "a", "d", "c", "b", "e"]  # a:3, b:3, c:2, d:1, e:1; b seen before a
    expected = [("b", 3), ("a", 3), ("c", 2)]
    assert mod.top_k_frequent(words, 3) == expected
    assert mod.top_k_frequent_bucket(words, 3) == expected
    assert mod.top_k_frequent(words, 0) == []
    assert len(mod.top_k_frequent(words, 99)) == 5


def test_q112_matches_counter_on_random_data() -> None:
    from collections import Counter

    mod = load("q112_top_k_frequent")
    rng = random.Random(1)
    data = [rng.randint(0, 30) for _ in range(2000)]
    got = mod.top_k_frequent(data, 5)
    counts = Counter(data)
    first = {v: i for i, v in reversed(list(enumerate(data)))}
    want = sorted(counts.items(), key=lambda kv: (-kv[1], first[kv[0]]))[:5]
    assert got == want == mod.top_k_frequent_bucket(data, 5)


# 113 LRU cache ------------------------------------------------------------------------


@pytest.mark.parametrize("cls_name", ["LRUCache", "LinkedLRUCache"])
def test_q113_lru_evicts_least_recently_used(cls_name: str) -> None:
    cache = getattr(load("q113_lru_cache"), cls_name)(2)
    cache.put("a", 1)
    cache.put("b", 2)
    assert cache.get("a") == 1  # a is now most recent, b is LRU
    cache.put("c", 3)  # evicts b
    assert cache.get("b") is None
    assert cache.keys_lru_to_mru() == ["a", "c"]
    cache.put("a", 10)  # update refreshes a; c becomes LRU
    cache.put("d", 4)  # evicts c
    assert cache.get("c", -1) == -1
    assert cache.get("a") == 10 and cache.get("d") == 4
    assert len(cache) == 2


# 114 reservoir sampling ---------------------------------------------------------------


def test_q114_reservoir_is_uniform() -> None:
    mod = load("q114_reservoir_sampling")
    rng = random.Random(0)
    n, k, trials = 10, 3, 20000
    hits = np.zeros(n)
    for _ in range(trials):
        for item in mod.reservoir_sample(range(n), k, rng):
            hits[item] += 1
    freq = hits / trials
    np.testing.assert_allclose(freq, k / n, atol=0.02)  # every item about 0.3
    assert sorted(mod.reservoir_sample(range(2), 5, rng)) == [0, 1]
    assert len(set(mod.reservoir_sample(range(100), 10, rng))) == 10


def test_q114_weighted_first_pick_follows_weights() -> None:
    mod = load("q114_reservoir_sampling")
    rng = random.Random(2)
    stream = [("x", 1.0), ("y", 3.0)]
    picks = [mod.weighted_reservoir_sample(stream, 1, rng)[0] for _ in range(8000)]
    assert abs(picks.count("y") / len(picks) - 0.75) < 0.02


# 115 cosine top-k ---------------------------------------------------------------------


def test_q115_cosine_top_k_matches_brute_force() -> None:
    mod = load("q115_cosine_top_k")
    rng = np.random.default_rng(3)
    corpus = rng.normal(size=(200, 16))
    queries = rng.normal(size=(7, 16))
    idx, scores = mod.cosine_top_k(queries, corpus, k=5, chunk_size=3)
    sims = (queries @ corpus.T) / np.outer(np.linalg.norm(queries, axis=1), np.linalg.norm(corpus, axis=1))
    want = np.argsort(-sims, axis=1)[:, :5]
    np.testing.assert_array_equal(idx, want)
    np.testing.assert_allclose(scores, np.take_along_axis(sims, want, axis=1))
    assert np.all(np.diff(scores, axis=1) <= 0)


def test_q115_scale_invariance_zero_vector_and_large_k() -> None:
    mod = load("q115_cosine_top_k")
    corpus = np.array([[1.0, 0.0], [0.0, 0.0], [10.0, 10.0], [-1.0, 0.0]])
    idx, scores = mod.cosine_top_k([[3.0, 0.0]], corpus, k=10)
    assert idx.shape == (1, 4)  # k clipped to corpus size
    assert idx[0, 0] == 0 and np.isclose(scores[0, 0], 1.0)
    assert idx[0, 1] == 2 and np.isclose(scores[0, 1], np.sqrt(0.5))
    assert idx[0, 2] == 1 and scores[0, 2] == 0.0  # zero vector: similarity 0, no NaN
    assert idx[0, 3] == 3 and np.isclose(scores[0, 3], -1.0)


# 116 confusion matrix and metrics -----------------------------------------------------


def test_q116_binary_metrics_by_hand() -> None:
    mod = load("q116_classification_metrics")
    y_true = [1, 1, 1, 1, 0, 0, 0, 0, 0, 0]
    y_pred = [1, 1, 1, 0, 1, 1, 0, 0, 0, 0]  # TP=3, FN=1, FP=2, TN=4
    cm, labels = mod.confusion_matrix(y_true, y_pred)
    np.testing.assert_array_equal(labels, [0, 1])
    np.testing.assert_array_equal(cm, [[4, 2], [1, 3]])
    p, r, f = mod.precision_recall_f1(y_true, y_pred, average="binary")
    assert np.isclose(p, 3 / 5) and np.isclose(r, 3 / 4)
    assert np.isclose(f, 2 * (0.6 * 0.75) / (0.6 + 0.75))


def test_q116_multiclass_averages_and_zero_division() -> None:
    mod = load("q116_classification_metrics")
    y_true = ["cat", "cat", "dog", "dog", "dog", "fox"]
    y_pred = ["cat", "dog", "dog", "dog", "cat", "dog"]
    p, r, f = mod.precision_recall_f1(y_true, y_pred, average=None)
    # cat: TP1 FP1 FN1; dog: TP2 FP2 FN1; fox: never predicted -> precision 0/0 -> 0
    np.testing.assert_allclose(p, [0.5, 0.5, 0.0])
    np.testing.assert_allclose(r, [0.5, 2 / 3, 0.0])
    np.testing.assert_allclose(f, [0.5, 4 / 7, 0.0])
    micro = mod.precision_recall_f1(y_true, y_pred, average="micro")
    np.testing.assert_allclose(micro, [0.5, 0.5, 0.5])  # equals accuracy 3/6
    macro = mod.precision_recall_f1(y_true, y_pred, average="macro")
    np.testing.assert_allclose(macro, [1 / 3, (0.5 + 2 / 3) / 3, (0.5 + 4 / 7) / 3])
    weighted = mod.precision_recall_f1(y_true, y_pred, average="weighted")
    np.testing.assert_allclose(weighted[1], (2 * 0.5 + 3 * 2 / 3) / 6)


# 117 scaled dot-product attention -----------------------------------------------------


def test_q117_attention_matches_direct_and_mask_zeroes_weights() -> None:
    mod = load("q117_scaled_dot_product_attention")
    rng = np.random.default_rng(4)
    Q, K, V = rng.normal(size=(2, 4, 8)), rng.normal(size=(2, 4, 8)), rng.normal(size=(2, 4, 3))
    out, w = mod.scaled_dot_product_attention(Q, K, V)
    s = Q @ K.transpose(0, 2, 1) / np.sqrt(8)
    direct = np.exp(s) / np.exp(s).sum(-1, keepdims=True)
    np.testing.assert_allclose(w, direct)
    np.testing.assert_allclose(out, direct @ V)

    mask = mod.causal_mask(4)
    out_m, w_m = mod.scaled_dot_product_attention(Q, K, V, mask)
    assert np.all(w_m[:, ~mask] == 0.0)  # future positions get exactly zero weight
    np.testing.assert_allclose(w_m.sum(-1), 1.0)
    np.testing.assert_allclose(out_m[:, 0], V[:, 0])  # first query can only see key 0


def test_q117_padding_fully_masked_row_and_large_scores() -> None:
    mod = load("q117_scaled_dot_product_attention")
    Q = np.full((1, 2, 2), 1000.0)  # huge scores would overflow a naive exp
    K = np.full((1, 3, 2), 1000.0)
    V = np.arange(6.0).reshape(1, 3, 2)
    pad = mod.padding_mask([2], 3)  # third key is padding
    out, w = mod.scaled_dot_product_attention(Q, K, V, pad)
    np.testing.assert_allclose(w[0], [[0.5, 0.5, 0.0], [0.5, 0.5, 0.0]])
    np.testing.assert_allclose(out[0], [[1.0, 2.0], [1.0, 2.0]])
    none = np.zeros((2, 3), dtype=bool)
    out0, w0 = mod.scaled_dot_product_attention(Q[0], K[0], V[0], none)
    assert np.all(w0 == 0.0) and np.all(out0 == 0.0) and np.all(np.isfinite(out0))


# 118 2-D convolution ------------------------------------------------------------------


def test_q118_conv2d_hand_computed_case() -> None:
    mod = load("q118_conv2d")
    x = np.arange(9.0).reshape(1, 1, 3, 3)  # [[0,1,2],[3,4,5],[6,7,8]]
    w = np.array([[[[1.0, 0.0], [0.0, -1.0]]]])  # x[i,j] - x[i+1,j+1]
    np.testing.assert_allclose(mod.conv2d(x, w)[0, 0], [[-4.0, -4.0], [-4.0, -4.0]])
    ones = np.ones((1, 1, 2, 2))
    np.testing.assert_allclose(mod.conv2d(x, ones, b=[1.0])[0, 0], [[9.0, 13.0], [21.0, 25.0]])
    padded = mod.conv2d(x, np.ones((1, 1, 3, 3)), padding=1)[0, 0]
    assert padded.shape == (3, 3) and padded[1, 1] == 36.0 and padded[0, 0] == 8.0


def test_q118_conv2d_matches_naive_and_correlate() -> None:
    mod = load("q118_conv2d")
    rng = np.random.default_rng(5)
    x = rng.normal(size=(2, 3, 9, 8))
    w = rng.normal(size=(4, 3, 3, 2))
    b = rng.normal(size=4)
    for stride, pad in [(1, 0), (2, 1), ((2, 1), (0, 2))]:
        fast = mod.conv2d(x, w, b, stride=stride, padding=pad)
        slow = mod.conv2d_naive(x, w, b, stride=stride, padding=pad)
        np.testing.assert_allclose(fast, slow, atol=1e-12)
    out = mod.conv2d(x, w, stride=2, padding=1)
    assert out.shape == (2, 4, mod.output_size(9, 3, 2, 1), mod.output_size(8, 2, 2, 1)) == (2, 4, 5, 5)
    row, ker = rng.normal(size=10), rng.normal(size=3)  # 1 x W case is 1-D cross-correlation
    np.testing.assert_allclose(
        mod.conv2d(row.reshape(1, 1, 1, 10), ker.reshape(1, 1, 1, 3))[0, 0, 0], np.correlate(row, ker, mode="valid")
    )


# 119 Welford --------------------------------------------------------------------------


def test_q119_welford_matches_numpy_with_large_offset() -> None:
    mod = load("q119_welford")
    rng = np.random.default_rng(6)
    data = 1e9 + rng.normal(0.0, 1.0, size=5000)
    rs = mod.RunningStats()
    for v in data:
        rs.update(v)
    assert np.isclose(rs.mean, data.mean(), rtol=0, atol=1e-6)
    assert np.isclose(rs.variance(), np.var(data), rtol=1e-6)
    assert np.isclose(rs.variance(ddof=1), np.var(data, ddof=1), rtol=1e-6)
    naive = np.mean(data**2) - np.mean(data) ** 2  # catastrophic cancellation
    assert abs(naive - np.var(data)) > 0.1


def test_q119_merge_and_vector_features() -> None:
    mod = load("q119_welford")
    rng = np.random.default_rng(7)
    X = rng.normal([5.0, -3.0], [2.0, 0.5], size=(300, 2))
    a, b = mod.RunningStats(), mod.RunningStats()
    for row in X[:120]:
        a.update(row)
    b.update_many(X[120:])
    a.merge(b)
    assert a.n == 300
    np.testing.assert_allclose(a.mean, X.mean(axis=0))
    np.testing.assert_allclose(a.variance(ddof=1), X.var(axis=0, ddof=1))
    empty = mod.RunningStats()
    assert np.isnan(empty.variance(ddof=1))


# 120 Adam -----------------------------------------------------------------------------


def test_q120_adam_first_step_and_hand_computed_second_step() -> None:
    mod = load("q120_adam")
    p = np.array([1.0, -2.0])
    opt = mod.Adam([p], lr=0.1)
    opt.step([np.array([4.0, -0.01])])
    # Bias correction makes the first step lr * sign(g), whatever the gradient scale.
    np.testing.assert_allclose(p, [0.9, -1.9], atol=1e-6)
    g2 = np.array([2.0, -0.01])
    opt.step([g2])
    m = 0.9 * 0.1 * np.array([4.0, -0.01]) + 0.1 * g2
    v = 0.999 * 0.001 * np.array([16.0, 1e-4]) + 0.001 * g2**2
    want = np.array([0.9, -1.9]) - 0.1 * (m / (1 - 0.9**2)) / (np.sqrt(v / (1 - 0.999**2)) + 1e-8)
    np.testing.assert_allclose(p, want)
    new_p, _, _ = mod.adam_step(np.array([1.0]), np.array([4.0]), np.zeros(1), np.zeros(1), 1, lr=0.1)
    np.testing.assert_allclose(new_p, [0.9], atol=1e-6)


def test_q120_adam_minimizes_quadratic() -> None:
    mod = load("q120_adam")
    rng = np.random.default_rng(8)
    M = rng.normal(size=(5, 5))
    A = M @ M.T + 5 * np.eye(5)  # positive definite
    c = rng.normal(size=5)
    x = np.zeros(5)
    opt = mod.Adam([x], lr=0.05)
    for _ in range(3000):
        opt.step([A @ x - c])  # gradient of 0.5 x^T A x - c^T x
    np.testing.assert_allclose(x, np.linalg.solve(A, c), atol=1e-3)


def test_q120_decoupled_weight_decay_shrinks_without_gradient() -> None:
    mod = load("q120_adam")
    p_l2, p_w = np.array([1.0]), np.array([1.0])
    l2 = mod.Adam([p_l2], lr=0.01, weight_decay=0.1)
    adamw = mod.Adam([p_w], lr=0.01, weight_decay=0.1, decoupled=True)
    l2.step([np.zeros(1)])
    adamw.step([np.zeros(1)])
    np.testing.assert_allclose(p_w, [1.0 - 0.01 * 0.1])  # pure decay, no adaptive step
    np.testing.assert_allclose(p_l2, [1.0 - 0.01], atol=1e-6)  # L2 grad normalised to sign
