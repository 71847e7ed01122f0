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
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from artistree_tui.api.models import (
    ALL_PROJECTS,
    PERSONAL_CERTIFICATES,
    Order,
    OrderPreview,
    OrdersPage,
    OrderStats,
)
from artistree_tui.store import codec, upserts
from artistree_tui.store.connection import WRITER_CACHE_KB, IndexHandle, OwnConnection
from artistree_tui.store.rows import Scope, StateChange, WriteResult

T = TypeVar("T")

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
        ``asked_at`` wins; without either, the write's time): see :data:`.upserts.FRESH`."""
        mark = now if mark_new else None
        page_asked = asked if asked is not None else now
        skipped = 0
        ids: list[str] = []
        preview_rows: list[tuple[object, ...]] = []
        for p in previews:
            if not p.order_id:
                skipped += 1
                continue
            code = self._code(conn, p.order_state)
            pid = self._pid(conn, p.project_name or PERSONAL_CERTIFICATES)
            ids.append(p.order_id)
            preview_rows.append(upserts.preview_values(p, code, pid, now, mark, page_asked))
        full_rows: list[tuple[object, ...]] = []
        docs: list[tuple[str, str, int]] = []
        for order in orders:
            if not order.order_id:
                skipped += 1
                continue
            code = self._code(conn, order.order_state)
            project_id = upserts.project_id_of(order)
            pid = self._pid(conn, order.project_name, project_id)
            order_asked = order.asked_at if order.asked_at is not None else page_asked
            ids.append(order.order_id)
            full_rows.append(upserts.full_values(order, code, pid, now, mark, order_asked))
            docs.append(upserts.doc_values(order, code))
        known, gone_before = self._known(conn, ids)
        if preview_rows:
            conn.executemany(upserts.UPSERT_PREVIEW, preview_rows)
        if full_rows:
            conn.executemany(upserts.UPSERT_FULL, full_rows)
            conn.executemany(upserts.UPSERT_DOC, docs)
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
            revived=len(gone_before) - len(self._gone(conn, gone_before)),
            skipped=skipped,
        )

    def _known(self, conn: sqlite3.Connection, ids: list[str]) -> tuple[set[str], list[str]]:
        """Which of ``ids`` the index has (as stored), and which of those are marked gone."""
        sql = "SELECT order_id, gone IS NOT NULL FROM orders WHERE order_id IN ({})"
        found = list(_select_chunks(conn, sql, [codec.to_db(i) for i in ids]))
        return {order_id for order_id, _ in found}, [o for o, gone in found if gone]

    def _gone(self, conn: sqlite3.Connection, ids: list[str]) -> list[str]:
        """Which of ``ids`` (as stored) are marked gone (after a write: those it did not bring
        back, its answers being older than the removal)."""
        sql = "SELECT order_id FROM orders WHERE gone IS NOT NULL AND order_id IN ({})"
        return [order_id for (order_id,) in _select_chunks(conn, sql, ids)]

    # -- scopes and sweeps ------------------------------------------------------------------

    def _record_stats(
        self, conn: sqlite3.Connection, key: str, stats: OrderStats, *, now: float | None
    ) -> None:
        if not stats.readable:
            return  # zeros that are not the API's word: the last counts it gave stand
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

    def keep_watermark(self, key: str, at: float, *, replace: bool) -> None:
        """Keep the watermark of the scope the list names ``key`` (see
        :meth:`.reader.Reader.watermarks`): ``at`` always (``replace``: the marks were
        cleared), or only when it has none yet."""
        verb = "INSERT OR REPLACE" if replace else "INSERT OR IGNORE"
        self.run(
            lambda conn: conn.execute(
                f"{verb} INTO watermarks(scope, at) VALUES (?, ?)", (codec.to_db(key), at)
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
                    f"UPDATE orders SET {upserts.GONE_SET} WHERE gone IS NULL AND last_seen < ?",
                    (now, now, started, started),
                )
                gone = cursor.rowcount
            elif scope_name is not None:
                pid = self._pid(conn, scope_name, key)
                cursor = conn.execute(
                    f"UPDATE orders SET {upserts.GONE_SET} WHERE pid = ? AND gone IS NULL "
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

    def mark_gone(self, order_ids: Iterable[str], asked_at: float | None = None) -> int:
        """Mark orders removed now, as a complete sweep would (kept and shown as removed,
        never dropped; a page that lists one again brings it back): the API answered 404 for
        them, to a request sent at ``asked_at`` (None: now). A row that holds an answer asked
        for after that is left as it is (:data:`.upserts.STALE_404`), and an answer asked
        after it brings the order back. Returns how many were marked."""
        ids = [codec.to_db(i) for i in order_ids]
        now = self._now()
        asked = asked_at if asked_at is not None else now
        sql = (
            f"UPDATE orders SET {upserts.GONE_SET} WHERE gone IS NULL"
            f" AND NOT ({upserts.STALE_404}) AND order_id IN ({{}})"
        )
        return self.run(lambda conn: _each_chunk(conn, sql, ids, (now, now, asked, asked, now)))

    def forget(self, order_ids: Iterable[str]) -> int:
        """Delete orders from the index (for ``cache`` maintenance and tests; the sync never
        deletes: it marks gone)."""
        ids = [codec.to_db(i) for i in order_ids]
        sql = "DELETE FROM orders WHERE order_id IN ({})"
        return self.run(lambda conn: _each_chunk(conn, sql, ids, ()))


def _select_chunks(
    conn: sqlite3.Connection, sql: str, ids: Sequence[str]
) -> Iterator[tuple[Any, ...]]:
    """The rows of ``sql`` (its ``{}`` the placeholders of an ``IN`` list) over ``ids``, in
    chunks of :data:`_IN_CHUNK`."""
    for start in range(0, len(ids), _IN_CHUNK):
        part = ids[start : start + _IN_CHUNK]
        yield from conn.execute(sql.format(", ".join("?" * len(part))), part)


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
        counts: dict[str, Any] = {k: int(v) for k, v in data.items()}  # readable ones only
        return OrderStats(**counts)
    except (ValueError, TypeError):
        return None
