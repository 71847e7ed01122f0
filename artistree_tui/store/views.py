"""A view: every indexed order of a scope matching a filter, in one order, read by position.

:class:`View` answers what a virtual list needs at any size — how many rows
(:meth:`~View.count`), the rows in a window (:meth:`~View.rows`), where an order is
(:meth:`~View.position_of`), the next and previous rows new or changed since a time
(:meth:`~View.next_marked`) — plus a stream of every row for the CLI (:meth:`~View.iter_rows`).
Everything runs as SQL over the whole index, never over pages held in memory.

How it stays fast at a million rows (figures in ``bench/README.md``):

- Every sort is a walk of one covering index whose columns end with the filter columns
  (state, project), so filtering and skipping never touch the table. A window is read by
  **keyset**: from an *anchor* (the key of every :data:`ANCHOR_EVERY`-th row, built lazily as
  positions are asked for, or all at once by :meth:`~View.build_anchors` in a worker) plus a
  short ``OFFSET`` of less than one anchor gap; the last rows are read backwards from the
  end. There is never an ``OFFSET`` across the whole list.
- Counts without text come from the ``counts`` table (kept exact by triggers); with text,
  from the match set. They are cached per view.
- A *small* result (a rare state or project, a narrow search: at most :data:`SMALL_LIMIT`
  rows, and sparse in the index the sort walks) is materialized once as the ordered list of
  its row ids: positions are then exact list positions.
- Text with FTS5 is one query whose terms include the filter's *facets* (the state and
  project tokens of :mod:`.schema`), so the count of a search within a filter is FTS5's own
  exact count, never an intersection of two large sets. A narrow match (at most
  :data:`SMALL_LIMIT` rows) is then materialized as above. A **broad** match is not: the
  first and last windows walk the sort's index and keep the rows the match holds
  (``rid IN (SELECT rowid FROM orders_fts ...)``, one FTS5 read per statement). Only what
  needs many statements over the same match (anchors, a window away from both ends,
  :meth:`~View.iter_rows`) first copies the match into a temporary table of row ids
  (:meth:`~View.build_anchors` does it in slices, in a worker).
- Text without FTS5 (the fallback), and text that may be the start of an order id, is
  matched once per view into a temporary table of row ids (the ``LIKE`` fallback or FTS5,
  plus the order id's unique index for an id prefix; see :mod:`.search`).

A view is a snapshot of a query, not of data: rows are read fresh, but its count, anchors and
match set are kept until :meth:`~View.refresh`. :attr:`~View.stale` says whether the index has
changed since (the UI refreshes on the sync's progress, at the rate it chooses).

Threading: a view uses its :class:`~.reader.Reader`'s connection and lock; every method may be
called from any thread, one at a time per reader (calls serialize on the lock).
:meth:`~View.build_anchors` works in slices so that a UI call waits at most one slice.
"""

from __future__ import annotations

import bisect
import itertools
import sqlite3
import time
import weakref
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, Protocol, TypeVar

from artistree_tui.store import codec, search
from artistree_tui.store.rows import Row, Scope, ViewSpec
from artistree_tui.store.schema import PROJECT_INDEX, SORT_INDEXES, project_facet, state_facet

T = TypeVar("T")


class Reader(Protocol):
    """What a view needs of its :class:`~.reader.Reader` (which imports this module to hand
    views out): its locked connection and a few lookups."""

    @property
    def fts(self) -> bool: ...

    def run(self, operation: Callable[[sqlite3.Connection], T]) -> T: ...

    def discard_table(self, name: str) -> None: ...

    def version(self) -> tuple[int, ...]: ...

    def version_of(self, conn: sqlite3.Connection) -> tuple[int, ...]: ...

    def scope_pid(self, conn: sqlite3.Connection, scope: Scope) -> int | None: ...

    def state_codes(self, conn: sqlite3.Connection, states: Iterable[str]) -> list[int]: ...

    def count_of(
        self,
        conn: sqlite3.Connection,
        pid: int | None,
        codes: Sequence[int] | None,
        *,
        with_gone: bool = ...,
    ) -> int: ...

    def fetch_rows(self, conn: sqlite3.Connection, rids: Sequence[int]) -> list[Row]: ...


