"""Hidden tests for Q110, stratified k-fold splitting. Each test gets the candidate's module.

Which sample lands in which fold is not unique, so the tests check properties: the test folds partition the
samples, train is the complement, and every fold has floor or ceil of n_c / k samples of each class c.
"""

import warnings

import numpy as np
from harness import check, check_equal

TIME_LIMITS = {"test_300000_labels_in_100_classes": 3.0}


def folds(candidate, y, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return [(np.asarray(tr), np.asarray(te)) for tr, te in candidate.stratified_kfold(y, *args, **kwargs)]


def check_partition(splits, n, k, case):
    check(len(splits) == k, f"{case}: expected {k} (train, test) pairs, got {len(splits)}")
    seen = np.zeros(n, dtype=int)
    for f, (train, test) in enumerate(splits):
        check(
            (np.issubdtype(test.dtype, np.integer) or test.size == 0)
            and (np.issubdtype(train.dtype, np.integer) or train.size == 0),
            f"{case}: fold {f} should hold integer indices, got dtypes {train.dtype}, {test.dtype}",
        )
        seen[test.astype(np.int64)] += 1
        check_equal(
            np.sort(train).tolist(),
            np.setdiff1d(np.arange(n), test).tolist(),
            f"{case}: fold {f} train indices (everything not in its test fold)",
        )
    check(
        np.all(seen == 1),
        f"{case}: every index must be in exactly one test fold; counts of "
        f"indices 0..{min(n, 20) - 1}: {seen[:20].tolist()}",
    )


def check_stratified(splits, y, k, case):
    y = np.asarray(y)
    sizes = [len(test) for _, test in splits]
    check(max(sizes) - min(sizes) <= 1, f"{case}: test fold sizes should differ by at most one, got {sizes}")
    for c in np.unique(y):
        n_c = int((y == c).sum())
        per_fold = [int((y[test] == c).sum()) for _, test in splits]
        check(
            all(n_c // k <= m <= -(-n_c // k) for m in per_fold),
            f"{case}: class {c.item()!r} ({n_c} samples) should have {n_c // k} or {-(-n_c // k)} per fold, "
            f"got {per_fold}",
        )


def test_fold_ids_are_stratified_and_match_the_splits(candidate):
    y = np.array(["b"] * 9 + ["a"] * 6 + ["c"] * 4)
    np.random.default_rng(7).shuffle(y)
    ids = np.asarray(candidate.stratified_fold_ids(y, 3))
    check(ids.shape == (19,), f"19 labels, 3 folds: stratified_fold_ids should have shape (19,), got {ids.shape}")
    check(np.issubdtype(ids.dtype, np.integer), f"stratified_fold_ids should return integers, got dtype {ids.dtype}")
    check(
        set(ids.tolist()) <= {0, 1, 2},
        f"19 labels, 3 folds: fold ids should be in 0..2, got {sorted(set(ids.tolist()))}",
    )
    check_stratified(
        [(None, np.flatnonzero(ids == f)) for f in range(3)], y, 3, "stratified_fold_ids, 19 labels, 3 folds"
    )
    splits = folds(candidate, y, 3)
    check_equal(
        [np.sort(test).tolist() for _, test in splits],
        [np.flatnonzero(ids == f).tolist() for f in range(3)],
        "19 labels, 3 folds: the f-th test set vs the samples with fold id f",
    )


def test_folds_partition_the_samples(candidate):
    y = np.array([0, 1, 2] * 7 + [0, 1])
    check_partition(folds(candidate, y, 4), len(y), 4, "23 labels in 3 classes, 4 folds")


def test_each_fold_mirrors_the_class_mix(candidate):
    y = np.array([0] * 80 + [1] * 20)
    splits = folds(candidate, y, 5)
    check_partition(splits, 100, 5, "80 negatives, 20 positives, 5 folds")
    got = [[int((y[test] == 0).sum()), int((y[test] == 1).sum())] for _, test in splits]
    check_equal(got, [[16, 4]] * 5, "80 negatives, 20 positives, 5 folds: [negatives, positives] per test fold")


def test_uneven_classes_balance_folds(candidate):
    y = np.array([2] * 7 + [0] * 5 + [1] * 3)
    np.random.default_rng(0).shuffle(y)
    splits = folds(candidate, y, 4)
    check_partition(splits, 15, 4, "classes of 7, 5 and 3, 4 folds")
    check_stratified(splits, y, 4, "classes of 7, 5 and 3, 4 folds")


def test_string_labels(candidate):
    y = np.array(["spam", "ham", "ham", "ham", "spam", "ham", "ham", "ham", "spam", "ham"])
    splits = folds(candidate, y, 3)
    check_partition(splits, 10, 3, "string labels, 3 folds")
    check_stratified(splits, y, 3, "string labels, 3 folds")


def test_shuffle_is_seeded_and_still_stratified(candidate):
    y = np.array([0] * 30 + [1] * 12 + [2] * 9)
    a = folds(candidate, y, 3, shuffle=True, seed=1)
    b = folds(candidate, y, 3, shuffle=True, seed=1)
    check_partition(a, len(y), 3, "shuffle=True, seed=1")
    check_stratified(a, y, 3, "shuffle=True, seed=1")
    check_equal(
        [np.sort(t).tolist() for _, t in b],
        [np.sort(t).tolist() for _, t in a],
        "shuffle=True, seed=1 twice: test folds",
    )
    partitions = {
        tuple(tuple(np.sort(t).tolist()) for _, t in folds(candidate, y, 3, shuffle=True, seed=s)) for s in range(5)
    }
    check(len(partitions) > 1, "shuffle=True with seeds 0..4 always gave the same folds: shuffle within each class")
    plain = [np.sort(t).tolist() for _, t in folds(candidate, y, 3)]
    check_equal([np.sort(t).tolist() for _, t in folds(candidate, y, 3)], plain, "shuffle=False twice: test folds")


def test_leave_one_out_when_n_splits_equals_n(candidate):
    y = np.array([0, 1, 0, 1, 1])
    splits = folds(candidate, y, 5)
    check_partition(splits, 5, 5, "5 samples, 5 folds")
    check_equal(sorted(len(t) for _, t in splits), [1] * 5, "5 samples, 5 folds: test fold sizes")


def test_invalid_n_splits_raise(candidate):
    y = np.array([0, 1, 0, 1])
    for name, call in (
        ("stratified_fold_ids", candidate.stratified_fold_ids),
        ("stratified_kfold", candidate.stratified_kfold),
    ):
        for k in (1, 5):
            try:
                result = call(y, k)
                if name == "stratified_kfold":
                    list(result)
            except ValueError:
                continue
            check(False, f"{name}: 4 samples, n_splits={k}: expected ValueError, got no error")


def test_rare_class_warns_but_still_splits(candidate):
    y = np.array([0] * 20 + [1] * 2)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        splits = [(np.asarray(tr), np.asarray(te)) for tr, te in candidate.stratified_kfold(y, 5)]
    check(
        any(issubclass(w.category, UserWarning) for w in caught),
        "a class with 2 samples and 5 folds: expected a UserWarning (some folds will lack that class)",
    )
    check_partition(splits, 22, 5, "20 + 2 samples, 5 folds")
    check_stratified(splits, y, 5, "20 + 2 samples, 5 folds")


def test_300000_labels_in_100_classes(candidate):
    # The reference takes about 0.15 s here; scanning all n labels once per class in Python (n * classes =
    # 3 * 10^7 steps) takes many seconds.
    y = np.random.default_rng(3).integers(0, 100, size=300000)
    splits = folds(candidate, y, 5)
    check(len(splits) == 5, f"300,000 labels: expected 5 folds, got {len(splits)}")
    sizes = sorted(len(t) for _, t in splits)
    check(sizes[-1] - sizes[0] <= 1 and sum(sizes) == 300000, f"300,000 labels, 5 folds: test fold sizes {sizes}")
    first = splits[0][1]
    counts = np.bincount(y[first], minlength=100)
    totals = np.bincount(y, minlength=100)
    check(
        np.all((counts >= totals // 5) & (counts <= -(-totals // 5))),
        "300,000 labels in 100 classes: fold 0 is not stratified",
    )
