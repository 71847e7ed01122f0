"""The order list's paging model: which pages exist, which rows are held, what to fetch next.

Pure Python (no Textual), so every rule here is unit-tested without an app; the widget
(:mod:`artistree_tui.ui.orders.order_list`) only renders it and feeds it key presses and pages.

Vocabulary:

- *absolute index*: an order's position in the scope as the server pages it (0 = first row of
  the first page). *Display index*: a position in what the list shows; the same as absolute
  unless a filter is on, then an index into the filter's matches.
- *segment*: one page as it was fetched (:mod:`.segments`): metadata kept for every page,
  rows held for the ``max_rows`` nearest the cursor; a dropped page is fetched again by the
  same token and limit when the user comes back to it.

Loading is one request at a time, chosen when the previous one ends (:mod:`.fetch_plan`: the
first page, then demand, the ``G`` walk of :mod:`.walk`, prefetch). Each request carries the
model's ``generation``; answers for an older scope are dropped. Every page read for the first
time passes a :class:`~artistree_tui.api.paging_guard.PagingGuard`: orders already listed are
dropped, and when the API's paging looks broken (a token that comes back, endless empty pages,
far more rows than ``total_orders``) the list ends there and says why (``paging_broken``).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from artistree_tui.api.models import Order, OrdersPage
from artistree_tui.api.paging_guard import PagingGuard
from artistree_tui.ui.orders.fetch_plan import FetchPlan, PageFetcher, View
from artistree_tui.ui.orders.filter import STATE_CYCLE, ListFilter, next_state
from artistree_tui.ui.orders.row import BLANK_ROW, Row, RowKind, scope_row
from artistree_tui.ui.orders.segments import Answer, PageRequest, Segment, SegmentChain
from artistree_tui.ui.orders.walk import Walk

__all__ = ["STATE_CYCLE", "Applied", "PageFetcher", "PageRequest", "PagingModel", "Row", "RowKind"]


@dataclass(frozen=True, slots=True)
class Applied:
    """What applying a page changed that the widget reacts to beyond a repaint."""

    walk_finished: bool = False
    rows_changed: bool = True  # False for a preview page: no held order changed
    #: Why the list stops at this page: the API's paging looks broken (None: it does not).
    broken: str | None = None


#: The defaults of the list's paging, shared by the model, the list and its pane: the API's
#: default page size, the `limit` of the pages `G` walks past, and the rows held at most (a
#: full order parses to ~5 KB, so 3,000 are ~15 MB: ten screens or more around the cursor
#: plus a whole walk page).
PAGE_SIZE, WALK_LIMIT, MAX_ROWS = 200, 1000, 3000
#: Order ids a scope's guard remembers to drop duplicates (~100 bytes each); past them, the
#: row count against ``total_orders`` still stops a walk that serves the same orders again.
GUARD_IDS = 50_000


class PagingModel:
    """Segments, held rows, cursor, filters and the choice of the next request of one scope."""

    #: Rows from the top never evicted (the live refresh's window, :mod:`.merge`).
    pinned_rows = 0

    def __init__(
        self,
        *,
        page_size: int = PAGE_SIZE,
        walk_limit: int = WALK_LIMIT,
        max_rows: int = MAX_ROWS,
        prefetch_screens: int = 2,
        max_bytes: int | None = None,
    ) -> None:
        self.max_rows = max(1, max_rows)
        #: The most memory the held rows may take (about; None: only ``max_rows`` bounds them).
        self.max_bytes = max_bytes
        self.project_id: str | None = None
        self.generation = 0
        self._chain = SegmentChain()
        self._reported_total: int | None = None
        self._in_flight: PageRequest | None = None
        self._cursor = 0
        self._top = 0
        self._height = 20
        self._walk = Walk()
        self._plan = FetchPlan(
            max(1, page_size), max(1, walk_limit), max(0, prefetch_screens), self._walk
        )
        self._filter = ListFilter()
        self._reselect: str | None = None  # order id to put the cursor on once it is held
        # Watches the scope's pages as they are first read (api/paging_guard.py); rebuilt from
        # the chain when segments left it (its epoch changed).
        self._guard = PagingGuard(remember=GUARD_IDS)
        self._guard_epoch = self._chain.epoch
        #: Why the list stopped before the server said it ended (the paging looks broken).
        self.paging_broken: str | None = None

    @property
    def _base_cursor(self) -> int:
        """The absolute cursor when a filter was switched on (kept by the filter)."""
        return self._filter.base_cursor

    @_base_cursor.setter
    def _base_cursor(self, value: int) -> None:
        self._filter.base_cursor = value

    @property
    def page_size(self) -> int:
        return self._plan.page_size

    @property
    def walk_limit(self) -> int:
        return self._plan.walk_limit

    # -- scope ---------------------------------------------------------------------------
    def reset(self, project_id: str, *, keep_cursor: bool = False) -> None:
        """Start over on ``project_id`` (a new generation); filters are kept.

        ``keep_cursor`` (reload) keeps the cursor's index and puts it back on the highlighted
        order when that order shows up again.
        """
        keep = self.highlighted_order if keep_cursor else None
        abs_cursor = self._base_cursor if self._matches is not None else self._cursor
        self._chain.clear()
        self.generation += 1
        self.project_id = project_id
        self._reported_total = None
        self._in_flight = None
        self._guard = PagingGuard(remember=GUARD_IDS)
        self._guard_epoch = self._chain.epoch
        self.paging_broken = None
        self._walk.active = False  # whether previews are trusted outlives the scope
        self._reselect = keep.order_id if keep else None
        self._cursor = self._base_cursor = abs_cursor if keep_cursor else 0
        if self._matches is not None:
            self._filter.matches = []
            self._cursor = 0

    # -- sizes ---------------------------------------------------------------------------
    @property
    def known_end(self) -> int:
        """Rows of the scope fetched at least once (held or not): "N" of "N of TOTAL"."""
        return self._chain.known_end

    @property
    def complete(self) -> bool:
        """The last page has been seen: the total is exact."""
        return self._chain.complete

    @property
    def total(self) -> int:
        """Rows of the scope: the server's ``total_orders`` until the last page corrects it.

        While pages remain there is always one row past the known ones (loading or error).
        """
        if self.project_id is None:
            return 0
        if self.complete:
            return self.known_end
        return max(self._reported_total or 0, self.known_end + 1)

    @property
    def held_rows(self) -> int:
        return self._chain.held

    @property
    def segments(self) -> tuple[Segment, ...]:
        return tuple(self._chain)

    @property
    def in_flight(self) -> PageRequest | None:
        return self._in_flight

    @property
    def filtering(self) -> bool:
        return self._matches is not None

    @property
    def display_length(self) -> int:
        return len(self._matches) if self._matches is not None else self.total

    # -- rows ----------------------------------------------------------------------------
    def row(self, display_index: int) -> Row:
        """The row at ``display_index``: O(log pages), whatever the number of orders."""
        if self._matches is not None:
            if 0 <= display_index < len(self._matches):
                return Row(RowKind.ORDER, self._matches[display_index])
            return BLANK_ROW
        return scope_row(self._chain, display_index, self.total, self._cursor)

    @property
    def highlighted_order(self) -> Order | None:
        return self.row(self._cursor).order

    # -- cursor and view -----------------------------------------------------------------
    @property
    def cursor(self) -> int:
        return self._cursor

    def set_cursor(self, display_index: int) -> bool:
        """Move the cursor (clamped); True if it moved. A user move forgets a pending reselect."""
        last = self.display_length - 1
        new = max(0, min(display_index, last))
        self._reselect = None
        if new == self._cursor:
            return False
        self._cursor = new
        return True

    def move_cursor(self, delta: int) -> bool:
        return self.set_cursor(self._cursor + delta)

    def set_viewport(self, top: int, height: int) -> None:
        """The display rows on screen; drives demand, prefetch and what eviction keeps."""
        self._top = max(0, top)
        self._height = max(1, height)

    def _clamp_cursor(self) -> None:
        self._cursor = max(0, min(self._cursor, self.display_length - 1))

    # -- choosing requests ---------------------------------------------------------------
    def next_request(self) -> PageRequest | None:
        """The next page to fetch, marked in flight; None if one is in flight or none needed."""
        if self.project_id is None or self._in_flight is not None:
            return None
        view = View(self._cursor, self._top, self._height, self.total, self._matches is not None)
        choice = self._plan.choose(self._chain, view)
        if choice is None:
            return None
        segment, kind, preview = choice
        self._in_flight = PageRequest(self.generation, self.project_id, segment, kind, preview)
        return self._in_flight

    def _accepts(self, request: PageRequest) -> bool:
        return request.generation == self.generation and request.segment.alive

    # -- answers -------------------------------------------------------------------------
    def apply_page(self, request: PageRequest, page: OrdersPage) -> Applied | None:
        """Store a fetched page; None when it belongs to an older scope (dropped)."""
        if not self._accepts(request):
            return None
        self._in_flight = None
        keep_id = self._reselect or _order_id(self.highlighted_order)
        segment = request.segment
        old_end = segment.end
        broken = None
        if segment.count is None:  # read for the first time: part of the walk through pages
            page, broken = self._guarded(segment, page)
        answer = Answer.of(page, preview=request.preview)
        delta = self._chain.store(segment, answer)
        if delta and self._matches is None and self._cursor >= old_end:
            self._cursor += delta  # stay on the same order below a page whose count changed
        if segment is self._chain[0]:
            self._reported_total = page.stats.total
        walk_finished = False
        if self._walk.active and self.complete:
            self._walk.active = False
            walk_finished = True
            if self._matches is None:
                self._cursor = self.total - 1
        if self._matches is None:
            self._evict(keep=segment)
            self._reselect_in(segment)
        else:
            self._refilter(keep_id)
        self._clamp_cursor()
        return Applied(
            walk_finished=walk_finished, rows_changed=answer.rows is not None, broken=broken
        )

    def _guarded(self, segment: Segment, page: OrdersPage) -> tuple[OrdersPage, str | None]:
        """``page`` without the orders already read in this scope, and the end of the list
        (no next token) when the paging looks broken; with the reason then."""
        if self._guard_epoch != self._chain.epoch:
            self._guard, self._guard_epoch = self._guard_before(segment), self._chain.epoch
        rows = page.orders or page.previews
        verdict = self._guard.check(
            [row.order_id for row in rows], page.next_page_token, total=page.stats.total
        )
        if verdict.duplicates and page.orders:
            page = dataclasses.replace(page, orders=tuple(page.orders[i] for i in verdict.fresh))
        elif verdict.duplicates:
            previews = tuple(page.previews[i] for i in verdict.fresh)
            page = dataclasses.replace(page, previews=previews)
        if verdict.broken is not None:
            page = dataclasses.replace(page, next_page_token=None)
            self.paging_broken = verdict.broken
        return page, verdict.broken

    def _guard_before(self, frontier: Segment) -> PagingGuard:
        """A guard that knows the chain up to ``frontier``: the pages it holds (their tokens,
        the orders still held) are the walk so far."""
        guard = PagingGuard(
            start_token=frontier.token, rows_before=frontier.offset, remember=GUARD_IDS
        )
        for segment in self._chain:
            if segment is frontier:
                break
            for token in (segment.token, segment.next_token):
                if token is not None:
                    guard.seen_token(token)
            guard.seen_ids(order.order_id for order in segment.rows or ())
        return guard

    def apply_failure(self, request: PageRequest, message: str, *, refused: bool = False) -> bool:
        """Mark the requested page failed (rows above stay); False when the answer is stale.

        ``refused``: the server refused the request (a 4xx). For a full page whose token a
        preview page issued, that is the walk's fallback (:meth:`.walk.Walk.fall_back`), not an
        error row: the request's ``segment.error`` stays None (nothing to report). A failed
        walk page stops the walk with the cursor on its error row.
        """
        if not self._accepts(request):
            return False
        self._in_flight = None
        at_end = self._matches is None and self._cursor == self.display_length - 1
        if refused and not request.preview:
            start = self._walk.fall_back(self._chain, request.segment)
            if start is not None:
                # Walk full pages from there; G is resumed if the cursor had landed at the end.
                self._walk.active = self._walk.active or at_end
                if self._matches is not None:
                    self._refilter(_order_id(self.highlighted_order))
                self._clamp_cursor()
                return True
        request.segment.error = message or "request failed"
        if request.kind == "walk" and self._walk.active:
            self._walk.active = False
            if self._matches is None:
                self._cursor = request.segment.offset  # where it stopped: enter retries
        return True

    def retry_at_cursor(self) -> bool:
        """Clear the error of the page under the cursor so it is requested again (same token)."""
        last = self._chain.last
        if self._matches is not None or last is None:
            return False
        if self._cursor >= self.known_end:
            if last.count is not None:
                return False
            segment = last
        else:
            segment = self._chain.at(self._cursor)
        if segment.error is None:
            return False
        segment.error = None
        return True

    def _reselect_in(self, segment: Segment) -> None:
        # The absolute cursor only: while filtering, _refilter finds the order in the matches.
        if self._reselect is None or segment.rows is None or self._matches is not None:
            return
        for offset, order in enumerate(segment.rows):
            if order.order_id == self._reselect:
                self._cursor = segment.offset + offset
                self._reselect = None
                return

    def _evict(self, keep: Segment) -> None:
        # Keep the view and the cursor with a margin, and the page that just arrived.
        margin = self._height * 2
        low = min(self._top, self._cursor) - margin
        high = max(self._top + self._height, self._cursor) + margin
        self._chain.evict(
            self.max_rows,
            low=low,
            high=high,
            cursor=self._cursor,
            keep=keep,
            pinned=self.pinned_rows,
            max_bytes=self.max_bytes,
        )

    # -- walk to the end -----------------------------------------------------------------
    @property
    def walking(self) -> bool:
        return self._walk.active

    @property
    def previews_trusted(self) -> bool:
        """False once the server refused a preview page's token for a full page (session)."""
        return self._walk.previews

    def start_walk(self) -> bool:
        """``G``: go to the last row; True if pages must be walked first (progress to show)."""
        if self._matches is not None or self.complete or not len(self._chain):
            self.set_cursor(self.display_length - 1)
            return False
        self._walk.active = True
        return True

    def cancel_walk(self) -> bool:
        was, self._walk.active = self._walk.active, False
        return was

    # -- filters -------------------------------------------------------------------------
    @property
    def _matches(self) -> list[Order] | None:
        return self._filter.matches

    @property
    def text_filter(self) -> str:
        return self._filter.text

    @property
    def state_filter(self) -> str | None:
        return self._filter.state

    @property
    def match_count(self) -> int | None:
        return len(self._matches) if self._matches is not None else None

    def set_text_filter(self, text: str) -> None:
        self._filter.text = text
        self._refilter(_order_id(self.highlighted_order))

    def set_state_filter(self, state: str | None) -> None:
        self._filter.state = state
        self._refilter(_order_id(self.highlighted_order))

    def clear_filters(self) -> None:
        self._filter.text, self._filter.state = "", None
        self._refilter(_order_id(self.highlighted_order))

    def cycle_state_filter(self) -> str | None:
        """All → each known state → All; returns the new state filter."""
        self.set_state_filter(next_state(self._filter.state))
        return self._filter.state

    def _refilter(self, keep_id: str | None) -> None:
        """Rebuild the matches from held rows (bounded by ``max_rows``), keeping the cursor's
        order when it still matches; back in the scope, on it if it is held."""
        if self._matches is None:
            self._base_cursor = self._cursor
        if self._filter.wanted:
            self._cursor = self._filter.rebuild(self._chain, keep_id)
        elif self._matches is not None:
            self._filter.matches = None
            found = self._chain.find(keep_id) if keep_id else None
            self._cursor = found if found is not None else self._base_cursor
            self._clamp_cursor()
            if len(self._chain):
                self._evict(keep=self._chain.at(self._cursor))

    # -- lookups -------------------------------------------------------------------------
    def select_order_id(self, order_id: str) -> bool:
        """Put the cursor on ``order_id`` if it is held (in the matches when filtering)."""
        found = self._filter.index_of(order_id) if self.filtering else self._chain.find(order_id)
        if found is not None:
            self.set_cursor(found)
        return found is not None


def _order_id(order: Order | None) -> str | None:
    return order.order_id if order is not None else None
