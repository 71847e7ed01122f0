"""Marks on the order list after a live refresh: new orders and orders whose state changed.

A mark stays until the order is *seen*: the cursor rests on it (the list's debounced
``Highlighted``), it is opened, or the cursor leaves it after it changed under the cursor (the
detail pane showed the change meanwhile). Marks are a bounded, insertion-ordered map, so a
shift of refreshes nobody looks at cannot grow without end.

The mark is drawn in the second cell of the list's gutter (the first holds the cursor
marker), as a symbol readable without colour: ``+`` new, ``*`` changed.
"""

from __future__ import annotations

from collections import OrderedDict

from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip

from artistree_tui.ui.orders.merge import MergeResult

NEW = "+"
CHANGED = "*"
#: At most this many marks are kept (the oldest go first).
MAX_MARKS = 2000
_MARK_STYLE = Style(bold=True)


class LiveMarks:
    """Order id → mark ("+" new, "*" changed), until seen."""

    def __init__(self, limit: int = MAX_MARKS) -> None:
        self._limit = max(1, limit)
        self._marks: OrderedDict[str, str] = OrderedDict()
        self._under_cursor: str | None = None  # highlighted when it was marked

    def __len__(self) -> int:
        return len(self._marks)

    def get(self, order_id: str) -> str:
        """The mark of ``order_id``, or "" (the list's ``row_mark`` hook)."""
        return self._marks.get(order_id, "")

    def counts(self) -> tuple[int, int]:
        """(new, changed)."""
        new = sum(1 for mark in self._marks.values() if mark == NEW)
        return new, len(self._marks) - new

    def apply(self, result: MergeResult, *, highlighted: str | None) -> bool:
        """Mark what a merge found; True if any mark changed."""
        before = dict(self._marks)
        for order_id in result.removed:
            self._marks.pop(order_id, None)
        for order in result.new:
            self._put(order.order_id, NEW)
        for order in result.changed:
            if self._marks.get(order.order_id) != NEW:  # new stays new until seen
                self._put(order.order_id, CHANGED)
        if highlighted is not None and highlighted in self._marks:
            self._under_cursor = highlighted
        return before != dict(self._marks)

    def _put(self, order_id: str, mark: str) -> None:
        self._marks[order_id] = mark
        self._marks.move_to_end(order_id)
        while len(self._marks) > self._limit:
            self._marks.popitem(last=False)

    def seen(self, order_id: str | None) -> bool:
        """The cursor rested on ``order_id`` (None: on no order) or it was opened; True if a
        mark went. Leaving an order that was marked under the cursor also clears its mark."""
        gone = False
        left = self._under_cursor
        if left is not None and left != order_id:
            gone = self._marks.pop(left, None) is not None
            self._under_cursor = None
        if order_id is not None and self._marks.pop(order_id, None) is not None:
            gone = True
        return gone

    def clear(self) -> None:
        self._marks.clear()
        self._under_cursor = None


def marked_strip(strip: Strip, mark: str) -> Strip:
    """``strip`` (an order line) with ``mark`` in the gutter's second cell, bold, on the line's
    own background (so the cursor line keeps its colours)."""
    if not mark or strip.cell_length < 2:
        return strip
    base = next((segment.style for segment in strip if segment.style is not None), None)
    style = (base or Style()) + _MARK_STYLE
    return Strip.join([strip.crop(0, 1), Strip([Segment(mark[:1], style)], 1), strip.crop(2)])
