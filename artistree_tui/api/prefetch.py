"""A page asked for before anyone asks: the console's first page, fetched while the UI builds.

At startup the console spends a few hundred milliseconds building its screen before the order
list asks for its first page, and then waits for the token and the page in turn.
:meth:`ArtistreeClient.prefetch <artistree_tui.api.client.ArtistreeClient.prefetch>` starts
that request at once instead, as a task on the running loop; :class:`EarlyPage` keeps it and
hands it to the first ``list_orders`` call that asks for the very same page (same project,
``preview``, ``limit`` and ``lang``, no ``page_token``) within :data:`FRESH_SECONDS`, so the
answer is there, or on its way, when the list mounts. It is handed out once; a later or a
different request goes to the network as usual, and an answer nobody took is dropped.

The task's outcome is the request's outcome: the same retries, and the same ApiError for the
caller that takes it. An error nobody takes is marked retrieved, so it never shows up as an
"exception was never retrieved" report. No Textual here.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Coroutine, Hashable
from typing import Any

from artistree_tui.api.models import OrdersPage

__all__ = ["FRESH_SECONDS", "EarlyPage", "quiet_task"]

#: A prefetched page older than this is not handed out (the list would start stale).
FRESH_SECONDS = 10.0


def quiet_task(coroutine: Coroutine[Any, Any, Any]) -> asyncio.Task[Any]:
    """Run ``coroutine`` as a task on the running loop whose failure nobody has to collect."""
    task = asyncio.get_running_loop().create_task(coroutine)
    task.add_done_callback(_retrieve)
    return task


def _retrieve(task: asyncio.Task[Any]) -> None:
    if not task.cancelled():
        task.exception()


class EarlyPage:
    """At most one page fetched ahead of its caller (see the module docstring)."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._key: Hashable = None
        self._task: asyncio.Task[OrdersPage] | None = None
        self._started = 0.0

    @property
    def pending(self) -> bool:
        """Is a page kept for a caller (fetched or still on its way)?"""
        return self._task is not None

    def start(self, key: Hashable, fetch: Coroutine[Any, Any, OrdersPage]) -> None:
        """Start ``fetch`` now (on the running loop) for the first caller asking for ``key``."""
        self.cancel()
        self._key = key
        self._task = quiet_task(fetch)
        self._started = self._clock()

    def take(self, key: Hashable) -> asyncio.Task[OrdersPage] | None:
        """The kept request if it is for ``key`` and fresh (then it is no longer kept)."""
        task = self._task
        if task is None:
            return None
        if self._clock() - self._started > FRESH_SECONDS:
            self.cancel()
            return None
        if key != self._key:
            return None
        self._task = None
        return task

    def cancel(self) -> None:
        """Drop the kept request, cancelling it if it is still running."""
        task, self._task = self._task, None
        if task is not None and not task.done():
            task.cancel()
