"""BUG: heap entries are (count, item), so ties are broken by comparing the items themselves (wrong order, TypeError for unorderable items) instead of first appearance."""

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

    # Heap entries: (count, item); the root is the weakest candidate.
    heap: list[tuple[int, T]] = []
    for item, count in counts.items():
        entry = (count, item)
        if len(heap) < k:
            heapq.heappush(heap, entry)
        elif entry > heap[0]:
            heapq.heapreplace(heap, entry)  # pop the weakest and push in one O(log k) step

    return [(item, count) for count, item in sorted(heap, reverse=True)]


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
    for count in range(len(buckets) - 1, 0, -1):
        for item in buckets[count]:
            out.append((item, count))
            if len(out) == k:
                return out
    return out
