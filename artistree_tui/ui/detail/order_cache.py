"""The detail pane's cache of full orders by id (``GET /v1/orders/{id}`` answers)."""

from __future__ import annotations

from collections import OrderedDict

from artistree_tui.api.models import Order


class OrderCache:
    """A small LRU of full orders by id: going back to an order should not refetch it."""

    def __init__(self, size: int = 64) -> None:
        self._size = max(1, size)
        self._orders: OrderedDict[str, Order] = OrderedDict()

    def get(self, order_id: str) -> Order | None:
        order = self._orders.get(order_id)
        if order is not None:
            self._orders.move_to_end(order_id)
        return order

    def put(self, order: Order) -> None:
        self._orders[order.order_id] = order
        self._orders.move_to_end(order.order_id)
        while len(self._orders) > self._size:
            self._orders.popitem(last=False)

    def discard(self, order_id: str) -> None:
        self._orders.pop(order_id, None)

    def clear(self) -> None:
        self._orders.clear()

    def __len__(self) -> int:
        return len(self._orders)
