"""Checks for the reference solutions of coding questions 101-110 (small cases, known answers)."""

from __future__ import annotations

import importlib.util
import sys
import warnings
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest

SOLUTIONS = Path(__file__).parents[1] / "knowledge" / "solutions"


def load(name: str) -> ModuleType:
    """Import a solution module by file path (the folder is not a package)."""
    path = SOLUTIONS / name
    spec = importlib.util.spec_from_file_location(path.stem, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[path.stem] = module  # dataclasses resolve annotations through sys.modules
    spec.loader.exec_module(module)
    return module


km = load("q101_kmeans.py")
nn = load("q102_neural_network.py")
dt = load("q103_decision_tree.py")
gd = load("q104_gradient_descent_linreg.py")
lr = load("q105_logistic_regression.py")
knn = load("q106_knn.py")
sm = load("q107_softmax_cross_entropy.py")
pc = load("q108_pca_svd.py")
auc = load("q109_roc_auc.py")
skf = load("q110_stratified_kfold.py")


# 101 k-means -----------------------------------------------------------------------------
def test_kmeans_recovers_separated_blobs() -> None:
    rng = np.random.default_rng(0)
    centers = np.array([[0.0, 0.0], [10.0, 0.0], [0.0, 10.0]])
    truth = np.repeat(np.arange(3), 50)
    X = centers[truth] + rng.normal(scale=0.5, size=(150, 2))
    res = km.kmeans(X, 3, n_init=5, seed=1)
    # Every true blob maps to exactly one cluster (labels are only defined up to permutation).
    mapping = {t: set(res.labels[truth == t]) for t in range(3)}
    assert all(len(v) == 1 for v in mapping.values())
    assert len(set.union(*mapping.values())) == 3
    found = res.centroids[np.argsort(res.centroids @ np.array([1.0, 3.0]))]
    expected = centers[np.argsort(centers @ np.array([1.0, 3.0]))]
    np.testing.assert_allclose(found, expected, atol=0.3)
    manual = ((X - res.centroids[res.labels]) ** 2).sum()
    assert res.inertia == pytest.approx(manual)


def test_squared_distances_match_direct() -> None:
    rng = np.random.default_rng(2)
    X, C = rng.normal(size=(7, 3)), rng.normal(size=(4, 3))
    direct = ((X[:, None, :] - C[None, :, :]) ** 2).sum(axis=2)
    np.testing.assert_allclose(km.squared_distances(X, C), direct, atol=1e-12)


# 102 neural network ----------------------------------------------------------------------
def test_mlp_backprop_matches_numerical_gradient() -> None:
    rng = np.random.default_rng(0)
    X = rng.normal(size=(6, 3))
    y = np.array([0, 1, 2, 1, 0, 2])
    model = nn.MLP(3, 5, 3, seed=0)
    _, grads = model.loss_and_grads(X, y)
    for name, param in model.params.items():
        numeric = nn.numerical_gradient(lambda: model.loss_and_grads(X, y)[0], param)
        np.testing.assert_allclose(grads[name], numeric, rtol=1e-5, atol=1e-8)


def test_mlp_learns_xor_like_data() -> None:
    rng = np.random.default_rng(0)
    X = rng.uniform(-1, 1, size=(200, 2))
    y = ((X[:, 0] > 0) ^ (X[:, 1] > 0)).astype(np.int64)  # not linearly separable
    model = nn.MLP(2, 16, 2, seed=0)
    history = model.fit(X, y, lr=0.5, epochs=150, batch_size=32, seed=0)
    assert history[-1] < history[0]
    assert (model.predict(X) == y).mean() > 0.9


# 103 decision tree -----------------------------------------------------------------------
def test_gini_values() -> None:
    assert dt.gini(np.array([5.0, 5.0])) == pytest.approx(0.5)
    assert dt.gini(np.array([10.0, 0.0])) == pytest.approx(0.0)
    assert dt.gini(np.array([1.0, 1.0, 1.0])) == pytest.approx(2.0 / 3.0)


def test_best_split_finds_threshold() -> None:
    X = np.array([[1.0, 5.0], [2.0, 1.0], [3.0, 4.0], [10.0, 2.0], [11.0, 3.0], [12.0, 6.0]])
    y = np.array([0, 0, 0, 1, 1, 1])
    feature, threshold, impurity = dt.best_split(X, y, n_classes=2)
    assert feature == 0 and threshold == pytest.approx(6.5) and impurity == 0.0


def test_tree_fits_axis_aligned_rule_and_respects_depth() -> None:
    rng = np.random.default_rng(0)
    X = rng.uniform(0, 1, size=(300, 3))
    y = ((X[:, 0] > 0.5) & (X[:, 2] < 0.3)).astype(np.int64)
    tree = dt.DecisionTreeClassifier().fit(X, y)
    assert (tree.predict(X) == y).all()
    X_test = rng.uniform(0, 1, size=(300, 3))
    y_test = ((X_test[:, 0] > 0.5) & (X_test[:, 2] < 0.3)).astype(np.int64)
    assert (tree.predict(X_test) == y_test).mean() > 0.95
    stump = dt.DecisionTreeClassifier(max_depth=1).fit(X, y)
    assert stump.depth() == 1


# 104 gradient descent for linear regression ----------------------------------------------
def test_gd_matches_closed_form_least_squares() -> None:
    rng = np.random.default_rng(0)
    X = rng.normal(size=(100, 3))
    y = X @ np.array([2.0, -1.0, 0.5]) + 3.0 + rng.normal(scale=0.1, size=100)
    w_ref, b_ref = gd.fit_closed_form(X, y)
    res = gd.fit_gd(X, y, lr=0.5 * gd.max_stable_lr(X), n_iter=5000)
    np.testing.assert_allclose(res.w, w_ref, atol=1e-6)
    assert res.b == pytest.approx(b_ref, abs=1e-6)
    assert all(a >= b - 1e-15 for a, b in zip(res.losses, res.losses[1:], strict=False))  # monotone decrease


def test_gd_diverges_above_stable_step() -> None:
    rng = np.random.default_rng(1)
    X = rng.normal(size=(50, 2))
    y = X @ np.array([1.0, 1.0])
    res = gd.fit_gd(X, y, lr=1.2 * gd.max_stable_lr(X), n_iter=200)
    assert res.losses[-1] > res.losses[0]


def test_minibatch_sgd_gets_close() -> None:
    rng = np.random.default_rng(0)
    X = rng.normal(size=(200, 2))
    y = X @ np.array([1.5, -2.0]) + 0.5
    res = gd.fit_gd(X, y, lr=0.05, n_iter=50, batch_size=20, seed=0)
    np.testing.assert_allclose(res.w, [1.5, -2.0], atol=1e-3)


# 105 logistic regression -----------------------------------------------------------------
def test_sigmoid_and_loss_are_stable() -> None:
    z = np.array([-1000.0, 0.0, 1000.0])
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # any overflow warning fails the test
        np.testing.assert_allclose(lr.sigmoid(z), [0.0, 0.5, 1.0])
        loss = lr.log_loss_from_logits(np.array([1000.0, -1000.0]), np.array([0.0, 1.0]))
    assert loss == pytest.approx(1000.0)


def test_logistic_gd_matches_newton_solution() -> None:
    rng = np.random.default_rng(0)
    X = rng.normal(size=(200, 2))
    p = 1.0 / (1.0 + np.exp(-(X @ np.array([2.0, -1.0]) + 0.5)))
    y = (rng.uniform(size=200) < p).astype(float)
    lam = 0.01
    model = lr.LogisticRegressionGD(lr=1.0, n_iter=5000, lam=lam).fit(X, y)
    # Reference: Newton's method on the same (strictly convex) objective.
    Xb = np.hstack([X, np.ones((200, 1))])
    theta = np.zeros(3)
    reg = np.diag([lam, lam, 0.0])
    for _ in range(25):
        q = 1.0 / (1.0 + np.exp(-Xb @ theta))
        grad = Xb.T @ (q - y) / 200 + reg @ theta
        hess = Xb.T @ (Xb * (q * (1 - q))[:, None]) / 200 + reg
        theta -= np.linalg.solve(hess, grad)
    np.testing.assert_allclose(np.r_[model.w, model.b], theta, atol=1e-5)
    assert (model.predict(X) == y).mean() > 0.7


# 106 k-NN --------------------------------------------------------------------------------
def test_knn_hand_example() -> None:
    X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [5.0, 5.0], [5.0, 6.0], [6.0, 5.0]])
    y = np.array(["a", "a", "a", "b", "b", "b"])
    model = knn.KNNClassifier(k=3).fit(X, y)
    assert list(model.predict(np.array([[0.2, 0.2], [5.5, 5.5], [2.0, 2.0]]))) == ["a", "b", "a"]
    dist, idx = model.kneighbors(np.array([[0.0, 0.0]]))
    assert idx[0, 0] == 0 and dist[0, 0] == 0.0
    np.testing.assert_allclose(dist[0], [0.0, 1.0, 1.0])


