"""The order list's state: the query shown, the prepared view, the cursor and the marks.

Pure Python (no Textual), so its rules are unit-tested without an app; the widget
(:mod:`.order_list`) renders it and feeds it keys and prepared views.

Every change of what is shown (a scope, a filter, a sort, the index changing under it, ``n``)
is a :class:`Request`: a new *generation*, prepared off the UI thread by
:func:`~.source.prepare` on the spare reader, then :meth:`ListModel.apply`-ed. A prepared view
of an older generation is dropped: the user has moved on. Until the new one is applied the
list keeps showing the old one.

**Marks.** A row is *new* or *changed* when the index marked it (a new arrival once the scope
was indexed, a state change, a return after being gone) after the scope's *watermark*: the
moment the console first ran on the index (a project: All Projects' until it has its own),
moved to now by "clear marks" (in All Projects, for every project too: a project's watermark
is never older than All Projects'). Watermarks are per scope and kept in the index
(:meth:`ListModel.unkept`, :meth:`ListModel.clear_marks`: the list posts them, the sync
writes them), so the marks a reviewer has not cleared outlive a restart or a dropped SSH
session; what changed while the console was away is marked as the sync finds it.

**The start's first row.** A start paints the index a console left, then merges the head: the
orders uploaded since arrive on top. Until the user touches the list (:meth:`ListModel.touch`:
a move, enter, a jump) or that head is in (a view whose ``refreshed_at`` differs from the
first view's), a refresh keeps a cursor on the first row on the first row
(:meth:`ListModel.refresh_want`), so they come into sight under it. From then on a refresh
keeps the cursor on its order.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from artistree_tui.store import ALL, Row, Scope, ScopeStatus
from artistree_tui.ui.orders.source import (
    Prepared,
    Query,
    ReaderPair,
    RowWindow,
    Want,
    prepare,
)

NEW = "+"
CHANGED = "*"


#: Nothing seen yet (see ListModel._start_refreshed).
_UNSET = object()


@dataclass(frozen=True, slots=True)
class Request:
    """One preparation to run (see :func:`~.source.prepare`)."""

    generation: int
    query: Query
    want: Want
    slot: int
    since: float
    #: Why: "show" (a new query), "refresh" (the index changed), "step" (n/N), "locate".
    purpose: str = "show"
    #: Asked again because the cursor moved while the same list was prepared (moved_over).
    again: bool = False


def watermark_key(scope: Scope) -> str:
    """What a scope's watermark is kept under: a project by its name, as the index knows its
    orders (opened by name at one start and by its id at the next, once the id is known, it is
    the same project), else by its id; All Projects as such."""
    if scope.is_all:
        return scope.project_id
    return scope.name or scope.project_id


class ListModel:
    """Query, prepared view, cursor and marks of one order list (module docstring)."""

    def __init__(self, readers: ReaderPair | None, *, clock: Callable[[], float] = time.time):
        self.readers = readers
        self.clock = clock
        self.query = Query()
        self.generation = 0
        self.slot = 0
        self.window = RowWindow(None, 0, {})
        self.cursor = 0
        #: A view has been applied at least once (before that the list says "loading…").
        self.ready = False
        self.status: ScopeStatus | None = None
        self.marked = 0
        #: Sorted by confidence: how many rows of the view have a score (None: another sort).
        self.scored: int | None = None
        self.error: str | None = None
        #: The generation being prepared, or None.
        self.pending: Request | None = None
        self.started = clock()
        #: Watermarks by scope (:func:`watermark_key`), as the index keeps them or set since.
        self._since: dict[str, float] = {}
        self._kept: set[str] = set()  # those the index has (or is being given)
        self._loaded = False
        self._moved = 0  # cursor moves made on the old view since the pending request
        #: A refresh keeps the cursor's order (else, on the first row: the first row).
        self._keeps_order = False
        #: The scope's ``refreshed_at`` in the first view applied (_UNSET: none yet).
        self._start_refreshed: object = _UNSET

    # -- what is shown ---------------------------------------------------------------------
    @property
    def count(self) -> int:
        return self.window.count

    @property
    def filtering(self) -> bool:
        return self.query.filtering

    def row(self, position: int) -> Row | None:
        return self.window.row(position)

    @property
    def highlighted(self) -> Row | None:
        return self.row(self.cursor)

    def touch(self) -> None:
        """The user moved the cursor, opened its order or jumped: refreshes keep its order."""
        self._keeps_order = True

    def set_cursor(self, position: int) -> bool:
        """Move the cursor (clamped); True if it moved."""
        new = max(0, min(position, self.count - 1))
        if new == self.cursor:
            return False
        if self.pending is not None:
            self._moved += new - self.cursor  # keys typed ahead of the new view: kept
        self.cursor = new
        return True

    # -- marks -----------------------------------------------------------------------------
    def watermark(self, scope: Scope) -> float:
        """``scope``'s watermark: rows marked after it are new or changed. A project's is
        never older than All Projects' (marks cleared there are gone from every project), and
        is All Projects' until the project has one of its own."""
        self._load_watermarks()
        everywhere = self._since.get(watermark_key(ALL), self.started)
        own = None if scope.is_all else self._since.get(watermark_key(scope))
        # A project never cleared on its own has All Projects' marks (not this start's).
        return everywhere if own is None else max(own, everywhere)

    @property
    def since(self) -> float:
        """The open scope's watermark (:meth:`watermark`)."""
        return self.watermark(self.query.scope)

    def clear_marks(self) -> tuple[str, float]:
        """Forget the marks of the open scope: its watermark moves to now. Returns what to
        keep in the index (its :func:`watermark_key` and the time), so they stay forgotten."""
        key, now = watermark_key(self.query.scope), self.clock()
        self._since[key] = now
        self._kept.add(key)
        return key, now

    def unkept(self) -> tuple[str, float] | None:
        """The open scope's watermark, once, when the index has none for it yet (first
        opened: this start, or for a project All Projects'): kept, marks the reviewer has not
        cleared outlive a restart. None when there is nothing to keep (or no index)."""
        self._load_watermarks()
        key = watermark_key(self.query.scope)
        if self.readers is None or key in self._kept:
            return None
        self._kept.add(key)
        at = self.watermark(self.query.scope)
        self._since[key] = at
        return key, at

    def _load_watermarks(self) -> None:
        """The watermarks the index keeps (once; a failed read keeps the console's start)."""
        if self._loaded or self.readers is None:
            return
        self._loaded = True
        try:
            stored = self.readers[self.slot].watermarks()
        except Exception:  # the index failed: its notice says why; marks from our start
            return
        self._since.update(stored)
        self._kept.update(stored)

    def mark(self, row: Row) -> str:
        """``+`` new, ``*`` changed (or gone) since the watermark, or ``""``."""
        marked = row.changed_at
        if marked is None or marked <= self.since:
            return ""
        return NEW if marked == row.first_seen and row.gone is None else CHANGED

    # -- preparing -------------------------------------------------------------------------
    def request(
        self, query: Query, want: Want, *, purpose: str = "show", again: bool = False
    ) -> Request:
        """A new generation showing ``query``; it is prepared on the spare reader (the one
        that does not hold the view on screen), or on the first for the very first view."""
        self.generation += 1
        slot = 1 - self.slot if self.ready else self.slot
        since = self.watermark(query.scope)
        request = Request(self.generation, query, want, slot, since, purpose, again)
        self.pending = request
        self._moved = 0
        return request

    def keep(self, *, step: int = 0) -> Want:
        """Keep the cursor on its order (else on its position); ``step``: then ``n``/``N``."""
        row = self.highlighted
        return Want(row.order_id if row is not None else None, self.cursor, step)

    def refresh_want(self) -> Want:
        """Where a refresh (the index changed) puts the cursor: on its order, or at a start
        on the first row (module docstring)."""
        if not self._keeps_order and self.cursor == 0:
            return Want(fallback=0)
        return self.keep()

    def shows(self, query: Query, want: Want) -> bool:
        """Is ``query`` the view on screen, up to date, with the cursor already where ``want``
        would put it? Then preparing it again would change nothing (at a start, the screen
        opens the scope the list has just painted from the index)."""
        if not self.ready or self.pending is not None or query != self.query:
            return False
        if want.step or self.error is not None:
            return False
        if want.keep_id is not None:
            row = self.highlighted
            if row is None or row.order_id != want.keep_id:
                return False
        elif self.cursor != max(0, min(want.fallback, self.count - 1)):
            return False
        return not self.stale()

    def stale(self) -> bool:
        """Is the view on screen missing, or older than the index (another write since)?"""
        view = self.window.view
        try:
            return view is None or view.stale
        except Exception:  # the index failed: prepare again, which says why
            return True

    def moved_over(self, request: Request) -> bool:
        """Did the user move the cursor over the rows on screen while ``request`` prepared
        *the same list* again (a refresh, the project re-opened)? Then its cursor is stale:
        the moves belong to the order they reached, which new rows above may have shifted,
        and the list is prepared once more keeping that order (:meth:`keep`). Only once: a
        key held through that one too would keep the list from ever landing, so its moves are
        counted from the order it kept (:meth:`apply`). Moves made while a *new* query was
        prepared are typed ahead into it instead."""
        return (
            self.ready
            and not request.again
            and self._moved != 0
            and request.generation == self.generation
            and request.purpose in ("show", "refresh")
            and request.query == self.query
        )

    def run(self, request: Request) -> Prepared:
        """Prepare ``request`` (in a worker thread, or on the UI thread for the first paint)."""
        if self.readers is None:
            return Prepared(request.generation, request.query, request.slot, None)
        return prepare(
            self.readers[request.slot],
            request.query,
            request.want,
            generation=request.generation,
            slot=request.slot,
            since=request.since,
            wanted=lambda: self.generation == request.generation,
        )

    def apply(self, prepared: Prepared, *, purpose: str = "show") -> bool:
        """Show a prepared view; False (dropped) if it is not the latest generation."""
        if prepared.generation != self.generation:
            return False
        self.pending = None
        if prepared.error is not None:
            self.error = prepared.error
            return True
        if prepared.view is None:
            return False
        self.error = None
        self.query = prepared.query
        self.slot = prepared.slot
        self.window = RowWindow(prepared.view, prepared.count, prepared.blocks)
        cursor = prepared.cursor
        if purpose in ("show", "refresh"):
            # Moves made while it was prepared (j typed right after enter in the filter box,
            # k right after esc) apply to the new view, from where the cursor lands in it.
            cursor += self._moved
        self._moved = 0
        self.cursor = max(0, min(cursor, prepared.count - 1))
        self.status = prepared.status
        self.marked = prepared.marked
        self.scored = prepared.scored
        self.ready = True
        refreshed = prepared.status.refreshed_at if prepared.status is not None else None
        if self._start_refreshed is _UNSET:
            self._start_refreshed = refreshed
        elif refreshed != self._start_refreshed:
            self._keeps_order = True  # the start's head is in
        return True
