"""The one writer of a process: upserts pages and orders, keeps the sync's bookkeeping.

Every method is synchronous and runs one transaction (``BEGIN IMMEDIATE`` … ``COMMIT``), so a
page of 1,000 orders is one commit. Call them off the UI's event loop: the sync engine runs
them in its writer thread (``asyncio.to_thread`` or an executor). The writer locks itself,
so two threads never interleave inside it; another process's writer waits on SQLite's busy
timeout. SQL is always parameterized.

A write that meets a bad disk or a damaged file goes through :meth:`Index.recover` and is
replayed once on the new database (memory, or a rebuilt file): the caller sees a normal
result, and the index has one notice to show.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from artistree_tui.api.models import (
    ALL_PROJECTS,
    PERSONAL_CERTIFICATES,
    Order,
    OrderPreview,
    OrdersPage,
    OrderStats,
)
from artistree_tui.store import codec
from artistree_tui.store.connection import WRITER_CACHE_KB, IndexHandle, OwnConnection
from artistree_tui.store.rows import Scope, StateChange, WriteResult
from artistree_tui.store.schema import NO_CONFIDENCE, TITLE_KEY_CHARS

T = TypeVar("T")

_PREVIEW_COLUMNS = (
    "order_id, title, title_key, created, created_key, ncreated, state_code, pid, preview_url, "
    "analyses, analysis_types, tags, tags_text, first_seen, last_seen, marked_at, observed_at"
)
_FULL_COLUMNS = (
    _PREVIEW_COLUMNS + ", confidence, conf_key, asset_name, username, email, ordered_by, "
    "project_id, full_at"
)
_CHANGED = "orders.state_code IS NOT excluded.state_code"
#: A row is written over only by an answer asked no earlier than the one it holds, or by one
#: that does not change its state (and does not bring back a removed order): a late answer
#: to an earlier request never turns a state back (see ``ASKED_AT`` in api/models.py).
_FRESH = (
    "excluded.observed_at >= orders.observed_at"
    " OR (orders.gone IS NULL AND orders.state_code IS excluded.state_code)"
)
_COMMON_SET = f"""
    title = excluded.title, title_key = excluded.title_key, created = excluded.created,
    created_key = excluded.created_key, ncreated = excluded.ncreated,
    marked_at = CASE WHEN {_CHANGED} OR orders.gone IS NOT NULL
                     THEN excluded.last_seen ELSE orders.marked_at END,
    state_code = excluded.state_code, pid = excluded.pid, preview_url = excluded.preview_url,
    analyses = excluded.analyses, analysis_types = excluded.analysis_types,
    tags = excluded.tags, tags_text = excluded.tags_text,
    last_seen = max(orders.last_seen, excluded.last_seen), gone = NULL,
    observed_at = max(orders.observed_at, excluded.observed_at)"""
_UPSERT_PREVIEW = f"""
INSERT INTO orders({_PREVIEW_COLUMNS}) VALUES ({", ".join("?" * 17)})
ON CONFLICT(order_id) DO UPDATE SET {_COMMON_SET},
    confidence = CASE WHEN {_CHANGED} THEN NULL ELSE orders.confidence END,
    conf_key = CASE WHEN {_CHANGED} THEN {NO_CONFIDENCE} ELSE orders.conf_key END,
    full_at = CASE WHEN {_CHANGED} THEN NULL ELSE orders.full_at END
WHERE {_FRESH}
"""
_UPSERT_FULL = f"""
INSERT INTO orders({_FULL_COLUMNS}) VALUES ({", ".join("?" * 25)})
ON CONFLICT(order_id) DO UPDATE SET {_COMMON_SET},
    confidence = excluded.confidence, conf_key = excluded.conf_key,
    asset_name = excluded.asset_name, username = excluded.username, email = excluded.email,
    ordered_by = excluded.ordered_by, project_id = excluded.project_id,
    full_at = excluded.full_at
