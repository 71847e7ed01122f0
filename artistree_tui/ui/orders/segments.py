"""The pages of one scope as a chain of segments: where each starts, how to fetch it again, and
the rows held for the few nearest the cursor; and the request for one. Pure Python; used by
:mod:`.paging`.

A *segment* is one page as it was fetched: ``offset`` (absolute index of its first row),
``token`` (what to send to get it again; None for the first page), ``limit``, ``count`` (rows it
had when last fetched), ``last_id`` (its last order's id) and ``next_token``. Metadata of every
page is kept (about a hundred bytes each: 5,000 segments for a million orders); rows are dropped
from the pages farthest from the cursor once more than ``max_rows`` are held, and such a page is
fetched again by the same token and limit when the user comes back to it.

A page answered as a *preview* (``preview=true``: the ``G`` walk's pages nobody looks at) is
counted, not held: its segment gets ``count``, ``last_id`` and ``next_token`` and no rows, like
a dropped page, and its rows are fetched as a full page by the same token when they are shown.
``next_from_preview`` remembers that the next segment's token was issued by a preview page, for
an API whose tokens are bound to ``preview`` (see :mod:`.walk`).

Segments are contiguous: ``chain[k + 1].offset == chain[k].end``. Only the last one may have
``count is None`` (requested, not answered yet, or failed). Finding the segment of a row is a
bisect over the offsets: O(log pages), whatever the number of orders.

Live refresh (issue 5) can merge a re-read first page by order id without a rewrite: orders
not held before the first held id of segment 0 are new; insert them (segment 0 grows, later
segments shift exactly as :meth:`SegmentChain.store` shifts them for a refetched page whose
count changed), replace held orders with the same id in place (the widget clears its strip
cache on every applied page), then :meth:`.paging.PagingModel.select_order_id` the highlighted id.
Keyset tokens after segment 0 stay valid; offset tokens would be off by the number inserted,
so the merge would drop the rows of later segments and let them be refetched and shifted.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator
from dataclasses import dataclass

from artistree_tui.api.models import Order, OrdersPage

#: What a held row is assumed to take when its page did not say (a full order, parsed).
ROW_BYTES = 5 * 1024


@dataclass(frozen=True, slots=True)
class Answer:
    """What one fetched page says about its segment (``rows`` is None for a preview page)."""

    rows: tuple[Order, ...] | None
    count: int
    last_id: str | None
    next_token: str | None
    preview: bool
    nbytes: int = 0  # about what ``rows`` hold in memory

    @classmethod
    def of(cls, page: OrdersPage, *, preview: bool) -> Answer:
        """Read a page; a preview request answered with full orders is kept as full."""
        if page.orders or not preview:
            rows = page.orders
            last = rows[-1].order_id if rows else None
            nbytes = page.nbytes or len(rows) * ROW_BYTES
            return cls(rows, len(rows), last, page.next_page_token, preview=False, nbytes=nbytes)
        last = page.previews[-1].order_id if page.previews else None
        return cls(None, len(page.previews), last, page.next_page_token, preview=True)


@dataclass(eq=False, slots=True)
class Segment:
    """One page of the scope (see the module docstring)."""

    offset: int
    token: str | None
    limit: int
    count: int | None = None
    next_token: str | None = None
    last_id: str | None = None
    next_from_preview: bool = False  # next_token was issued by a preview page
    rows: tuple[Order, ...] | None = None
    error: str | None = None
    alive: bool = True  # False once the segment left the chain: its answer is dropped
    nbytes: int = 0  # about what ``rows`` hold in memory (0: not measured)
    # Case-folded filter text per row, built when a filter first needs it, dropped with rows.
    hay: tuple[str, ...] | None = None

    @property
    def end(self) -> int:
        return self.offset + (self.count or 0)

    @property
    def held_bytes(self) -> int:
        """About the memory its held rows take (0 when none are held)."""
        if self.rows is None:
            return 0
        return self.nbytes or len(self.rows) * ROW_BYTES


class SegmentChain:
    """The ordered segments of one scope and the count of rows they hold."""

    def __init__(self) -> None:
        self._segments: list[Segment] = []
        self._offsets: list[int] = []  # parallel to _segments, for bisect
        self.held = 0
        #: Bumped whenever segments leave the chain or are replaced (not when one is added
        #: or stored): what watches the walk through pages must then look at it again.
        self.epoch = 0

    def __len__(self) -> int:
        return len(self._segments)

    def __iter__(self) -> Iterator[Segment]:
        return iter(self._segments)

    def __getitem__(self, position: int) -> Segment:
        return self._segments[position]

    @property
    def last(self) -> Segment | None:
        return self._segments[-1] if self._segments else None

    @property
    def known_end(self) -> int:
        """Rows fetched at least once (held or not)."""
        return self._segments[-1].end if self._segments else 0

    @property
    def complete(self) -> bool:
        """The last page has been seen."""
        last = self.last
        return last is not None and last.count is not None and last.next_token is None

    def at(self, index: int) -> Segment:
        """The segment holding absolute row ``index`` (< known_end), or the last one."""
        return self._segments[bisect.bisect_right(self._offsets, index) - 1]

    def append(self, token: str | None, limit: int) -> Segment:
        segment = Segment(offset=self.known_end, token=token, limit=limit)
        self._segments.append(segment)
        self._offsets.append(segment.offset)
        return segment

    def clear(self) -> None:
        for segment in self._segments:
            segment.alive = False
        self._segments, self._offsets, self.held = [], [], 0
        self.epoch += 1

    def frontier(self, limit: int) -> Segment | None:
        """The page after the last known one (appended if needed, with ``limit``); None when
        the last page failed or has been seen."""
        last = self.last
        if last is None or (last.count is not None and last.next_token is None):
            return None
        if last.count is None:
            return last if last.error is None else None
        return self.append(last.next_token, limit)

    def store(self, segment: Segment, answer: Answer) -> int:
        """Put a fetched page in its segment; returns how many rows it gained (or lost).

        A refetched page with another count shifts every later segment, so nothing overlaps
        and nothing is skipped; one with another next token drops the chain after it (it was
        built on the old token) unless the page is unchanged (same count, same last order):
        then the new token is another spelling of the same position (opaque tokens may differ
        per request, or between preview and full pages) and the next segment takes it.
        """
        position = self._segments.index(segment)
        next_token = answer.next_token
        delta = 0
        if segment.count is None:
            segment.count = answer.count
            # A server that answers with the token it was given would make a walk loop.
            segment.next_token = None if next_token == segment.token else next_token
            segment.next_from_preview = answer.preview
        else:
            delta = answer.count - segment.count
            segment.count = answer.count
            if delta:
                for later in range(position + 1, len(self._segments)):
                    self._segments[later].offset += delta
                    self._offsets[later] += delta
            if next_token != segment.next_token:
                same_page = not delta and answer.last_id == segment.last_id
                if same_page and next_token and position + 1 < len(self._segments):
                    self._segments[position + 1].token = next_token
                else:
                    self._truncate_after(position)
                segment.next_token = next_token
                segment.next_from_preview = answer.preview
            elif not answer.preview:
                segment.next_from_preview = False  # a full page gave the same token: it works
        segment.last_id = answer.last_id
        rows = answer.rows
        self.held += (len(rows) if rows is not None else 0) - len(segment.rows or ())
        segment.rows, segment.hay, segment.error = rows, None, None
        segment.nbytes = answer.nbytes
        return delta

    def last_full_token(self, segment: Segment) -> Segment:
        """The nearest segment at or before ``segment`` whose token came from a full page (or
        is the first page's None): where a walk with full pages can start again."""
        position = self._segments.index(segment)
        while position > 0 and self._segments[position - 1].next_from_preview:
            position -= 1
        return self._segments[position]

    def restart(self, segment: Segment) -> None:
        """Forget ``segment``'s answer and every page after it: it becomes the frontier again,
        to be fetched by its token."""
        self._truncate_after(self._segments.index(segment))
        self.epoch += 1
        self.held -= len(segment.rows or ())
        segment.count = segment.next_token = segment.last_id = segment.error = None
        segment.rows = segment.hay = None
        segment.next_from_preview = False

    def _truncate_after(self, position: int) -> None:
        if position + 1 < len(self._segments):
            self.epoch += 1
        for segment in self._segments[position + 1 :]:
            segment.alive = False
            self.held -= len(segment.rows) if segment.rows is not None else 0
        del self._segments[position + 1 :]
        del self._offsets[position + 1 :]

    @property
    def held_bytes(self) -> int:
        """About the memory the held rows take (summed over the segments: O(pages))."""
        return sum(segment.held_bytes for segment in self._segments)

    def evict(
        self,
        max_rows: int,
        *,
        low: int,
        high: int,
        cursor: int,
        keep: Segment,
        pinned: int = 0,
        max_bytes: int | None = None,
    ) -> None:
        """Drop rows of the segments farthest from ``cursor`` until at most ``max_rows`` are
        held, taking at most ``max_bytes``; segments overlapping [low, high) or [0, pinned)
        and ``keep`` are never dropped (``pinned``: the live refresh's window, which it diffs
        against, see :mod:`.merge`)."""
        held_bytes = self.held_bytes if max_bytes is not None else 0
        if self.held <= max_rows and (max_bytes is None or held_bytes <= max_bytes):
            return

        def distance(segment: Segment) -> int:
            if segment.end <= cursor:
                return cursor - segment.end
            return max(0, segment.offset - cursor)

        candidates = [
            segment
            for segment in self._segments
            if segment.rows is not None
            and segment is not keep
            and not (segment.offset < high and segment.end > low)
            and segment.offset >= pinned
        ]
        candidates.sort(key=distance, reverse=True)
        for segment in candidates:
            if self.held <= max_rows and (max_bytes is None or held_bytes <= max_bytes):
                break
            held_bytes -= segment.held_bytes
            self.held -= len(segment.rows or ())
            segment.rows = segment.hay = None

    def replace_front(self, stop: int, segments: list[Segment]) -> None:
        """Put ``segments`` in place of the first ``stop`` ones (a live refresh merging its
        re-read first pages, see :mod:`.merge`); offsets are renumbered so the chain stays
        contiguous, and the segments that left it are marked dead (their answers dropped)."""
        for old in self._segments[:stop]:
            if not any(old is new for new in segments):
                old.alive = False
        self._segments[:stop] = segments
        self.epoch += 1
        offset = 0
        for segment in self._segments:
            segment.offset = offset
            offset = segment.end
        self._offsets = [segment.offset for segment in self._segments]
        self.held = sum(len(segment.rows) for segment in self._segments if segment.rows is not None)

    def find(self, order_id: str) -> int | None:
        """The absolute index of a held order (O(held rows), bounded by ``max_rows``)."""
        for segment in self._segments:
            for offset, order in enumerate(segment.rows or ()):
                if order.order_id == order_id:
                    return segment.offset + offset
        return None


@dataclass(frozen=True, slots=True)
class PageRequest:
    """A page the loader should fetch; ``kind`` is first, demand, walk or prefetch;
    ``preview``: only its count and next token are wanted (a ``preview=true`` page)."""

    generation: int
    project_id: str
    segment: Segment
    kind: str
    preview: bool = False

    @property
    def token(self) -> str | None:
        return self.segment.token

    @property
    def limit(self) -> int:
        return self.segment.limit
