"""Hidden tests for Q108, PCA through the SVD. Each test gets the candidate's module.

Principal axes are defined only up to sign, so components are compared through |dot products| or through the
projection onto the subspace they span, never entry by entry.
"""

import numpy as np
from harness import check, check_close, check_equal

TIME_LIMITS = {"test_wide_data_without_a_d_by_d_matrix": 5.0}


def correlated(seed, n=120, d=5):
    rng = np.random.default_rng(seed)
    A = rng.normal(size=(d, d)) * np.array([5.0, 3.0, 2.0, 1.0, 0.5])[:d]
    return rng.normal(size=(n, d)) @ A + rng.normal(size=d) * 10  # non-zero mean


def arr(x):
    return np.asarray(x, dtype=float)


def test_matches_the_covariance_eigendecomposition(candidate):
    X = correlated(seed=0)
    evals, evecs = np.linalg.eigh(np.cov(X, rowvar=False))
    evals, evecs = evals[::-1], evecs[:, ::-1]
    model = candidate.pca(X, n_components=3)
    check_close(arr(model.mean), X.mean(axis=0), "120 x 5 data: mean")
    check_close(
        arr(model.explained_variance),
        evals[:3],
        "120 x 5 data, k=3: explained_variance vs eigenvalues of np.cov (divide by n - 1)",
    )
    check_close(
        arr(model.explained_variance_ratio), evals[:3] / evals.sum(), "120 x 5 data, k=3: explained_variance_ratio"
    )
    Xc = X - X.mean(axis=0)
    check_close(
        arr(model.singular_values), np.linalg.svd(Xc, compute_uv=False)[:3], "120 x 5 data, k=3: singular_values"
    )
    C = arr(model.components)
    check(C.shape == (3, 5), f"120 x 5 data, k=3: components should have shape (3, 5), got {C.shape}")
    dots = np.abs((C @ evecs[:, :3]).diagonal())
    check_close(dots, np.ones(3), "120 x 5 data, k=3: |component_i . eigenvector_i| (components match up to sign)")


def test_components_are_orthonormal_and_sorted(candidate):
    X = correlated(seed=1, n=80, d=5)
    model = candidate.pca(X)
    C = arr(model.components)
    check(C.shape == (5, 5), f"80 x 5 data, n_components=None: expected 5 components, got shape {C.shape}")
    check_close(C @ C.T, np.eye(5), "80 x 5 data: components @ components.T (orthonormal rows)", atol=1e-9)
    var = arr(model.explained_variance)
    check(
        np.all(np.diff(var) <= 1e-12 * var[0]), f"explained_variance should be decreasing, got {var.round(4).tolist()}"
    )
    check_close(float(arr(model.explained_variance_ratio).sum()), 1.0, "all components kept: sum of ratios")


def test_points_on_a_line_have_one_component(candidate):
    t = np.linspace(-3.0, 5.0, 30)
    direction = np.array([1.0, -2.0, 2.0]) / 3.0
    X = np.outer(t, direction) + np.array([4.0, 0.0, -1.0])
    model = candidate.pca(X, n_components=2)
    check_close(float(arr(model.explained_variance_ratio)[0]), 1.0, "30 points on a line in 3-D: first ratio")
    check_close(
        float(arr(model.explained_variance_ratio)[1]), 0.0, "30 points on a line in 3-D: second ratio", atol=1e-12
    )
    check_close(
        float(abs(arr(model.components)[0] @ direction)), 1.0, "points on a line: |first component . direction|"
    )


def test_transform_uses_the_training_mean(candidate):
    X = correlated(seed=2)
    model = candidate.pca(X, n_components=2)
    Z = arr(candidate.transform(model, X))
    check(Z.shape == (120, 2), f"transform of 120 rows, k=2: expected shape (120, 2), got {Z.shape}")
    check_close(Z.mean(axis=0), np.zeros(2), "scores of the training data: column means", atol=1e-9)
    check_close(Z.var(axis=0, ddof=1), arr(model.explained_variance), "scores of the training data: variances (ddof=1)")
    new = X[:3] + 100.0
    check_close(
        arr(candidate.transform(model, new)),
        Z[:3] + 100.0 * arr(model.components).sum(axis=1),
        "transform of 3 new rows shifted by +100: centred with the training mean, not their own",
    )


def test_reconstruction(candidate):
    X = correlated(seed=3, n=60, d=5)
    full = candidate.pca(X)
    back = arr(candidate.inverse_transform(full, candidate.transform(full, X)))
    check_close(back, X, "all 5 components: inverse_transform(transform(X)) == X", atol=1e-8)
    two = candidate.pca(X, n_components=2)
    err = float(((X - arr(candidate.inverse_transform(two, candidate.transform(two, X)))) ** 2).sum())
    lost = float(arr(full.explained_variance)[2:].sum() * (60 - 1))
    check_close(err, lost, "2 of 5 components: squared reconstruction error vs (n - 1) x the dropped variances")


def test_wide_data_without_a_d_by_d_matrix(candidate):
    # n=100, d=20,000: the covariance matrix would have 4e8 entries (3.2 GB) and a full SVD a 20,000 x 20,000 V.
    # The thin SVD takes the reference about 0.3 s. The check uses the small n x n Gram matrix.
    rng = np.random.default_rng(4)
    X = rng.normal(size=(100, 5)) @ rng.normal(size=(5, 20000)) + 0.1 * rng.normal(size=(100, 20000))
    model = candidate.pca(X, n_components=5)
    C = arr(model.components)
    check(C.shape == (5, 20000), f"100 x 20,000 data, k=5: components should have shape (5, 20000), got {C.shape}")
    Xc = X - X.mean(axis=0)
    gram = np.linalg.eigvalsh(Xc @ Xc.T)[::-1][:5] / 99
    check_close(arr(model.explained_variance), gram, "100 x 20,000 data, k=5: explained_variance", rtol=1e-6)
    check_close(C @ C.T, np.eye(5), "100 x 20,000 data: components orthonormal", atol=1e-8)


def test_invalid_arguments_raise(candidate):
    cases = [
        ("one sample", np.ones((1, 3)), None),
        ("n_components=0", np.eye(4), 0),
        ("n_components=5 > min(n, d) = 4", np.eye(4) + np.arange(4), 5),
    ]
    for name, X, k in cases:
        try:
            candidate.pca(X, n_components=k)
        except ValueError:
            continue
        check(False, f"pca with {name}: expected ValueError, got no error")


def test_zero_variance_data(candidate):
    X = np.tile(np.array([1.0, -2.0, 3.0]), (5, 1))
    with np.errstate(all="ignore"):
        model = candidate.pca(X, n_components=2)
    check_close(arr(model.explained_variance), np.zeros(2), "5 identical rows: explained_variance", atol=1e-12)
    check_equal(
        arr(model.explained_variance_ratio).tolist(),
        [0.0, 0.0],
        "5 identical rows: explained_variance_ratio (0, not NaN, when the total variance is 0)",
    )


def test_constant_feature_gets_no_loading(candidate):
    X = correlated(seed=5, n=50, d=4)
    X[:, 2] = 7.0
    model = candidate.pca(X, n_components=3)
    check_close(
        np.abs(arr(model.components)[:, 2]),
        np.zeros(3),
        "feature 2 constant: its loading in every component",
        atol=1e-9,
    )
    check_close(float(arr(model.explained_variance_ratio).sum()), 1.0, "3 varying features, k=3: sum of ratios")
