"""Pacing for the sync: a request-rate bound and a capped backoff.

- :class:`RateLimit`: at most ``rate`` request starts per second (``sync_rate``).
- :class:`Backoff`: after a request gave up (the API client has already retried it with its
  own bounded policy), wait ``base``, ``2 × base`` … up to ``cap`` seconds, half of it
  jittered, before the next try: one request per wait, never a burst on top of the client's.

Broken paging is told by the API layer's :class:`~artistree_tui.api.paging_guard.PagingGuard`,
the same rules as every other walker's.
"""

from __future__ import annotations

import asyncio
import math
import random
import time
from collections.abc import Awaitable, Callable

from artistree_tui.api.retry import RetryPolicy

#: The longest ``Retry-After`` honoured: the API client's cap (issue 13: a hostile header
#: must not park the sync).
RETRY_AFTER_CAP = RetryPolicy().retry_after_cap


class RateLimit:
    """Spaces request starts at least ``1 / rate`` seconds apart (``rate`` ≤ 0 or inf: no
    bound)."""

    def __init__(
        self,
        rate: float,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.interval = 0.0 if rate <= 0 or math.isinf(rate) else 1.0 / rate
        self._clock = clock
        self._sleep = sleep
        self._next = -math.inf

    def delay(self) -> float:
        """Seconds until the next request may start."""
        return max(0.0, self._next - self._clock())

    async def wait(self) -> None:
        """Take the next slot and wait for it (two callers never share a slot)."""
        now = self._clock()
        slot = max(now, self._next)
        self._next = slot + self.interval
        if slot > now:
            await self._sleep(slot - now)


class Backoff:
    """Capped exponential backoff with half-jitter: ``d/2 + U(0, d/2)``, ``d = base·2ⁿ``."""

    def __init__(
        self, base: float = 2.0, cap: float = 60.0, rng: Callable[[], float] = random.random
    ) -> None:
        self.base, self.cap = base, cap
        self.failures = 0
        self._rng = rng

    def next_delay(self, at_least: float = 0.0) -> float:
        """Count one more failure and return the wait before the next try. ``at_least`` is
        the server's ``Retry-After``: honoured, up to :data:`RETRY_AFTER_CAP`."""
        self.failures += 1
        ceiling = min(self.cap, self.base * 2.0 ** min(self.failures - 1, 30))
        delay = ceiling / 2 + self._rng() * ceiling / 2
        return max(delay, min(max(at_least, 0.0), RETRY_AFTER_CAP))

    def reset(self) -> None:
        self.failures = 0