#: An anchor every this many rows: a window costs at most this many index steps.
ANCHOR_EVERY = 1000
#: Results up to this size may be materialized as an ordered list of row ids (sorting them
#: reads each row once: ~3 µs apiece).
SMALL_LIMIT = 5_000
#: A result denser than 1 in this many rows of the walked index is walked, not materialized.
WALK_RATIO = 50
_SLICE_SECONDS = 0.02
#: A broad match is copied into its temporary table this many row ids at a time.
FILL_SPAN = 100_000
_MATCHES = "o.rid IN (SELECT rowid FROM orders_fts WHERE orders_fts MATCH ?)"
_ids = itertools.count(1)

Key = tuple[Any, ...]


class _Plan:
    """What :meth:`View._prepare` decided (internal)."""

    def __init__(self) -> None:
        self.empty = False
        self.where = "1"
        self.params: list[Any] = []
        self.match_table: str | None = None
        #: A broad FTS5 match read live (its MATCH expression, facets included), until
        #: :meth:`View._fill` has copied it into ``match_table`` (``filled``).
        self.fts_match: str | None = None
        self.filled = True
        self.fill_from = 0
        self.fill_to = 0
        self.filter_where = "1"
        self.filter_params: list[Any] = []
        self.index = ""
        self.keys: tuple[str, ...] = ()
        self.count = 0
        self.small: list[int] | None = None
        self.small_pos: dict[int, int] | None = None
        self.conn: object = None
        self.version: tuple[int, ...] = ()


