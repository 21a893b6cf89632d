"""Hidden tests for Q103, a CART decision tree classifier with Gini impurity. Each test gets the candidate's module."""

import numpy as np
from harness import check, check_close, check_equal

TIME_LIMITS = {"test_split_search_scales_to_20000_samples": 3.0}


def tree(candidate, **kwargs):
    return candidate.DecisionTreeClassifier(**kwargs)


def test_gini_of_class_counts(candidate):
    for counts, want in [
        ([5, 5], 0.5),
        ([10, 0], 0.0),
        ([1, 1, 1, 1], 0.75),
        ([3, 1], 0.375),
        ([2.0, 4.0, 2.0], 0.625),
    ]:
        check_close(float(candidate.gini(np.array(counts))), want, f"gini({counts})")
    check_close(float(candidate.gini(np.array([0, 0, 0]))), 0.0, "gini([0, 0, 0]) of an empty node")


def test_fits_distinct_training_points_perfectly(candidate):
    rng = np.random.default_rng(0)
    X = rng.uniform(size=(150, 3))
    y = rng.integers(0, 3, size=150)  # random labels: only an unlimited tree memorises them
    model = tree(candidate).fit(X, y)
    got = np.asarray(model.predict(X))
    check_equal(got, y, "150 random points, random labels in 0..2, no depth limit: predict on the training data")
    check(np.issubdtype(got.dtype, np.integer), f"predict should return integer labels, got dtype {got.dtype}")


def test_learns_an_axis_aligned_rule(candidate):
    rng = np.random.default_rng(1)
    X = rng.uniform(size=(400, 4))
    rule = lambda Z: np.where(Z[:, 2] > 0.6, 2, np.where(Z[:, 0] < 0.3, 1, 0))  # noqa: E731
    model = tree(candidate, max_depth=3).fit(X, rule(X))
    Xt = rng.uniform(size=(2000, 4))
    accuracy = float((np.asarray(model.predict(Xt)) == rule(Xt)).mean())
    check(
        accuracy >= 0.97,
        f"400 points labelled by x2 > 0.6 / x0 < 0.3, max_depth=3: expected held-out accuracy "
        f">= 0.97, got {accuracy:.3f}",
    )


def test_stump_takes_the_best_split(candidate):
    # Feature 0 is noise, feature 1 separates the classes between 2 and 5.
    X = np.array([[5.0, 0.0], [1.0, 1.0], [4.0, 2.0], [2.0, 5.0], [6.0, 6.0], [3.0, 7.0]])
    y = np.array([0, 0, 0, 1, 1, 1])
    model = tree(candidate, max_depth=1).fit(X, y)
    check_equal(int(model.depth()), 1, "6 points separable on feature 1, max_depth=1: depth()")
    Xt = np.array([[9.0, 1.5], [0.0, 1.9], [9.0, 5.5], [0.0, 9.0]])
    check_equal(
        np.asarray(model.predict(Xt)), np.array([0, 0, 1, 1]), "stump on feature 1 (cut between 2 and 5): predict"
    )


def test_depth_limits_and_majority_leaves(candidate):
    X = np.arange(5, dtype=float).reshape(-1, 1)
    y = np.array([0, 1, 1, 2, 1])
    root_only = tree(candidate, max_depth=0).fit(X, y)
    check_equal(np.asarray(root_only.predict(X)), np.array([1, 1, 1, 1, 1]), "y=[0,1,1,2,1], max_depth=0: predict")
    check_equal(int(root_only.depth()), 0, "max_depth=0: depth()")
    rng = np.random.default_rng(2)
    Xr, yr = rng.normal(size=(300, 2)), rng.integers(0, 2, size=300)
    limited = tree(candidate, max_depth=3).fit(Xr, yr)
    check(int(limited.depth()) <= 3, f"300 noisy points, max_depth=3: depth() should be <= 3, got {limited.depth()}")
    full = tree(candidate).fit(Xr, yr)
    check(int(full.depth()) > 3, f"300 noisy points, no limit: the tree should grow past depth 3, got {full.depth()}")


