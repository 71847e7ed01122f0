"""Messages of the index sync and of the connection status (see :mod:`.sync`, :mod:`.refresher`).

The sync widget (:class:`~.sync.IndexSync`) posts :class:`SyncProgressed` after every step of
its engine, :class:`OrdersChanged` with the orders that are new or changed state,
:class:`OrdersWritten` once full orders the console fetched are in the index, and
:class:`ProjectNamesSeen` when a page names the organization's projects; the API client's
events arrive as :class:`ConnectionEvent` through :class:`~.connection.ClientEventRelay`. The
screen's handlers update the list, the stats bar and the status line; workers never touch
widgets.
"""

from __future__ import annotations

from collections.abc import Sequence

from textual.message import Message

from artistree_tui.api.retry import ClientEvent
from artistree_tui.store import Scope, StateChange, WriteResult
from artistree_tui.sync import SyncProgress


class SyncProgressed(Message):
    """The sync did a step (a head refresh, a sweep page, a failure, a wait): its progress.
    A newer one replaces one not handled yet."""

    def __init__(self, progress: SyncProgress) -> None:
        super().__init__()
        self.progress = progress

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, SyncProgressed)


class OrdersChanged(Message):
    """Orders of ``scope`` that are new (``before`` None) or changed state, as the sync wrote
    them (titles are the API's raw text: show them through the display boundary)."""

    def __init__(self, scope: Scope, changes: Sequence[StateChange]) -> None:
        super().__init__()
        self.scope = scope
        self.changes = tuple(changes)


class OrdersWritten(Message):
    """Full orders the console fetched (the detail pane, "go to order id") are in the index:
    the list can show their columns. ``order_ids`` are those written."""

    def __init__(self, order_ids: tuple[str, ...], result: WriteResult | None) -> None:
        super().__init__()
        self.order_ids = order_ids
        self.result = result


class ProjectNamesSeen(Message):
    """A list page named the organization's projects (``project_names``, the API's order)."""

    def __init__(self, names: tuple[str, ...]) -> None:
        super().__init__()
        self.names = names


class ConnectionEvent(Message):
    """An API client event (retrying, ok, failed), delivered on the UI loop."""

    def __init__(self, event: ClientEvent) -> None:
        super().__init__()
        self.event = event
