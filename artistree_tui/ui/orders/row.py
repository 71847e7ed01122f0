"""One display row of the order list: an order or a placeholder, read from the segment chain.

Pure Python; :meth:`artistree_tui.ui.orders.paging.PagingModel.row` answers with these and the
widget draws them (:mod:`.order_rows`).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from artistree_tui.api.models import Order
from artistree_tui.ui.orders.segments import SegmentChain


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


LOADING_ROW = Row(RowKind.LOADING)
BLANK_ROW = Row(RowKind.BLANK)


def scope_row(chain: SegmentChain, index: int, total: int, cursor: int) -> Row:
    """Absolute row ``index`` of a scope of ``total`` rows: O(log pages), whatever the number
    of orders. A failed page shows one error row (its first, or the cursor's), blank below."""
    if index < 0 or index >= total:
        return BLANK_ROW
    if index >= chain.known_end:
        last = chain.last
        if last is not None and last.count is None and last.error is not None:
            # The frontier page failed: one error row, nothing pretends to load below it.
            if index == last.offset or index == cursor:
                return Row(RowKind.ERROR, message=last.error)
            return BLANK_ROW
        return LOADING_ROW
    segment = chain.at(index)
    if segment.rows is not None:
        return Row(RowKind.ORDER, segment.rows[index - segment.offset])
    if segment.error is not None:
        if index == segment.offset or index == cursor:
            return Row(RowKind.ERROR, message=segment.error)
        return BLANK_ROW
    return LOADING_ROW