def test_constant_features_and_duplicate_rows(candidate):
    X = np.ones((6, 2))
    y = np.array([2, 0, 2, 1, 2, 0])
    model = tree(candidate).fit(X, y)
    check_equal(np.asarray(model.predict(X)), np.full(6, 2), "constant features, y=[2,0,2,1,2,0]: predict (majority 2)")
    check_equal(int(model.depth()), 0, "constant features: no split possible, depth()")
    # Identical rows with conflicting labels cannot be separated; the tree must stop, not recurse forever.
    X2 = np.array([[0.0], [0.0], [0.0], [1.0], [1.0]])
    y2 = np.array([1, 1, 0, 0, 0])
    check_equal(
        np.asarray(tree(candidate).fit(X2, y2).predict(np.array([[0.0], [1.0]]))),
        np.array([1, 0]),
        "x=[0,0,0,1,1], y=[1,1,0,0,0] (duplicates disagree): predict([0, 1])",
    )


def test_min_samples_leaf(candidate):
    X = np.arange(10, dtype=float).reshape(-1, 1)
    y = np.array([1, 0, 0, 0, 0, 0, 0, 0, 0, 0])
    check_equal(
        int(tree(candidate).fit(X, y).predict(np.array([[0.0]]))[0]),
        1,
        "x=0..9, one 1 at x=0, default min_samples_leaf: predict(0)",
    )
    model = tree(candidate, min_samples_leaf=3).fit(X, y)
    check_equal(
        int(model.predict(np.array([[0.0]]))[0]),
        0,
        "x=0..9, one 1 at x=0, min_samples_leaf=3 (it cannot get a leaf of its own): predict(0)",
    )


def test_labels_need_not_be_contiguous(candidate):
    X = np.array([[0.0], [1.0], [2.0], [3.0]])
    y = np.array([0, 0, 2, 2])
    check_equal(np.asarray(tree(candidate).fit(X, y).predict(X)), y, "labels {0, 2} (no class 1): predict")


def test_adjacent_and_huge_values_split(candidate):
    # Midpoints that are not strictly between the two values: (a + b) / 2 rounds up to b for adjacent floats with
    # an odd lower neighbour, and overflows to +-inf near the float max. Both sides must still be separated.
    a = np.nextafter(1.0, 2.0)
    big = np.finfo(np.float64).max
    tiny = np.nextafter(0.0, 1.0)
    cases = [
        ("1.0 and nextafter(1.0, 2.0)", [1.0, a]),
        ("nextafter(1.0, 2.0) and the next float after it", [a, np.nextafter(a, 2.0)]),
        ("1e308 and 1.5e308", [1e308, 1.5e308]),
        ("-1.5e308 and -1e308", [-1.5e308, -1e308]),
        ("the float max and its lower neighbour", [np.nextafter(big, 0.0), big]),
        ("the two smallest subnormals", [tiny, np.nextafter(tiny, 1.0)]),
    ]
    for name, values in cases:
        X = np.array(values * 2, dtype=float).reshape(-1, 1)
        y = np.array([0, 1, 0, 1])
        try:
            got = np.asarray(tree(candidate).fit(X, y).predict(X))
        except RecursionError:
            check(False, f"x = {name}, labels 0 and 1: fit recursed forever (the threshold sends both values one way)")
        check_equal(got, y, f"x = {name}, labels 0 and 1: predict on the training points")


def test_split_search_scales_to_20000_samples(candidate):
    # 20,000 samples, 4 continuous features, depth 5: the reference (sort once, sweep running counts) takes about
    # 0.1 s, a pure-Python sweep about 0.5 s; trying every threshold and recounting (O(n^2) per feature) takes
    # several seconds at the root alone.
    rng = np.random.default_rng(3)
    X = rng.normal(size=(20000, 4))
    y = ((X[:, 0] > 0.2).astype(int) + (X[:, 3] > -0.5).astype(int)).astype(np.int64)
    model = tree(candidate, max_depth=5).fit(X, y)
    accuracy = float((np.asarray(model.predict(X[:2000])) == y[:2000]).mean())
    check(accuracy == 1.0, f"20,000 samples, max_depth=5: expected training accuracy 1.0, got {accuracy:.3f}")
