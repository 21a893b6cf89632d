"""Hidden tests for Q112, top-k frequent items with a heap. Each test gets the candidate's module."""

import random
from collections import Counter

from harness import check, check_equal

# The large case (10^5 items, 5 * 10^4 distinct, k = 2000) takes the reference about 0.2 s including the test's own
# work (0.4 s in the sandbox on a loaded machine); an O(m * k) selection (k passes of max() over the counts) takes
# over 10 s, and counting with list.count() (O(n * m)) far longer.
TIME_LIMITS = {"test_large_input_is_fast": 2.0}


def _expected(items, k):
    """Most frequent first, ties by first occurrence (a Counter keeps first-occurrence order; the sort is stable)."""
    return sorted(Counter(items).items(), key=lambda kv: -kv[1])[:k]


def test_known_small_case(candidate):
    check_equal(candidate.top_k_frequent([3, 1, 3, 2, 1, 3], 2), [(3, 3), (1, 2)], "[3, 1, 3, 2, 1, 3], k=2")
    check_equal(candidate.top_k_frequent([7, 8, 8, 9, 9, 9], 1), [(9, 3)], "[7, 8, 8, 9, 9, 9], k=1")


def test_ties_go_to_the_earlier_first_occurrence(candidate):
    fruit = ["pear", "apple", "fig", "apple", "pear", "fig"]  # all count 2; first seen: pear, apple, fig
    check_equal(candidate.top_k_frequent(fruit, 2), [("pear", 2), ("apple", 2)], f"{fruit}, k=2")
    words = ["b", "a", "c", "a", "b", "a", "d", "c", "b", "e"]  # a:3, b:3, c:2, d:1, e:1
    check_equal(candidate.top_k_frequent(words, 4), [("b", 3), ("a", 3), ("c", 2), ("d", 1)], f"{words}, k=4")


def test_k_zero_and_empty_input(candidate):
    check_equal(candidate.top_k_frequent([1, 2, 2], 0), [], "[1, 2, 2], k=0")
    check_equal(candidate.top_k_frequent([], 3), [], "empty input, k=3")


def test_negative_k_raises(candidate):
    try:
        candidate.top_k_frequent([1, 2, 2], -1)
    except ValueError:
        return
    check(False, "[1, 2, 2], k=-1: expected ValueError, got no error")


def test_k_larger_than_the_number_of_distinct_items(candidate):
    items = [5, 6, 6, 7, 7, 7, 5]  # 5:2, 6:2, 7:3
    check_equal(candidate.top_k_frequent(items, 10), [(7, 3), (5, 2), (6, 2)], f"{items}, k=10")


def test_items_that_cannot_be_compared(candidate):
    items = [1, "a", (2,), "a", 1, None, frozenset({3})]  # 1:2, "a":2, then three items seen once
    check_equal(candidate.top_k_frequent(items, 3), [(1, 2), ("a", 2), ((2,), 1)], f"{items}, k=3")


def test_reads_a_generator(candidate):
    got = candidate.top_k_frequent((i % 4 for i in range(10)), 2)  # 0, 1, 2, 3, 0, 1, 2, 3, 0, 1
    check_equal(got, [(0, 3), (1, 3)], "generator (i % 4 for i in range(10)), k=2")


def test_matches_brute_force_on_random_data(candidate):
    rng = random.Random(1)
    for n, m, k in [(50, 5, 3), (2000, 30, 5), (500, 400, 20), (300, 40, 40)]:
        data = [rng.randrange(m) for _ in range(n)]
        check_equal(candidate.top_k_frequent(data, k), _expected(data, k), f"{n} random ints below {m}, k={k}")


def test_large_input_is_fast(candidate):
    rng = random.Random(2)
    n, m, k = 100_000, 50_000, 2000
    data = rng.choices(range(m), k=n)
    got = candidate.top_k_frequent(data, k)
    want = _expected(data, k)
    check_equal(got, want, f"{n} random ints below {m}, k={k}")
