"""Pacing for the sync: a request-rate bound, a capped backoff, and the paging guard.

- :class:`RateLimit`: at most ``rate`` request starts per second (``sync_rate``).
- :class:`Backoff`: after a request gave up (the API client has already retried it with its
  own bounded policy), wait ``base``, ``2 × base`` … up to ``cap`` seconds, half of it
  jittered, before the next try: one request per wait, never a burst on top of the client's.
- :class:`PagingGuard`: issue 13 item 3 for every walker. A sweep stops, with a plain reason,
  when a page token comes back that was seen before anywhere in the walk, when the rows read
  exceed ``order_stats.total_orders`` by a margin, or after several empty pages in a row.
"""

from __future__ import annotations

import asyncio
import math
import random
import time
from collections.abc import Awaitable, Callable

from artistree_tui.api.models import OrdersPage

#: Rows beyond ``total_orders`` a walk may read (new orders arrive while it walks): this
#: share of the total plus one page.
OVERRUN_SHARE = 0.10
#: Empty pages in a row that still carry a next token: the API is handing out tokens forever.
MAX_EMPTY_PAGES = 3
BROKEN = "the API's paging looks broken"
#: The longest ``Retry-After`` honoured (issue 13: a hostile header must not park the sync).
RETRY_AFTER_CAP = 60.0


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


class BrokenPaging(Exception):
    """A sweep ended because the API's paging misbehaved; ``str()`` is the plain reason."""


class PagingGuard:
    """Watches one walk's pages (see the module docstring); :meth:`check` raises
    :class:`BrokenPaging` when the walk must stop."""

    def __init__(self, limit: int, *, start_token: str | None = None) -> None:
        self.limit = limit
        self.rows = 0
        self.empty = 0
        self._seen: set[str] = set()
        if start_token is not None:
            self._seen.add(start_token)

    def check(self, page: OrdersPage) -> None:
        """Account for ``page``; raise :class:`BrokenPaging` if the walk must end here."""
        token = page.next_page_token
        rows = page.row_count
        self.rows += rows
        if token is not None and rows == 0:
            self.empty += 1
            if self.empty >= MAX_EMPTY_PAGES:
                raise BrokenPaging(
                    f"{BROKEN}: {self.empty} empty pages in a row still pointed to more"
                )
        else:
            self.empty = 0
        total = page.stats.total
        if total > 0 and self.rows > total * (1 + OVERRUN_SHARE) + self.limit:
            raise BrokenPaging(
                f"{BROKEN}: it has handed out {self.rows:,} rows for {total:,} orders"
            )
        if token is not None:
            if token in self._seen:
                raise BrokenPaging(f"{BROKEN}: a page token came back that was already used")
            self._seen.add(token)
