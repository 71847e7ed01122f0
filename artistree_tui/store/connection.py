"""What readers and the writer hold: one SQLite connection with its lock, and the handle of
the index that hands them out.

:class:`IndexHandle` is the part of :class:`~.database.Index` that a
:class:`~.reader.Reader` or the :class:`~.writer.Writer` uses. It is a protocol, so those
modules need not import the database module, which imports them to hand them out.
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
from collections.abc import Callable
from typing import Protocol

#: Page cache of the writer's connection and of each reader's (KiB).
WRITER_CACHE_KB = 16_000
READER_CACHE_KB = 8_000


class Connection:
    """One SQLite connection and the lock that serializes its use.

    ``generation`` is the :class:`Index` generation it belongs to: when the index recovers
    (new file, or memory), older connections are stale and their owner reopens.
    """

    def __init__(self, conn: sqlite3.Connection, lock: threading.RLock, generation: int) -> None:
        self.conn = conn
        self.lock = lock
        self.generation = generation
        self.shared = False

    def close(self) -> None:
        if not self.shared:
            with contextlib.suppress(sqlite3.Error):
                self.conn.close()


class IndexHandle(Protocol):
    """The index as its readers and writer see it (see :class:`~.database.Index`)."""

    fts: bool
    generation: int
    commits: int

    def clock(self) -> float: ...

    def connect(self, *, cache_kb: int = ...) -> Connection: ...

    def recover(self, exc: BaseException, generation: int) -> None: ...


class OwnConnection:
    """A reader's or the writer's own connection to an index: opened on first use, opened
    again when the index has recovered since (a new generation: ``on_reopen`` then drops what
    its owner cached from the old file), closed by its owner. Not locked: its owner's lock
    serializes every use."""

    def __init__(self, index: IndexHandle, *, cache_kb: int, on_reopen: Callable[[], None]) -> None:
        self._index = index
        self._cache_kb = cache_kb
        self._on_reopen = on_reopen
        self._conn: Connection | None = None

    def get(self) -> Connection:
        conn = self._conn
        if conn is None or conn.generation != self._index.generation:
            if conn is not None:
                conn.close()
            conn = self._index.connect(cache_kb=self._cache_kb)
            self._conn = conn
            self._on_reopen()
        return conn

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None
