"""An existing index opened for reading only: what ``artistree-tui orders --cached`` reads.

:class:`~.database.Index` is the console's: it creates the folder and the file, takes the
write lock to check the file is writable, moves a bad file aside and falls back to memory.
A command that only reads must do none of that, so :meth:`ReadOnlyIndex.open`:

- creates nothing: a missing folder or file is :class:`IndexMissing`;
- opens the database with SQLite's ``mode=ro`` (no write can happen on its connections,
  whatever the code above asks), checks its tables and schema version, and refuses a file
  that is not an index of this version with :class:`IndexUnusable` (it never repairs it:
  the console does that when it opens it);
- never falls back to memory: a failure while reading is raised as it is.

SQLite may create the database's ``-wal``/``-shm`` companions (empty, with the database's
own mode) when they do not exist: a reader of a WAL database needs them to see what a
running console is writing. Nothing else is written. Readers of a :class:`ReadOnlyIndex`
are ordinary :class:`~.reader.Reader` objects (views, status, counts), so the command and the
console answer from the same code.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

from artistree_tui.store import paths, schema
from artistree_tui.store.connection import READER_CACHE_KB, Connection

if TYPE_CHECKING:
    from artistree_tui.config import Settings
    from artistree_tui.store.reader import Reader

BUSY_TIMEOUT = 5.0


class IndexUnavailable(Exception):
    """The index cannot be read; ``str()`` is one line saying why (no advice: the caller
    knows what the user can do instead)."""


class IndexMissing(IndexUnavailable):
    """There is no index file (or ``store = "memory"`` keeps none on disk)."""


class IndexUnusable(IndexUnavailable):
    """The file exists but is not an index this version can read (damaged, other version)."""


class ReadOnlyIndex:
    """An index file opened read-only (see the module docstring). Hand out readers with
    :meth:`reader`; :meth:`close` is a no-op kept for symmetry (readers close their own)."""

    def __init__(self, path: Path, *, fts: bool, busy_timeout: float = BUSY_TIMEOUT) -> None:
        self.path = path
        self.fts = fts
        self.generation = 0  # never recovers, so never changes
        self.commits = 0  # this process never writes
        self._busy = busy_timeout

    @classmethod
    def for_settings(cls, settings: Settings) -> ReadOnlyIndex:
        """The index file of ``settings`` (the console's for the same config and profile)."""
        if settings.store == "memory":
            raise IndexMissing('store = "memory" keeps no order index on disk')
        return cls.open(paths.index_files(settings).database)

    @classmethod
    def open(cls, path: Path) -> ReadOnlyIndex:
        """Open ``path`` read-only after checking it is an index of this version."""
        if not path.is_file():
            raise IndexMissing(f"there is no order index at {path}")
        probe = cls(path, fts=False)
        try:
            conn = probe._raw_connect()
        except sqlite3.Error as exc:
            raise IndexUnusable(f"the order index at {path} cannot be opened ({exc})") from None
        try:
            fts = cls._check(conn, path)
        except sqlite3.Error as exc:
            raise IndexUnusable(f"the order index at {path} cannot be read ({exc})") from None
        finally:
            conn.close()
        if fts and not schema.fts5_available():
            raise IndexUnusable(
                f"the order index at {path} was built with full-text search, which this "
                "Python's SQLite lacks"
            )
        return cls(path, fts=fts)

    @staticmethod
    def _check(conn: sqlite3.Connection, path: Path) -> bool:
        tables = {
            name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")
        }
        if not tables >= schema.REQUIRED_TABLES:
            raise IndexUnusable(f"{path} is not an order index (or was never filled)")
        row = conn.execute("SELECT version, fts FROM schema_version").fetchone()
        if row is None or row[0] != schema.SCHEMA_VERSION:
            version = "?" if row is None else row[0]
            raise IndexUnusable(
                f"the order index at {path} is of another version of artistree-tui "
                f"(schema {version}, this one reads {schema.SCHEMA_VERSION})"
            )
        return bool(row[1])

    # -- what readers need (store.connection.IndexHandle) ----------------------------------

    def clock(self) -> float:
        return time.time()

    def _raw_connect(self) -> sqlite3.Connection:
        uri = f"file:{quote(str(self.path))}?mode=ro"
        conn = sqlite3.connect(
            uri, uri=True, timeout=self._busy, isolation_level=None, check_same_thread=False
        )
        try:
            # A view's match set is a temporary table: in memory, never on disk. (Not
            # ``query_only``: it refuses temporary tables too; ``mode=ro`` is the guard.)
            conn.execute("PRAGMA temp_store=MEMORY")
        except sqlite3.Error:
            conn.close()
            raise
        return conn

    def connect(self, *, cache_kb: int = READER_CACHE_KB) -> Connection:
        conn = self._raw_connect()
        conn.execute(f"PRAGMA cache_size=-{int(cache_kb)}")
        return Connection(conn, threading.RLock(), self.generation)

    def recover(self, exc: BaseException, generation: int) -> None:
        """Nothing is repaired here: the failure is raised as it is."""
        raise exc

    def reader(self) -> Reader:
        """A :class:`~.reader.Reader` of this index (one per thread)."""
        from artistree_tui.store.reader import Reader

        return Reader(self)

    def close(self) -> None:
        """Nothing to close: each reader owns its connection."""
