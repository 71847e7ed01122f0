"""Opening the index: a private SQLite file in WAL mode, or memory, and what to do when the
file is bad or the disk says no.

:class:`Index` is the one object per database in a process. It opens (creating, checking,
moving aside a bad file), hands out connections to :class:`~.reader.Reader` and
:class:`~.writer.Writer`, and owns the two recoveries:

- **a bad file** — not a database, of another schema version, failing ``quick_check``
  (:meth:`Index.verify`, which the sync engine runs in a thread of its own once it has made
  its first request: it reads the whole file, seconds for a big index, and a start that
  paints rows from the index must not wait for it), or found damaged on use — is renamed
  with an ``.aside-<why>-<time>`` suffix (the previous aside of the same database is
  deleted) and a new file is built in its place;
- **a disk that says no** — the folder cannot be created, the file cannot be opened or
  written (read-only folder or file system, ``database or disk is full``, an I/O error) —
  switches the index to an in-memory database for the rest of the session (same schema,
  same code).

A third case is not a failure: **the file was removed** (``artistree-tui cache clear`` while a
console runs) or replaced by another. The process would go on writing into a file nobody can
open again; :meth:`Index.reopen_if_removed` (the sync engine calls it before every step, one
``stat``) opens the file now at the path instead, a new one, or the one another console made
there first, so that consoles and ``orders --cached`` share one index again. A failure met on
a removed file (an I/O error on its ``-wal``, made anew by another console) does the same: it
is not the disk's fault, and falling back to memory would leave this console's index apart.

Each recovery leaves exactly one line in :meth:`Index.take_notices` (and calls ``on_notice``);
nothing is raised into the console for them. ``store = "memory"`` starts in memory, silently.

Connections: every :class:`~.reader.Reader` and the :class:`~.writer.Writer` has its own (WAL:
readers never wait for the writer; ``busy_timeout`` covers another process's write). In
memory, there is one shared connection, serialized by a lock. A recovery bumps
:attr:`Index.generation`; connections of an older generation reopen on their next use.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sqlite3
import threading
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from artistree_tui.store import paths, schema
from artistree_tui.store.connection import READER_CACHE_KB, Connection

if TYPE_CHECKING:
    from artistree_tui.config import Settings
    from artistree_tui.store.reader import Reader
    from artistree_tui.store.writer import Writer

logger = logging.getLogger("artistree_tui.store")

StoreMode = Literal["disk", "memory"]
SQLITE_HEADER = b"SQLite format 3\x00"
BUSY_TIMEOUT = 5.0

# Primary SQLite result codes (``sqlite3.Error.sqlite_errorcode & 0xFF``).
_PERM, _READONLY, _INTERRUPT, _IOERR, _CORRUPT = 3, 8, 9, 10, 11
_FULL, _CANTOPEN, _NOTADB = 13, 14, 26
#: SQLite virtual machine steps between two looks at :meth:`Index.verify`'s ``stop``.
VERIFY_POLL_STEPS = 1000
#: How long a failure met while the index's ``-wal``/``-shm`` are gone but the database is
#: still there waits for the database to go too (``cache clear`` removes them in that order,
#: microseconds apart) before it is taken for a disk failure.
REMOVAL_GRACE = 0.5
#: The failures (:func:`classify`'s reasons) that a removal under way causes.
_REMOVAL_SIGNS = frozenset({"disk I/O error", "cannot open the file"})

Failure = Literal["corrupt", "unwritable"]


@dataclass(frozen=True)
class Checked:
    """What :meth:`Index.check` found: ``failure`` (None: the file is sound) in the file of
    ``generation`` (hand both to :meth:`Index.recover`)."""

    generation: int
    failure: BaseException | None


class IndexCorrupt(Exception):
    """The file is not a usable index of this version: move it aside (``why`` says how)."""

    def __init__(self, why: str, detail: str) -> None:
        super().__init__(detail)
        self.why = why
        self.detail = detail


def _primary(exc: sqlite3.Error) -> int | None:
    """The primary result code of a SQLite error, if it says."""
    code = getattr(exc, "sqlite_errorcode", None)
    return code & 0xFF if isinstance(code, int) else None


def classify(exc: BaseException) -> tuple[Failure, str] | None:
    """What a failure means for the index: ``("corrupt", detail)``, ``("unwritable",
    reason)`` or None (not a storage failure: a bug, to be raised)."""
    if isinstance(exc, IndexCorrupt):
        return "corrupt", exc.detail
    if isinstance(exc, OSError):
        return "unwritable", exc.strerror or type(exc).__name__
    if not isinstance(exc, sqlite3.Error):
        return None
    primary = _primary(exc)
    text = str(exc).lower()
    if primary in (_CORRUPT, _NOTADB) or "malformed" in text or "not a database" in text:
        return "corrupt", str(exc)
    if primary == _FULL or "disk is full" in text:
        return "unwritable", "disk full"
    if primary in (_READONLY, _PERM) or "readonly" in text or "read-only" in text:
        return "unwritable", "read-only"
    if primary == _CANTOPEN or "unable to open" in text:
        return "unwritable", "cannot open the file"
    if primary == _IOERR or "i/o error" in text:
        return "unwritable", "disk I/O error"
    return None


class Index:
    """The order index of one API and client: a file (``path``) or memory (``path`` None).

    ``fts``: use FTS5 for text search (None: when this Python's SQLite has it; False forces
    the plain fallback). ``on_notice`` receives each one-line notice as it happens (from
    whichever thread hit the problem); :meth:`take_notices` returns those not yet taken.
    ``clock`` gives Unix time (tests may pin it).
    """

    def __init__(
        self,
        path: Path | None,
        *,
        fts: bool | None = None,
        on_notice: Callable[[str], None] | None = None,
        clock: Callable[[], float] = time.time,
        busy_timeout: float = BUSY_TIMEOUT,
    ) -> None:
        self._requested_path = path
        self.fts = schema.fts5_available() if fts is None else fts
        self._on_notice = on_notice
        self.clock = clock
        self._busy = busy_timeout
        self._lock = threading.RLock()
        self._notices: list[str] = []
        self._memory: Connection | None = None
        self._writer: Writer | None = None
        self._fell_back = False
        #: Bumped by every recovery; stale connections reopen.
        self.generation = 0
        #: Commits made by this process's writer (PRAGMA data_version misses those in memory).
        self.commits = 0
        self._path: Path | None = None
        #: (device, inode) of the file opened at ``_path``: another one there is not ours.
        self._identity: tuple[int, int] | None = None
        if path is None:
            self._use_memory()
        else:
            self._open_disk(path)

    # -- construction from settings ---------------------------------------------------------

    @classmethod
    def for_settings(
        cls,
        settings: Settings,
        *,
        on_notice: Callable[[str], None] | None = None,
        fts: bool | None = None,
    ) -> Index:
        """The index ``settings`` ask for: their database file, or memory (``store``)."""
        path = None if settings.store == "memory" else paths.index_files(settings).database
        return cls(path, on_notice=on_notice, fts=fts)

    # -- what it is -------------------------------------------------------------------------

    @property
    def mode(self) -> StoreMode:
        """ "disk" or "memory" (after a fall-back too)."""
        return "memory" if self._path is None else "disk"

    @property
    def path(self) -> Path | None:
        """The database file in use, or None in memory."""
        return self._path

    @property
    def requested_path(self) -> Path | None:
        """The file asked for (even if the index fell back to memory)."""
        return self._requested_path

    def take_notices(self) -> list[str]:
        """The one-line notices not yet taken (oldest first), and forget them."""
        with self._lock:
            notices, self._notices = self._notices, []
        return notices

    def _notify(self, line: str) -> None:
        logger.warning("%s", line)
        with self._lock:
            self._notices.append(line)
        if self._on_notice is not None:
            try:
                self._on_notice(line)
            except Exception as exc:  # a UI bug must not break the storage layer
                logger.error("the on_notice callback failed (%s)", type(exc).__name__)

    # -- connections ------------------------------------------------------------------------

    def connect(self, *, cache_kb: int = READER_CACHE_KB) -> Connection:
        """A connection to the current database (the shared one in memory)."""
        with self._lock:
            if self._memory is not None:
                return self._memory
            assert self._path is not None
            generation = self.generation
            path = self._path
        try:
            conn = self._raw_connect(path)
            conn.execute(f"PRAGMA cache_size=-{int(cache_kb)}")
        except (sqlite3.Error, OSError) as exc:
            self.recover(exc, generation)
            return self.connect(cache_kb=cache_kb)
        return Connection(conn, threading.RLock(), generation)

    def _raw_connect(self, path: Path) -> sqlite3.Connection:
        # mode=rw: never create the file. A connection made after ``cache clear`` removed it
        # would find an empty database of its own; it fails instead (recover opens anew).
        uri = f"file:{urllib.parse.quote(os.fspath(path))}?mode=rw"
        conn = sqlite3.connect(
            uri, uri=True, timeout=self._busy, isolation_level=None, check_same_thread=False
        )
        try:
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute("PRAGMA temp_store=MEMORY")
        except sqlite3.Error:
            conn.close()
            raise
        return conn

    def reader(self) -> Reader:
        """A new :class:`~.reader.Reader` with its own connection (use it from one thread at a
        time; it locks itself, so a worker thread may share it with its creator)."""
        from artistree_tui.store.reader import Reader

        return Reader(self)

    def writer(self) -> Writer:
        """The process's one :class:`~.writer.Writer` of this index (created on first use)."""
        from artistree_tui.store.writer import Writer

        with self._lock:
            if self._writer is None:
                self._writer = Writer(self)
            return self._writer

    def close(self) -> None:
        """Close the writer and the in-memory database (readers close their own)."""
        with self._lock:
            writer, self._writer = self._writer, None
            memory, self._memory = self._memory, None
        if writer is not None:
            writer.close()
        if memory is not None:
            # Under its lock: a reader's worker thread may be inside a statement on this
            # shared connection, and closing it under that statement crashes SQLite (a
            # segfault seen in CI as the console closed). A reader that comes after gets
            # sqlite3.ProgrammingError, which it reports as a storage error.
            with memory.lock, contextlib.suppress(sqlite3.Error):
                memory.conn.close()

    # -- opening ----------------------------------------------------------------------------

    def _open_disk(self, path: Path, *, retried: bool = False) -> None:
        try:
            paths.private_folder(path.parent)
            self._prepare_file(path)
            conn = self._raw_connect(path)
            try:
                self._validate(conn, path)
            finally:
                conn.close()
            paths.private_file(path)
            opened = path.stat()
        except (sqlite3.Error, OSError, IndexCorrupt) as exc:
            failure = classify(exc)
            if failure is None:
                raise
            kind, detail = failure
            if kind == "corrupt" and not retried and self._move_aside(path, exc):
                self._open_disk(path, retried=True)
                return
            self._fall_back(detail, path)
            return
        self._path = path
        self._identity = (opened.st_dev, opened.st_ino)

    def _prepare_file(self, path: Path) -> None:
        """Create the file 0600 before SQLite does (it would use the umask), and refuse one
        that is not a database at all."""
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, paths.FILE_MODE)
        except FileExistsError:
            pass
        else:
            try:
                os.fchmod(fd, paths.FILE_MODE)  # exactly 0600, whatever the umask took away
            finally:
                os.close(fd)
            return
        if not path.is_file():
            raise IndexCorrupt("corrupt", "not a regular file")
        try:
            with path.open("rb") as handle:
                head = handle.read(len(SQLITE_HEADER))
        except OSError as exc:  # a file we cannot read is of no use: set it aside
            raise IndexCorrupt("corrupt", f"unreadable: {exc.strerror}") from None
        if head and head != SQLITE_HEADER:
            raise IndexCorrupt("corrupt", "not a database")
        paths.private_file(path)

    def _validate(self, conn: sqlite3.Connection, path: Path) -> None:
        mode = conn.execute("PRAGMA journal_mode=WAL").fetchone()[0]
        if str(mode).lower() != "wal":
            raise sqlite3.OperationalError("attempt to write a readonly database")
        tables = {
            name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")
        }
        if not tables:
            self._create(conn)
            return
        if not tables >= schema.REQUIRED_TABLES:
            raise IndexCorrupt("foreign", "not an order index")
        row = conn.execute("SELECT version, fts FROM schema_version").fetchone()
        if row is None:
            raise IndexCorrupt("foreign", "no schema version")
        version, fts = row
        if version != schema.SCHEMA_VERSION:
            raise IndexCorrupt(f"v{version}", f"schema version {version}")
        if bool(fts) != self.fts:
            why = "fts" if fts else "nofts"
            raise IndexCorrupt(why, "built with another text search")
        # Take the write lock once: a file we can read but not write is caught here; and add
        # what files of this version made before it lack (schema.ADDITIONS).
        conn.execute("BEGIN IMMEDIATE")
        try:
            for statement in schema.ADDITIONS:
                conn.execute(statement)
            conn.execute("COMMIT")
        except BaseException:
            with contextlib.suppress(sqlite3.Error):
                conn.execute("ROLLBACK")
            raise

    def _create(self, conn: sqlite3.Connection) -> None:
        conn.execute("BEGIN IMMEDIATE")
        try:
            # Another process may have built it while we waited for the lock.
            exists = conn.execute(
                "SELECT 1 FROM sqlite_master WHERE name = 'schema_version'"
            ).fetchone()
            if exists is None:
                schema.create(conn, fts=self.fts, now=self.clock())
            conn.execute("COMMIT")
        except BaseException:
            with contextlib.suppress(sqlite3.Error):
                conn.execute("ROLLBACK")
            raise

    def _move_aside(self, path: Path, exc: BaseException) -> bool:
        """Rename a bad file out of the way (one aside kept per database). False if the
        rename itself failed (then the index falls back to memory)."""
        why = exc.why if isinstance(exc, IndexCorrupt) else "corrupt"
        target = paths.aside_name(path, why, self.clock())
        try:
            for old in paths.IndexFiles(path.parent, path, None).asides():
                paths.remove_quietly(old)
            os.replace(path, target)
            for side in paths.IndexFiles(path.parent, path, None).side_files():
                paths.remove_quietly(side)
        except OSError:
            return False
        if why.startswith("v") or why in ("fts", "nofts", "foreign"):
            reason = (
                "was not an order index of this version"
                if why == "foreign"
                else "was written by another version of artistree-tui"
            )
        else:
            failure = classify(exc)
            detail = failure[1] if failure is not None else type(exc).__name__
            reason = f"was damaged ({detail})"
        self._notify(
            f"the order index {reason}: moved it aside to {target.name} and started a new one"
        )
        return True

    # -- recovery ---------------------------------------------------------------------------

    def removed(self) -> bool:
        """Is the file in use no longer at its path (removed, or another file put there)?"""
        path, identity = self._path, self._identity
        if path is None or identity is None:
            return False
        try:
            found = path.stat()
        except FileNotFoundError:
            return True
        except OSError:
            return False  # cannot tell: a folder gone unreadable is the writes' problem
        return (found.st_dev, found.st_ino) != identity

    def reopen_if_removed(self) -> bool:
        """If the file was removed or replaced (:meth:`removed`), open the one now at the path
        (a new one if there is none), with one notice; connections reopen (generation). True
        if it did. Disk failures meanwhile fall back to memory, as at the start."""
        with self._lock:
            path = self._path
            if path is None or not self.removed():
                return False
            self._reopen(path)
            return True

    def _being_removed(self, path: Path) -> bool:
        """Was the file removed, or are its ``-wal``/``-shm`` gone and it is about to be (then
        wait up to :data:`REMOVAL_GRACE` for it)? Asked only after an I/O error or a file
        that cannot be opened, the failures a removal causes."""
        if self.removed():
            return True
        sides = [path.with_name(path.name + suffix) for suffix in ("-wal", "-shm")]
        if all(side.exists() for side in sides):
            return False
        deadline = time.monotonic() + REMOVAL_GRACE
        while time.monotonic() < deadline:
            time.sleep(0.005)  # the remover's next unlink, in another process
            if self.removed():
                return True
        return False

    def _reopen(self, path: Path) -> None:
        self._open_disk(path)  # raises only what is not a disk failure (a busy lock)
        self.generation += 1  # connections reopen: on the new file, or in memory
        if self._path is not None:
            self._notify(
                f"the order index file was removed (artistree-tui cache clear?): "
                f"indexing again into {path.name}"
            )

    def recover(self, exc: BaseException, generation: int) -> None:
        """Handle a storage failure met on a connection of ``generation``: rebuild a damaged
        file or fall back to memory. Raises ``exc`` again if it is not a storage failure. A
        failure on a stale connection just means: reopen (another thread already recovered).
        """
        failure = classify(exc)
        if failure is None:
            raise exc
        kind, detail = failure
        with self._lock:
            path = self._path
            stale = generation != self.generation
        if not stale and path is not None and detail in _REMOVAL_SIGNS:
            removing = self._being_removed(path)  # may wait a moment: never under the lock
        else:
            removing = False
        with self._lock:
            if generation != self.generation:
                return
            if self._memory is not None:
                raise exc  # memory itself failing is a bug, not a disk problem
            assert path is not None and path == self._path
            if removing:
                # Removed under us (cache clear): a connection made between the removal of
                # the -wal/-shm and that of the database fails as an I/O error, and one made
                # after it cannot open the file. The disk is fine: open the file now at the
                # path, as the sync's next step would.
                self._reopen(path)
                return
            self.generation += 1
            if kind == "corrupt" and self._move_aside(path, exc):
                self._open_disk(path, retried=True)
                return
            self._fall_back(detail, path)

    def _fall_back(self, reason: str, path: Path) -> None:
        with self._lock:
            self.generation += 1
            self._use_memory()
            if not self._fell_back:
                self._fell_back = True
                self._notify(
                    f"the order index cannot be kept on disk ({reason}) in {path.parent}: "
                    "it lives in memory for this session"
                )

    def _use_memory(self) -> None:
        conn = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
        conn.execute("PRAGMA temp_store=MEMORY")
        schema_conn = conn
        schema_conn.execute("BEGIN")
        schema.create(schema_conn, fts=self.fts, now=self.clock())
        schema_conn.execute("COMMIT")
        shared = Connection(conn, threading.RLock(), self.generation)
        shared.shared = True
        self._memory = shared
        self._path = None

    def verify(self, stop: threading.Event | None = None) -> bool | None:
        """:meth:`check` the file, and move a damaged one aside and rebuild it (here, in the
        caller's thread: one that writes to the index, lest a write under way land in the
        file being moved aside). True if it was fine, False if it was not, None if ``stop``
        was set before the check was over."""
        found = self.check(stop)
        if found is None:
            return None
        if found.failure is None:
            return True
        self.recover(found.failure, found.generation)
        return False

    def check(self, stop: threading.Event | None = None) -> Checked | None:
        """Run ``PRAGMA quick_check`` on the file (~1 ms per MB: call it off the UI's thread)
        and say what it found, changing nothing; None if ``stop`` was set before it was over.
        ``stop`` is looked at every :data:`VERIFY_POLL_STEPS` steps of SQLite's machine; the
        walk over the pages is one step in older SQLite (3.40 here): a stop set during it
        takes effect after it."""
        with self._lock:
            generation = self.generation
            path = self._path
        if path is None:
            return Checked(generation, None)
        if stop is not None and stop.is_set():
            return None
        try:
            conn = self._raw_connect(path)
            try:
                if stop is not None:
                    conn.set_progress_handler(stop.is_set, VERIFY_POLL_STEPS)
                result = conn.execute("PRAGMA quick_check").fetchone()
            finally:
                conn.close()
            if result is None or result[0] != "ok":
                raise IndexCorrupt("corrupt", "failed its integrity check")
        except sqlite3.OperationalError as exc:
            if stop is not None and stop.is_set() and _primary(exc) == _INTERRUPT:
                return None
            return Checked(generation, exc)
        except (sqlite3.Error, OSError, IndexCorrupt) as exc:
            return Checked(generation, exc)
        if stop is not None and stop.is_set():
            return None
        return Checked(generation, None)
