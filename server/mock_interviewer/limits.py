"""Fair use when the service is shared: token buckets per client address (HTTP grading, new interviews) and per
WebSocket connection (messages). Over a limit a request gets 429 with Retry-After, a frame gets an `error`, and
the interview goes on.

Buckets live in each process: with N workers behind one port, a client whose requests land on different workers
can reach up to N times a per-address limit (the per-connection one is exact: a connection stays on its worker).
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from .config import Settings


class RateLimiter:
    """`rate` tokens a second refill each key's bucket up to `burst`; each event takes one. rate <= 0: no limit."""

    def __init__(
        self, rate: float, burst: float, *, clock: Callable[[], float] = time.monotonic, max_keys: int = 100_000
    ) -> None:
        self.rate = rate
        self.burst = max(1.0, burst)
        self._clock = clock
        self._max_keys = max_keys
        self._buckets: dict[str, tuple[float, float]] = {}  # key -> (tokens, when)
        self._lock = threading.Lock()

    @property
    def enabled(self) -> bool:
        return self.rate > 0

    def acquire(self, key: str) -> float:
        """Take a token for `key`: 0.0 when allowed, otherwise the seconds until one is due (nothing is taken)."""
        if not self.enabled:
            return 0.0
        now = self._clock()
        with self._lock:
            tokens, when = self._buckets.get(key, (self.burst, now))
            tokens = min(self.burst, tokens + (now - when) * self.rate)
            if tokens >= 1.0:
                self._buckets[key] = (tokens - 1.0, now)
                if len(self._buckets) > self._max_keys:
                    self._forget_full(now)
                return 0.0
            self._buckets[key] = (tokens, now)
            return (1.0 - tokens) / self.rate

    def _forget_full(self, now: float) -> None:
        """Drop the buckets that have refilled: they are what a new key starts with anyway."""
        full = [k for k, (t, w) in self._buckets.items() if t + (now - w) * self.rate >= self.burst]
        for key in full:
            del self._buckets[key]


def retry_after(seconds: float) -> int:
    """Whole seconds for a Retry-After header or a message (at least 1)."""
    return max(1, math.ceil(seconds))


@dataclass
class Limits:
    grade: RateLimiter  # POST /api/grade, per client address
    sessions: RateLimiter  # new interviews, per client address
    ws_rate: float  # WebSocket messages a second, per connection ...
    ws_burst: float  # ... with this many at once

    @classmethod
    def from_settings(cls, settings: Settings) -> Limits:
        return cls(
            grade=RateLimiter(settings.grade_limit_per_minute / 60, settings.grade_limit_per_minute),
            sessions=RateLimiter(settings.session_limit_per_minute / 60, settings.session_limit_per_minute),
            ws_rate=settings.ws_messages_per_second,
            ws_burst=settings.ws_message_burst,
        )

    def connection(self) -> RateLimiter:
        """A bucket for one WebSocket connection's messages."""
        return RateLimiter(self.ws_rate, self.ws_burst, max_keys=1)
