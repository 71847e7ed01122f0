"""The order list's filters: text (title, asset, user, tag, id) and state, over held rows.

Pure Python. Filters search the rows held in memory (bounded by the paging model's
``max_rows``), so a keystroke in the filter box costs O(held rows), never O(scope). The paging
model owns one :class:`ListFilter`; while it has ``matches``, the list shows them instead of
the scope's rows.
"""

from __future__ import annotations

from artistree_tui.api.models import KNOWN_STATES, Order
from artistree_tui.ui.orders.segments import SegmentChain

#: The state filter cycles through these; None means every state.
STATE_CYCLE: tuple[str | None, ...] = (None, *KNOWN_STATES)


def next_state(state: str | None) -> str | None:
    """All → each known state → All."""
    position = STATE_CYCLE.index(state) if state in STATE_CYCLE else 0
    return STATE_CYCLE[(position + 1) % len(STATE_CYCLE)]


def order_haystack(order: Order) -> str:
    """The case-folded text the filter searches: title, asset, user fields, tags and id."""
    parts = (
        order.order_title,
        order.asset_name,
        order.username,
        order.ordered_by,
        order.email,
        *order.tags,
        order.order_id,
    )
    # A separator no one types keeps a needle from matching across two fields.
    return "\x00".join(parts).casefold()


def held_matches(chain: SegmentChain, text: str, state: str | None) -> list[Order]:
    """Held orders, in list order, whose text contains ``text`` (any case) and whose state is
    ``state`` (None: any). Haystacks are built once per held page and dropped with its rows."""
    needle = text.casefold()
    matches: list[Order] = []
    for segment in chain:
        if segment.rows is None:
            continue
        if segment.hay is None:
            segment.hay = tuple(order_haystack(order) for order in segment.rows)
        for order, hay in zip(segment.rows, segment.hay, strict=True):
            if (state is None or order.order_state == state) and needle in hay:
                matches.append(order)
    return matches


class ListFilter:
    """The text and state filters of one list and the held orders they match.

    ``matches`` is None while both filters are off (the list shows the scope); ``base_cursor``
    is the absolute cursor when they went on, where the cursor returns when they go off and
    its order is no longer held.
    """

    def __init__(self) -> None:
        self.text = ""
        self.state: str | None = None
        self.matches: list[Order] | None = None
        self.base_cursor = 0

    @property
    def wanted(self) -> bool:
        """A filter is set (the matches must be built or kept up to date)."""
        return bool(self.text) or self.state is not None

    def rebuild(self, chain: SegmentChain, keep_id: str | None) -> int:
        """Match the held rows again; returns the display index of ``keep_id``, else 0."""
        self.matches = held_matches(chain, self.text, self.state)
        return self.index_of(keep_id) or 0

    def index_of(self, order_id: str | None) -> int | None:
        """The display index of ``order_id`` among the matches, or None."""
        for index, order in enumerate(self.matches or ()):
            if order.order_id == order_id:
                return index
        return None
