"""How the detail pane and the preview follow the list's cursor: what is drawn, in what order.

The list tells the screen twice about a move: at once, through its ``moved`` signal, while it
handles the key (before its own frame is made), and then with its ``Highlighted`` message,
which reaches the screen a frame later. :class:`CursorFollow` decides what each does:

- **The picture in the cursor's frame.** On ``moved``, at rest on an order fetched ahead
  whose drawing grows no section above the picture (:meth:`DetailPane.full_in_place`), the
  preview panel paints its picture now (:meth:`PreviewControl.paint_first`): it lands in the
  frame with the cursor, where it stays. The pane holds the order (``y`` and ``c`` act on it)
  and draws it once that frame is on the terminal. Its ``Highlighted`` then draws nothing.
  That frame carries the cursor, the picture and the pane's header (rendered ahead, with the
  picture: the two read as one order); the list's row count follows a frame later.
- **Otherwise the pane draws first**, on ``Highlighted``: at once at rest (from its cache, or
  when the full order comes), or once the cursor rests; the picture follows, painted once with
  the pane's order and selection (after the pane's relayout when a section grew).
- **The first order** (at start) is drawn after the list's first rows are painted.
- **No order** under the cursor: the pane says so (:meth:`OrderActions.show_no_order`).

The main screen holds a :class:`CursorFollow` and routes the list's signal and message to it.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Protocol

from artistree_tui.api.models import Order

if TYPE_CHECKING:
    from collections.abc import Callable

    from artistree_tui.ui.detail.pane import DetailPane
    from artistree_tui.ui.orders.pane import OrdersPane
    from artistree_tui.ui.preview.control import PreviewControl
    from artistree_tui.ui.screen.order_actions import OrderActions
    from artistree_tui.ui.screen.prefetch import Prefetch


class Host(Protocol):
    """What the cursor's followers need of the screen that holds them (the main screen)."""

    @property
    def detail(self) -> DetailPane: ...

    @property
    def orders(self) -> OrdersPane: ...

    preview: PreviewControl
    prefetch: Prefetch
    order_actions: OrderActions

    def call_after_refresh(self, callback: Callable[[], object]) -> bool: ...

    def paint_now(self) -> bool: ...


class CursorFollow:
    """What the detail pane and the preview draw when the list's cursor moves (module
    docstring)."""

    def __init__(self, host: Host) -> None:
        self._host = host

    def moved(self, order: Order | None) -> None:
        """The list's ``moved`` signal: the cursor is on ``order``, its frame not made yet."""
        if order is not None and self._host.detail.order is not None and self._paint_first(order):
            # The cursor, the picture and the header: the frame is all there, made now.
            self._host.paint_now()

    def highlighted(self, order: Order | None) -> None:
        """The list's ``Highlighted`` message: ``order`` is under the cursor."""
        host = self._host
        host.prefetch.moved(host.orders.order_list.cursor)  # nothing ahead until it rests
        if order is not None and host.detail.order is None:
            # The pane's first order (at startup): the list's first rows paint first; the
            # pane's first draw (it restyles the whole pane) and the preview download follow.
            host.call_after_refresh(self._show_first)
        elif order is not None:
            if not (host.detail.holding(order) or self._paint_first(order)):
                self._show(order)
        else:
            host.order_actions.show_no_order()  # y and c must not act on an order not shown

    def _paint_first(self, order: Order) -> bool:
        """At rest on an order fetched ahead, that the detail pane draws without changing a
        height: its picture is painted in the frame being made (the cursor's, when the list
        has just moved), where it stays, and the pane draws the order once that frame is on
        the terminal (``j`` → the picture: the cursor's frame). False: nothing done."""
        detail = self._host.detail
        full = detail.full_in_place(order)
        if full is None:
            return False
        if not self._host.preview.paint_first(full, partial(self._draw_held, order)):
            return False
        detail.hold(full)  # its header now; y and c act on it; its Highlighted draws nothing
        return True

    def _draw_held(self, order: Order) -> None:
        """The frame with ``order``'s picture is on the terminal: the pane draws the order,
        if it still holds it (a move since drew another order, or painted this one again)."""
        if self._host.detail.holding(order):
            self._show(order)

    def _show(self, order: Order) -> None:
        """Draw (or, moving, schedule) ``order``, under the list's cursor, in the detail pane."""
        host = self._host
        highlighted = host.orders.highlighted_order
        if highlighted is None or highlighted.order_id != order.order_id:
            return  # the cursor moved on while its picture was painted: the next one wins
        # Drawn now when the cursor was at rest (then the download starts before the pane
        # draws), else once it rests: the pane announces it, and the preview follows.
        detail = host.detail
        if detail.show(order):
            drawn = detail.order
            if not (drawn and detail.complete and drawn.order_id == order.order_id):
                host.preview.show_first(order)  # the download starts now
            elif not detail.relaid_out:
                # Drawn at once from its cache (seen before, or fetched ahead): the panel
                # gets that order and its selection now, so the first picture painted has
                # its regions (not the list's copy, then the regions).
                host.preview.show_first(drawn, selected=detail.selected_annotation)
            # else the pane grew: the panel follows its announcement, after the relayout

    def _show_first(self) -> None:
        host = self._host
        order = host.orders.highlighted_order
        if order is not None and host.detail.order is None:
            host.detail.build_sections()  # the pane's sections and the preview panel
            host.preview.show_first(order)
            host.detail.show(order)
