"""The next sweep page, asked for while the last one is being written.

A sweep reads a page, then writes it in the writer thread (one transaction of up to 1,000
orders). :class:`ReadAhead` lets the engine start the request for the page after it (its token
is in the page just read) before that write, so the network and the disk work at the same time;
the engine takes the answer when its next step asks for that very page (same scope, same
token), and drops it otherwise (a head refresh came first with another scope, the sync
stopped). A failure of a page read ahead is raised where the engine awaits it, as a request's
would be; one nobody takes is dropped with its task. No Textual here.
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from typing import Any

from artistree_tui.api.models import OrdersPage
from artistree_tui.store import Scope

__all__ = ["ReadAhead"]


class ReadAhead:
    """At most one sweep page asked for ahead (see the module docstring)."""

    def __init__(self) -> None:
        self._ahead: tuple[Scope, str, asyncio.Task[OrdersPage]] | None = None

    def ask(self, scope: Scope, token: str, request: Coroutine[Any, Any, OrdersPage]) -> None:
        """Start ``request`` (the page of ``scope`` at ``token``) now, on the running loop;
        one asked for before is dropped."""
        self.cancel()
        task = asyncio.get_running_loop().create_task(request)
        task.add_done_callback(_retrieve)
        self._ahead = (scope, token, task)

    def take(self, scope: Scope, token: str | None) -> asyncio.Task[OrdersPage] | None:
        """The page of ``scope`` at ``token`` if it was asked for ahead (its task, to await),
        else None; whatever was asked for is no longer held either way."""
        ahead, self._ahead = self._ahead, None
        if ahead is None:
            return None
        if ahead[0] == scope and ahead[1] == token:
            return ahead[2]
        ahead[2].cancel()
        return None

    def cancel(self) -> None:
        """Drop the page asked for ahead, if any."""
        ahead, self._ahead = self._ahead, None
        if ahead is not None:
            ahead[2].cancel()


def _retrieve(task: asyncio.Task[OrdersPage]) -> None:
    """Mark a read-ahead's failure as seen (it is re-raised where the page is awaited, or
    dropped with the task when the sweep moved on)."""
    if not task.cancelled():
        task.exception()
