"""When the detail pane draws an order and asks for its full copy.

Over SSH every cell the pane draws crosses the network, so it draws as little as it can:

- **At rest** (one ``j``): an order whose full copy is cached is drawn at once. Otherwise the
  full order is asked for at once and drawn alone if it comes within
  :data:`FIRST_DRAW_WAIT`; if it is late (or fails), the list's copy is drawn then and the full
  order over it when it comes. The full order adds annotations and failed items, and a section
  that grows rewrites everything below it: one draw instead of two.
- **In a burst** (orders shown less than :data:`REST` apart, a held key): nothing is drawn or
  asked for until the cursor rests; then the order it rests on is drawn from the list's copy at
  once (the pane has shown another order all along; measured: waiting for the full order there
  cost 27 KiB more at 160×48) and its full order asked for after ``debounce``.
- The very first order (the first frame, from the index) is drawn from the list's copy at once.

Pure scheduling: :class:`ShowTiming` is given how to draw, fetch, read the cache and set a
timer, and holds no widget.
"""

from __future__ import annotations

from collections.abc import Callable
from time import monotonic
from typing import Protocol

from artistree_tui.api.models import Order

#: Orders shown closer together than this (seconds) are a burst: the pane draws the last one,
#: this long after it (the list posts the cursor's order at most every 80 ms while it moves).
REST = 0.12
#: How long (seconds) an order shown at rest waits for its full order before the list's copy
#: is drawn.
FIRST_DRAW_WAIT = 0.1


class Stoppable(Protocol):
    def stop(self) -> None: ...


class ShowTiming:
    """Decides when the pane draws what (module docstring).

    ``draw(order, complete)`` draws; ``fetch(order_id)`` asks for the full order (its answer
    comes back through :meth:`loaded` or :meth:`failed`); ``cached(order_id)`` is the full
    order if known; ``drawn()`` says whether the pane shows an order; ``set_timer(seconds,
    callback)`` is the widget's.
    """

    def __init__(
        self,
        *,
        draw: Callable[[Order, bool], None],
        fetch: Callable[[str], object],
        cached: Callable[[str], Order | None],
        drawn: Callable[[], bool],
        set_timer: Callable[[float, Callable[[], object]], Stoppable],
        debounce: float = 0.12,
    ) -> None:
        self._draw = draw
        self._fetch = fetch
        self._cached = cached
        self._drawn = drawn
        self._set_timer = set_timer
        self.debounce = debounce
        self._timer: Stoppable | None = None
        self._rest_timer: Stoppable | None = None
        self._pending: Order | None = None  # the order to draw once the cursor rests
        self._awaited: Order | None = None  # shown at rest, its full order asked: not drawn yet
        #: Held for the caller's draw (see hold()).
        self.held: Order | None = None
        self._last_show = float("-inf")

    def show(self, order: Order) -> bool:
        """``order`` is under the cursor now; returns whether the cursor was at rest."""
        now = monotonic()
        moving = now - self._last_show < REST
        self._last_show = now
        self.stop()
        if moving and self._drawn():
            self._pending = order
            self._rest_timer = self._set_timer(REST, self._rested)
            return False
        self._show_now(order, wait=True)
        return True

    def full_at_once(self, order_id: str) -> Order | None:
        """The full copy :meth:`show` would draw at once for ``order_id`` now (the cursor is
        at rest and it is cached), or None (it would wait, or draw the list's copy)."""
        if self._drawn() and monotonic() - self._last_show < REST:
            return None
        return self._cached(order_id)

    def hold(self, order: Order) -> None:
        """``order`` is drawn next, by a :meth:`show` the caller makes (the preview's picture
        goes first): pending until then, and nothing else waits."""
        self.stop()
        self.held = order

    @property
    def pending(self) -> bool:
        """An order waits to be drawn: once the cursor rests, once its full order comes, or
        when the caller draws it (:meth:`hold`)."""
        return self._pending is not None or self._awaited is not None or self.held is not None

    def stop(self) -> None:
        """Forget what was waiting (another order is shown, or none)."""
        for timer in (self._timer, self._rest_timer):
            if timer is not None:
                timer.stop()
        self._timer = self._rest_timer = None
        self._pending = self._awaited = self.held = None

    def ask_again(self) -> bool:
        """The cached orders were forgotten (``r``): an order waiting for its full copy has it
        asked for again. True if an order waits (then the drawn one is not what to fetch)."""
        if self._awaited is not None:
            self._fetch(self._awaited.order_id)
        return self.pending

    def loaded(self, order: Order) -> bool:
        """A full order came; True if it was awaited (then it is drawn here, alone)."""
        awaited = self._awaited
        if awaited is None or awaited.order_id != order.order_id:
            return False
        self.stop()  # in time: the list's copy is never drawn
        self._draw(order, True)
        return True

    def failed(self, order_id: str) -> None:
        """Its full order could not be read: an awaited order is drawn from the list's copy."""
        awaited = self._awaited
        if awaited is not None and awaited.order_id == order_id:
            self.stop()
            self._draw(awaited, False)

    def _rested(self) -> None:
        order, self._pending, self._rest_timer = self._pending, None, None
        if order is not None:
            self._show_now(order, wait=False)

    def _show_now(self, order: Order, *, wait: bool) -> None:
        cached = self._cached(order.order_id)
        if cached is not None:
            self._draw(cached, True)
            return
        order_id = order.order_id
        if not wait or not self._drawn():
            self._draw(order, False)
            self._timer = self._set_timer(self.debounce, lambda: self._fetch(order_id))
            return
        self._awaited = order
        self._fetch(order_id)
        self._timer = self._set_timer(FIRST_DRAW_WAIT, self._draw_awaited)

    def _draw_awaited(self) -> None:
        """The full order is late: the list's copy meanwhile."""
        order, self._awaited, self._timer = self._awaited, None, None
        if order is not None:
            self._draw(order, False)
