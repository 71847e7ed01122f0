"""Messages of the live refresh and of the connection status (see :mod:`.live`).

The refresh worker posts :class:`LiveRefreshed` / :class:`LiveRefreshFailed`; the API client's
events arrive as :class:`ConnectionEvent` through :class:`~.connection.ClientEventRelay`. The
screen's handlers merge, mark, notify and update the status line; workers never touch widgets.
"""

from __future__ import annotations

from textual.message import Message

from artistree_tui.api.models import OrdersPage
from artistree_tui.api.retry import ClientEvent


class LiveRefreshed(Message):
    """The first page(s) of ``project_id`` were re-read (for the list's ``generation``)."""

    def __init__(
        self, generation: int, project_id: str, pages: tuple[OrdersPage, ...], limit: int
    ) -> None:
        super().__init__()
        self.generation = generation
        self.project_id = project_id
        self.pages = pages
        self.limit = limit


class LiveRefreshFailed(Message):
    """A re-read failed; ``error`` is one safe line, ``reason`` the error's short reason."""

    def __init__(self, generation: int, project_id: str, error: str, reason: str) -> None:
        super().__init__()
        self.generation = generation
        self.project_id = project_id
        self.error = error
        self.reason = reason


class ConnectionEvent(Message):
    """An API client event (retrying, ok, failed), delivered on the UI loop."""

    def __init__(self, event: ClientEvent) -> None:
        super().__init__()
        self.event = event
