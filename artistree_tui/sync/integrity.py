"""The index file's integrity check, run by the sync engine once its first step is over.

``PRAGMA quick_check`` reads the whole file (14 ms for 20,000 orders, seconds for a big
index), so it is not part of the open that a start painting rows from the index waits for.
:class:`IntegrityCheck` runs :meth:`~artistree_tui.store.Index.check` once, in a thread of its
own that only looks. A damaged file is moved aside and rebuilt (:meth:`Index.recover`) by the
``rebuild`` the engine hands it, which runs in the engine's writer thread: between two writes,
so that no write under way lands in the file moved aside. ``stop`` ends a check under way at
SQLite's next look and drops what it found. No Textual here.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from artistree_tui.store.database import Checked, Index

logger = logging.getLogger("artistree_tui.sync")

__all__ = ["IntegrityCheck"]


class IntegrityCheck:
    """Checks ``index``'s file once (:meth:`start`, on the engine's loop); on damage awaits
    ``rebuild(found)`` on that loop (the engine: recover in its writer thread, then start
    over)."""

    def __init__(self, index: Index, rebuild: Callable[[Checked], Awaitable[None]]) -> None:
        self._index = index
        self._rebuild = rebuild
        self._stop = threading.Event()
        self._started = False
        self._tasks: set[asyncio.Task[None]] = set()

    def start(self) -> None:
        """Start the check (once; call it on the loop that is to rebuild)."""
        if self._started:
            return
        self._started = True
        loop = asyncio.get_running_loop()

        def check() -> None:
            try:
                found = self._index.check(self._stop)
            except Exception as exc:  # a bug: logged, never a traceback on screen
                logger.error("the index check failed (%s)", type(exc).__name__)
                return
            if found is not None and found.failure is not None and not self._stop.is_set():
                with contextlib.suppress(RuntimeError):  # the loop closed meanwhile
                    loop.call_soon_threadsafe(self._rebuild_soon, found)

        threading.Thread(target=check, name="artistree-index-check", daemon=True).start()

    def stop(self) -> None:
        """End a check under way (at its next look) and drop what it finds."""
        self._stop.set()

    def _rebuild_soon(self, found: Checked) -> None:
        if self._stop.is_set():
            return

        async def rebuild() -> None:
            try:
                await self._rebuild(found)
            except Exception as exc:  # a bug: logged, never a traceback on screen
                logger.error("rebuilding the index failed (%s)", type(exc).__name__)

        task = asyncio.get_running_loop().create_task(rebuild())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
