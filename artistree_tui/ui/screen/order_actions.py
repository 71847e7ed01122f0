"""The keys that act on "the order": ``y`` (copy its id) and ``c`` (its certificate), and
what the detail pane says when there is no order under the list's cursor.

"The order" is the one the detail pane shows: the list's highlighted order, or one opened
with "go to order id". When the list highlights nothing (the filter matches nothing, or the
cursor is on a loading or failed row) the pane says so and drops the order it showed, so
these keys never act on an order the list no longer shows; they say why instead.

The main screen holds an :class:`OrderActions` and routes ``y``, ``c`` and "nothing
highlighted" to it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from artistree_tui.display import clean
from artistree_tui.ui.detail.pane import DetailPane
from artistree_tui.ui.mounting import mount_later
from artistree_tui.ui.notify import toast
from artistree_tui.ui.orders.pane import OrdersPane

if TYPE_CHECKING:
    from textual.screen import Screen

    from artistree_tui.api.client import ArtistreeClient
    from artistree_tui.api.models import Order
    from artistree_tui.ui.dialogs.certificate import CertificateDesk

NO_ORDER = "No order selected."
NO_MATCH = "No order selected: the filter matches nothing."


class OrderActions:
    """``y``/``c`` and the "no order selected" state of the detail pane (module docstring),
    on ``screen``'s detail pane, orders pane and certificate desk."""

    def __init__(self, screen: Screen[Any], client: ArtistreeClient) -> None:
        self._screen = screen
        self._client = client  # for the certificate desk

    @property
    def detail(self) -> DetailPane:
        return self._screen.query_one(DetailPane)

    @property
    def orders(self) -> OrdersPane:
        return self._screen.query_one(OrdersPane)

    @property
    def desk(self) -> CertificateDesk:
        """The screen's certificate desk, mounted on first use (the first frame has none)."""
        from artistree_tui.ui.dialogs.certificate import CertificateDesk

        for desk in self._screen.query(CertificateDesk):
            return desk
        return mount_later(self._screen, CertificateDesk(self._client, id="certificates"))

    def no_order_reason(self) -> str:
        """Why no order is highlighted, in one line."""
        model = self.orders.order_list.model
        if model.filtering and not model.count:
            return NO_MATCH
        return NO_ORDER

    def show_no_order(self) -> None:
        """The list highlights no order: the detail pane says so and forgets its order."""
        self.detail.show_none(self.no_order_reason())

    def current_order(self) -> Order | None:
        """The order ``y`` and ``c`` act on, or None after a toast saying why there is none:
        the detail's copy (the freshest), unless the detail still shows the order the cursor
        left (it waits for the cursor to rest or for the full order)."""
        detail = self.detail
        order = (None if detail.pending else detail.order) or self.orders.highlighted_order
        if order is None or not order.order_id:
            toast(self._screen.app, self.no_order_reason(), severity="warning")
            return None
        return order

    def copy_id(self) -> None:
        """``y``: copy the order's id to the clipboard."""
        order = self.current_order()
        if order is None:
            return
        order_id = clean(order.order_id, limit=100)
        self._screen.app.copy_to_clipboard(order_id)
        toast(self._screen.app, f"Copied order id {order_id} to the clipboard.", title="Copied")

    def certificate(self) -> None:
        """``c``: the order's certificate (the desk fetches it and asks copy or save)."""
        # The detail pane's copy is the freshest state; the desk does the rest.
        order = self.current_order()
        if order is not None:
            self.desk.request(order)
