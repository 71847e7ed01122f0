"""Messages of the order list (``OrderList.*``) and of its pane (``OrdersPane.*``).

They live here, with explicit Textual namespaces, so the list can post the pane's messages
without importing the pane (which imports the list), and the loader can post the list's
without importing the list: this module imports neither (a message names its list as a
``Widget``). :class:`~.order_list.OrderList` and :class:`~.pane.OrdersPane` re-export them as
class attributes, so handlers are written ``on_order_list_highlighted`` /
``@on(OrderList.Highlighted)`` and ``on_orders_pane_page_loaded`` /
``@on(OrdersPane.PageLoaded)``.
"""

from __future__ import annotations

from collections.abc import Callable
from time import monotonic

from textual.message import Message
from textual.timer import Timer
from textual.widget import Widget

from artistree_tui.api.errors import ApiError
from artistree_tui.api.models import Order, OrdersPage
from artistree_tui.ui.orders.segments import PageRequest

#: Moving faster than this posts one Highlighted at the end (the first move posts at once):
#: holding ``j`` must not start a detail fetch per row.
HIGHLIGHT_DEBOUNCE = 0.08


class Highlighted(Message, namespace="order_list"):
    """The highlighted order changed (None: the cursor is on a loading/error row).

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
    """Counts, filters or the walk changed: the pane redraws its status line."""

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, StatusChanged)


class FilterRequested(Message, namespace="order_list"):
    """``/`` was pressed: the pane opens its filter box."""


class PageArrived(Message, namespace="order_list"):
    """Loader worker → list: a requested page (internal; the list stops it)."""

    def __init__(self, request: PageRequest, page: OrdersPage) -> None:
        super().__init__()
        self.request = request
        self.page = page


class PageFailed(Message, namespace="order_list"):
    """Loader worker → list: a requested page failed (internal; the list stops it)."""

    def __init__(self, request: PageRequest, error: ApiError) -> None:
        super().__init__()
        self.request = request
        self.error = error


class PageLoaded(Message, namespace="orders_pane"):
    """A page of the list arrived (after every successful page, first or not).

    The app updates the stats bar from ``page.stats`` and learns project ids from the full
    orders' ``project`` objects.
    """

    def __init__(self, project_id: str, page: OrdersPage) -> None:
        super().__init__()
        self.project_id = project_id
        self.page = page


class LoadFailed(Message, namespace="orders_pane"):
    """A page of the list failed; the list shows an inline retry row. ``str(error)`` is safe."""

    def __init__(self, project_id: str, error: ApiError) -> None:
        super().__init__()
        self.project_id = project_id
        self.error = error


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
            self._timer = self._owner.set_timer(HIGHLIGHT_DEBOUNCE - since, self._flush)

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
