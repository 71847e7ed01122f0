"""Live refresh: merge the re-read first page(s) of a scope into the order list by order id.

Pure Python (no Textual). The live refresh (:mod:`.live`) re-reads the first page(s) of the
scope; :meth:`LivePagingModel.merge_top` splices them into the paging model as
:mod:`.paging`'s docstring sketches it:

- the *window* is the re-read rows; its last order is found among the held rows (the model
  pins the window's segments, so they are never evicted and the diff always has a baseline).
  Old rows above it and including it are the *region* the window replaces: orders of the
  window not in the region are **new**, orders of the region not in the window are
  **removed**, orders in both whose state differs are **changed** (whose shown fields differ:
  *updated*, so the detail pane drops its cached copy);
- the region's segments are replaced by the window's pages (with the tokens they were read
  with); the rest of the segment the window ended in stays as a *remainder* segment fetched
  again by the window's last ``next_page_token``, merged with the remainder of an earlier
  refresh so a shift of refreshes does not fragment the chain; later segments only shift
  (their keyset tokens stay valid);
- the cursor stays on its order (or on its index when that order was removed), a filter is
  re-applied to the new rows, the total comes from the new first page.

Only the window is compared: an order removed or changed further down shows when its page
is fetched again (scrolling back to it, ``r``). When the window cannot be placed (more new
orders than it holds, the region not held, an order that would appear twice), the model is
rebuilt from the window like a reload that keeps the cursor: correct, just more requests.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from artistree_tui.api.models import Order, OrdersPage, OrderState
from artistree_tui.ui.orders.paging import PagingModel
from artistree_tui.ui.orders.segments import PageRequest, Segment

ACTION_REQUIRED = OrderState.ACTION_REQUIRED.value
#: The anchor set handed to the refresh worker covers at most this many held rows.
MAX_ANCHOR_ROWS = 5000


def fingerprint(order: Order) -> tuple[object, ...]:
    """What the list and the detail pane show of an order, without the presigned URLs (new
    on every answer, so comparing whole orders would call every order updated)."""
    return (
        order.order_state,
        order.order_title,
        order.asset_name,
        order.ordered_by,
        order.confidence,
        order.remediation,
        order.tags,
        order.reviewed_by,
        order.review_timestamp,
        order.analyses,
        order.failed_items,
        order.annotations,
        tuple(layer.name for layer in order.layers),
        order.project,
    )


@dataclass(frozen=True, slots=True)
class MergeResult:
    """What one merge changed, for the marks, the notification and the detail pane."""

    new: tuple[Order, ...] = ()
    changed: tuple[Order, ...] = ()  # state changed (the new copies)
    updated: frozenset[str] = frozenset()  # shown fields changed (state included)
    removed: frozenset[str] = frozenset()
    entered_action: tuple[Order, ...] = ()  # new or changed into Action Required
    rebuilt: bool = False  # the window could not be placed: the list was rebuilt from it


def diff_orders(
    old: Sequence[Order], fresh: Sequence[Order], *, baseline: bool = True
) -> MergeResult:
    """Compare the region's old rows with the window's; ``baseline`` False: the old rows are
    no reference (nothing was held), so nothing is called new."""
    before = {order.order_id: order for order in old}
    fresh_ids = {order.order_id for order in fresh}
    new: list[Order] = []
    changed: list[Order] = []
    updated: set[str] = set()
    entered: list[Order] = []
    for order in fresh:
        previous = before.get(order.order_id)
        if previous is None:
            if baseline:
                new.append(order)
                if order.order_state == ACTION_REQUIRED:
                    entered.append(order)
            continue
        if fingerprint(previous) != fingerprint(order):
            updated.add(order.order_id)
        if previous.order_state != order.order_state:
            changed.append(order)
            if order.order_state == ACTION_REQUIRED:
                entered.append(order)
    removed = frozenset(order_id for order_id in before if order_id not in fresh_ids)
    return MergeResult(tuple(new), tuple(changed), frozenset(updated), removed, tuple(entered))


def _segments_of(
    pages: Sequence[OrdersPage], limit: int, token: str | None = None
) -> list[Segment]:
    """The window's pages as segments, each with the token it was read with."""
    segments = []
    for page in pages:
        rows = tuple(page.orders)
        next_token = None if page.next_page_token == token else page.next_page_token
        segments.append(
            Segment(
                offset=0,
                token=token,
                limit=limit,
                count=len(rows),
                next_token=next_token,
                last_id=rows[-1].order_id if rows else None,
                rows=rows,
            )
        )
        token = page.next_page_token
    return segments


