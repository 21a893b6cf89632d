"""Hidden tests for Q111, Gaussian Naive Bayes. Each test gets the candidate's module."""

import numpy as np
from harness import check, check_close, check_equal


def _bayes_posterior(X, y, x):
    """P(class | x) by Bayes' rule with plain per-class Gaussian densities (ddof=0 variances), sorted labels."""
    classes = np.unique(y)
    joint = []
    for c in classes:
        Xc = X[y == c]
        mu, var = Xc.mean(axis=0), Xc.var(axis=0)
        density = np.prod(np.exp(-((x - mu) ** 2) / (2 * var)) / np.sqrt(2 * np.pi * var))
        joint.append(len(Xc) / len(X) * density)
    joint = np.array(joint)
    return joint / joint.sum()


def test_separates_two_gaussian_blobs(candidate):
    rng = np.random.default_rng(0)
    X = np.vstack([rng.normal([0, 0], 1.0, (60, 2)), rng.normal([8, 8], 1.0, (40, 2))])
    y = np.array([0] * 60 + [1] * 40)
    model = candidate.GaussianNaiveBayes().fit(X, y)
    got = np.asarray(model.predict(X))
    check(got.shape == (100,), f"blobs at (0,0) and (8,8), 100 points: expected predict shape (100,), got {got.shape}")
    wrong = int(np.sum(got != y))
    check(wrong == 0, f"blobs at (0,0) and (8,8): expected every training point right, {wrong} of 100 wrong")
    check_equal(
        np.asarray(model.predict(np.array([[0.5, -0.5], [7.5, 8.5]]))),
        np.array([0, 1]),
        "blobs at (0,0) and (8,8), predict [[0.5, -0.5], [7.5, 8.5]]",
    )


def test_posterior_matches_bayes_rule(candidate):
    rng = np.random.default_rng(1)
    X = np.vstack([rng.normal(m, s, (n, 2)) for m, s, n in [([0, 1], 1.0, 12), ([2, 0], 1.5, 8), ([1, 3], 0.7, 10)]])
    y = np.array([0] * 12 + [1] * 8 + [2] * 10)
    model = candidate.GaussianNaiveBayes().fit(X, y)
    queries = np.array([[1.0, 1.0], [0.0, 2.5], [2.5, -0.5]])
    want = np.array([_bayes_posterior(X, y, q) for q in queries])
    got = np.asarray(model.predict_proba(queries))
    check_close(
        got,
        want,
        "3 classes, 2 features, predict_proba vs prior x product of Gaussian pdfs (ddof=0), normalised",
        rtol=1e-5,
        atol=1e-8,
    )


def test_priors_are_the_class_frequencies(candidate):
    # Class 0: mean 0, variance 1 (6 points); class 1: mean 10, variance 1 (2 points). At x = 5 the likelihoods
    # are equal, so the posterior is exactly the prior.
    X = np.array([[-1.0], [1.0], [-1.0], [1.0], [-1.0], [1.0], [9.0], [11.0]])
    y = np.array([0, 0, 0, 0, 0, 0, 1, 1])
    got = np.asarray(candidate.GaussianNaiveBayes().fit(X, y).predict_proba(np.array([[5.0]])))
    check_close(
        got, np.array([[0.75, 0.25]]), "6 points of class 0 around 0, 2 of class 1 around 10, x=5", rtol=1e-6, atol=1e-9
    )


def test_fixed_priors_argument(candidate):
    X = np.array([[-1.0], [1.0], [-1.0], [1.0], [-1.0], [1.0], [9.0], [11.0]])
    y = np.array([0, 0, 0, 0, 0, 0, 1, 1])
    got = np.asarray(candidate.GaussianNaiveBayes(priors=[0.2, 0.8]).fit(X, y).predict_proba(np.array([[5.0]])))
    check_close(got, np.array([[0.2, 0.8]]), "priors=[0.2, 0.8], equal likelihoods at x=5", rtol=1e-6, atol=1e-9)


def test_string_labels_come_back_in_sorted_order(candidate):
    X = np.array([[0.0], [0.2], [5.0], [5.2], [10.0], [10.2]])
    y = np.array(["dog", "dog", "cat", "cat", "bird", "bird"])
    model = candidate.GaussianNaiveBayes().fit(X, y)
    check_equal(np.asarray(model.classes_).tolist(), ["bird", "cat", "dog"], "labels dog/cat/bird: classes_")
    check_equal(
        np.asarray(model.predict(np.array([[0.1], [5.1], [9.9]]))).tolist(),
        ["dog", "cat", "bird"],
        "dog near 0, cat near 5, bird near 10: predict [[0.1], [5.1], [9.9]]",
    )
    proba = np.asarray(model.predict_proba(np.array([[0.1]])))
    check(
        proba.shape == (1, 3) and int(np.argmax(proba[0])) == 2,
        f"dog near 0, x=0.1: the 'dog' column (last, in sorted order) should be largest, got {proba}",
    )