WHERE {_FRESH}
"""
#: The whole order, kept only if its row now holds its state (a late answer left out).
_UPSERT_DOC = """
INSERT INTO full_orders(rid, doc) SELECT rid, ? FROM orders WHERE order_id = ? AND state_code = ?
ON CONFLICT(rid) DO UPDATE SET doc = excluded.doc
"""
#: Marking orders removed (``gone``, ``marked_at``, and the time from which they were missed:
#: an answer asked before it does not bring them back, see :data:`_FRESH`).
_GONE_SET = "gone = ?, marked_at = ?, observed_at = max(observed_at, ?)"
#: SQLite's default limit on ``?`` parameters in one statement is 32,766; stay well under.
_IN_CHUNK = 900


@dataclass(frozen=True, slots=True)
class SweepState:
    """The sync's bookkeeping for one scope (see ``sweeps`` in :mod:`.schema`)."""

    scope: str
    name: str | None = None
    started_at: float | None = None
    next_token: str | None = None
    pages: int = 0
    rows: int = 0
    completed_at: float | None = None
    api_total: int | None = None
    refreshed_at: float | None = None
    problem: str | None = None

    @property
    def sweeping(self) -> bool:
        return self.started_at is not None


def _title_key(title: str) -> str:
    return title[:TITLE_KEY_CHARS].casefold()


def _created(value: object) -> float | None:
    timestamp = getattr(value, "timestamp", None)
    return float(timestamp()) if callable(timestamp) else None


