"""BUG: A-Res key is u ** w (log(u) * w) instead of u ** (1 / w), so heavier items are less likely to be sampled."""

from __future__ import annotations

import heapq
import math
import random
from collections.abc import Iterable
from typing import TypeVar

T = TypeVar("T")


def reservoir_sample(stream: Iterable[T], k: int, rng: random.Random | None = None) -> list[T]:
    """Return k items chosen uniformly without replacement from ``stream``.

    After seeing n >= k items, every item is in the reservoir with probability k/n.
    If the stream has fewer than k items, all of them are returned.
    The order of the returned list is not itself random (slots are reused).
    """
    if k < 0:
        raise ValueError("k must be non-negative")
    rng = rng or random.Random()
    reservoir: list[T] = []
    for i, item in enumerate(stream):  # i is the 0-based index, so i + 1 items seen
        if i < k:
            reservoir.append(item)
        else:
            j = rng.randint(0, i)  # inclusive on both ends: i + 1 possible values
            if j < k:  # happens with probability k / (i + 1)
                reservoir[j] = item
    return reservoir


def weighted_reservoir_sample(
    stream: Iterable[tuple[T, float]], k: int, rng: random.Random | None = None
) -> list[T]:
    """Weighted sampling without replacement (A-Res): keep the k largest keys u ** (1 / w).

    Keys are compared as log(u) / w to avoid underflow for large weights.
    Each item's chance of being picked first is proportional to its weight.
    """
    if k < 0:
        raise ValueError("k must be non-negative")
    rng = rng or random.Random()
    heap: list[tuple[float, int, T]] = []  # min-heap of (key, arrival index, item)
    for idx, (item, weight) in enumerate(stream):
        if weight <= 0:
            raise ValueError("weights must be positive")
        u = 1.0 - rng.random()  # in (0, 1], so log is finite
        key = math.log(u) * weight
        if len(heap) < k:
            heapq.heappush(heap, (key, idx, item))
        elif k > 0 and key > heap[0][0]:
            heapq.heapreplace(heap, (key, idx, item))
    return [item for _, _, item in sorted(heap, reverse=True)]