def test_knn_tie_goes_to_nearest_class_and_distance_weighting() -> None:
    X = np.array([[0.0], [1.0], [3.0], [10.0]])
    y = np.array([0, 0, 1, 1])
    # Query 2.2 with k=2: neighbours 3.0 (class 1, d=0.8) and 1.0 (class 0, d=1.2): a 1-1 tie.
    assert knn.KNNClassifier(k=2).fit(X, y).predict(np.array([[2.2]]))[0] == 1
    # Query 2.6, k=3: neighbours 3.0 (class 1, d=0.4), 1.0 (class 0, d=1.6), 0.0 (class 0, d=2.6).
    # Uniform vote: 2 against 1 for class 0. Inverse-distance vote: 2.5 for class 1 vs ~1.01 for class 0.
    q = np.array([[2.6]])
    assert knn.KNNClassifier(k=3).fit(X, y).predict(q)[0] == 0
    assert knn.KNNClassifier(k=3, weights="distance").fit(X, y).predict(q)[0] == 1


def test_knn_matches_brute_force() -> None:
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(60, 4)), rng.integers(0, 3, size=60)
    Q = rng.normal(size=(10, 4))
    model = knn.KNNClassifier(k=5, chunk_size=3).fit(X, y)
    _, idx = model.kneighbors(Q)
    brute = np.argsort(np.linalg.norm(Q[:, None, :] - X[None, :, :], axis=2), axis=1)[:, :5]
    np.testing.assert_array_equal(idx, brute)