class View:
    """One :class:`~.rows.ViewSpec` over the index (get it with ``reader.view(spec)``)."""

    def __init__(self, reader: Reader, spec: ViewSpec) -> None:
        self.spec = spec
        self._reader = reader
        self._plan: _Plan | None = None
        #: Keys of the rows at positions ANCHOR_EVERY - 1, 2 * ANCHOR_EVERY - 1, …
        self._anchors: list[Key] = []
        self._anchors_done = False
        self._marks: tuple[float, list[tuple[Key, int]]] | None = None
        self._closed = False

    # -- lifecycle --------------------------------------------------------------------------

    @property
    def stale(self) -> bool:
        """True when the index changed since this view's count and anchors were made."""
        plan = self._plan
        return plan is not None and self._reader.version() != plan.version

    def refresh(self) -> None:
        """Forget the count, anchors and match set: the next call recomputes them."""
        self._reader.run(lambda conn: self._reset(conn))

    def close(self) -> None:
        """Drop the view's temporary table now (a view that is just dropped frees it at its
        reader's next use). The view must not be used afterwards."""
        self._reader.run(lambda conn: self._reset(conn))
        self._closed = True

    def _reset(self, conn: sqlite3.Connection) -> None:
        plan, self._plan = self._plan, None
        self._anchors = []
        self._anchors_done = False
        self._marks = None
        if plan is not None and plan.match_table and plan.conn is conn:
            conn.execute(f"DROP TABLE IF EXISTS temp.{plan.match_table}")

    def _ready(self, conn: sqlite3.Connection) -> _Plan:
        if self._closed:
            raise RuntimeError("this view is closed")
        plan = self._plan
        if plan is None or plan.conn is not conn:
            if plan is not None:
                self._plan = None  # its connection is gone (recovery): the temp table too
            self._anchors = []
            self._anchors_done = False
            self._marks = None
            plan = self._prepare(conn)
            self._plan = plan
        return plan

    # -- planning ---------------------------------------------------------------------------

    def _prepare(self, conn: sqlite3.Connection) -> _Plan:
        spec, reader = self.spec, self._reader
        plan = _Plan()
        plan.conn = conn
        plan.version = reader.version_of(conn)
        pid = reader.scope_pid(conn, spec.scope)
        codes = reader.state_codes(conn, spec.states)
        where: list[str] = []
        if pid is not None:
            where.append("o.pid = ?")
            plan.params.append(pid)
        if spec.states:
            if not codes:
                plan.empty = True
            where.append(f"o.state_code IN ({', '.join('?' * len(codes))})")
            plan.params.extend(codes)
        if pid == -1:
            plan.empty = True
        base = reader.count_of(conn, pid, codes if spec.states else None)
        total = reader.count_of(conn, None, None)
        matches: int | None = None
        plan.filter_where, plan.filter_params = " AND ".join(where) or "1", list(plan.params)
        text = spec.text.strip()
        if text and not plan.empty:
            plan.match_table = f"view_match_{next(_ids)}"
            # A view dropped without close() still frees its table (at the reader's next use).
            weakref.finalize(self, reader.discard_table, plan.match_table)
            faceted = self._faceted(conn, text, pid, codes if spec.states else None)
            if faceted == "":
                plan.empty = True
            elif faceted is not None:
                plan.fts_match = faceted
                (found,) = conn.execute(
                    "SELECT count(*) FROM orders_fts WHERE orders_fts MATCH ?", (faceted,)
                ).fetchone()
                matches = int(found)
                plan.filled = False
                where.append(_MATCHES)
                plan.params.append(faceted)
            else:
                matches = self._match(conn, plan.match_table, spec.text)
                where.append(f"o.rid IN (SELECT rid FROM temp.{plan.match_table})")
        plan.where = " AND ".join(where) or "1"
        index, keys = SORT_INDEXES[spec.sort]
        walk_range = total
        if spec.sort == "created" and pid is not None:
            index, walk_range = PROJECT_INDEX, reader.count_of(conn, pid, None)
        plan.index, plan.keys = index, keys
        if plan.empty:
            plan.count, plan.small, plan.small_pos = 0, [], {}
            return plan
        # The cheapest index to drive a filter from: the project's or the states' rows.
        driver, driven = "orders_created", total
        if pid is not None:
            driver, driven = PROJECT_INDEX, reader.count_of(conn, pid, None)
        if spec.states and base < driven:
            driver, driven = "orders_state", reader.count_of(conn, None, codes)
        sparse = base <= SMALL_LIMIT and base * WALK_RATIO < walk_range
        if plan.fts_match is not None and matches is not None:
            # The facets did the filtering: FTS5's count is the view's.
            if matches <= SMALL_LIMIT:
                plan.small = self._materialize_fts(conn, plan)
            plan.count = matches
            return plan
        if matches is not None and matches <= SMALL_LIMIT:
            # A narrow search: sort the matches (read by row id) unless the filter is
            # narrower still (a lookup by row id costs about ten index steps).
            source = (
                f"temp.{plan.match_table} m CROSS JOIN orders o ON o.rid = m.rid"
                if matches * 10 <= driven
                else f"orders o INDEXED BY {driver}"
            )
            plan.small = self._materialize(conn, plan, source)
        elif sparse:
            plan.small = self._materialize(conn, plan, f"orders o INDEXED BY {driver}")
        if plan.small is not None:
            plan.count = len(plan.small)
        elif matches is None:
            plan.count = base
        elif pid is None and not spec.states:
            plan.count = matches
        else:
            sql = f"SELECT count(*) FROM orders o INDEXED BY {driver} WHERE {plan.where}"
            plan.count = int(conn.execute(sql, plan.params).fetchone()[0])
        return plan

    def _faceted(
        self,
        conn: sqlite3.Connection,
        text: str,
        pid: int | None,
        codes: Sequence[int] | None,
    ) -> str | None:
        """The FTS5 MATCH expression of ``text`` within the project and states (their facet
        tokens ANDed); ``""`` when nothing can match; None when the text must go through
        :meth:`_match` instead (no FTS5, or text that may start an order id)."""
        if not self._reader.fts or search.id_prefixes(text):
            return None
        query = search.expanded_query(text, lambda word: self._terms(conn, word))
        if not query:
            return ""  # no word, or a word that starts no term: nothing can match
        parts = [f"({query})"]
        if pid is not None:
            parts.append(f'"{project_facet(pid)}"')
        if codes is not None:
            parts.append("(" + " OR ".join(f'"{state_facet(c)}"' for c in codes) + ")")
        return " AND ".join(parts)

    def _materialize_fts(self, conn: sqlite3.Connection, plan: _Plan) -> list[int]:
        """The row ids of a narrow FTS5 match, in view order (each read by row id)."""
        order = self._order_by(plan.keys, self.spec.descending)
        sql = (
            "SELECT o.rid FROM orders_fts CROSS JOIN orders o ON o.rid = orders_fts.rowid "
            f"WHERE orders_fts MATCH ? AND {plan.filter_where} ORDER BY {order}"
        )
        return [rid for (rid,) in conn.execute(sql, [plan.fts_match, *plan.filter_params])]

    def _fill(self, conn: sqlite3.Connection, plan: _Plan, stop: float | None = None) -> bool:
        """Copy a broad match into its temporary table, :data:`FILL_SPAN` row ids at a time,
        until done (True) or ``stop`` (a ``time.monotonic()``) has passed. Once done, every
        query of the view reads the table instead of asking FTS5 again."""
        if plan.filled or plan.fts_match is None or plan.match_table is None:
            return True
        table = plan.match_table
        if plan.fill_to == 0:
            conn.execute(f"CREATE TEMP TABLE IF NOT EXISTS {table}(rid INTEGER PRIMARY KEY)")
            conn.execute(f"DELETE FROM temp.{table}")
            (top,) = conn.execute("SELECT coalesce(max(rid), 0) FROM orders").fetchone()
            plan.fill_from, plan.fill_to = 0, int(top) + 1
        while plan.fill_from < plan.fill_to:
            high = min(plan.fill_from + FILL_SPAN, plan.fill_to)
            conn.execute(
                f"INSERT INTO temp.{table}(rid) SELECT rowid FROM orders_fts "
                "WHERE orders_fts MATCH ? AND rowid >= ? AND rowid < ?",
                (plan.fts_match, plan.fill_from, high),
            )
            plan.fill_from = high
            if stop is not None and time.monotonic() >= stop and plan.fill_from < plan.fill_to:
                return False
        clause = f"o.rid IN (SELECT rid FROM temp.{table})"
        plan.where = f"{plan.filter_where} AND {clause}"
        plan.params = list(plan.filter_params)
        plan.filled = True
        return True

    def _match(self, conn: sqlite3.Connection, table: str, text: str) -> int:
        conn.execute(f"CREATE TEMP TABLE {table}(rid INTEGER PRIMARY KEY)")
        if self._reader.fts:
            query = search.expanded_query(text, lambda word: self._terms(conn, word))
            if query:
                conn.execute(
                    f"INSERT OR IGNORE INTO temp.{table}(rid) "
                    "SELECT rowid FROM orders_fts WHERE orders_fts MATCH ?",
                    (query,),
                )
        else:
            like = search.like_filter(text)
            if like is not None:
                clause, params = like
                conn.execute(
                    f"INSERT OR IGNORE INTO temp.{table}(rid) SELECT o.rid FROM orders o "
                    f"JOIN projects p ON p.pid = o.pid WHERE {clause}",
                    params,
                )
        for low, high in search.id_prefixes(text):
            conn.execute(
                f"INSERT OR IGNORE INTO temp.{table}(rid) "
                "SELECT rid FROM orders WHERE order_id >= ? AND order_id < ?",
                (low, high),
            )
        (n,) = conn.execute(f"SELECT count(*) FROM temp.{table}").fetchone()
        return int(n)

    def _terms(self, conn: sqlite3.Connection, word: str) -> list[str]:
        """The full-text index's terms that start with ``word`` (one more than the most
        :func:`search.expanded_query` spells out)."""
        conn.execute(
            "CREATE VIRTUAL TABLE IF NOT EXISTS temp.orders_vocab "
            "USING fts5vocab(main, 'orders_fts', 'row')"
        )
        high = word[:-1] + chr(ord(word[-1]) + 1)
        return [
            term
            for (term,) in conn.execute(
                "SELECT term FROM temp.orders_vocab WHERE term >= ? AND term < ? LIMIT ?",
                (word, high, search.MAX_EXPANSION + 1),
            )
        ]

    def _order_by(self, keys: Sequence[str], descending: bool) -> str:
        direction = "DESC" if descending else "ASC"
        return ", ".join(f"o.{k} {direction}" for k in keys)

    def _materialize(self, conn: sqlite3.Connection, plan: _Plan, source: str) -> list[int]:
        """The row ids of the whole (small) result, in view order."""
        order = self._order_by(plan.keys, self.spec.descending)
        sql = f"SELECT o.rid FROM {source} WHERE {plan.where} ORDER BY {order}"
        return [rid for (rid,) in conn.execute(sql, plan.params)]

    # -- keyset walking ---------------------------------------------------------------------

    def _walk_sql(self, plan: _Plan, *, after: bool, reverse: bool, what: str) -> str:
        descending = self.spec.descending != reverse
        keys = ", ".join(f"o.{k}" for k in plan.keys)
        where = plan.where
        if after:
            op = "<" if descending else ">"
            where += f" AND ({keys}) {op} ({', '.join('?' * len(plan.keys))})"
        return (
            f"SELECT {what} FROM orders o INDEXED BY {plan.index} WHERE {where} "
            f"ORDER BY {self._order_by(plan.keys, descending)} LIMIT ? OFFSET ?"
        )

    def _keys_sql(self, plan: _Plan) -> str:
        return "o.rid, " + ", ".join(f"o.{k}" for k in plan.keys)

    def _window(
        self,
        conn: sqlite3.Connection,
        plan: _Plan,
        anchor: Key | None,
        offset: int,
        n: int,
        *,
        reverse: bool = False,
    ) -> list[tuple[Any, ...]]:
        """``[(rid, *key)]`` of ``n`` rows after ``anchor`` (or from the start), skipping
        ``offset`` (reverse: from the end backwards)."""
        sql = self._walk_sql(
            plan, after=anchor is not None, reverse=reverse, what=self._keys_sql(plan)
        )
        params = [*plan.params, *(anchor or ()), n, offset]
        return conn.execute(sql, params).fetchall()

    def _anchor(self, k: int) -> Key | None:
        """The key just before block ``k`` (None for the first block)."""
        return None if k == 0 else self._anchors[k - 1]

    def _extend_anchors(self, conn: sqlite3.Connection, plan: _Plan, upto: int) -> None:
        """Build anchors until block ``upto`` has one or the view ends."""
        self._fill(conn, plan)
        keys = ", ".join(f"o.{k}" for k in plan.keys)
        while len(self._anchors) < upto and not self._anchors_done:
            last = self._anchor(len(self._anchors))
            sql = self._walk_sql(plan, after=last is not None, reverse=False, what=keys)
            row = conn.execute(sql, [*plan.params, *(last or ()), 1, ANCHOR_EVERY - 1]).fetchone()
            if row is None:
                self._anchors_done = True
            else:
                self._anchors.append(tuple(row))

    def build_anchors(self, *, budget: float | None = None) -> bool:
        """Build every anchor now (call it from a worker thread after creating a big view);
        ``budget`` bounds the seconds spent. True when all are built, or when the index changed
        since the view was made (:attr:`stale`): anchors read now would be of another
        snapshot than the view's count and rows (rows written above them shift every later
        one), so it stops; such a view is prepared again."""
        deadline = None if budget is None else time.monotonic() + budget

        def slice_(conn: sqlite3.Connection) -> bool:
            plan = self._ready(conn)
            if plan.small is not None or plan.empty:
                return True
            stop = time.monotonic() + _SLICE_SECONDS
            if not self._fill(conn, plan, stop):
                return False
            while not self._anchors_done and time.monotonic() < stop:
                if self._reader.version_of(conn) != plan.version:
                    return True  # stale: nothing worth building
                self._extend_anchors(conn, plan, len(self._anchors) + 1)
            return self._anchors_done

        while not self._reader.run(slice_):
            if deadline is not None and time.monotonic() >= deadline:
                return False
        return True

    # -- the answers ------------------------------------------------------------------------

    def count(self) -> int:
        """How many rows the view has (cached until :meth:`refresh`)."""
        return self._reader.run(lambda conn: self._ready(conn).count)

    def rows(self, start: int, n: int) -> list[Row]:
        """The rows at positions ``start`` … ``start + n - 1`` (fewer at the end)."""
        return self._reader.run(lambda conn: self._rows(conn, start, n))

    def _rows(self, conn: sqlite3.Connection, start: int, n: int) -> list[Row]:
        plan = self._ready(conn)
        rids = [r[0] for r in self._window_at(conn, plan, start, n)]
        return self._reader.fetch_rows(conn, rids)

    def _window_at(
        self, conn: sqlite3.Connection, plan: _Plan, start: int, n: int
    ) -> list[tuple[Any, ...]]:
        start = max(start, 0)
        n = min(n, plan.count - start)
        if n <= 0:
            return []
        if plan.small is not None:
            return [(rid,) for rid in plan.small[start : start + n]]
        k = start // ANCHOR_EVERY
        built = len(self._anchors)
        forward = start - min(k, built) * ANCHOR_EVERY
        backward = plan.count - (start + n)
        if min(forward, backward) > 0:
            self._fill(conn, plan)  # a window away from both ends: many steps over the match
        if backward < forward:
            rows = self._window(conn, plan, None, backward, n, reverse=True)
            rows.reverse()
            return rows
        if k > built:
            self._extend_anchors(conn, plan, k)
            k = min(k, len(self._anchors))
        return self._window(conn, plan, self._anchor(k), start - k * ANCHOR_EVERY, n)

    def row_at(self, position: int) -> Row | None:
        """The row at ``position``, or None past the end."""
        found = self.rows(position, 1)
        return found[0] if found else None

    def position_of(self, order_id: str) -> int | None:
        """The position of ``order_id`` in this view, or None if it is not in it."""
        return self._reader.run(lambda conn: self._position_of(conn, order_id))

    def _position_of(self, conn: sqlite3.Connection, order_id: str) -> int | None:
        plan = self._ready(conn)
        if plan.empty:
            return None
        row = conn.execute(
            f"SELECT {self._keys_sql(plan)} FROM orders o WHERE o.order_id = ? AND {plan.where}",
            [codec.to_db(order_id), *plan.params],
        ).fetchone()
        if row is None:
            return None
        return self._position_of_key(conn, plan, row[0], tuple(row[1:]))

    def _position_of_key(
        self, conn: sqlite3.Connection, plan: _Plan, rid: int, key: Key
    ) -> int | None:
        if plan.small is not None:
            if plan.small_pos is None:
                plan.small_pos = {r: i for i, r in enumerate(plan.small)}
            return plan.small_pos.get(rid)
        self._fill(conn, plan)  # a count over many rows: read the match once, as a table
        # The last built anchor before the key, in view order, then count from it.
        descending = self.spec.descending
        k = bisect.bisect_left(_ordered(self._anchors, descending), _order(key, descending))
        anchor = self._anchor(k)
        keys = ", ".join(f"o.{c}" for c in plan.keys)
        marks = ", ".join("?" * len(plan.keys))
        before, after = (">", "<") if descending else ("<", ">")
        sql = f"SELECT count(*) FROM orders o INDEXED BY {plan.index} WHERE {plan.where}"
        params: list[Any] = list(plan.params)
        sql += f" AND ({keys}) {before} ({marks})"
        params.extend(key)
        if anchor is not None:
            sql += f" AND ({keys}) {after} ({marks})"
            params.extend(anchor)
        (n,) = conn.execute(sql, params).fetchone()
        return k * ANCHOR_EVERY + int(n)

    def iter_rows(self, *, batch: int = 500) -> Iterator[Row]:
        """Every row of the view in order, ``batch`` at a time (memory stays bounded: the CLI
        streams a million rows with it). Rows written meanwhile may or may not appear."""

        def ready(conn: sqlite3.Connection) -> list[int] | None:
            plan = self._ready(conn)
            self._fill(conn, plan)  # one statement a batch: read the match once
            return plan.small

        plan_small = self._reader.run(ready)
        if plan_small is not None:
            for start in range(0, len(plan_small), batch):
                yield from self._fetch(plan_small[start : start + batch])
            return
        anchor: Key | None = None
        while True:

            def step(conn: sqlite3.Connection, after: Key | None = anchor) -> list[tuple[Any, ...]]:
                plan = self._ready(conn)
                return self._window(conn, plan, after, 0, batch)

            window = self._reader.run(step)
            if not window:
                return
            yield from self._fetch([r[0] for r in window])
            if len(window) < batch:
                return
            anchor = tuple(window[-1][1:])

    def _fetch(self, rids: list[int]) -> list[Row]:
        return self._reader.run(lambda conn: self._reader.fetch_rows(conn, rids))

    # -- new or changed since ---------------------------------------------------------------

    def _marked(self, conn: sqlite3.Connection, plan: _Plan, since: float) -> list[tuple[Key, int]]:
        if self._marks is not None and self._marks[0] == since:
            return self._marks[1]
        found = conn.execute(
            f"SELECT {self._keys_sql(plan)} FROM orders o INDEXED BY orders_marked "
            f"WHERE o.marked_at > ? AND {plan.where}",
            [since, *plan.params],
        ).fetchall()
        marked = sorted(((tuple(r[1:]), r[0]) for r in found), reverse=self.spec.descending)
        self._marks = (since, marked)
        return marked

    def marked_count(self, since: float) -> int:
        """How many rows of the view are new or changed since ``since`` (Unix time)."""

        def operation(conn: sqlite3.Connection) -> int:
            plan = self._ready(conn)
            return 0 if plan.empty else len(self._marked(conn, plan, since))

        return self._reader.run(operation)

    def next_marked(self, after: int, since: float) -> int | None:
        """The position of the first row after position ``after`` that is new or changed
        since ``since``; None if there is none (``after`` -1 searches from the top)."""
        return self._reader.run(lambda conn: self._step_marked(conn, after, since, +1))

    def prev_marked(self, before: int, since: float) -> int | None:
        """The position of the last row before position ``before`` that is new or changed
        since ``since``; None if there is none."""
        return self._reader.run(lambda conn: self._step_marked(conn, before, since, -1))

    def _step_marked(
        self, conn: sqlite3.Connection, origin: int, since: float, way: int
    ) -> int | None:
        plan = self._ready(conn)
        if plan.empty:
            return None
        marked = self._marked(conn, plan, since)
        if not marked:
            return None
        descending = self.spec.descending
        sort_keys = _ordered([k for k, _ in marked], descending)
        if origin < 0:
            index = 0 if way > 0 else -1
        elif origin >= plan.count:
            index = len(marked) if way > 0 else len(marked) - 1
        else:
            here = self._window_at(conn, plan, origin, 1)
            if not here:
                return None
            key = tuple(here[0][1:]) if plan.small is None else self._key_of(conn, plan, here[0][0])
            probe = _order(key, descending)
            if way > 0:
                index = bisect.bisect_right(sort_keys, probe)
            else:
                index = bisect.bisect_left(sort_keys, probe) - 1
        if not 0 <= index < len(marked):
            return None
        key, rid = marked[index]
        return self._position_of_key(conn, plan, rid, key)

    def _key_of(self, conn: sqlite3.Connection, plan: _Plan, rid: int) -> Key:
        row = conn.execute(
            f"SELECT {', '.join(f'o.{k}' for k in plan.keys)} FROM orders o WHERE o.rid = ?",
            (rid,),
        ).fetchone()
        return tuple(row) if row is not None else ()


def _order(key: Key, descending: bool) -> Any:
    return _Reverse(key) if descending else key


def _ordered(keys: list[Key], descending: bool) -> list[Any]:
    """``keys`` (already in view order) as a list ``bisect`` can search."""
    return [_Reverse(k) for k in keys] if descending else keys


class _Reverse:
    """Wraps a key so that sorting and bisecting run in descending order."""

    __slots__ = ("key",)

    def __init__(self, key: Key | None) -> None:
        self.key = key

    def __lt__(self, other: _Reverse) -> bool:
        return other.key < self.key  # type: ignore[operator]

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Reverse) and other.key == self.key

    def __hash__(self) -> int:
        return hash(self.key)
