"""The detail pane's cache of full orders by id (``GET /v1/orders/{id}`` answers)."""

from __future__ import annotations

from collections import OrderedDict

from artistree_tui.api.models import Order
from artistree_tui.api.sizes import approx_bytes

#: The default bound in bytes (the console sets its share of ``memory_cache_mb``).
DEFAULT_MAX_BYTES = 8 * 1024 * 1024


class OrderCache:
    """A small LRU of full orders by id: going back to an order should not refetch it.

    Bounded by count (``size``) and by the memory the orders take (``max_bytes``, estimated
    with :func:`~artistree_tui.api.sizes.approx_bytes`: a hostile order can carry megabytes
    of text). The most recent order is always kept, whatever its size.

    ``r`` marks every order held :meth:`stale` rather than dropping it: a stale order is
    still drawn (it is what the reviewer saw, and offline it is all there is) and asked for
    again; the fresh answer replaces it (:meth:`put`).
    """

    def __init__(self, size: int = 64, *, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
        self._size = max(1, size)
        self.max_bytes = max_bytes
        self._orders: OrderedDict[str, tuple[Order, int]] = OrderedDict()
        self._bytes = 0
        self._stale: set[str] = set()

    def get(self, order_id: str) -> Order | None:
        entry = self._orders.get(order_id)
        if entry is None:
            return None
        self._orders.move_to_end(order_id)
        return entry[0]

    def is_stale(self, order_id: str) -> bool:
        """Whether the order held for ``order_id`` was read before the last :meth:`stale`."""
        return order_id in self._stale

    def stale(self) -> None:
        """Every order held now is to be asked for again when it is next shown."""
        self._stale = set(self._orders)

    def put(self, order: Order) -> None:
        self.discard(order.order_id)
        size = approx_bytes(order)
        self._orders[order.order_id] = (order, size)
        self._bytes += size
        while len(self._orders) > 1 and (
            len(self._orders) > self._size or self._bytes > self.max_bytes
        ):
            dropped_id, (_order, dropped) = self._orders.popitem(last=False)
            self._stale.discard(dropped_id)
            self._bytes -= dropped

    def discard(self, order_id: str) -> None:
        entry = self._orders.pop(order_id, None)
        self._stale.discard(order_id)
        if entry is not None:
            self._bytes -= entry[1]

    def clear(self) -> None:
        self._orders.clear()
        self._stale.clear()
        self._bytes = 0

    @property
    def total_bytes(self) -> int:
        return self._bytes

    def __len__(self) -> int:
        return len(self._orders)