# 107 softmax and cross-entropy -----------------------------------------------------------
def test_softmax_matches_direct_and_survives_large_inputs() -> None:
    z = np.array([[1.0, 2.0, 3.0], [0.5, -1.0, 2.0]])
    direct = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
    np.testing.assert_allclose(sm.softmax(z), direct)
    big = np.array([[1000.0, 1000.0, 990.0], [-1000.0, -1000.0, -1000.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        p = sm.softmax(big)
        logp = sm.log_softmax(big)
    assert np.isfinite(p).all() and np.isfinite(logp).all()
    np.testing.assert_allclose(p.sum(axis=1), 1.0)
    np.testing.assert_allclose(p[1], [1 / 3, 1 / 3, 1 / 3])
    assert logp[0, 2] == pytest.approx(-10.0 - np.log(2.0 + np.exp(-10.0)))


def test_cross_entropy_value_and_gradient() -> None:
    logits = np.array([[2.0, 1.0, 0.1], [0.0, 0.0, 0.0]])
    y = np.array([0, 2])
    expected = -(np.log(np.exp(2.0) / np.exp(logits[0]).sum()) + np.log(1 / 3)) / 2
    assert sm.cross_entropy(logits, y) == pytest.approx(expected)
    # Huge wrong-class margin: finite loss of ~1000, where log(softmax) would give inf.
    assert sm.cross_entropy(np.array([[0.0, 1000.0]]), np.array([0])) == pytest.approx(1000.0)
    g = sm.cross_entropy_grad(logits, y)
    eps = 1e-6
    num = np.zeros_like(logits)
    for i in range(logits.shape[0]):
        for j in range(logits.shape[1]):
            lp, lm = logits.copy(), logits.copy()
            lp[i, j] += eps
            lm[i, j] -= eps
            num[i, j] = (sm.cross_entropy(lp, y) - sm.cross_entropy(lm, y)) / (2 * eps)
    np.testing.assert_allclose(g, num, atol=1e-8)
    onehot = np.eye(3)[y]
    assert sm.cross_entropy_soft(logits, onehot) == pytest.approx(sm.cross_entropy(logits, y))


# 108 PCA via SVD -------------------------------------------------------------------------
def test_pca_matches_covariance_eigendecomposition() -> None:
    rng = np.random.default_rng(0)
    X = rng.normal(size=(200, 3)) @ np.array([[3.0, 0.0, 0.0], [1.0, 1.0, 0.0], [0.0, 0.5, 0.2]])
    model = pc.pca(X)
    evals, evecs = np.linalg.eigh(np.cov(X, rowvar=False))
    evals, evecs = evals[::-1], evecs[:, ::-1]
    np.testing.assert_allclose(model.explained_variance, evals, rtol=1e-10)
    for i in range(3):  # same axes up to sign
        assert abs(model.components[i] @ evecs[:, i]) == pytest.approx(1.0, abs=1e-10)
    np.testing.assert_allclose(model.components @ model.components.T, np.eye(3), atol=1e-12)
    assert model.explained_variance_ratio.sum() == pytest.approx(1.0)


def test_pca_projection_and_reconstruction() -> None:
    rng = np.random.default_rng(1)
    X = rng.normal(size=(50, 4))
    full = pc.pca(X)
    np.testing.assert_allclose(pc.inverse_transform(full, pc.transform(full, X)), X, atol=1e-10)
    # Data lying on a line in 3-D: one component explains everything.
    t = rng.normal(size=(40, 1))
    line = t @ np.array([[1.0, 2.0, -2.0]]) + 5.0
    m1 = pc.pca(line, n_components=1)
    assert m1.explained_variance_ratio[0] == pytest.approx(1.0)
    np.testing.assert_allclose(pc.inverse_transform(m1, pc.transform(m1, line)), line, atol=1e-10)
    assert pc.n_components_for_variance(pc.pca(line), 0.99) == 1


# 109 ROC AUC -----------------------------------------------------------------------------
def test_auc_hand_computed() -> None:
    y = np.array([0, 0, 1, 1])
    s = np.array([0.1, 0.4, 0.35, 0.8])
    # Positive-negative pairs ranked correctly: (0.35>0.1), (0.8>0.1), (0.8>0.4) -> 3 of 4.
    assert auc.roc_auc_rank(y, s) == pytest.approx(0.75)
    assert auc.roc_auc_curve(y, s) == pytest.approx(0.75)
    fpr, tpr, _ = auc.roc_curve(y, s)
    np.testing.assert_allclose(fpr, [0.0, 0.0, 0.5, 0.5, 1.0])
    np.testing.assert_allclose(tpr, [0.0, 0.5, 0.5, 1.0, 1.0])


def test_auc_ties_and_invariance() -> None:
    assert auc.roc_auc_rank([0, 1], [0.5, 0.5]) == pytest.approx(0.5)
    y = np.array([1, 0, 1, 0, 1, 0])
    s = np.array([0.9, 0.9, 0.5, 0.3, 0.3, 0.1])
    # Pairs: (0.9 vs .9 tie=.5, >.3, >.1), (0.5: <.9, >.3, >.1), (0.3: <.9, tie .5, >.1) -> 6/9
    assert auc.roc_auc_rank(y, s) == pytest.approx(6.0 / 9.0)
    assert auc.roc_auc_curve(y, s) == pytest.approx(6.0 / 9.0)
    assert auc.roc_auc_rank(y, np.exp(3 * s)) == pytest.approx(6.0 / 9.0)  # monotone transform
    rng = np.random.default_rng(0)
    y2, s2 = rng.integers(0, 2, 300), np.round(rng.normal(size=300), 1)
    pairwise = (s2[y2 == 1][:, None] > s2[y2 == 0][None, :]).mean() + 0.5 * (
        s2[y2 == 1][:, None] == s2[y2 == 0][None, :]
    ).mean()
    assert auc.roc_auc_rank(y2, s2) == pytest.approx(pairwise)
    assert auc.roc_auc_curve(y2, s2) == pytest.approx(pairwise)
    with pytest.raises(ValueError):
        auc.roc_auc_rank([1, 1], [0.2, 0.3])


# 110 stratified k-fold -------------------------------------------------------------------
def test_stratified_kfold_preserves_class_ratios() -> None:
    y = np.array([0] * 80 + [1] * 20)
    folds = list(skf.stratified_kfold(y, n_splits=5, shuffle=True, seed=0))
    assert len(folds) == 5
    all_test = np.concatenate([test for _, test in folds])
    assert sorted(all_test.tolist()) == list(range(100))  # each sample tested exactly once
    for train, test in folds:
        assert len(np.intersect1d(train, test)) == 0 and len(train) + len(test) == 100
        assert (y[test] == 1).sum() == 4 and (y[test] == 0).sum() == 16


def test_stratified_kfold_uneven_counts_and_warning() -> None:
    y = np.array(["a"] * 7 + ["b"] * 5 + ["c"] * 3)
    ids = skf.stratified_fold_ids(y, n_splits=3, shuffle=True, seed=1)
    sizes = np.bincount(ids, minlength=3)
    assert sizes.max() - sizes.min() <= 1
    for label in "abc":
        per_fold = np.bincount(ids[y == label], minlength=3)
        assert per_fold.max() - per_fold.min() <= 1
    with pytest.warns(UserWarning):
        skf.stratified_fold_ids(np.array([0, 0, 0, 0, 1]), n_splits=3)
    # Same seed -> same folds; without shuffling the seed is irrelevant.
    np.testing.assert_array_equal(ids, skf.stratified_fold_ids(y, 3, True, 1))
    np.testing.assert_array_equal(skf.stratified_fold_ids(y, 3, False, 1), skf.stratified_fold_ids(y, 3, False, 2))
