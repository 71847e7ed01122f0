"""Messages of the order list (``OrderList.*``).

They live here, with an explicit Textual namespace, so the pane and the list's preparation
worker can use them without importing the list: this module imports neither (a message
names its list as a ``Widget``). :class:`~.order_list.OrderList` re-exports them as class
attributes, so handlers are written ``on_order_list_highlighted`` /
``@on(OrderList.Highlighted)``.
"""

from __future__ import annotations

from collections.abc import Callable
from time import monotonic

from textual.message import Message
from textual.timer import Timer
from textual.widget import Widget

from artistree_tui.api.models import Order
from artistree_tui.ui.orders.model import Request
from artistree_tui.ui.orders.source import Prepared
from artistree_tui.ui.timers import once

#: Moving faster than this posts one Highlighted at the end (the first move posts at once):
#: holding ``j`` must not start a detail fetch per row.
HIGHLIGHT_DEBOUNCE = 0.08


class Highlighted(Message, namespace="order_list"):
    """The highlighted order changed (None: the list has no row under its cursor).

    Floods coalesce: a pending Highlighted is replaced by a newer one, and moves faster than
    :data:`HIGHLIGHT_DEBOUNCE` post only the last (:class:`HighlightDebounce`).
    """

    def __init__(self, order_list: Widget, order: Order | None) -> None:
        super().__init__()
        self.order_list = order_list  # the OrderList that posted it
        self.order = order

    @property
    def control(self) -> Widget:
        return self.order_list

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, Highlighted)


class Opened(Message, namespace="order_list"):
    """Enter on an order."""

    def __init__(self, order_list: Widget, order: Order) -> None:
        super().__init__()
        self.order_list = order_list  # the OrderList that posted it
        self.order = order

    @property
    def control(self) -> Widget:
        return self.order_list


class StatusChanged(Message, namespace="order_list"):
    """Counts, filters or the sort changed: the pane redraws its status line."""

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, StatusChanged)


class FilterRequested(Message, namespace="order_list"):
    """``/`` was pressed: the pane opens its filter box."""


class ViewReady(Message, namespace="order_list"):
    """Preparation worker → list: a view of the index is ready to show (internal; the list
    stops it, and drops it if the user has moved on since)."""

    def __init__(self, prepared: Prepared, request: Request) -> None:
        super().__init__()
        self.prepared = prepared
        self.request = request


class RetryRequested(Message, namespace="orders_pane"):
    """Enter on the list's "nothing loaded yet" line: ask the API again now."""


class WatermarkMoved(Message, namespace="order_list"):
    """The list's marks of ``scope`` (its ``watermark_key``) start from ``at`` (Unix time): for the
    index to keep, so they outlive a restart. ``replace``: the marks were cleared (``x``);
    else the scope was first opened, kept only if the index has none for it."""

    def __init__(self, scope: str, at: float, *, replace: bool) -> None:
        super().__init__()
        self.scope = scope
        self.at = at
        self.replace = replace


class Located(Message, namespace="order_list"):
    """``select_order_id`` finished: the cursor is on ``order_id`` (``found``), or the order is
    not in the list as filtered."""

    def __init__(self, order_id: str, found: bool) -> None:
        super().__init__()
        self.order_id = order_id
        self.found = found


class HighlightDebounce:
    """When the list posts :class:`Highlighted`: at once for the first move, then at most one
    per :data:`HIGHLIGHT_DEBOUNCE` (a trailing timer posts the order the cursor is on then),
    and never twice in a row for the same order."""

    def __init__(
        self,
        owner: Widget,
        current: Callable[[], Order | None],
        post: Callable[[Order | None], None],
    ) -> None:
        self._owner, self._current, self._post = owner, current, post
        self._posted_id: str | None = None
        self._last_post = 0.0
        self._timer: Timer | None = None

    def notify(self) -> None:
        """The cursor or the data changed: post now, later, or not at all."""
        if _id(self._current()) == self._posted_id or self._timer is not None:
            return  # nothing new, or a trailing post is due and will read the cursor then
        since = monotonic() - self._last_post
        if since >= HIGHLIGHT_DEBOUNCE:
            self._send()
        else:
            self._timer = once(self._owner, HIGHLIGHT_DEBOUNCE - since, self._flush)

    def _flush(self) -> None:
        self._timer = None
        if _id(self._current()) != self._posted_id:
            self._send()

    def _send(self) -> None:
        order = self._current()
        self._posted_id = _id(order)
        self._last_post = monotonic()
        self._post(order)


def _id(order: Order | None) -> str | None:
    return order.order_id if order is not None else None
