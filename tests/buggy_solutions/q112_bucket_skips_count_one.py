"""BUG: the bucket variant's loop stops at count 2 (range(..., 1, -1)), so items seen exactly once are never returned."""

from __future__ import annotations

import heapq
from collections import Counter
from collections.abc import Hashable, Iterable
from typing import TypeVar

T = TypeVar("T", bound=Hashable)


def top_k_frequent(items: Iterable[T], k: int) -> list[tuple[T, int]]:
    """Return the ``k`` most frequent items as ``(item, count)``, most frequent first.

    Counting is O(n); keeping a min-heap of at most ``k`` entries over the ``m``
    distinct items is O(m log k) time and O(k) extra space beyond the counter.
    """
    if k < 0:
        raise ValueError("k must be non-negative")
    if k == 0:
        return []
    counts: Counter[T] = Counter(items)  # dict order = order of first appearance

    # Heap entries: (count, -first_seen, first_seen, item). The root is the weakest
    # candidate: lowest count, and among equal counts the one seen latest. The
    # first_seen integer is unique, so the item itself is never compared (items
    # need not be orderable).
    heap: list[tuple[int, int, int, T]] = []
    for first_seen, (item, count) in enumerate(counts.items()):
        entry = (count, -first_seen, first_seen, item)
        if len(heap) < k:
            heapq.heappush(heap, entry)
        elif entry[:2] > heap[0][:2]:
            heapq.heapreplace(heap, entry)  # pop the weakest and push in one O(log k) step

    heap.sort(key=lambda e: (-e[0], e[2]))
    return [(item, count) for count, _, _, item in heap]


def top_k_frequent_bucket(items: Iterable[T], k: int) -> list[tuple[T, int]]:
    """Same result in O(n) time using buckets indexed by count (counts are at most n)."""
    if k < 0:
        raise ValueError("k must be non-negative")
    counts: Counter[T] = Counter(items)
    if not counts or k == 0:
        return []
    buckets: list[list[T]] = [[] for _ in range(max(counts.values()) + 1)]
    for item, count in counts.items():  # first-appearance order inside each bucket
        buckets[count].append(item)
    out: list[tuple[T, int]] = []
    for count in range(len(buckets) - 1, 1, -1):
        for item in buckets[count]:
            out.append((item, count))
            if len(out) == k:
                return out
    return out
