"""Hidden tests for Q113, an LRU cache with O(1) get and put. Each test gets the candidate's module."""

import random
from collections import OrderedDict

from harness import check, check_equal

# The reference (OrderedDict) runs the large workload in about 0.2 s and a hand-written dict + doubly linked list
# in about 0.25 s; a Python list of keys with list.remove() (O(capacity) per operation) takes over 10 s, and a
# min() over timestamps at each eviction longer still.
TIME_LIMITS = {"test_get_and_put_are_constant_time": 2.0}


def test_evicts_the_least_recently_used_key(candidate):
    c = candidate.LRUCache(2)
    c.put("a", 1)
    c.put("b", 2)
    c.put("c", 3)  # a is the least recently used
    check_equal(c.get("a"), None, "capacity 2: put a, b, c; get('a')")
    check_equal(c.get("b"), 2, "capacity 2: put a, b, c; get('b')")
    check_equal(c.get("c"), 3, "capacity 2: put a, b, c; get('c')")
    check_equal(len(c), 2, "capacity 2: put a, b, c; len")


def test_get_makes_a_key_most_recent(candidate):
    c = candidate.LRUCache(2)
    c.put("a", 1)
    c.put("b", 2)
    check_equal(c.get("a"), 1, "capacity 2: put a, b; get('a')")
    c.put("c", 3)  # b is now the least recently used
    check_equal(c.get("b"), None, "capacity 2: put a, b; get a; put c; get('b') (b was least recent)")
    check_equal(c.get("a"), 1, "capacity 2: put a, b; get a; put c; get('a')")


def test_put_on_an_existing_key_updates_and_refreshes(candidate):
    c = candidate.LRUCache(2)
    c.put("a", 1)
    c.put("b", 2)
    c.put("a", 10)  # update: no eviction, a becomes most recent
    check_equal(len(c), 2, "capacity 2: put a, b, a again; len")
    c.put("c", 3)  # evicts b
    check_equal(c.get("a"), 10, "capacity 2: put a=1, b, a=10, c; get('a')")
    check_equal(c.get("b"), None, "capacity 2: put a=1, b, a=10, c; get('b') (b was least recent)")


def test_miss_returns_the_default_and_changes_nothing(candidate):
    c = candidate.LRUCache(2)
    c.put("a", 1)
    check_equal(c.get("zzz"), None, "get of a missing key")
    check_equal(c.get("zzz", -1), -1, "get('zzz', -1) of a missing key")
    check_equal(len(c), 1, "one put then two misses: len")
    c.put("b", 2)
    c.get("nope")  # a miss must not disturb the order: a is still the least recent
    c.put("c", 3)
    check_equal(c.get("a", "evicted"), "evicted", "capacity 2: put a, b; a miss; put c; get('a', 'evicted')")
    check_equal(c.get("b"), 2, "capacity 2: put a, b; a miss; put c; get('b')")


def test_falsy_values_are_hits(candidate):
    c = candidate.LRUCache(3)
    c.put("zero", 0)
    c.put("none", None)
    c.put("false", False)
    check_equal(c.get("zero", "miss"), 0, "put('zero', 0); get('zero', 'miss')")
    check_equal(c.get("none", "miss"), None, "put('none', None); get('none', 'miss')")
    got = c.get("false", "miss")
    check(got is False, f"put('false', False); get('false', 'miss'): expected False, got {got!r}")


def test_capacity_one(candidate):
    c = candidate.LRUCache(1)
    c.put(1, "one")
    c.put(2, "two")
    check_equal(c.get(1), None, "capacity 1: put 1, put 2; get(1)")
    check_equal(c.get(2), "two", "capacity 1: put 1, put 2; get(2)")
    c.put(2, "TWO")
    check_equal((c.get(2), len(c)), ("TWO", 1), "capacity 1: put 2 again; (get(2), len)")


def test_capacity_below_one_raises(candidate):
    for capacity in (0, -3):
        try:
            candidate.LRUCache(capacity)
        except ValueError:
            continue
        check(False, f"LRUCache({capacity}): expected ValueError, got no error")


def test_matches_a_model_on_random_operations(candidate):
    rng = random.Random(3)
    for capacity in (1, 3, 8):
        c, model = candidate.LRUCache(capacity), OrderedDict()
        log = []
        for step in range(2000):
            key = rng.randrange(12)
            if rng.random() < 0.5:
                want = model.get(key)
                if key in model:
                    model.move_to_end(key)
                got = c.get(key)
                log.append(f"get({key})")
                check_equal(got, want, f"capacity {capacity}, step {step}, after ...{', '.join(log[-6:])}")
            else:
                model[key] = step
                model.move_to_end(key)
                if len(model) > capacity:
                    model.popitem(last=False)
                c.put(key, step)
                log.append(f"put({key}, {step})")
            check_equal(len(c), len(model), f"capacity {capacity}, step {step}, len after ...{', '.join(log[-6:])}")


def test_get_and_put_are_constant_time(candidate):
    capacity, ops = 50_000, 100_000
    rng = random.Random(4)
    c = candidate.LRUCache(capacity)
    for i in range(capacity):
        c.put(i, i)
    newest = capacity  # keys newest - capacity .. newest - 1 are in the cache
    for i in range(ops):
        r = rng.random()
        if r < 0.5:
            c.get(rng.randrange(newest - capacity, newest))
        elif r < 0.75:
            c.put(rng.randrange(newest - capacity, newest), i)
        else:
            c.put(newest, i)  # a new key: evicts the least recently used
            newest += 1
    c.put("last", "x")
    check_equal(
        (c.get("last"), len(c)),
        ("x", capacity),
        f"capacity {capacity}, after {ops} random gets and puts, put('last', 'x'): (get('last'), len)",
    )
