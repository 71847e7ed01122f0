"""Reading the index: views, counts, scope status, single orders and their history.

A :class:`Reader` owns one connection (WAL: it never waits for the writer). Make one per
thread that reads — the UI thread, a CLI, a worker — with ``index.reader()``; it locks itself,
so sharing one between a thread and its worker is safe, just serialized. Every query is
short and uses an index: a reader is fine on the UI thread except for
:meth:`~.views.View.build_anchors` and :meth:`Reader.view` with text over a huge index
(tens of milliseconds), which belong in a worker.
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import UTC, datetime
from typing import Any, TypeVar

from artistree_tui.api.models import ALL_PROJECTS, KNOWN_STATES, Order, OrderStats
from artistree_tui.store import codec, search
from artistree_tui.store.connection import READER_CACHE_KB, IndexHandle, OwnConnection
from artistree_tui.store.rows import (
    IdMatches,
    Row,
    Scope,
    ScopeStatus,
    StateCounts,
    ViewSpec,
    orders_behind,
)
from artistree_tui.store.views import View
from artistree_tui.store.writer import api_stats

T = TypeVar("T")

ROW_COLUMNS = (
    "rid, order_id, title, created, state_code, preview_url, pid, analyses, tags, confidence, "
    "asset_name, username, email, ordered_by, project_id, full_at, first_seen, last_seen, "
    "marked_at, gone"
)


class Reader:
    """Reads an :class:`~.database.Index` (see the module docstring for the threading rule)."""

    def __init__(self, index: IndexHandle) -> None:
        self._index = index
        self._lock = threading.RLock()
        self._own = OwnConnection(index, cache_kb=READER_CACHE_KB, on_reopen=self._forget_names)
        self._states: dict[int, str] = {}
        self._projects: dict[int, str] = {}
        self._discarded: list[str] = []  # temporary tables of views that are gone

    @property
    def fts(self) -> bool:
        """Whether text search uses FTS5 (else the plain fallback)."""
        return self._index.fts

    def close(self) -> None:
        with self._lock:
            self._own.close()

    # -- the connection ---------------------------------------------------------------------

    def _forget_names(self) -> None:
        self._states.clear()
        self._projects.clear()

    def run(self, operation: Callable[[sqlite3.Connection], T]) -> T:
        """Run ``operation(conn)`` on this reader's connection (a failure of the disk or a
        damaged file goes through :meth:`Index.recover`, then it runs once more)."""
        with self._lock:
            for attempt in (1, 2):
                conn = self._own.get()
                try:
                    with conn.lock:
                        self._drop_discarded(conn.conn)
                        return operation(conn.conn)
                except (sqlite3.Error, OSError) as exc:
                    if attempt == 2:
                        raise
                    self._index.recover(exc, conn.generation)
            raise AssertionError("unreachable")

    @contextlib.contextmanager
    def snapshot(self) -> Iterator[None]:
        """Every read of this reader inside the block sees one state of the index, whatever
        is written meanwhile: one read transaction. A view's count, a position in it and its
        rows read apart could each see another commit (two orders written on top between a
        position and the rows would put the cursor two rows off its order). On a file the
        writer goes on (WAL); the in-memory index's one connection, which the writer shares,
        makes it wait for the block. Keep the block short: a preparation, not a session; and
        write nothing from the same thread inside it (on the in-memory index that would be a
        transaction inside this one)."""
        with self._lock:
            held = self._own.get()
            with held.lock:
                held.conn.execute("BEGIN")
                try:
                    yield
                finally:
                    with contextlib.suppress(sqlite3.Error):  # a recovery replaced it
                        held.conn.execute("COMMIT")
                    if held.conn.in_transaction:  # never left open: later BEGINs would fail
                        with contextlib.suppress(sqlite3.Error):
                            held.conn.execute("ROLLBACK")

    def discard_table(self, name: str) -> None:
        """Drop a view's temporary table at the next use (called when a view is collected,
        from whichever thread collected it)."""
        self._discarded.append(name)

    def _drop_discarded(self, conn: sqlite3.Connection) -> None:
        while self._discarded:
            name = self._discarded.pop()
            conn.execute(f"DROP TABLE IF EXISTS temp.{name}")

    def version(self) -> tuple[int, ...]:
        """Changes whenever the index does (any process's commit, or a recovery)."""
        return self.run(self.version_of)

    def version_of(self, conn: sqlite3.Connection) -> tuple[int, ...]:
        (data_version,) = conn.execute("PRAGMA data_version").fetchone()
        return (self._index.generation, self._index.commits, int(data_version))

    # -- code tables ------------------------------------------------------------------------

    def state_name(self, conn: sqlite3.Connection, code: int) -> str:
        name = self._states.get(code)
        if name is None:
            self._states = {
                c: codec.from_db(n) for c, n in conn.execute("SELECT code, name FROM states")
            }
            name = self._states.get(code, "")
        return name

    def project_name(self, conn: sqlite3.Connection, pid: int) -> str:
        name = self._projects.get(pid)
        if name is None:
            self._projects = {
                p: codec.from_db(n) for p, n in conn.execute("SELECT pid, name FROM projects")
            }
            name = self._projects.get(pid, "")
        return name

    def scope_pid(self, conn: sqlite3.Connection, scope: Scope) -> int | None:
        """None for All Projects; the project's code; -1 for a project the index does not
        know (its view is empty until the sync has seen it)."""
        if scope.is_all:
            return None
        name = scope.name
        if name is None:
            row = (
                conn.execute(
                    "SELECT name FROM sweeps WHERE scope = ? AND name IS NOT NULL",
                    (codec.to_db(scope.project_id),),
                ).fetchone()
                or conn.execute(
                    "SELECT name FROM projects WHERE project_id = ?",
                    (codec.to_db(scope.project_id),),
                ).fetchone()
            )
            if row is None:
                return -1
            name = codec.from_db(row[0])
        found = conn.execute(
            "SELECT pid FROM projects WHERE name = ?", (codec.to_db(name),)
        ).fetchone()
        return -1 if found is None else int(found[0])

    def state_codes(self, conn: sqlite3.Connection, states: Iterable[str]) -> list[int]:
        wanted = [codec.to_db(s) for s in states]
        if not wanted:
            return []
        marks = ", ".join("?" * len(wanted))
        return sorted(
            int(code)
            for (code,) in conn.execute(f"SELECT code FROM states WHERE name IN ({marks})", wanted)
        )

    def count_of(
        self,
        conn: sqlite3.Connection,
        pid: int | None,
        codes: Sequence[int] | None,
        *,
        with_gone: bool = True,
    ) -> int:
        """Rows of a project (None: all) in some states (None: all), from ``counts``."""
        where, params = ["1"], []
        if pid is not None:
            where.append("pid = ?")
            params.append(pid)
        if codes is not None:
            if not codes:
                return 0
            where.append(f"state_code IN ({', '.join('?' * len(codes))})")
            params.extend(codes)
        if not with_gone:
            where.append("gone = 0")
        (n,) = conn.execute(
            f"SELECT coalesce(sum(n), 0) FROM counts WHERE {' AND '.join(where)}", params
        ).fetchone()
        return int(n)

    # -- rows -------------------------------------------------------------------------------

    def make_row(self, conn: sqlite3.Connection, r: Sequence[Any]) -> Row:
        (
            _,
            order_id,
            title,
            created,
            code,
            url,
            pid,
            analyses,
            tags,
            confidence,
            asset,
            user,
            email,
            by,
            project_id,
            full_at,
            first,
            last,
            marked,
            gone,
        ) = r
        return Row(
            order_id=codec.from_db(order_id),
            order_title=codec.from_db(title),
            creation_time=None if created is None else datetime.fromtimestamp(created, UTC),
            order_state=self.state_name(conn, code),
            asset_preview_url=codec.opt_from_db(url),
            project_name=self.project_name(conn, pid),
            analyses=codec.analyses_from_json(analyses),
            tags=codec.tags_from_json(tags),
            confidence=confidence,
            asset_name=codec.opt_from_db(asset),
            username=codec.opt_from_db(user),
            email=codec.opt_from_db(email),
            ordered_by=codec.opt_from_db(by),
            project_id=codec.opt_from_db(project_id),
            full=full_at is not None,
            first_seen=first,
            last_seen=last,
            changed_at=marked,
            gone=gone,
        )

    def fetch_rows(self, conn: sqlite3.Connection, rids: Sequence[int]) -> list[Row]:
        """The rows of ``rids``, in that order."""
        if not rids:
            return []
        found: dict[int, Row] = {}
        for start in range(0, len(rids), 900):
            chunk = rids[start : start + 900]
            marks = ", ".join("?" * len(chunk))
            for r in conn.execute(
                f"SELECT {ROW_COLUMNS} FROM orders WHERE rid IN ({marks})", list(chunk)
            ):
                found[r[0]] = self.make_row(conn, r)
        return [found[rid] for rid in rids if rid in found]

    def row(self, order_id: str) -> Row | None:
        """One order's row, or None if the index has never seen it."""

        def operation(conn: sqlite3.Connection) -> Row | None:
            r = conn.execute(
                f"SELECT {ROW_COLUMNS} FROM orders WHERE order_id = ?", (codec.to_db(order_id),)
            ).fetchone()
            return None if r is None else self.make_row(conn, r)

        return self.run(operation)

    def ids_starting(self, prefix: str, *, limit: int = 2) -> IdMatches:
        """The orders whose id starts with ``prefix`` (a short id pasted from a table whose
        id column was cut): how many, and the first ``limit`` ids. Orders the API removed
        (``gone``) are left out. The prefix is tried as typed, lower-cased and upper-cased
        (ids are UUIDs, usually lower case); each is a range on the id's unique index
        (:func:`.search.prefix_range`), so ``%`` and ``_`` are literal. An empty prefix
        matches nothing."""
        text = prefix.strip()
        if not text:
            return IdMatches(prefix=text, count=0, ids=())
        ranges = [
            search.prefix_range(codec.to_db(v))
            for v in dict.fromkeys((text, text.lower(), text.upper()))
        ]

        def operation(conn: sqlite3.Connection) -> IdMatches:
            count, ids = 0, list[str]()
            for low, high in ranges:
                where = "order_id >= ?" + ("" if high is None else " AND order_id < ?")
                params: list[object] = [low] if high is None else [low, high]
                (n,) = conn.execute(
                    f"SELECT count(*) FROM orders WHERE {where} AND gone IS NULL", params
                ).fetchone()
                count += int(n)
                ids.extend(
                    codec.from_db(oid)
                    for (oid,) in conn.execute(
                        f"SELECT order_id FROM orders WHERE {where} AND gone IS NULL "
                        "ORDER BY order_id LIMIT ?",
                        [*params, limit],
                    )
                )
            return IdMatches(prefix=text, count=count, ids=tuple(sorted(ids)[:limit]))

        return self.run(operation)

    def order(self, order_id: str) -> Order | None:
        """The last full order written for ``order_id`` (every field), or None."""

        def operation(conn: sqlite3.Connection) -> Order | None:
            r = conn.execute(
                "SELECT f.doc FROM orders o JOIN full_orders f ON f.rid = o.rid "
                "WHERE o.order_id = ?",
                (codec.to_db(order_id),),
            ).fetchone()
            return None if r is None else codec.order_from_json(r[0])

        return self.run(operation)

    def watermarks(self) -> dict[str, float]:
        """``{key: time}``: where the list's marks of each scope start (the key is the list's
        name for the scope: All Projects, or a project's name), the last time they were
        cleared; empty in a file that has no such table yet."""

        def operation(conn: sqlite3.Connection) -> dict[str, float]:
            try:
                rows = conn.execute("SELECT scope, at FROM watermarks").fetchall()
            except sqlite3.OperationalError as exc:
                if "no such table" in str(exc):
                    return {}  # a file a console has not opened since (schema.ADDITIONS)
                raise
            return {codec.from_db(scope): float(at) for scope, at in rows}

        return self.run(operation)

    def projects(self) -> list[tuple[str, str | None]]:
        """``[(name, project_id)]`` of every project the index has seen an order of, by name
        (``project_id`` None until a full order of that project was written)."""

        def operation(conn: sqlite3.Connection) -> list[tuple[str, str | None]]:
            rows = conn.execute(
                "SELECT p.name, p.project_id FROM projects p "
                "WHERE EXISTS (SELECT 1 FROM counts c WHERE c.pid = p.pid AND c.n > 0) "
                "ORDER BY p.name"
            ).fetchall()
            return [(codec.from_db(name), codec.opt_from_db(pid)) for name, pid in rows]

        return self.run(operation)

    def history(self, order_id: str) -> list[tuple[str, float]]:
        """``[(state, seen_at)]`` of an order, oldest first: the state it had when first
        seen (at ``first_seen``), then each change; ``[]`` for an order never seen."""

        def operation(conn: sqlite3.Connection) -> list[tuple[str, float]]:
            order = conn.execute(
                "SELECT rid, state_code, first_seen FROM orders WHERE order_id = ?",
                (codec.to_db(order_id),),
            ).fetchone()
            if order is None:
                return []
            rid, current, first_seen = order
            changes = conn.execute(
                "SELECT state_code, prev_code, seen_at FROM history WHERE rid = ? ORDER BY seen_at",
                (rid,),
            ).fetchall()
            first = changes[0][1] if changes else current
            states = [(first, first_seen), *((code, seen) for code, _, seen in changes)]
            return [(self.state_name(conn, code), seen) for code, seen in states]

        return self.run(operation)

    def changes_since(
        self, since: float, *, limit: int = 1000
    ) -> list[tuple[str, str | None, str, float]]:
        """State changes seen after ``since``: ``[(order_id, before, after, seen_at)]``,
        oldest first (orders first seen since then are new, not changed: see
        :meth:`~.views.View.marked_count`)."""

        def operation(conn: sqlite3.Connection) -> list[tuple[str, str | None, str, float]]:
            rows = conn.execute(
                "SELECT o.order_id, h.prev_code, h.state_code, h.seen_at FROM history h "
                "JOIN orders o ON o.rid = h.rid WHERE h.seen_at > ? ORDER BY h.seen_at LIMIT ?",
                (since, limit),
            ).fetchall()
            return [
                (
                    codec.from_db(oid),
                    None if prev is None else self.state_name(conn, prev),
                    self.state_name(conn, code),
                    seen,
                )
                for oid, prev, code, seen in rows
            ]

        return self.run(operation)

    # -- views and counts -------------------------------------------------------------------

    def view(self, spec: ViewSpec) -> View:
        """A :class:`~.views.View` of ``spec`` on this reader (prepared on first use)."""
        return View(self, spec)

    def _sweep_row(self, conn: sqlite3.Connection, key: str) -> tuple[Any, ...] | None:
        return conn.execute(
            "SELECT started_at, completed_at, api_total, refreshed_at, problem, api_stats, "
            "next_token FROM sweeps WHERE scope = ?",
            (codec.to_db(key),),
        ).fetchone()

    def status(self, scope: Scope) -> ScopeStatus:
        """What the index knows of ``scope`` (see :class:`~.rows.ScopeStatus`)."""

        def operation(conn: sqlite3.Connection) -> ScopeStatus:
            pid = self.scope_pid(conn, scope)
            indexed = 0 if pid == -1 else self.count_of(conn, pid, None, with_gone=False)
            own = self._sweep_row(conn, scope.project_id)
            everything = own if scope.is_all else self._sweep_row(conn, ALL_PROJECTS)
            completed = [r[1] for r in (own, everything) if r is not None and r[1] is not None]
            refreshed = [r[3] for r in (own, everything) if r is not None and r[3] is not None]
            return ScopeStatus(
                scope=scope,
                indexed=indexed,
                api_total=None if own is None else own[2],
                complete=bool(completed),
                swept_at=max(completed) if completed else None,
                refreshed_at=max(refreshed) if refreshed else None,
                sweeping=own is not None and own[0] is not None,
                problem=None if own is None else codec.opt_from_db(own[4]),
            )

        return self.run(operation)

    def state_counts(self, scope: Scope) -> StateCounts:
        """Orders per state of ``scope`` in the index, gone ones left out (the stats bar),
        and, for All Projects once complete, how far they are behind the API's own counts."""
        status = self.status(scope)

        # All Projects' own counts come with every head refresh; a project's, only while it
        # is watched (they would compare old counts with an index kept current by All's).
        compared = status.complete and scope.is_all

        def operation(conn: sqlite3.Connection) -> tuple[dict[str, int], OrderStats | None]:
            stats = self._api_stats(conn, scope) if compared else None
            pid = self.scope_pid(conn, scope)
            if pid == -1:
                return {}, stats
            where, params = "gone = 0", []
            if pid is not None:
                where += " AND pid = ?"
                params.append(pid)
            counts = {state: 0 for state in KNOWN_STATES}
            for code, n in conn.execute(
                f"SELECT state_code, sum(n) FROM counts WHERE {where} GROUP BY state_code",
                params,
            ):
                if n:
                    name = self.state_name(conn, code)
                    counts[name] = counts.get(name, 0) + int(n)
            return counts, stats

        counts, stats = self.run(operation)  # one transaction: the API's counts and the index's
        behind = orders_behind(counts, stats) if stats is not None else 0
        return StateCounts(counts, complete=status.complete, as_of=status.as_of, behind=behind)

    def api_stats(self, scope: Scope) -> OrderStats | None:
        """The API's ``order_stats`` for ``scope`` from the last page the sync read."""

        return self.run(lambda conn: self._api_stats(conn, scope))

    def _api_stats(self, conn: sqlite3.Connection, scope: Scope) -> OrderStats | None:
        row = self._sweep_row(conn, scope.project_id)
        return None if row is None else api_stats(codec.opt_from_db(row[5]))
