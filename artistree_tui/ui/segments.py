"""The pages of one scope as a chain of segments: where each starts, how to fetch it again, and
the rows held for the few nearest the cursor; and the request for one. Pure Python; used by
:mod:`.paging`.

A *segment* is one page as it was fetched: ``offset`` (absolute index of its first row),
``token`` (what to send to get it again; None for the first page), ``limit``, ``count`` (rows it
had when last fetched) and ``next_token``. Metadata of every page is kept (about a hundred bytes
each: 5,000 segments for a million orders); rows are dropped from the pages farthest from the
cursor once more than ``max_rows`` are held, and such a page is fetched again by the same token
and limit when the user comes back to it.

Segments are contiguous: ``chain[k + 1].offset == chain[k].end``. Only the last one may have
``count is None`` (requested, not answered yet, or failed). Finding the segment of a row is a
bisect over the offsets: O(log pages), whatever the number of orders.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator
from dataclasses import dataclass

from artistree_tui.api.models import Order


@dataclass(eq=False, slots=True)
class Segment:
    """One page of the scope (see the module docstring)."""

    offset: int
    token: str | None
    limit: int
    count: int | None = None
    next_token: str | None = None
    rows: tuple[Order, ...] | None = None
    error: str | None = None
    alive: bool = True  # False once the segment left the chain: its answer is dropped
    # Case-folded filter text per row, built when a filter first needs it, dropped with rows.
    hay: tuple[str, ...] | None = None

    @property
    def end(self) -> int:
        return self.offset + (self.count or 0)


class SegmentChain:
    """The ordered segments of one scope and the count of rows they hold."""

    def __init__(self) -> None:
        self._segments: list[Segment] = []
        self._offsets: list[int] = []  # parallel to _segments, for bisect
        self.held = 0

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

    def store(self, segment: Segment, rows: tuple[Order, ...], next_token: str | None) -> int:
        """Put a fetched page in its segment; returns how many rows it gained (or lost).

        A refetched page with another count shifts every later segment, so nothing overlaps
        and nothing is skipped; one with another next token drops the chain after it (it was
        built on the old token).
        """
        position = self._segments.index(segment)
        delta = 0
        if segment.count is None:
            segment.count = len(rows)
            # A server that answers with the token it was given would make a walk loop.
            segment.next_token = None if next_token == segment.token else next_token
        else:
            delta = len(rows) - segment.count
            segment.count = len(rows)
            if delta:
                for later in range(position + 1, len(self._segments)):
                    self._segments[later].offset += delta
                    self._offsets[later] += delta
            if next_token != segment.next_token:
                self._truncate_after(position)
                segment.next_token = next_token
        self.held += len(rows) - (len(segment.rows) if segment.rows is not None else 0)
        segment.rows, segment.hay, segment.error = rows, None, None
        return delta

    def _truncate_after(self, position: int) -> None:
        for segment in self._segments[position + 1 :]:
            segment.alive = False
            self.held -= len(segment.rows) if segment.rows is not None else 0
        del self._segments[position + 1 :]
        del self._offsets[position + 1 :]

    def evict(self, max_rows: int, *, low: int, high: int, cursor: int, keep: Segment) -> None:
        """Drop rows of the segments farthest from ``cursor`` until at most ``max_rows`` are
        held; segments overlapping [low, high) and ``keep`` are never dropped."""
        if self.held <= max_rows:
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
        ]
        candidates.sort(key=distance, reverse=True)
        for segment in candidates:
            if self.held <= max_rows:
                break
            self.held -= len(segment.rows or ())
            segment.rows = segment.hay = None

    def find(self, order_id: str) -> int | None:
        """The absolute index of a held order (O(held rows), bounded by ``max_rows``)."""
        for segment in self._segments:
            for offset, order in enumerate(segment.rows or ()):
                if order.order_id == order_id:
                    return segment.offset + offset
        return None


@dataclass(frozen=True, slots=True)
class PageRequest:
    """A page the loader should fetch; ``kind`` is first, demand, walk or prefetch."""

    generation: int
    project_id: str
    segment: Segment
    kind: str

    @property
    def token(self) -> str | None:
        return self.segment.token

    @property
    def limit(self) -> int:
        return self.segment.limit
