"""Helpers for the order list's Pilot tests (no tests here): a tiny app hosting
:class:`OrdersPane` on a real API client talking to a demo server, a gate that holds requests,
and what the list drew and requested."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from textual.app import App, ComposeResult
from textual.geometry import Region
from textual.message import Message

from artistree_tui.api.auth import ClientCredentials
from artistree_tui.api.client import ArtistreeClient
from artistree_tui.api.models import ALL_PROJECTS, OrdersPage
from artistree_tui.api.retry import RetryPolicy
from artistree_tui.demo import DemoServer
from artistree_tui.ui.orders.fetch_plan import PageFetcher
from artistree_tui.ui.orders.order_list import OrderList
from artistree_tui.ui.orders.pane import OrdersPane
from tests.support.app import wait_for


class ListApp(App[None]):
    """Hosts one OrdersPane and records the messages it posts."""

    def __init__(self, fetcher: PageFetcher, **pane_options: int) -> None:
        super().__init__()
        self.fetcher = fetcher
        self.pane_options = pane_options
        self.seen: list[Message] = []

    def compose(self) -> ComposeResult:
        yield OrdersPane(self.fetcher, id="pane", **self.pane_options)

    def on_mount(self) -> None:
        self.pane.load(ALL_PROJECTS)
        self.pane.order_list.focus()

    @property
    def pane(self) -> OrdersPane:
        return self.query_one(OrdersPane)

    def on_order_list_highlighted(self, message: OrderList.Highlighted) -> None:
        self.seen.append(message)

    def on_order_list_opened(self, message: OrderList.Opened) -> None:
        self.seen.append(message)

    def on_orders_pane_page_loaded(self, message: OrdersPane.PageLoaded) -> None:
        self.seen.append(message)

    def on_orders_pane_load_failed(self, message: OrdersPane.LoadFailed) -> None:
        self.seen.append(message)

    def of(self, kind: type[Message]) -> list[Any]:
        return [message for message in self.seen if isinstance(message, kind)]


class Clients:
    """Real API clients on demo servers, closed by :meth:`aclose` (the tests' fixture)."""

    def __init__(self) -> None:
        self.clients: list[ArtistreeClient] = []

    def __call__(self, server: DemoServer) -> ArtistreeClient:
        auth = ClientCredentials(server.token_url, server.client_id, server.client_secret)
        # One try: a scripted 500 must reach the list as a failed page, not be retried away.
        client = ArtistreeClient(server.base_url, auth, retry=RetryPolicy(max_attempts=1))
        self.clients.append(client)
        return client

    async def aclose(self) -> None:
        for client in self.clients:
            await client.aclose()


def fetcher_of(client: ArtistreeClient) -> PageFetcher:
    """The fetcher the app builds (main_screen.py): full pages unless asked for a preview."""

    async def fetch(
        project_id: str, page_token: str | None, limit: int, *, preview: bool = False
    ) -> OrdersPage:
        return await client.list_orders(
            project_id, preview=preview, page_token=page_token, limit=limit
        )

    return fetch


class Gate:
    """Wraps a fetcher; while ``closed``, requests matching ``holds`` wait for :meth:`open`."""

    def __init__(self, fetch: PageFetcher, holds: Callable[[str | None, int], bool]) -> None:
        self.fetch, self.holds = fetch, holds
        self.closed = False
        self.waiting = asyncio.Event()
        self._open = asyncio.Event()

    async def __call__(
        self, project_id: str, token: str | None, limit: int, *, preview: bool = False
    ) -> OrdersPage:
        if self.closed and self.holds(token, limit):
            self.waiting.set()
            await self._open.wait()
        page: OrdersPage = await self.fetch(project_id, token, limit, preview=preview)
        return page

    def open(self) -> None:
        self.closed = False
        self._open.set()

    async def until_waiting(self, pilot: Any) -> None:
        await wait_for(pilot, self.waiting.is_set, limit=SETTLE_LIMIT)


#: Bound of the waits here (generous: CI runs the suite on two loaded cores).
SETTLE_LIMIT = 30.0


def highlight_posted(app: ListApp) -> bool:
    """The last Highlighted message the app handled names the order under the cursor (the
    debounce's trailing timer has fired, however late a loaded machine ran it)."""
    seen = app.of(OrderList.Highlighted)
    last = seen[-1].order if seen else None
    current = app.pane.highlighted_order
    return _order_id(last) == _order_id(current)


def _order_id(order: Any) -> str | None:
    return order.order_id if order is not None else None


def cursor_in_view(app: ListApp) -> bool:
    """The list has scrolled to its cursor. A move scrolls after the next screen refresh (late
    on a loaded machine); until then the rows drawn are those of the old view."""
    widget = app.pane.order_list
    top = round(widget.scroll_offset.y)
    rows = max(1, widget.scrollable_content_region.height - 1)  # minus the header line
    return top <= widget.model.cursor < top + rows


async def settle(pilot: Any, app: ListApp) -> None:
    """Wait (bounded) until the list has nothing in flight and its messages are handled."""
    model = app.pane.order_list.model
    loop = asyncio.get_running_loop()
    deadline = loop.time() + SETTLE_LIMIT
    quiet = 0
    while quiet < 3:
        if loop.time() > deadline:
            raise AssertionError(f"the list never settled: {model.in_flight!r} in flight")
        await pilot.pause(0.005)
        quiet = quiet + 1 if model.in_flight is None and highlight_posted(app) else 0
    await pilot.pause()


def drawn(app: ListApp) -> list[str]:
    """The lines the list draws right now (header first)."""
    widget = app.pane.order_list
    lines = widget.render_lines(Region(0, 0, widget.size.width, widget.size.height))
    return [line.text for line in lines]


def list_requests(server: DemoServer) -> list[dict[str, str]]:
    """The query of every ``GET /v1/orders`` list request the server saw, in order."""
    return [r.query for r in server.recorded("/v1/orders") if r.path == "/v1/orders"]


def requests(server: DemoServer) -> list[tuple[str | None, str]]:
    """(page_token, limit) of every list request."""
    return [(query.get("page_token"), query["limit"]) for query in list_requests(server)]
