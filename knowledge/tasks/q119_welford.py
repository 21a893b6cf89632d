"""Hidden tests for Q119, Welford's online mean and variance. Each test gets the candidate's module."""

import math

import numpy as np
from harness import check, check_close, check_equal

# The reference does 20,000 updates with a mean and variance read after each in about 0.15 s; keeping every value
# and calling np.var on each read (O(n) per read, O(n^2) in all) takes over 10 s.
TIME_LIMITS = {"test_reading_after_every_update_is_cheap": 2.0}


def _is_nan(v):
    return bool(np.all(np.isnan(np.asarray(v, dtype=float))))


def _stream(candidate, values):
    s = candidate.RunningStats()
    for v in values:
        s.update(v)
    return s


def test_matches_numpy_on_a_stream(candidate):
    xs = np.random.default_rng(0).normal(3.0, 2.0, 1000)
    s = _stream(candidate, xs.tolist())
    case = "1000 values from N(3, 2^2), one update each"
    check_equal(s.n, 1000, f"{case}: n")
    check_close(s.mean, float(xs.mean()), f"{case}: mean", rtol=1e-9)
    check_close(s.variance(), float(xs.var()), f"{case}: variance()", rtol=1e-9)
    check_close(s.variance(ddof=1), float(xs.var(ddof=1)), f"{case}: variance(ddof=1)", rtol=1e-9)
    check_close(s.std(ddof=1), float(xs.std(ddof=1)), f"{case}: std(ddof=1)", rtol=1e-9)


def test_huge_mean_small_spread(candidate):
    s = _stream(candidate, [1e9 + 4, 1e9 + 7, 1e9 + 13, 1e9 + 16])
    check_close(
        s.variance(), 22.5, "1e9 + [4, 7, 13, 16]: variance() (E[x^2] - E[x]^2 loses every digit here)", rtol=1e-6
    )
    check_close(s.variance(ddof=1), 30.0, "1e9 + [4, 7, 13, 16]: variance(ddof=1)", rtol=1e-6)
    xs = 1e9 + np.random.default_rng(1).normal(0, 1, 5000)
    s = _stream(candidate, xs.tolist())
    check_close(s.variance(), float(xs.var()), "5000 values 1e9 + N(0, 1): variance()", rtol=1e-6)


def test_constant_stream_has_zero_variance(candidate):
    s = _stream(candidate, [0.1] * 1000)
    v = float(s.variance())
    check(0.0 <= v < 1e-20, f"1000 copies of 0.1: variance() should be 0 (never negative), got {v!r}")
    check_close(s.mean, 0.1, "1000 copies of 0.1: mean", rtol=1e-12)


def test_zero_and_one_observation(candidate):
    s = candidate.RunningStats()
    check_equal(s.n, 0, "no observations: n")
    check(_is_nan(s.variance()), f"no observations: variance() should be nan, got {s.variance()!r}")
    check(_is_nan(s.variance(ddof=1)), f"no observations: variance(ddof=1) should be nan, got {s.variance(ddof=1)!r}")
    s.update(5.0)
    check_close((s.n, s.mean, s.variance()), (1, 5.0, 0.0), "one observation 5.0: (n, mean, variance())")
    check(_is_nan(s.variance(ddof=1)), f"one observation: variance(ddof=1) should be nan, got {s.variance(ddof=1)!r}")


def test_update_many_equals_single_updates(candidate):
    xs = np.random.default_rng(2).normal(-1.0, 0.5, 300)
    s = candidate.RunningStats()
    s.update_many(xs[:100])
    s.update_many(xs[100:100])  # empty batch
    for v in xs[100:150].tolist():
        s.update(v)
    s.update_many(xs[150:])
    case = "300 values: update_many(100), an empty batch, 50 update()s, update_many(150)"
    check_equal(s.n, 300, f"{case}: n")
    check_close((s.mean, s.variance()), (float(xs.mean()), float(xs.var())), f"{case}: (mean, variance())", rtol=1e-9)


def test_merge_equals_one_stream(candidate):
    xs = np.random.default_rng(3).normal(10.0, 3.0, 500)
    parts = [xs[:50], xs[50:320], xs[320:]]
    accs = [_stream(candidate, p.tolist()) for p in parts]
    merged = accs[0].merge(accs[1])
    check(merged is accs[0], "a.merge(b) should return a itself")
    merged.merge(accs[2])
    case = "500 values split 50 / 270 / 180, merged"
    check_equal(merged.n, 500, f"{case}: n")
    check_close(
        (merged.mean, merged.variance(ddof=1)),
        (float(xs.mean()), float(xs.var(ddof=1))),
        f"{case}: (mean, variance(ddof=1))",
        rtol=1e-9,
    )
    empty = candidate.RunningStats()
    empty.merge(_stream(candidate, parts[1].tolist()))
    check_close(
        (empty.n, empty.mean, empty.variance()),
        (270, float(parts[1].mean()), float(parts[1].var())),
        "an empty accumulator merged with 270 values: (n, mean, variance())",
        rtol=1e-9,
    )
    full = _stream(candidate, parts[2].tolist())
    full.merge(candidate.RunningStats())
    check_close(
        (full.n, full.mean, full.variance()),
        (180, float(parts[2].mean()), float(parts[2].var())),
        "180 values merged with an empty accumulator: (n, mean, variance())",
        rtol=1e-9,
    )


def test_vector_observations(candidate):
    X = np.random.default_rng(4).normal([0.0, 100.0, -5.0], [1.0, 0.1, 10.0], (200, 3))
    s = _stream(candidate, list(X))
    case = "200 rows of 3 features, one update per row"
    check_close(np.asarray(s.mean, dtype=float), X.mean(axis=0), f"{case}: mean", rtol=1e-9)
    check_close(np.asarray(s.variance(), dtype=float), X.var(axis=0), f"{case}: variance()", rtol=1e-9)
    check_close(np.asarray(s.std(ddof=1), dtype=float), X.std(axis=0, ddof=1), f"{case}: std(ddof=1)", rtol=1e-9)
    one = _stream(candidate, [X[0]])
    check(
        _is_nan(one.variance(ddof=1)),
        f"one row of 3 features: variance(ddof=1) should be nan, got {one.variance(ddof=1)!r}",
    )


def test_reading_after_every_update_is_cheap(candidate):
    xs = np.random.default_rng(5).normal(0.0, 1.0, 20_000).tolist()
    s = candidate.RunningStats()
    total = 0.0
    for v in xs:
        s.update(v)
        total += float(s.variance()) if s.n > 1 else 0.0
        mean = s.mean
    case = "20000 values, mean and variance read after each update"
    check_close(mean, float(np.mean(xs)), f"{case}: final mean", rtol=1e-9, atol=1e-12)
    check_close(s.variance(), float(np.var(xs)), f"{case}: final variance", rtol=1e-9)
    check(math.isfinite(total), "20000 values: a running variance was not finite")