class Writer:
    """Writes into an :class:`~.database.Index` (get it with ``index.writer()``)."""

    def __init__(self, index: IndexHandle) -> None:
        self._index = index
        self._lock = threading.RLock()
        self._own = OwnConnection(index, cache_kb=WRITER_CACHE_KB, on_reopen=self._forget_codes)
        self._last_now = 0.0
        self._pids: dict[str, int] = {}
        self._codes: dict[str, int] = {}
        self._project_ids: dict[int, str] = {}

    def close(self) -> None:
        with self._lock:
            self._own.close()

    # -- the transaction machinery ----------------------------------------------------------

    def _forget_codes(self) -> None:
        self._pids.clear()
        self._codes.clear()
        self._project_ids.clear()

    def _now(self) -> float:
        """Strictly increasing write times: one write's history rows share its time."""
        now = self._index.clock()
        if now <= self._last_now:
            now = self._last_now + 1e-6
        self._last_now = now
        return now

    def run(self, operation: Callable[[sqlite3.Connection], T]) -> T:
        """Run ``operation(conn)`` in one write transaction; replay it once after a recovery."""
        with self._lock:
            for attempt in (1, 2):
                conn = self._own.get()
                try:
                    with conn.lock:
                        conn.conn.execute("BEGIN IMMEDIATE")
                        try:
                            result = operation(conn.conn)
                            conn.conn.execute("COMMIT")
                        except BaseException:
                            with contextlib.suppress(sqlite3.Error):
                                conn.conn.execute("ROLLBACK")
                            self._forget_codes()  # codes made in that transaction are gone
                            raise
                        # Counted before the connection is let go: a reader sharing it (the
                        # in-memory index) never sees this commit's rows under the old count.
                        self._index.commits += 1
                    return result
                except (sqlite3.Error, OSError) as exc:
                    if attempt == 2:
                        raise
                    self._index.recover(exc, conn.generation)
            raise AssertionError("unreachable")

    # -- code tables ------------------------------------------------------------------------

    def _pid(self, conn: sqlite3.Connection, name: str, project_id: str | None = None) -> int:
        stored = codec.to_db(name)
        pid = self._pids.get(stored)
        if pid is None:
            row = conn.execute("SELECT pid FROM projects WHERE name = ?", (stored,)).fetchone()
            if row is None:
                cursor = conn.execute(
                    "INSERT INTO projects(name, project_id) VALUES (?, ?)",
                    (stored, codec.opt_to_db(project_id)),
                )
                pid = int(cursor.lastrowid or 0)
            else:
                pid = int(row[0])
            self._pids[stored] = pid
        if project_id is not None and self._project_ids.get(pid) != project_id:
            conn.execute(
                "UPDATE projects SET project_id = ? WHERE pid = ? AND project_id IS NOT ?",
                (codec.to_db(project_id), pid, codec.to_db(project_id)),
            )
            self._project_ids[pid] = project_id
        return pid

    def _code(self, conn: sqlite3.Connection, state: str) -> int:
        stored = codec.to_db(state)
        code = self._codes.get(stored)
        if code is None:
            row = conn.execute("SELECT code FROM states WHERE name = ?", (stored,)).fetchone()
            if row is None:
                cursor = conn.execute("INSERT INTO states(name) VALUES (?)", (stored,))
                code = int(cursor.lastrowid or 0)
            else:
                code = int(row[0])
            self._codes[stored] = code
        return code

    # -- orders -----------------------------------------------------------------------------

    def write_page(
        self, page: OrdersPage, *, scope: Scope | str = ALL_PROJECTS, mark_new: bool = False
    ) -> WriteResult:
        """Upsert every row of a list page (preview or full) and remember the API's totals
        for ``scope``. ``mark_new``: orders the index did not know are new arrivals (set
        once the scope has been indexed; a first sweep's rows are not "new")."""
        key = scope.project_id if isinstance(scope, Scope) else scope
        now = self._now()

        def operation(conn: sqlite3.Connection) -> WriteResult:
            result = self._upsert(conn, page.previews, page.orders, now, mark_new, page.asked_at)
            self._record_stats(conn, key, page.stats, now=None)
            if key != ALL_PROJECTS:
                self._learn_scope_name(conn, key, page)
            return result

        return self.run(operation)

    def write_previews(
        self, previews: Sequence[OrderPreview], *, mark_new: bool = False
    ) -> WriteResult:
        """Upsert preview rows (one transaction)."""
        now = self._now()
        return self.run(lambda conn: self._upsert(conn, previews, (), now, mark_new))

    def write_orders(self, orders: Sequence[Order], *, mark_new: bool = False) -> WriteResult:
        """Upsert full orders (a detail fetch, a full page): every field is kept."""
        now = self._now()
        return self.run(lambda conn: self._upsert(conn, (), orders, now, mark_new))

    def _upsert(
        self,
        conn: sqlite3.Connection,
        previews: Sequence[OrderPreview],
        orders: Sequence[Order],
        now: float,
        mark_new: bool,
        asked: float | None = None,
    ) -> WriteResult:
        """Upsert rows; ``asked``: when the page they came in was asked for (the orders' own
        ``asked_at`` wins; without either, the write's time): see :data:`_FRESH`."""
        mark = now if mark_new else None
        page_asked = asked if asked is not None else now
        skipped = 0
        ids: list[str] = []
        preview_rows: list[tuple[object, ...]] = []
        for p in previews:
            row = self._preview_row(conn, p, now, mark, page_asked)
            if row is None:
                skipped += 1
                continue
            ids.append(p.order_id)
            preview_rows.append(row)
        full_rows: list[tuple[object, ...]] = []
        docs: list[tuple[str, str, int]] = []
        for order in orders:
            order_asked = order.asked_at if order.asked_at is not None else page_asked
            row = self._full_row(conn, order, now, mark, order_asked)
            if row is None:
                skipped += 1
                continue
            ids.append(order.order_id)
            full_rows.append(row)
            code = self._code(conn, order.order_state)
            docs.append((codec.order_to_json(order), codec.to_db(order.order_id), code))
        known, revived = self._known(conn, ids)
        if preview_rows:
            conn.executemany(_UPSERT_PREVIEW, preview_rows)
        if full_rows:
            conn.executemany(_UPSERT_FULL, full_rows)
            conn.executemany(_UPSERT_DOC, docs)
        rows: list[OrderPreview | Order] = [*previews, *orders]
        new = [
            StateChange(row.order_id, None, row.order_state, row.order_title)
            for row in rows
            if row.order_id and codec.to_db(row.order_id) not in known
        ]
        changes = [
            StateChange(
                codec.from_db(order_id),
                codec.from_db(before),
                codec.from_db(after),
                codec.from_db(title),
            )
            for order_id, before, after, title in conn.execute(
                """SELECT o.order_id, p.name, s.name, o.title FROM history h
                   JOIN orders o ON o.rid = h.rid
                   JOIN states s ON s.code = h.state_code
                   JOIN states p ON p.code = h.prev_code
                   WHERE h.seen_at = ?""",
                (now,),
            )
        ]
        return WriteResult(
            written=len(ids),
            new=tuple(new),
            changes=tuple(changes),
            revived=revived,
            skipped=skipped,
        )

    def _known(self, conn: sqlite3.Connection, ids: list[str]) -> tuple[set[str], int]:
        """Which of ``ids`` the index has (as stored), and how many of them are gone."""
        known: set[str] = set()
        gone = 0
        for start in range(0, len(ids), _IN_CHUNK):
            chunk = [codec.to_db(i) for i in ids[start : start + _IN_CHUNK]]
            marks = ", ".join("?" * len(chunk))
            for order_id, was_gone in conn.execute(
                f"SELECT order_id, gone IS NOT NULL FROM orders WHERE order_id IN ({marks})",
                chunk,
            ):
                known.add(order_id)
                gone += was_gone
        return known, gone

    def _common(
        self,
        conn: sqlite3.Connection,
        order: OrderPreview | Order,
        project_name: str,
        project_id: str | None,
        now: float,
        mark: float | None,
        asked: float,
    ) -> tuple[object, ...] | None:
        if not order.order_id:
            return None
        created = _created(order.creation_time)
        created_key = created if created is not None else 0.0
        title = codec.to_db(order.order_title)
        return (
            codec.to_db(order.order_id),
            title,
            _title_key(title),
            created,
            created_key,
            -created_key,
            self._code(conn, order.order_state),
            self._pid(conn, project_name, project_id),
            codec.opt_to_db(order.asset_preview_url),
            codec.analyses_to_json(order.analyses),
            codec.to_db(" ".join(a.analysis_type for a in order.analyses)),
            codec.tags_to_json(order.tags),
            codec.to_db(" ".join(order.tags)),
            now,
            now,
            mark,
            asked,
        )

    def _preview_row(
        self,
        conn: sqlite3.Connection,
        p: OrderPreview,
        now: float,
        mark: float | None,
        asked: float,
    ) -> tuple[object, ...] | None:
        name = p.project_name or PERSONAL_CERTIFICATES
        return self._common(conn, p, name, None, now, mark, asked)

    def _full_row(
        self,
        conn: sqlite3.Connection,
        order: Order,
        now: float,
        mark: float | None,
        asked: float,
    ) -> tuple[object, ...] | None:
        project_id = order.project.id if order.project else PERSONAL_CERTIFICATES
        common = self._common(conn, order, order.project_name, project_id or None, now, mark, asked)
        if common is None:
            return None
        confidence = order.confidence
        return (
            *common,
            confidence,
            confidence if confidence is not None else NO_CONFIDENCE,
            codec.to_db(order.asset_name),
            codec.to_db(order.username),
            codec.to_db(order.email),
            codec.to_db(order.ordered_by),
            codec.opt_to_db(project_id or None),
            now,
        )

    # -- scopes and sweeps ------------------------------------------------------------------

    def _record_stats(
        self, conn: sqlite3.Connection, key: str, stats: OrderStats, *, now: float | None
    ) -> None:
        payload = codec.dumps(
            {
                "in_progress": stats.in_progress,
                "certified": stats.certified,
                "action_required": stats.action_required,
                "reviewed": stats.reviewed,
                "failed": stats.failed,
                "unsupported": stats.unsupported,
                "total": stats.total,
            }
        )
        conn.execute(
            """INSERT INTO sweeps(scope, api_total, api_stats, refreshed_at) VALUES (?, ?, ?, ?)
               ON CONFLICT(scope) DO UPDATE SET api_total = excluded.api_total,
               api_stats = excluded.api_stats,
               refreshed_at = coalesce(excluded.refreshed_at, sweeps.refreshed_at)""",
            (codec.to_db(key), stats.total, payload, now),
        )

    def _learn_scope_name(self, conn: sqlite3.Connection, key: str, page: OrdersPage) -> None:
        names = [p.project_name for p in page.previews] or [o.project_name for o in page.orders]
        if not names:
            return
        name = max(set(names), key=names.count)
        conn.execute(
            "UPDATE sweeps SET name = ? WHERE scope = ?", (codec.to_db(name), codec.to_db(key))
        )
        self._pid(conn, name, key)

    def record_refresh(self, scope: Scope | str, at: float | None = None) -> None:
        """The scope's first page was just read (the "as of" time)."""
        key = scope.project_id if isinstance(scope, Scope) else scope
        when = self._index.clock() if at is None else at
        self.run(
            lambda conn: conn.execute(
                """INSERT INTO sweeps(scope, refreshed_at) VALUES (?, ?)
                   ON CONFLICT(scope) DO UPDATE SET refreshed_at = excluded.refreshed_at""",
                (codec.to_db(key), when),
            )
        )

    def sweep_state(self, scope: Scope | str) -> SweepState:
        """The bookkeeping of ``scope`` (a fresh state if it was never swept)."""
        key = scope.project_id if isinstance(scope, Scope) else scope

        def operation(conn: sqlite3.Connection) -> SweepState:
            row = conn.execute(
                """SELECT name, started_at, next_token, pages, rows, completed_at, api_total,
                          refreshed_at, problem FROM sweeps WHERE scope = ?""",
                (codec.to_db(key),),
            ).fetchone()
            if row is None:
                return SweepState(key)
            name, started, token, pages, rows, completed, total, refreshed, problem = row
            return SweepState(
                key,
                codec.opt_from_db(name),
                started,
                codec.opt_from_db(token),
                int(pages),
                int(rows),
                completed,
                total,
                refreshed,
                codec.opt_from_db(problem),
            )

        return self.run(operation)

    def start_sweep(self, scope: Scope | str, at: float | None = None) -> float:
        """Begin a sweep of ``scope`` from its first page; returns its start time."""
        key = scope.project_id if isinstance(scope, Scope) else scope
        when = self._index.clock() if at is None else at
        self.run(
            lambda conn: conn.execute(
                """INSERT INTO sweeps(scope, started_at, next_token, pages, rows)
                   VALUES (?, ?, NULL, 0, 0)
                   ON CONFLICT(scope) DO UPDATE SET started_at = excluded.started_at,
                   next_token = NULL, pages = 0, rows = 0""",
                (codec.to_db(key), when),
            )
        )
        return when

    def save_sweep(
        self, scope: Scope | str, *, next_token: str | None, pages: int, rows: int
    ) -> None:
        """Where the sweep of ``scope`` has got to (to resume after an outage or a restart)."""
        key = scope.project_id if isinstance(scope, Scope) else scope
        self.run(lambda conn: self._save(conn, key, next_token, pages, rows))

    def _save(
        self, conn: sqlite3.Connection, key: str, token: str | None, pages: int, rows: int
    ) -> None:
        conn.execute(
            "UPDATE sweeps SET next_token = ?, pages = ?, rows = ? WHERE scope = ?",
            (codec.opt_to_db(token), pages, rows, codec.to_db(key)),
        )

    def write_sweep_page(
        self,
        page: OrdersPage,
        *,
        scope: Scope,
        mark_new: bool,
        pages: int,
        rows: int,
        last: bool,
        problem: str | None = None,
        started_at: float | None = None,
    ) -> tuple[WriteResult, int]:
        """One page of a sweep, in one transaction: its rows, the API's totals, and either
        the next page token (``last`` False) or the end of the sweep (complete unless
        ``problem``; ``started_at`` as for :meth:`finish_sweep`). Returns the write's result
        and the orders marked gone."""
        now = self._now()
        key = scope.project_id

        def operation(conn: sqlite3.Connection) -> tuple[WriteResult, int]:
            result = self._upsert(conn, page.previews, page.orders, now, mark_new, page.asked_at)
            self._record_stats(conn, key, page.stats, now=None)
            if key != ALL_PROJECTS:
                self._learn_scope_name(conn, key, page)
            if not last:
                self._save(conn, key, page.next_page_token, pages, rows)
                return result, 0
            self._save(conn, key, None, pages, rows)
            gone = self._finish(conn, key, scope.name, now, problem is None, problem, started_at)
            return result, gone

        return self.run(operation)

    def finish_sweep(
        self,
        scope: Scope | str,
        *,
        complete: bool,
        problem: str | None = None,
        started_at: float | None = None,
    ) -> int:
        """End the sweep of ``scope``. A complete one marks gone every order of the scope not
        seen since the sweep started (never deleted) and returns how many; an incomplete one
        (broken paging) records ``problem`` and marks nothing. ``started_at``: when this
        sweep started (default: as recorded; another console sweeping the same scope may
        have recorded a later start, so the engine passes its own)."""
        key = scope.project_id if isinstance(scope, Scope) else scope
        name = scope.name if isinstance(scope, Scope) else None
        now = self._now()
        return self.run(
            lambda conn: self._finish(conn, key, name, now, complete, problem, started_at)
        )

    def _finish(
        self,
        conn: sqlite3.Connection,
        key: str,
        name: str | None,
        now: float,
        complete: bool,
        problem: str | None,
        started_at: float | None = None,
    ) -> int:
        row = conn.execute(
            "SELECT started_at, name FROM sweeps WHERE scope = ?", (codec.to_db(key),)
        ).fetchone()
        started = started_at if started_at is not None else (row[0] if row else None)
        gone = 0
        if complete and started is not None:
            scope_name = name or (codec.opt_from_db(row[1]) if row is not None else None)
            if key == ALL_PROJECTS:
                cursor = conn.execute(
                    f"UPDATE orders SET {_GONE_SET} WHERE gone IS NULL AND last_seen < ?",
                    (now, now, started, started),
                )
                gone = cursor.rowcount
            elif scope_name is not None:
                pid = self._pid(conn, scope_name, key)
                cursor = conn.execute(
                    f"UPDATE orders SET {_GONE_SET} WHERE pid = ? AND gone IS NULL "
                    "AND last_seen < ?",
                    (now, now, started, pid, started),
                )
                gone = cursor.rowcount
        conn.execute(
            """UPDATE sweeps SET started_at = NULL, next_token = NULL,
               completed_at = CASE WHEN ? THEN ? ELSE completed_at END, problem = ?
               WHERE scope = ?""",
            (complete, now, codec.opt_to_db(problem), codec.to_db(key)),
        )
        return max(gone, 0)

    def mark_gone(self, order_ids: Iterable[str]) -> int:
        """Mark orders removed now, as a complete sweep would (kept and shown as removed,
        never dropped; a page that lists one again brings it back): the API answered 404 for
        them. Returns how many were not marked already."""
        ids = [codec.to_db(i) for i in order_ids]
        now = self._now()
        sql = f"UPDATE orders SET {_GONE_SET} WHERE gone IS NULL AND order_id IN ({{}})"
        return self.run(lambda conn: _each_chunk(conn, sql, ids, (now, now, now)))

    def forget(self, order_ids: Iterable[str]) -> int:
        """Delete orders from the index (for ``cache`` maintenance and tests; the sync never
        deletes: it marks gone)."""
        ids = [codec.to_db(i) for i in order_ids]
        sql = "DELETE FROM orders WHERE order_id IN ({})"
        return self.run(lambda conn: _each_chunk(conn, sql, ids, ()))


def _each_chunk(
    conn: sqlite3.Connection, sql: str, ids: Sequence[str], params: tuple[object, ...]
) -> int:
    """Run ``sql`` (its ``{}`` the placeholders of an ``IN`` list) over ``ids`` in chunks of
    :data:`_IN_CHUNK`, ``params`` first; returns the rows changed in all."""
    total = 0
    for start in range(0, len(ids), _IN_CHUNK):
        part = ids[start : start + _IN_CHUNK]
        total += conn.execute(sql.format(", ".join("?" * len(part))), [*params, *part]).rowcount
    return total


def api_stats(text: str | None) -> OrderStats | None:
    """The :class:`OrderStats` stored by :meth:`Writer.write_page`, or None."""
    if not text:
        return None
    try:
        data = json.loads(text)
        return OrderStats(**{k: int(v) for k, v in data.items()})
    except (ValueError, TypeError):
        return None
