"""BUG: recency is a plain list (list.remove / pop(0)) and the linked version walks the list to find a node's predecessor, so get and put are O(n) instead of O(1)."""

from __future__ import annotations

from collections.abc import Hashable
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class LRUCache(Generic[K, V]):
    """LRU cache as a dict plus a list of keys ordered from least to most recently used."""

    def __init__(self, capacity: int) -> None:
        if capacity <= 0:
            raise ValueError("capacity must be positive")
        self.capacity = capacity
        self._data: dict[K, V] = {}
        self._order: list[K] = []

    def get(self, key: K, default: V | None = None) -> V | None:
        """Return the value and mark the key as most recently used; ``default`` on a miss."""
        if key not in self._data:
            return default
        self._order.remove(key)
        self._order.append(key)
        return self._data[key]

    def put(self, key: K, value: V) -> None:
        """Insert or update; evict the least recently used key when over capacity."""
        if key in self._data:
            self._order.remove(key)
        self._data[key] = value
        self._order.append(key)
        if len(self._data) > self.capacity:
            oldest = self._order.pop(0)
            del self._data[oldest]

    def __len__(self) -> int:
        return len(self._data)

    def __contains__(self, key: object) -> bool:  # does not count as a use
        return key in self._data

    def keys_lru_to_mru(self) -> list[K]:
        """Keys from least to most recently used (handy for tests and debugging)."""
        return list(self._order)


class _Node(Generic[K, V]):
    __slots__ = ("key", "next", "prev", "value")

    def __init__(self, key: K | None = None, value: V | None = None) -> None:
        self.key = key
        self.value = value
        self.prev: _Node[K, V] = self
        self.next: _Node[K, V] = self


class LinkedLRUCache(Generic[K, V]):
    """LRU cache as dict(key -> node) plus a circular doubly linked list with a sentinel.

    ``sentinel.next`` is the least recently used node, ``sentinel.prev`` the most recent.
    Every operation touches a constant number of pointers, so get and put are O(1).
    """

    def __init__(self, capacity: int) -> None:
        if capacity <= 0:
            raise ValueError("capacity must be positive")
        self.capacity = capacity
        self._map: dict[K, _Node[K, V]] = {}
        self._sentinel: _Node[K, V] = _Node()

    def _unlink(self, node: _Node[K, V]) -> None:
        prev = self._sentinel
        while prev.next is not node:  # find the predecessor by walking from the head
            prev = prev.next
        prev.next = node.next
        node.next.prev = prev

    def _append(self, node: _Node[K, V]) -> None:
        """Insert ``node`` just before the sentinel, i.e. as most recently used."""
        last = self._sentinel.prev
        last.next = node
        node.prev = last
        node.next = self._sentinel
        self._sentinel.prev = node

    def get(self, key: K, default: V | None = None) -> V | None:
        node = self._map.get(key)
        if node is None:
            return default
        self._unlink(node)
        self._append(node)
        return node.value

    def put(self, key: K, value: V) -> None:
        node = self._map.get(key)
        if node is not None:
            node.value = value
            self._unlink(node)
            self._append(node)
            return
        if len(self._map) >= self.capacity:
            lru = self._sentinel.next
            self._unlink(lru)
            del self._map[lru.key]  # type: ignore[arg-type]
        node = _Node(key, value)
        self._map[key] = node
        self._append(node)

    def __len__(self) -> int:
        return len(self._map)

    def keys_lru_to_mru(self) -> list[K]:
        out: list[K] = []
        node = self._sentinel.next
        while node is not self._sentinel:
            out.append(node.key)  # type: ignore[arg-type]
            node = node.next
        return out
