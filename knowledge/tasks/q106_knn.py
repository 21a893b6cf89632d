"""Hidden tests for Q106, a k-nearest-neighbours classifier. Each test gets the candidate's module."""

import numpy as np
from harness import check, check_close, check_equal

TIME_LIMITS = {"test_vectorised_1000_queries_against_5000_points": 3.0}


def knn(candidate, X, y, **kwargs):
    return candidate.KNNClassifier(**kwargs).fit(np.asarray(X, dtype=float), np.asarray(y))


def test_kneighbors_nearest_first(candidate):
    model = knn(candidate, [[0.0, 0.0], [1.0, 0.0], [3.0, 0.0], [7.0, 0.0], [0.0, 4.0]], [0, 0, 1, 1, 1], k=3)
    dist, idx = model.kneighbors(np.array([[2.1, 0.0], [6.0, 1.0]]))
    check_equal(
        np.asarray(idx).tolist(),
        [[2, 1, 0], [3, 2, 1]],
        "points on the x-axis, queries (2.1, 0) and (6, 1), k=3: indices",
    )
    want = np.array([[0.9, 1.1, 2.1], [np.sqrt(2.0), np.sqrt(10.0), np.sqrt(26.0)]])
    check_close(np.asarray(dist, dtype=float), want, "queries (2.1, 0) and (6, 1), k=3: Euclidean distances")


def test_majority_vote(candidate):
    X = [[0.0], [0.5], [1.0], [5.0], [5.5], [6.0], [6.5]]
    y = [0, 0, 0, 1, 1, 1, 1]
    model = knn(candidate, X, y, k=3)
    check_equal(
        np.asarray(model.predict(np.array([[0.2], [2.0], [4.0], [9.0]]))).tolist(),
        [0, 0, 1, 1],
        "two groups on a line, k=3: predict at 0.2, 2, 4, 9",
    )
    # k=5 at 2.6: neighbours 1.0, 0.5, 0.0 (class 0) and 5.0, 5.5 (class 1): 3 votes to 2.
    check_equal(
        np.asarray(knn(candidate, X, y, k=5).predict(np.array([[2.6]]))).tolist(),
        [0],
        "k=5 at 2.6 (3 neighbours of class 0, 2 of class 1)",
    )


def test_k1_returns_the_training_labels(candidate):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(60, 4))
    y = rng.integers(0, 5, size=60)
    check_equal(
        np.asarray(knn(candidate, X, y, k=1).predict(X)), y, "60 distinct points, k=1: predict on the training set"
    )


def test_string_labels(candidate):
    X = [[0.0, 0.0], [0.0, 1.0], [10.0, 10.0], [10.0, 11.0]]
    y = np.array(["cat", "cat", "dog", "dog"])
    got = np.asarray(knn(candidate, X, y, k=1).predict(np.array([[1.0, 0.0], [9.0, 9.0]])))
    check_equal(got.tolist(), ["cat", "dog"], "labels 'cat'/'dog', k=1: predict")


def test_tie_goes_to_the_class_of_the_nearest_neighbour(candidate):
    X = [[0.0], [1.0], [3.0], [4.5]]
    y = [0, 0, 1, 1]
    # k=2 at 2.1: neighbours 3.0 (class 1, 0.9 away) and 1.0 (class 0, 1.1 away): one vote each, class 1 is nearer.
    check_equal(
        np.asarray(knn(candidate, X, y, k=2).predict(np.array([[2.1]]))).tolist(),
        [1],
        "k=2 at 2.1, one vote each, class 1 is nearer",
    )
    # k=4 at 1.9: 2 votes each; the nearest neighbour (1.0) is class 0.
    check_equal(
        np.asarray(knn(candidate, X, y, k=4).predict(np.array([[1.9]]))).tolist(),
        [0],
        "k=4 at 1.9, two votes each, nearest neighbour class 0",
    )
    check_equal(
        np.asarray(knn(candidate, X, [5, 5, 2, 2], k=2).predict(np.array([[1.9], [2.1]]))).tolist(),
        [5, 2],
        "labels 5 and 2, k=2 ties at 1.9 and 2.1: the nearer class, whatever its label value",
    )


