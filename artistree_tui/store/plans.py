"""A view's plan: how the SQL of one :class:`~.rows.ViewSpec` reads the whole index.

:func:`make_plan` decides, once per view (:class:`~.views.View` holds the :class:`Plan`), what
the view's rows are and how to count them; the view then reads them by position.

- Counts without text come from the ``counts`` table (kept exact by triggers); with text,
  from the match set.
- A *small* result (a rare state or project, a narrow search: at most :data:`SMALL_LIMIT`
  rows, and sparse in the index the sort walks) is materialized once as the ordered list of
  its row ids: positions are then exact list positions.
- Text with FTS5 is one query whose terms include the filter's *facets* (the state and
  project tokens of :mod:`.schema`), so the count of a search within a filter is FTS5's own
  exact count, never an intersection of two large sets. A narrow match (at most
  :data:`SMALL_LIMIT` rows) is then materialized as above. A **broad** match is not: the
  view's walks keep the rows the match holds (``rid IN (SELECT rowid FROM orders_fts ...)``,
  one FTS5 read per statement) until :meth:`Plan.fill` has copied the match into a temporary
  table of row ids (what needs many statements over the same match does that first).
- Text without FTS5 (the fallback), and text that may be the start of an order id, is
  matched once per view into a temporary table of row ids (the ``LIKE`` fallback or FTS5,
  plus the order id's unique index for an id prefix; see :mod:`.search`).

Every statement is parameterized; the names spliced in (indexes, columns, temporary tables)
are the module's own.
"""

from __future__ import annotations

import itertools
import sqlite3
import time
import weakref
from collections.abc import Callable, Iterable, Sequence
from typing import Any, Protocol, TypeVar

from artistree_tui.store import search
from artistree_tui.store.rows import Row, Scope, ViewSpec
from artistree_tui.store.schema import (
    ASCENDING_INDEXES,
    PROJECT_INDEX,
    SORT_INDEXES,
    project_facet,
    state_facet,
)

T = TypeVar("T")


class Reader(Protocol):
    """What a view and its plan need of the :class:`~.reader.Reader` (which hands views out):
    its locked connection and a few lookups."""

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


#: Results up to this size may be materialized as an ordered list of row ids (sorting them
#: reads each row once: ~3 µs apiece).
SMALL_LIMIT = 5_000
#: A result denser than 1 in this many rows of the walked index is walked, not materialized.
WALK_RATIO = 50
#: A broad match is copied into its temporary table this many row ids at a time.
FILL_SPAN = 100_000
_MATCHES = "o.rid IN (SELECT rowid FROM orders_fts WHERE orders_fts MATCH ?)"
_ids = itertools.count(1)


class Plan:
    """What :func:`make_plan` decided for one view, and how its rows are walked."""

    def __init__(self, descending: bool) -> None:
        self.descending = descending
        self.empty = False
        self.where = "1"
        self.params: list[Any] = []
        self.match_table: str | None = None
        #: A broad FTS5 match read live (its MATCH expression, facets included), until
        #: :meth:`fill` has copied it into ``match_table`` (``filled``).
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

    def fill(self, conn: sqlite3.Connection, stop: float | None = None) -> bool:
        """Copy a broad match into its temporary table, :data:`FILL_SPAN` row ids at a time,
        until done (True) or ``stop`` (a ``time.monotonic()``) has passed. Once done, every
        query of the view reads the table instead of asking FTS5 again."""
        if self.filled or self.fts_match is None or self.match_table is None:
            return True
        table = self.match_table
        if self.fill_to == 0:
            conn.execute(f"CREATE TEMP TABLE IF NOT EXISTS {table}(rid INTEGER PRIMARY KEY)")
            conn.execute(f"DELETE FROM temp.{table}")
            (top,) = conn.execute("SELECT coalesce(max(rid), 0) FROM orders").fetchone()
            self.fill_from, self.fill_to = 0, int(top) + 1
        while self.fill_from < self.fill_to:
            high = min(self.fill_from + FILL_SPAN, self.fill_to)
            conn.execute(
                f"INSERT INTO temp.{table}(rid) SELECT rowid FROM orders_fts "
                "WHERE orders_fts MATCH ? AND rowid >= ? AND rowid < ?",
                (self.fts_match, self.fill_from, high),
            )
            self.fill_from = high
            if stop is not None and time.monotonic() >= stop and self.fill_from < self.fill_to:
                return False
        clause = f"o.rid IN (SELECT rid FROM temp.{table})"
        self.where = f"{self.filter_where} AND {clause}"
        self.params = list(self.filter_params)
        self.filled = True
        return True

    def walk_sql(self, *, after: bool, reverse: bool, what: str) -> str:
        descending = self.descending != reverse
        keys = ", ".join(f"o.{k}" for k in self.keys)
        where = self.where
        if after:
            op = "<" if descending else ">"
            where += f" AND ({keys}) {op} ({', '.join('?' * len(self.keys))})"
        return (
            f"SELECT {what} FROM orders o INDEXED BY {self.index} WHERE {where} "
            f"ORDER BY {order_by(self.keys, descending)} LIMIT ? OFFSET ?"
        )

    def keys_sql(self) -> str:
        return "o.rid, " + ", ".join(f"o.{k}" for k in self.keys)


