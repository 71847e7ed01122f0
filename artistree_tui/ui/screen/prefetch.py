"""Fetching ahead: the orders next to the one the cursor rests on, ready before ``j``.

A reviewer reads an order for seconds, then presses ``j``. Once the cursor has rested
(:data:`REST` since the last move) and the order under it is drawn — the detail complete, the
preview settled — :class:`Prefetch` fetches the neighbour in the direction of travel, then the
other one: its full order through the detail pane (:meth:`DetailPane.prefetch`: the same client
call, into the pane's cache and, like every full order, the index), then its picture through
the preview panel (:meth:`PreviewPanel.preload`: the same safe fetcher, downloaded, decoded and
rendered for the panel's size into the bounded preview caches). ``j`` then finds everything
cached: the detail draws the full order at once and the picture paints from the caches.

- Only at rest: every move cancels what is under way (both panes' prefetch workers, a group
  of their own) and starts the wait again, so a held key fetches nothing ahead, and the order
  under the cursor never waits behind a prefetch.
- At most the two neighbours, one at a time; the caches stay bounded by ``memory_cache_mb``.
- A prefetch that fails shows nothing: the order loads as usual when shown.
- ``prefetch = false`` in the settings turns it off.

The screen calls :meth:`Prefetch.moved` on each highlight, :meth:`Prefetch.check` when the
detail or the preview has drawn, and hands it the answers (:meth:`order_fetched`,
:meth:`order_failed`, :meth:`picture_done`); this object holds which neighbour is in hand
and decides what is next.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol, cast

from textual.timer import Timer

from artistree_tui.api.models import Order
from artistree_tui.ui.timers import once

if TYPE_CHECKING:
    from textual.message_pump import MessagePump

    from artistree_tui.ui.detail.pane import DetailPane
    from artistree_tui.ui.orders.pane import OrdersPane
    from artistree_tui.ui.preview.control import PreviewControl

#: Seconds without a move before the neighbours are fetched (a held key repeats far faster;
#: the order under the cursor is usually drawn by then).
REST = 0.3


class Host(Protocol):
    """What the prefetch needs of the screen that holds it (the main screen)."""

    @property
    def detail(self) -> DetailPane: ...

    @property
    def orders(self) -> OrdersPane: ...

    @property
    def preview(self) -> PreviewControl: ...


class Prefetch:
    """What is fetched ahead, and when (module docstring)."""

    def __init__(self, screen: Host, *, enabled: bool = True) -> None:
        self._screen = screen
        self.enabled = enabled
        self._timer: Timer | None = None
        self._rested = False
        self._direction = 1
        self._position: int | None = None
        #: The order whose neighbours are fetched (once per rest), or None.
        self.around: str | None = None
        self._queue: list[Order] = []
        #: The neighbour in hand: its full order or its picture is being fetched.
        self.fetching: Order | None = None

    @property
    def finished(self) -> bool:
        """The neighbours of the order the cursor rests on are in the caches (or failed)."""
        return self.around is not None and self.fetching is None

    # -- the screen's calls ----------------------------------------------------------------

    def moved(self, position: int | None) -> None:
        """The cursor moved to row ``position``: cancel what is under way, wait for a rest."""
        if position is not None and self._position is not None and position != self._position:
            self._direction = 1 if position > self._position else -1
        self._position = position
        self.cancel()
        if self.enabled:
            self._timer = once(cast("MessagePump", self._screen), REST, self._rest)

    def cancel(self) -> None:
        """Forget and cancel every fetch ahead (the order under the cursor wins)."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        self._rested = False
        self.around = None
        self._queue = []
        if self.fetching is not None:
            self.fetching = None
            self._screen.detail.cancel_prefetch()
            panel = self._screen.preview.panel
            if panel is not None:
                panel.cancel_preload()

    def check(self) -> None:
        """The detail or the preview has drawn: start once the cursor rests on a drawn order."""
        if not self.enabled or not self._rested or self.around is not None:
            return
        screen = self._screen
        detail, orders = screen.detail, screen.orders.order_list
        current = detail.order
        highlighted = orders.highlighted_order
        if current is None or not detail.complete or detail.pending:
            return
        if highlighted is None or highlighted.order_id != current.order_id:
            return
        panel = screen.preview.panel
        if panel is not None and panel.display:
            shown = panel.order
            if shown is None or shown.order_id != current.order_id or not panel.settled:
                return
        self.around = current.order_id
        neighbours = (orders.neighbour(self._direction), orders.neighbour(-self._direction))
        self._queue = [order for order in neighbours if order is not None]
        self._next()

    def order_fetched(self, order: Order) -> None:
        """A full order fetched ahead came (the detail pane has cached it): its picture next."""
        neighbour = self.fetching
        if neighbour is None or neighbour.order_id != order.order_id:
            return
        if not self._picture(order):
            self._next()

    def order_failed(self, order_id: str) -> None:
        """A full order fetched ahead could not be: nothing is shown; the next neighbour."""
        neighbour = self.fetching
        if neighbour is not None and neighbour.order_id == order_id:
            self._next()

    def picture_done(self, order_id: str) -> None:
        """A picture fetched ahead is in the caches (or could not be): the next neighbour."""
        neighbour = self.fetching
        if neighbour is not None and neighbour.order_id == order_id:
            self._next()

    # -- inside ----------------------------------------------------------------------------

    def _rest(self) -> None:
        self._timer = None
        self._rested = True
        self.check()

    def _next(self) -> None:
        """Start on the next neighbour that is not in the caches yet."""
        detail = self._screen.detail
        while self._queue:
            neighbour = self._queue.pop(0)
            self.fetching = neighbour
            if detail.prefetch(neighbour.order_id):
                return  # its picture once its full order comes (order_fetched)
            full = detail.cache.get(neighbour.order_id)
            if full is not None and self._picture(full):
                return
        self.fetching = None

    def _picture(self, full: Order) -> bool:
        self._screen.detail.prepare_header(full)  # drawn with the picture after j
        panel = self._screen.preview.panel
        return panel is not None and panel.preload(full)
