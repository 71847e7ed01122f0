"""The order list's paging model: which pages exist, which rows are held, what to fetch next.

Pure Python (no Textual), so every rule here is unit-tested without an app; the widget
(:mod:`artistree_tui.ui.order_list`) only renders it and feeds it key presses and pages.

Vocabulary:

- *absolute index*: an order's position in the scope as the server pages it (0 = first row of
  the first page). *Display index*: a position in what the list shows; the same as absolute
  unless a filter is on, then an index into the filter's matches.
- *segment*: one page as it was fetched (:mod:`.segments`): metadata kept for every page,
  rows held for the ``max_rows`` nearest the cursor; a dropped page is fetched again by the
  same token and limit when the user comes back to it.

Loading is one request at a time, chosen when the previous one ends, in this order: the first
page; *demand* (the cursor's row, then the visible rows, when not held); the ``G`` *walk*
(frontier pages with ``walk_limit``); *prefetch* (rows about two screens beyond the view).
Each request carries the model's ``generation``; answers for an older scope are dropped.

Live refresh (issue 5) can merge a re-read first page by order id without a rewrite: orders
not held before the first held id of segment 0 are new; insert them (segment 0 grows, later
segments shift exactly as :meth:`SegmentChain.store` shifts them for a refetched page whose
count changed), replace held orders with the same id in place (the widget clears its strip
cache on every applied page), then :meth:`PagingModel.select_order_id` the highlighted id.
Keyset tokens after segment 0 stay valid; offset tokens would be off by the number inserted,
so the merge would drop the rows of later segments and let them be refetched and shifted.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from enum import Enum

from artistree_tui.api.models import Order, OrdersPage
from artistree_tui.ui.order_filter import STATE_CYCLE, held_matches, next_state
from artistree_tui.ui.segments import PageRequest, Segment, SegmentChain

__all__ = ["STATE_CYCLE", "Applied", "PageFetcher", "PageRequest", "PagingModel", "Row", "RowKind"]

#: ``async def fetch(project_id, page_token, limit) -> OrdersPage``, supplied by the app.
#: The app passes ``preview=False``: the list's columns need asset name, ordered by and
#: confidence, which preview rows (``order_previews``) do not carry; a full page is ~10x the
#: bytes, but one request per page is cheaper than a preview page plus a detail fetch per row.
PageFetcher = Callable[[str, str | None, int], Awaitable[OrdersPage]]


class RowKind(Enum):
    """What one display row is."""

    ORDER = "order"
    LOADING = "loading"  # not held yet (or dropped): its page is being, or will be, fetched
    ERROR = "error"  # its page failed: enter retries
    BLANK = "blank"  # after a failed page, or outside the list


@dataclass(frozen=True, slots=True)
class Row:
    """One display row: an order, or a placeholder with a message."""

    kind: RowKind
    order: Order | None = None
    message: str = ""


_LOADING = Row(RowKind.LOADING)
_BLANK = Row(RowKind.BLANK)


@dataclass(frozen=True, slots=True)
class Applied:
    """What applying a page changed that the widget reacts to beyond a repaint."""

    walk_finished: bool = False


class PagingModel:
    """Segments, held rows, cursor, filters and the choice of the next request of one scope."""

    def __init__(
        self,
        *,
        page_size: int = 200,
        walk_limit: int = 1000,
        max_rows: int = 3000,
        prefetch_screens: int = 2,
    ) -> None:
        # max_rows: a full order parses to ~5 KB (annotations, URLs), so 3,000 held orders are
        # ~15 MB; still ten screens or more around the cursor plus a whole walk page.
        self.page_size = max(1, page_size)
        self.walk_limit = max(1, walk_limit)
        self.max_rows = max(1, max_rows)
        self.prefetch_screens = max(0, prefetch_screens)
        self.project_id: str | None = None
        self.generation = 0
        self._chain = SegmentChain()
        self._reported_total: int | None = None
        self._in_flight: PageRequest | None = None
        self._cursor = 0
        self._base_cursor = 0  # absolute cursor before a filter was switched on
        self._top = 0
        self._height = 20
        self._walking = False
        self._text = ""
        self._state: str | None = None
        self._matches: list[Order] | None = None
        self._reselect: str | None = None  # order id to put the cursor on once it is held

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
        self._walking = False
        self._reselect = keep.order_id if keep else None
        self._cursor = self._base_cursor = abs_cursor if keep_cursor else 0
        if self._matches is not None:
            self._matches = []
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
            return _BLANK
        index = display_index
        if index < 0 or index >= self.total:
            return _BLANK
        if index >= self.known_end:
            last = self._chain.last
            if last is not None and last.count is None and last.error is not None:
                # The frontier page failed: one error row, nothing pretends to load below it.
                if index == last.offset or index == self._cursor:
                    return Row(RowKind.ERROR, message=last.error)
                return _BLANK
            return _LOADING
        segment = self._chain.at(index)
        if segment.rows is not None:
            return Row(RowKind.ORDER, segment.rows[index - segment.offset])
        if segment.error is not None:
            if index == segment.offset or index == self._cursor:
                return Row(RowKind.ERROR, message=segment.error)
            return _BLANK
        return _LOADING

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
        choice = self._choose()
        if choice is None:
            return None
        segment, kind = choice
        self._in_flight = PageRequest(self.generation, self.project_id, segment, kind)
        return self._in_flight

    def _choose(self) -> tuple[Segment, str] | None:
        if not len(self._chain):
            return self._chain.append(None, self.page_size), "first"
        if self._matches is None:
            # Demand: what the user is looking at jumps ahead of any speculation.
            top, bottom = self._top, self._top + self._height
            for start, end in ((self._cursor, self._cursor + 1), (top, bottom)):
                segment = self._missing_in(start, end)
                if segment is not None:
                    return segment, "demand"
        if self._walking:
            segment = self._frontier(self.walk_limit)
            return (segment, "walk") if segment is not None else None
        if self._matches is not None:
            return None  # a filter searches what is loaded; it does not page
        ahead = self._height * self.prefetch_screens
        top, bottom = self._top, self._top + self._height
        for start, end in ((bottom, bottom + ahead), (max(0, top - self._height), top)):
            segment = self._missing_in(start, end)
            if segment is not None:
                return segment, "prefetch"
        return None

    def _missing_in(self, start: int, end: int) -> Segment | None:
        """The first segment that must be fetched to show absolute rows [start, end)."""
        end = min(end, self.total)
        index = start
        while index < end:
            if index >= self.known_end:
                # Far beyond the frontier (a scrollbar drag, many page-downs): walk big pages.
                far = end - 1 - self.known_end >= 2 * self.page_size
                return self._frontier(self.walk_limit if far else self.page_size)
            segment = self._chain.at(index)
            if segment.rows is None and segment.error is None:
                return segment
            index = max(segment.end, index + 1)
        return None

    def _frontier(self, limit: int) -> Segment | None:
        """The page after the last known one (created if needed); None if failed or complete."""
        last = self._chain.last
        if last is None or (last.count is not None and last.next_token is None):
            return None
        if last.count is None:
            return last if last.error is None else None
        return self._chain.append(last.next_token, limit)

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
        delta = self._chain.store(segment, page.orders, page.next_page_token)
        if delta and self._matches is None and self._cursor >= old_end:
            self._cursor += delta  # stay on the same order below a page whose count changed
        if segment is self._chain[0]:
            self._reported_total = page.stats.total
        walk_finished = False
        if self._walking and self.complete:
            self._walking = False
            walk_finished = True
            if self._matches is None:
                self._cursor = self.total - 1
        if self._matches is None:
            self._evict(keep=segment)
            self._reselect_in(segment)
        else:
            self._refilter(keep_id)
        self._clamp_cursor()
        return Applied(walk_finished=walk_finished)

    def apply_failure(self, request: PageRequest, message: str) -> bool:
        """Mark the requested page failed (rows above stay); False when the answer is stale."""
        if not self._accepts(request):
            return False
        self._in_flight = None
        request.segment.error = message or "request failed"
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
        if self._reselect is None or segment.rows is None:
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
        self._chain.evict(self.max_rows, low=low, high=high, cursor=self._cursor, keep=keep)

    # -- walk to the end -----------------------------------------------------------------
    @property
    def walking(self) -> bool:
        return self._walking

    def start_walk(self) -> bool:
        """``G``: go to the last row; True if pages must be walked first (progress to show)."""
        if self._matches is not None or self.complete or not len(self._chain):
            self.set_cursor(self.display_length - 1)
            return False
        self._walking = True
        return True

    def cancel_walk(self) -> bool:
        was, self._walking = self._walking, False
        return was

    # -- filters -------------------------------------------------------------------------
    @property
    def text_filter(self) -> str:
        return self._text

    @property
    def state_filter(self) -> str | None:
        return self._state

    @property
    def match_count(self) -> int | None:
        return len(self._matches) if self._matches is not None else None

    def set_text_filter(self, text: str) -> None:
        self._text = text
        self._refilter(_order_id(self.highlighted_order))

    def set_state_filter(self, state: str | None) -> None:
        self._state = state
        self._refilter(_order_id(self.highlighted_order))

    def clear_filters(self) -> None:
        self._text, self._state = "", None
        self._refilter(_order_id(self.highlighted_order))

    def cycle_state_filter(self) -> str | None:
        """All → each known state → All; returns the new state filter."""
        self.set_state_filter(next_state(self._state))
        return self._state

    def _refilter(self, keep_id: str | None) -> None:
        """Rebuild the matches from held rows (bounded by ``max_rows``), keeping the cursor's
        order when it still matches."""
        if self._matches is None:
            self._base_cursor = self._cursor
        if not self._text and self._state is None:
            if self._matches is not None:
                self._matches = None
                found = self._chain.find(keep_id) if keep_id else None
                self._cursor = found if found is not None else self._base_cursor
                self._clamp_cursor()
                if len(self._chain):
                    self._evict(keep=self._chain.at(self._cursor))
            return
        matches = held_matches(self._chain, self._text, self._state)
        self._matches = matches
        ids = [order.order_id for order in matches]
        self._cursor = ids.index(keep_id) if keep_id in ids else 0

    # -- lookups -------------------------------------------------------------------------
    def select_order_id(self, order_id: str) -> bool:
        """Put the cursor on ``order_id`` if it is held (in the matches when filtering)."""
        if self._matches is not None:
            ids = [order.order_id for order in self._matches]
            return order_id in ids and (self.set_cursor(ids.index(order_id)) or True)
        found = self._chain.find(order_id)
        if found is None:
            return False
        self.set_cursor(found)
        return True


def _order_id(order: Order | None) -> str | None:
    return order.order_id if order is not None else None