def make_plan(reader: Reader, conn: sqlite3.Connection, spec: ViewSpec, owner: object) -> Plan:
    """Plan ``spec`` on ``conn`` (see the module docstring); a temporary table it makes is
    dropped when ``owner`` (the view) is collected, if nobody dropped it before."""
    plan = Plan(spec.descending)
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
        weakref.finalize(owner, reader.discard_table, plan.match_table)
        faceted = _faceted(reader, conn, text, pid, codes if spec.states else None)
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
            matches = _match(reader, conn, plan.match_table, spec.text)
            where.append(f"o.rid IN (SELECT rid FROM temp.{plan.match_table})")
    plan.where = " AND ".join(where) or "1"
    index, keys = SORT_INDEXES[spec.sort]
    if not spec.descending and spec.sort in ASCENDING_INDEXES:
        index, keys = ASCENDING_INDEXES[spec.sort]
        plan.descending = True  # that index, walked the other way
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
            plan.small = _materialize_fts(conn, plan)
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
        plan.small = _materialize(conn, plan, source)
    elif sparse:
        plan.small = _materialize(conn, plan, f"orders o INDEXED BY {driver}")
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
    reader: Reader,
    conn: sqlite3.Connection,
    text: str,
    pid: int | None,
    codes: Sequence[int] | None,
) -> str | None:
    """The FTS5 MATCH expression of ``text`` within the project and states (their facet
    tokens ANDed); ``""`` when nothing can match; None when the text must go through
    :func:`_match` instead (no FTS5, or text that may start an order id)."""
    if not reader.fts or search.id_prefixes(text):
        return None
    query = search.expanded_query(text, lambda word: _terms(conn, word))
    if not query:
        return ""  # no word, or a word that starts no term: nothing can match
    parts = [f"({query})"]
    if pid is not None:
        parts.append(f'"{project_facet(pid)}"')
    if codes is not None:
        parts.append("(" + " OR ".join(f'"{state_facet(c)}"' for c in codes) + ")")
    return " AND ".join(parts)


def _materialize_fts(conn: sqlite3.Connection, plan: Plan) -> list[int]:
    """The row ids of a narrow FTS5 match, in view order (each read by row id)."""
    order = order_by(plan.keys, plan.descending)
    sql = (
        "SELECT o.rid FROM orders_fts CROSS JOIN orders o ON o.rid = orders_fts.rowid "
        f"WHERE orders_fts MATCH ? AND {plan.filter_where} ORDER BY {order}"
    )
    return [rid for (rid,) in conn.execute(sql, [plan.fts_match, *plan.filter_params])]


def _match(reader: Reader, conn: sqlite3.Connection, table: str, text: str) -> int:
    conn.execute(f"CREATE TEMP TABLE {table}(rid INTEGER PRIMARY KEY)")
    if reader.fts:
        query = search.expanded_query(text, lambda word: _terms(conn, word))
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


def _terms(conn: sqlite3.Connection, word: str) -> list[str]:
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


def _materialize(conn: sqlite3.Connection, plan: Plan, source: str) -> list[int]:
    """The row ids of the whole (small) result, in view order."""
    order = order_by(plan.keys, plan.descending)
    sql = f"SELECT o.rid FROM {source} WHERE {plan.where} ORDER BY {order}"
    return [rid for (rid,) in conn.execute(sql, plan.params)]


def order_by(keys: Sequence[str], descending: bool) -> str:
    direction = "DESC" if descending else "ASC"
    return ", ".join(f"o.{k} {direction}" for k in keys)
