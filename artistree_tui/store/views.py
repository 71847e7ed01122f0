"""A view: every indexed order of a scope matching a filter, in one order, read by position.

:class:`View` answers what a virtual list needs at any size — how many rows
(:meth:`~View.count`), the rows in a window (:meth:`~View.rows`), where an order is
(:meth:`~View.position_of`), the next and previous rows new or changed since a time
(:meth:`~View.next_marked`) — plus a stream of every row for the CLI (:meth:`~View.iter_rows`).
Everything runs as SQL over the whole index, never over pages held in memory. What the rows
are, and how they are counted, is the view's *plan* (:mod:`.plans`, made on first use).

How it stays fast at a million rows (figures in ``bench/README.md``):

- Every sort is a walk of one covering index whose columns end with the filter columns
  (state, project), so filtering and skipping never touch the table. A window is read by
  **keyset**: from an *anchor* (the key of every :data:`ANCHOR_EVERY`-th row, built lazily as
  positions are asked for, or all at once by :meth:`~View.build_anchors` in a worker) plus a
  short ``OFFSET`` of less than one anchor gap; the last rows are read backwards from the
  end. There is never an ``OFFSET`` across the whole list.
- A small result is a list of row ids (positions are list positions); a broad text match
  is walked live until a walk away from both ends, the anchors or :meth:`~View.iter_rows`
  copy it into a table first (:meth:`.plans.Plan.fill`).

A view is a snapshot of a query, not of data: rows are read fresh, but its count, anchors and
match set are kept until :meth:`~View.refresh`. :attr:`~View.stale` says whether the index has
changed since (the UI refreshes on the sync's progress, at the rate it chooses). Answers that
must agree with each other (a count, a position, the rows around it) are read inside one
``reader.snapshot()``.

Threading: a view uses its :class:`~.reader.Reader`'s connection and lock; every method may be
called from any thread, one at a time per reader (calls serialize on the lock).
:meth:`~View.build_anchors` works in slices so that a UI call waits at most one slice.
"""

from __future__ import annotations

import bisect
import sqlite3
import time
from collections.abc import Iterator
from typing import Any

from artistree_tui.store import codec
from artistree_tui.store.plans import Plan, Reader, make_plan
from artistree_tui.store.rows import Row, ViewSpec
from artistree_tui.store.schema import NO_CONFIDENCE, NO_NCONFIDENCE

#: An anchor every this many rows: a window costs at most this many index steps.
ANCHOR_EVERY = 1000
_SLICE_SECONDS = 0.02

Key = tuple[Any, ...]


class View:
    """One :class:`~.rows.ViewSpec` over the index (get it with ``reader.view(spec)``)."""

    def __init__(self, reader: Reader, spec: ViewSpec) -> None:
        self.spec = spec
        self._reader = reader
        self._plan: Plan | None = None
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

    def _ready(self, conn: sqlite3.Connection) -> Plan:
        if self._closed:
            raise RuntimeError("this view is closed")
        plan = self._plan
        if plan is None or plan.conn is not conn:
            if plan is not None:
                self._plan = None  # its connection is gone (recovery): the temp table too
            self._anchors = []
            self._anchors_done = False
            self._marks = None
            plan = make_plan(self._reader, conn, self.spec, self)
            self._plan = plan
        return plan

    def _window(
        self,
        conn: sqlite3.Connection,
        plan: Plan,
        anchor: Key | None,
        offset: int,
        n: int,
        *,
        reverse: bool = False,
    ) -> list[tuple[Any, ...]]:
        """``[(rid, *key)]`` of ``n`` rows after ``anchor`` (or from the start), skipping
        ``offset`` (reverse: from the end backwards)."""
        sql = plan.walk_sql(after=anchor is not None, reverse=reverse, what=plan.keys_sql())
        params = [*plan.params, *(anchor or ()), n, offset]
        return conn.execute(sql, params).fetchall()

    def _anchor(self, k: int) -> Key | None:
        """The key just before block ``k`` (None for the first block)."""
        return None if k == 0 else self._anchors[k - 1]

    def _extend_anchors(self, conn: sqlite3.Connection, plan: Plan, upto: int) -> None:
        """Build anchors until block ``upto`` has one or the view ends."""
        plan.fill(conn)
        keys = ", ".join(f"o.{k}" for k in plan.keys)
        while len(self._anchors) < upto and not self._anchors_done:
            last = self._anchor(len(self._anchors))
            sql = plan.walk_sql(after=last is not None, reverse=False, what=keys)
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
            if not plan.fill(conn, stop):
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

    def scored(self) -> int | None:
        """Sorted by confidence: how many rows have a score (they come first, either way);
        None for another sort. Few orders have one (only full orders carry it), so this
        reads the confidence index's top alone."""
        if self.spec.sort != "confidence":
            return None
        return self._reader.run(self._scored)

    def _scored(self, conn: sqlite3.Connection) -> int:
        plan = self._ready(conn)
        if plan.empty:
            return 0
        plan.fill(conn)  # a count over many rows: read the match once, as a table
        first = plan.keys[0]
        none = NO_CONFIDENCE if first == "conf_key" else NO_NCONFIDENCE
        sql = (
            f"SELECT count(*) FROM orders o INDEXED BY {plan.index} "
            f"WHERE {plan.where} AND o.{first} > ?"
        )
        (n,) = conn.execute(sql, [*plan.params, none]).fetchone()
        return int(n)

    def rows(self, start: int, n: int) -> list[Row]:
        """The rows at positions ``start`` … ``start + n - 1`` (fewer at the end)."""
        return self._reader.run(lambda conn: self._rows(conn, start, n))

    def _rows(self, conn: sqlite3.Connection, start: int, n: int) -> list[Row]:
        plan = self._ready(conn)
        rids = [r[0] for r in self._window_at(conn, plan, start, n)]
        return self._reader.fetch_rows(conn, rids)

    def _window_at(
        self, conn: sqlite3.Connection, plan: Plan, start: int, n: int
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
            plan.fill(conn)  # a window away from both ends: many steps over the match
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
            f"SELECT {plan.keys_sql()} FROM orders o WHERE o.order_id = ? AND {plan.where}",
            [codec.to_db(order_id), *plan.params],
        ).fetchone()
        if row is None:
            return None
        return self._position_of_key(conn, plan, row[0], tuple(row[1:]))

    def _position_of_key(
        self, conn: sqlite3.Connection, plan: Plan, rid: int, key: Key
    ) -> int | None:
        if plan.small is not None:
            if plan.small_pos is None:
                plan.small_pos = {r: i for i, r in enumerate(plan.small)}
            return plan.small_pos.get(rid)
        plan.fill(conn)  # a count over many rows: read the match once, as a table
        # The last built anchor before the key, in view order, then count from it.
        descending = plan.descending
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
            plan.fill(conn)  # one statement a batch: read the match once
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

    def _marked(self, conn: sqlite3.Connection, plan: Plan, since: float) -> list[tuple[Key, int]]:
        if self._marks is not None and self._marks[0] == since:
            return self._marks[1]
        found = conn.execute(
            f"SELECT {plan.keys_sql()} FROM orders o INDEXED BY orders_marked "
            f"WHERE o.marked_at > ? AND {plan.where}",
            [since, *plan.params],
        ).fetchall()
        marked = sorted(((tuple(r[1:]), r[0]) for r in found), reverse=plan.descending)
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
        descending = plan.descending
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

    def _key_of(self, conn: sqlite3.Connection, plan: Plan, rid: int) -> Key:
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
