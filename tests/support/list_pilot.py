"""Helpers for the order list's Pilot tests (no tests here): a tiny app hosting
:class:`OrdersPane` over a real SQLite index, the index filled by the real sync from a demo
server over loopback HTTP, and what the list drew."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from textual.app import App, ComposeResult
from textual.geometry import Region
from textual.message import Message

from artistree_tui.api.auth import ClientCredentials
from artistree_tui.api.client import ArtistreeClient
from artistree_tui.api.models import Order
from artistree_tui.api.retry import RetryPolicy
from artistree_tui.demo import DemoServer
from artistree_tui.store import Index
from artistree_tui.sync import SyncEngine, SyncProgress, SyncSettings
from artistree_tui.ui.orders.order_list import OrderList
from artistree_tui.ui.orders.pane import OrdersPane
from tests.support.app import wait_for

#: No pacing, no periodic refresh or re-sweep: one sweep as fast as the demo answers.
FAST = SyncSettings(rate=0, refresh_seconds=0, resync_minutes=0)
#: Bound of the waits here (generous: CI runs the suite on two loaded cores).
SETTLE_LIMIT = 30.0


def client_of(server: DemoServer) -> ArtistreeClient:
    auth = ClientCredentials(server.token_url, server.client_id, server.client_secret)
    return ArtistreeClient(server.base_url, auth, retry=RetryPolicy(max_attempts=2))


async def sweep(server: DemoServer, index: Index) -> SyncProgress:
    """Index every order of ``server`` with the real sync (one whole sweep of All Projects)."""
    client = client_of(server)
    engine = SyncEngine(client, index, settings=FAST)
    try:
        return await engine.sweep_to_end()
    finally:
        await engine.aclose()
        await client.aclose()


async def full_orders(server: DemoServer, order_ids: list[str]) -> list[Order]:
    """The full orders of ``order_ids`` read from the demo API (``GET /v1/orders/{id}``)."""
    client = client_of(server)
    try:
        return [await client.get_order(order_id) for order_id in order_ids]
    finally:
        await client.aclose()


class ListApp(App[None]):
    """Hosts one OrdersPane over ``index`` and records the messages it posts."""

    def __init__(self, index: Index | None) -> None:
        super().__init__()
        self.index = index
        self.seen: list[Message] = []

    def compose(self) -> ComposeResult:
        yield OrdersPane(self.index, id="pane")

    def on_mount(self) -> None:
        self.pane.order_list.focus()

    @property
    def pane(self) -> OrdersPane:
        return self.query_one(OrdersPane)

    @property
    def order_list(self) -> OrderList:
        return self.pane.order_list

    def on_order_list_highlighted(self, message: OrderList.Highlighted) -> None:
        self.seen.append(message)

    def on_order_list_opened(self, message: OrderList.Opened) -> None:
        self.seen.append(message)

    def on_order_list_located(self, message: OrderList.Located) -> None:
        self.seen.append(message)

    def of(self, kind: type[Message]) -> list[Any]:
        return [message for message in self.seen if isinstance(message, kind)]


async def settle(pilot: Any, app: ListApp) -> None:
    """Wait (bounded) until no view is being prepared and the highlight has been posted."""
    model = app.order_list.model
    loop = asyncio.get_running_loop()
    deadline = loop.time() + SETTLE_LIMIT
    quiet = 0
    while quiet < 3:
        if loop.time() > deadline:
            raise AssertionError(f"the list never settled: {model.pending!r}")
        await pilot.pause(0.005)
        quiet = quiet + 1 if model.pending is None and highlight_posted(app) else 0
    await pilot.pause()


@asynccontextmanager
async def running_list(
    index: Index, size: tuple[int, int] = (120, 40)
) -> AsyncIterator[tuple[Any, ListApp]]:
    """The list over ``index`` in a running app, settled: ``(pilot, app)``."""
    app = ListApp(index)
    async with app.run_test(size=size) as pilot:
        await settle(pilot, app)
        yield pilot, app


def highlight_posted(app: ListApp) -> bool:
    """The last Highlighted message the app handled names the order under the cursor."""
    seen = app.of(OrderList.Highlighted)
    last = seen[-1].order if seen else None
    current = app.pane.highlighted_order
    return _order_id(last) == _order_id(current)


def _order_id(order: Any) -> str | None:
    return order.order_id if order is not None else None


def cursor_in_view(app: ListApp) -> bool:
    """The list has scrolled to its cursor (a move scrolls after the next refresh)."""
    widget = app.order_list
    top = round(widget.scroll_offset.y)
    rows = max(1, widget.scrollable_content_region.height - 1)  # minus the header line
    return top <= widget.model.cursor < top + rows


def drawn(app: ListApp) -> list[str]:
    """The lines the list draws right now (header first)."""
    widget = app.order_list
    lines = widget.render_lines(Region(0, 0, widget.size.width, widget.size.height))
    return [line.text for line in lines]


async def shown(pilot: Any, app: ListApp) -> None:
    """Wait until the list shows a prepared view and has scrolled to its cursor."""
    await settle(pilot, app)
    await wait_for(pilot, lambda: cursor_in_view(app), limit=SETTLE_LIMIT)


async def running_orders_change(
    pilot: Any, app: ListApp, server: DemoServer, index: Index
) -> list[int]:
    """An hour passes on ``server``: every running analysis finishes, the sync sees it, and the
    list marks those rows changed. Returns their positions in the list, in order."""
    model = app.order_list.model
    running = {o for o in server.order_ids() if server.order_state(o) == "In Progress"}
    assert running
    server.advance(3600)
    await sweep(server, index)
    app.pane.index_changed(soon=True)
    await wait_for(pilot, lambda: model.marked == len(running))
    view = model.window.view
    assert view is not None
    return sorted(view.position_of(o) for o in running)  # type: ignore[misc]