class LivePagingModel(PagingModel):
    """The paging model plus the live merge (see the module docstring).

    ``pinned_rows`` (read by :meth:`PagingModel._evict`) keeps the last window held, and one
    page below it: orders removed from the window pull the next refresh's last row down there.
    """

    def __init__(self, **options: int) -> None:
        super().__init__(**options)
        self.pinned_rows = 2 * self._plan.page_size
        self._refused: set[Segment] = set()  # failed because the server refused them (4xx)

    def apply_failure(self, request: PageRequest, message: str, *, refused: bool = False) -> bool:
        applied = super().apply_failure(request, message, refused=refused)
        if applied and refused and request.segment.error is not None:
            self._refused.add(request.segment)
        return applied

    # -- for the refresh worker ------------------------------------------------------------
    @property
    def mergeable(self) -> bool:
        """The first page has been answered: there is something to merge into."""
        return (
            self.project_id is not None
            and len(self._chain) > 0
            and (self._chain[0].count is not None)
        )

    def anchor_ids(self) -> frozenset[str]:
        """Ids of the held rows from the top (contiguous): the refresh worker reads pages
        until its last order is one of these, which is where the window can be placed."""
        ids: set[str] = set()
        for segment in self._chain:
            if segment.rows is None or len(ids) >= MAX_ANCHOR_ROWS:
                break
            ids.update(order.order_id for order in segment.rows)
        return frozenset(ids)

    @property
    def has_retryable_errors(self) -> bool:
        """A page failed for a passing reason: :meth:`clear_errors` would ask it again."""
        return any(s.error is not None and s not in self._refused for s in self._chain)

    @property
    def nothing_loaded(self) -> bool:
        """No page of the scope has been answered yet (nothing to call stale)."""
        return self.known_end == 0 and not self.complete

    def clear_errors(self) -> bool:
        """Forget the errors of pages that failed for a passing reason (offline, server error,
        malformed answer) so they are asked again; pages the server refused keep theirs."""
        self._refused = {s for s in self._refused if s.alive and s.error is not None}
        failed = [s for s in self._chain if s.error is not None and s not in self._refused]
        for segment in failed:
            segment.error = None
        return bool(failed)

    # -- the merge ---------------------------------------------------------------------------
    def merge_top(
        self, generation: int, pages: Sequence[OrdersPage], limit: int
    ) -> MergeResult | None:
        """Splice re-read first pages into the chain; None when they belong to another scope.
        If the first page has not been answered (it failed: the console was offline), the
        list starts from them."""
        if generation != self.generation or not pages or self.project_id is None:
            return None
        if not self.mergeable:
            return self._rebuild(pages, limit)
        fresh = [order for page in pages for order in page.orders]
        complete = pages[-1].next_page_token is None
        held: list[Order] = []
        covered = 0  # leading segments whose rows are all held
        for segment in self._chain:
            if segment.rows is None:
                break
            held.extend(segment.rows)
            covered += 1
        position = {order.order_id: index for index, order in enumerate(held)}
        tail: list[Segment] = []
        if complete:
            if covered < len(self._chain) and self._chain[covered].count:
                return self._rebuild(pages, limit)  # not all held: nothing to diff against
            stop, end = len(self._chain), len(held)
        else:
            anchor = position.get(fresh[-1].order_id) if fresh else None
            if anchor is None:
                return self._rebuild(pages, limit)
            end = anchor + 1
            stop, tail = self._cut(end, pages[-1].next_page_token)
        fresh_ids = [order.order_id for order in fresh]
        if len(set(fresh_ids)) != len(fresh_ids) or any(
            position.get(order_id, -1) >= end for order_id in fresh_ids
        ):
            return self._rebuild(pages, limit)  # an order would be listed twice
        result = diff_orders(held[:end], fresh)
        self._splice(stop, _segments_of(pages, limit) + tail, end, len(fresh), pages[0])
        return result

    def _cut(self, end: int, token: str | None) -> tuple[int, list[Segment]]:
        """How many leading segments the region [0, end) spans, and what replaces the rest of
        the last one (the remainder, merged with the next segment when they fit in a page)."""
        index = 0
        while self._chain[index].end < end:
            index += 1
        segment = self._chain[index]
        cut = end - segment.offset
        stop = index + 1
        if segment.count is None or cut >= segment.count:
            return stop, []
        rows = segment.rows[cut:] if segment.rows is not None else None
        remainder = Segment(
            offset=0,
            token=token,
            limit=segment.count - cut,
            count=segment.count - cut,
            next_token=segment.next_token,
            last_id=segment.last_id,
            next_from_preview=segment.next_from_preview,
            rows=rows,
        )
        after = self._chain[stop] if stop < len(self._chain) else None
        if (
            after is not None
            and after.count is not None
            and after.error is None
            and (after.rows is None) == (rows is None)
            and remainder.count is not None
            and remainder.count + after.count <= self._plan.page_size
        ):
            # Keyset tokens: reading from the remainder's token with both counts as the limit
            # yields both pages. Without it every refresh would leave one more tiny segment.
            remainder.limit = remainder.count = remainder.count + after.count
            remainder.next_token, remainder.last_id = after.next_token, after.last_id
            remainder.next_from_preview = after.next_from_preview
            if rows is not None and after.rows is not None:
                remainder.rows = rows + after.rows
            stop += 1
        return stop, [remainder]

    def _splice(
        self, stop: int, segments: list[Segment], old_end: int, new_end: int, first: OrdersPage
    ) -> None:
        keep = self.highlighted_order
        keep_id = keep.order_id if keep is not None else None
        shift = new_end - old_end
        old_cursor = self._cursor
        self._chain.replace_front(stop, segments)
        if self._in_flight is not None and not self._in_flight.segment.alive:
            self._in_flight = None  # its answer will be dropped; the page is asked again
        self._reported_total = first.stats.total
        self.pinned_rows = max(new_end, self._plan.page_size) + self._plan.page_size
        if self._matches is not None:
            if self._filter.base_cursor >= old_end:
                self._filter.base_cursor += shift
            self._refilter(keep_id)
        else:
            found = self._chain.find(keep_id) if keep_id is not None else None
            if found is not None:
                self._cursor = found
            elif old_cursor >= old_end:
                self._cursor = old_cursor + shift  # below the window (a loading row, say)
            if self._reselect is not None:
                for segment in segments:
                    self._reselect_in(segment)
            self._clamp_cursor()
            if segments:
                self._evict(keep=segments[0])
        self._clamp_cursor()

    def _rebuild(self, pages: Sequence[OrdersPage], limit: int) -> MergeResult:
        """Start the scope again from the window, keeping the cursor (like a reload)."""
        old = [order for segment in self._chain for order in segment.rows or ()]
        baseline = bool(len(self._chain) and self._chain[0].rows is not None)
        fresh = [order for page in pages for order in page.orders]
        # Below the last order the list held, the window's orders were never loaded (a
        # refresh reading more pages than a reload had back yet): unknown, not new.
        held_ids = {order.order_id for order in old}
        known = [index for index, order in enumerate(fresh) if order.order_id in held_ids]
        diff = diff_orders(old, fresh[: known[-1] + 1] if known else fresh, baseline=baseline)
        assert self.project_id is not None  # mergeable
        self.reset(self.project_id, keep_cursor=True)
        segments = _segments_of(pages, limit)
        self._chain.replace_front(0, segments)
        self._reported_total = pages[0].stats.total
        self.pinned_rows = max(len(fresh), self._plan.page_size) + self._plan.page_size
        for segment in segments:
            self._reselect_in(segment)
        if self._matches is not None:
            self._refilter(self._reselect)
        self._clamp_cursor()
        # Orders outside the window may just have been dropped with the old chain: only the
        # window's own rows are known to be gone or not.
        return MergeResult(
            diff.new, diff.changed, diff.updated, frozenset(), diff.entered_action, rebuilt=True
        )
