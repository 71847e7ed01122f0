"""Pages asked for before anyone asks: the console's first pages, fetched while the UI loads.

At startup the console spends a few hundred milliseconds importing and building its screen
before anything asks for a page, and then waits for the token and the page in turn.
:meth:`ArtistreeClient.prefetch <artistree_tui.api.client.ArtistreeClient.prefetch>` starts
such a request at once instead (at process start, see :mod:`artistree_tui.launch`), as a task
on the running loop; :class:`EarlyPage` keeps it and hands it to the first ``list_orders``
call that asks for the very same page (same project, ``preview``, ``limit`` and ``lang``, no
``page_token``) within :data:`FRESH_SECONDS`, so the answer is there, or on its way, when the
console asks. Each is handed out once; a later or a different request goes to the network as
usual, and an answer nobody took is dropped. A few pages may be kept at once, one per key.

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
    """Pages fetched ahead of their callers (see the module docstring): each is kept for the
    first caller that asks for its key, a few at most."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        #: key -> (the request, when it started)
        self._kept: dict[Hashable, tuple[asyncio.Task[OrdersPage], float]] = {}

    @property
    def pending(self) -> bool:
        """Is a page kept for a caller (fetched or still on its way)?"""
        return bool(self._kept)

    def tasks(self) -> list[asyncio.Task[OrdersPage]]:
        """The requests kept, oldest first."""
        return [task for task, _started in self._kept.values()]

    def start(self, key: Hashable, fetch: Coroutine[Any, Any, OrdersPage]) -> None:
        """Start ``fetch`` now (on the running loop) for the first caller asking for ``key``
        (a request kept for the same key is dropped)."""
        self._drop(key)
        self._kept[key] = (quiet_task(fetch), self._clock())

    def take(self, key: Hashable) -> asyncio.Task[OrdersPage] | None:
        """The request kept for ``key`` if it is fresh (then it is no longer kept). Requests
        kept too long are dropped."""
        now = self._clock()
        stale = [k for k, (_task, at) in self._kept.items() if now - at > FRESH_SECONDS]
        for old in stale:
            self._drop(old)
        kept = self._kept.pop(key, None)
        return kept[0] if kept is not None else None

    def cancel(self) -> None:
        """Drop every kept request, cancelling those still running."""
        for key in list(self._kept):
            self._drop(key)

    def _drop(self, key: Hashable) -> None:
        kept = self._kept.pop(key, None)
        if kept is not None and not kept[0].done():
            kept[0].cancel()
