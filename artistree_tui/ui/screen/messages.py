"""Messages of the main screen's own worker: "go to order id" (``o``, or the palette).

The worker fetches the order and posts :class:`JumpLoaded` or :class:`JumpFailed` to the
screen, whose handlers show the order (in the list when it is loaded there) or say why not.
"""

from __future__ import annotations

from textual.message import Message

from artistree_tui.api.models import Order


class JumpLoaded(Message):
    """ "Go to order id" fetched the order."""

    def __init__(self, order: Order) -> None:
        super().__init__()
        self.order = order


class JumpFailed(Message):
    """ "Go to order id" failed; ``error`` is one safe line."""

    def __init__(self, order_id: str, error: str) -> None:
        super().__init__()
        self.order_id = order_id
        self.error = error
