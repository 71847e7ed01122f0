"""The keys that act on "the order": ``y`` (copy its id) and ``c`` (its certificate), and
what the detail pane says when there is no order under the list's cursor.

"The order" is the one the detail pane shows: the list's highlighted order, or one opened
with "go to order id". When the list highlights nothing (the filter matches nothing, or the
cursor is on a loading or failed row) the pane says so and drops the order it showed, so
these keys never act on an order the list no longer shows; they say why instead.

A plain mixin for the main screen (which has ``detail``, ``orders`` and ``app``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from artistree_tui.display import clean
from artistree_tui.ui.dialogs.certificate import CertificateDesk
from artistree_tui.ui.notify import toast

if TYPE_CHECKING:
    from textual.app import App

    from artistree_tui.api.models import Order
    from artistree_tui.ui.detail.pane import DetailPane
    from artistree_tui.ui.orders.pane import OrdersPane

NO_ORDER = "No order selected."
NO_MATCH = "No order selected: the filter matches nothing."


class OrderActions:
    """``y``/``c`` and the "no order selected" state of the detail pane (module docstring)."""

    if TYPE_CHECKING:
        app: App[object]

        @property
        def detail(self) -> DetailPane: ...

        @property
        def orders(self) -> OrdersPane: ...

    def no_order_reason(self) -> str:
        """Why no order is highlighted, in one line."""
        model = self.orders.order_list.model
        if model.filtering and not model.display_length:
            return NO_MATCH
        return NO_ORDER

    def show_no_order(self) -> None:
        """The list highlights no order: the detail pane says so and forgets its order."""
        self.detail.show_none(self.no_order_reason())

    def current_order(self) -> Order | None:
        """The order ``y`` and ``c`` act on, or None after a toast saying why there is none."""
        order = self.detail.order or self.orders.highlighted_order
        if order is None or not order.order_id:
            toast(self.app, self.no_order_reason(), severity="warning")
            return None
        return order

    def action_copy_id(self) -> None:
        order = self.current_order()
        if order is None:
            return
        order_id = clean(order.order_id, limit=100)
        self.app.copy_to_clipboard(order_id)
        toast(self.app, f"Copied order id {order_id} to the clipboard.", title="Copied")

    def action_certificate(self) -> None:
        # The detail pane's copy is the freshest state; the desk does the rest.
        order = self.current_order()
        if order is not None:
            from textual.screen import Screen

            assert isinstance(self, Screen)
            self.query_one(CertificateDesk).request(order)