def test_feature_constant_within_each_class(candidate):
    # Feature 0 is 0 for every point of class 0 and 1 for every point of class 1: zero variance within a class.
    rng = np.random.default_rng(2)
    X = np.column_stack([np.repeat([0.0, 1.0], 10), rng.normal(0, 1, 20)])
    y = np.repeat([0, 1], 10)
    model = candidate.GaussianNaiveBayes().fit(X, y)
    queries = np.array([[0.0, 0.3], [1.0, -0.2], [0.0, 2.0]])
    proba = np.asarray(model.predict_proba(queries))
    check(np.all(np.isfinite(proba)), f"a feature constant within each class: predict_proba has nan/inf: {proba}")
    check_close(
        proba.sum(axis=1),
        np.ones(3),
        "a feature constant within each class: rows of predict_proba sum to 1",
        rtol=1e-6,
        atol=1e-9,
    )
    check_equal(
        np.asarray(model.predict(queries)),
        np.array([0, 1, 0]),
        "feature 0 is 0 in class 0 and 1 in class 1: predict [[0, 0.3], [1, -0.2], [0, 2]]",
    )


def test_feature_constant_in_all_the_data(candidate):
    # A column of 3.0 everywhere carries no information: the posteriors equal those of a model without it.
    rng = np.random.default_rng(3)
    X = np.vstack([rng.normal(0, 1, (15, 2)), rng.normal(2, 1, (15, 2))])
    y = np.repeat([0, 1], 15)
    queries = np.array([[0.5, 1.0], [1.5, 1.2], [-1.0, 0.0]])
    with_const = np.column_stack([X, np.full(30, 3.0)])
    q_const = np.column_stack([queries, np.full(3, 3.0)])
    got = np.asarray(candidate.GaussianNaiveBayes().fit(with_const, y).predict_proba(q_const))
    want = np.array([_bayes_posterior(X, y, q) for q in queries])
    check_close(
        got, want, "2 informative features plus one constant 3.0 column: posteriors as without it", rtol=1e-5, atol=1e-7
    )


def test_far_point_does_not_underflow(candidate):
    X = np.array([[0.0], [0.1], [10.0], [10.1]])
    y = np.array(["a", "a", "b", "b"])
    model = candidate.GaussianNaiveBayes().fit(X, y)
    proba = np.asarray(model.predict_proba(np.array([[1e3]])))
    check(
        np.all(np.isfinite(proba)) and np.isclose(proba.sum(), 1.0),
        f"a near 0, b near 10, x=1000 (raw densities underflow to 0): expected finite probabilities summing "
        f"to 1, got {proba}",
    )
    check_equal(np.asarray(model.predict(np.array([[1e3]]))).tolist(), ["b"], "a near 0, b near 10, predict x=1000")


def test_many_features_do_not_underflow(candidate):
    rng = np.random.default_rng(4)
    d = 800
    X = np.vstack([rng.normal(0, 1, (20, d)), rng.normal(0.5, 1, (20, d))])
    y = np.repeat([0, 1], 20)
    model = candidate.GaussianNaiveBayes().fit(X, y)
    queries = np.vstack([rng.normal(0, 1, (5, d)), rng.normal(0.5, 1, (5, d))])
    proba = np.asarray(model.predict_proba(queries))
    check(
        proba.shape == (10, 2) and np.all(np.isfinite(proba)) and np.allclose(proba.sum(axis=1), 1.0),
        f"800 features (the product of densities underflows): expected finite rows summing to 1, got {proba}",
    )
    check_equal(
        np.asarray(model.predict(queries)),
        np.repeat([0, 1], 5),
        "800 features, class means 0 and 0.5: predict 5 new points from each",
    )


def test_multiclass_probabilities_agree_with_predict(candidate):
    rng = np.random.default_rng(5)
    centers = rng.normal(0, 3, (5, 3))
    X = np.vstack([rng.normal(c, 1.0, (30, 3)) for c in centers])
    y = np.repeat([10, 20, 30, 40, 50], 30)
    model = candidate.GaussianNaiveBayes().fit(X, y)
    queries = rng.normal(0, 3, (50, 3))
    proba = np.asarray(model.predict_proba(queries))
    check(proba.shape == (50, 5), f"5 classes, 50 queries: expected predict_proba shape (50, 5), got {proba.shape}")
    check(
        np.all(proba >= 0) and np.allclose(proba.sum(axis=1), 1.0),
        f"5 classes: rows should be non-negative and sum to 1, got row sums {proba.sum(axis=1)}",
    )
    check_equal(
        np.asarray(model.predict(queries)),
        np.array([10, 20, 30, 40, 50])[np.argmax(proba, axis=1)],
        "5 classes labelled 10..50: predict should be the label of the largest predict_proba column",
    )