def test_distance_weights_can_overturn_the_majority(candidate):
    X = [[0.0], [3.0], [3.2]]
    y = [1, 0, 0]
    q = np.array([[0.5]])
    check_equal(
        np.asarray(knn(candidate, X, y, k=3).predict(q)).tolist(), [0], "k=3 uniform at 0.5: two votes of class 0"
    )
    check_equal(
        np.asarray(knn(candidate, X, y, k=3, weights="distance").predict(q)).tolist(),
        [1],
        "k=3 distance-weighted at 0.5: 1/0.5 = 2 for class 1 beats 1/2.5 + 1/2.7 for class 0",
    )


def test_exact_matches_take_the_vote(candidate):
    X = [[0.0, 0.0], [0.001, 0.0], [0.0, 0.001], [5.0, 5.0]]
    y = [7, 3, 3, 3]
    model = knn(candidate, X, y, k=3, weights="distance")
    with np.errstate(all="ignore"):
        got = np.asarray(model.predict(np.array([[0.0, 0.0], [0.003, 0.0]])))
    check_equal(
        got.tolist(),
        [7, 3],
        "distance weights, k=3, a query on a training point of class 7 (two class-3 "
        "points 0.001 away), and a query off it: predict",
    )
    # Three training points sit exactly on the query (one of class 3, two of class 7): they share the whole vote.
    X = [[0.0, 0.0], [0.0, 0.0], [0.0, 0.0], [0.001, 0.0], [0.0, 0.001]]
    y = [3, 7, 7, 3, 3]
    with np.errstate(all="ignore"):
        got = np.asarray(knn(candidate, X, y, k=5, weights="distance").predict(np.array([[0.0, 0.0]])))
    check_equal(
        got.tolist(),
        [7],
        "distance weights, k=5, exact matches of classes [3, 7, 7] plus two class-3 points 0.001 away: predict",
    )


def test_invalid_arguments_raise(candidate):
    X, y = np.zeros((3, 2)), np.array([0, 1, 0])
    for k in (0, 4):
        try:
            candidate.KNNClassifier(k=k).fit(X, y)
        except ValueError:
            continue
        check(False, f"3 training points, k={k}: expected ValueError from fit, got no error")
    try:
        candidate.KNNClassifier(k=1, weights="gaussian").fit(X, y)
    except ValueError:
        return
    check(False, "weights='gaussian': expected ValueError, got no error")


def test_k_equals_n_is_the_overall_majority(candidate):
    X = [[0.0], [1.0], [2.0], [30.0], [31.0]]
    y = [4, 4, 4, 9, 9]
    check_equal(
        np.asarray(knn(candidate, X, y, k=5).predict(np.array([[30.5], [-3.0]]))).tolist(),
        [4, 4],
        "k = n = 5: every query gets the majority class 4",
    )


def test_vectorised_1000_queries_against_5000_points(candidate):
    # 1,000 queries x 5,000 training points in 8-D: the reference (one matrix product per chunk, argpartition)
    # takes about 0.15 s; a Python loop over query-point pairs needs 5 million iterations, several seconds.
    rng = np.random.default_rng(1)
    X = rng.normal(size=(5000, 8))
    y = (X[:, 0] + 0.3 * rng.normal(size=5000) > 0).astype(int)
    Q = rng.normal(size=(1000, 8))
    model = candidate.KNNClassifier(k=5).fit(X, y)
    got = np.asarray(model.predict(Q))
    check(got.shape == (1000,), f"1,000 queries: expected 1,000 predictions, got shape {got.shape}")
    for i in range(0, 1000, 100):  # spot-check ten queries by brute force
        nearest = np.argsort(((X - Q[i]) ** 2).sum(axis=1))[:5]
        want = int(np.bincount(y[nearest], minlength=2).argmax())
        check_equal(int(got[i]), want, f"1,000 queries x 5,000 points, k=5: query {i}")
