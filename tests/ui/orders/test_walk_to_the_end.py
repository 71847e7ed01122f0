"""Pilot tests of ``G`` (walk to the end) against the demo API over loopback: the walk asks
preview pages (limit 1000) for the pages it only counts and full pages for the ones it shows,
esc cancels it, and a server that refuses a preview page's token for a full page makes it fall
back to full pages for the rest of the session."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

from artistree_tui.demo import DemoServer
from artistree_tui.ui.orders.pane import OrdersPane
from tests.support.list_pilot import (
    Clients,
    Gate,
    ListApp,
    drawn,
    fetcher_of,
    list_requests,
    requests,
    settle,
)


def kinds(server: DemoServer) -> list[tuple[str, str]]:
    """(preview, limit) of every list request."""
    return [(query["preview"], query["limit"]) for query in list_requests(server)]


async def test_G_walks_preview_pages_and_shows_the_last_order_from_a_full_page(
    make_demo: Callable[..., DemoServer], client_for: Clients
) -> None:
    server = make_demo(orders=2500, seed=6)
    ids = server.order_ids()
    app = ListApp(fetcher_of(client_for(server)), page_size=100, max_rows=1000)
    async with app.run_test(size=(100, 20)) as pilot:
        await settle(pilot, app)
        await pilot.press("G")
        await settle(pilot, app)
        model = app.pane.order_list.model
        assert not model.walking and model.complete
        # Rows 100..2099 are only counted (previews); rows 2100..2499 hold the last screens.
        assert kinds(server) == [
            ("false", "100"),
            ("true", "1000"),
            ("true", "1000"),
            ("false", "1000"),
        ]
        tokens = [token for token, _ in requests(server)]
        assert None not in tokens[1:] and len(set(tokens)) == 4  # each page once, chained
        assert app.pane.highlighted_order is not None
        assert app.pane.highlighted_order.order_id == ids[-1]
        cursor_line = next(line for line in drawn(app) if line.startswith("›"))
        assert app.pane.highlighted_order.order_title[:15] in cursor_line
        assert model.held_rows == 100 + 400  # preview pages hold no rows
        assert "2,500 of 2,500 loaded" in str(app.pane.status_text())
        # Back up into a counted page: fetched in full by the token the walk recorded.
        walked_token = requests(server)[2][0]
        while model.cursor >= 2100:
            await pilot.press("pageup")
        await settle(pilot, app)
        assert list_requests(server)[-1]["preview"] == "false"
        assert requests(server)[-1] == (walked_token, "1000")
        assert app.pane.highlighted_order is not None
        assert app.pane.highlighted_order.order_id == ids[model.cursor]
        await pilot.press("g")
        assert app.pane.order_list.model.cursor == 0


@dataclass
class HeldWalk:
    """A list walking to the end whose first walk page is held at ``gate``."""

    server: DemoServer
    app: ListApp
    pilot: Any
    gate: Gate

    async def release(self) -> None:
        """Let the held page through and wait until the list settles."""
        self.gate.open()
        await settle(self.pilot, self.app)


@asynccontextmanager
async def walk_held(
    make_demo: Callable[..., DemoServer], client_for: Clients
) -> AsyncIterator[HeldWalk]:
    """5000 orders, ``G`` pressed, and the first walk page (limit 1000) held until the test
    releases it (after doing what it wants while walking)."""
    server = make_demo(orders=5000, seed=6)
    gate = Gate(fetcher_of(client_for(server)), holds=lambda token, limit: limit == 1000)
    gate.closed = True
    app = ListApp(gate, page_size=100)
    async with app.run_test(size=(100, 20)) as pilot:
        await settle(pilot, app)
        await pilot.press("G")
        await gate.until_waiting(pilot)
        yield HeldWalk(server, app, pilot, gate)


async def test_escape_cancels_the_walk(
    make_demo: Callable[..., DemoServer], client_for: Clients
) -> None:
    async with walk_held(make_demo, client_for) as walk:
        status = walk.app.pane.status_text
        assert "walking to end: 100 / 5,000 — esc to cancel" in str(status())
        await walk.pilot.press("escape")
        assert "walking" not in str(status())
        await walk.release()
        model = walk.app.pane.order_list.model
        assert kinds(walk.server)[1:] == [("true", "1000")]  # the one walk page, no more
        assert not model.walking and not model.complete
        assert model.cursor == 0


async def test_moving_the_cursor_cancels_the_walk(
    make_demo: Callable[..., DemoServer], client_for: Clients
) -> None:
    async with walk_held(make_demo, client_for) as walk:
        model = walk.app.pane.order_list.model
        assert model.walking
        await walk.pilot.press("j")  # the user changed their mind
        await walk.release()
        assert not model.walking and model.cursor == 1
        assert kinds(walk.server)[1:] == [("true", "1000")]
        assert "walking" not in str(walk.app.pane.status_text())


async def test_G_falls_back_to_full_pages_when_preview_tokens_are_refused(
    make_demo: Callable[..., DemoServer], client_for: Clients
) -> None:
    server = make_demo(orders=2500, seed=6)
    server.faults.token_bound_to_preview = True  # opaque tokens that encode preview=true
    ids = server.order_ids()
    app = ListApp(fetcher_of(client_for(server)), page_size=100, max_rows=1000)
    async with app.run_test(size=(100, 20)) as pilot:
        await settle(pilot, app)
        await pilot.press("G")
        await settle(pilot, app)
        model = app.pane.order_list.model
        sent = list_requests(server)
        statuses = [r.status for r in server.recorded("/v1/orders") if r.path == "/v1/orders"]
        assert kinds(server)[:4] == [
            ("false", "100"),
            ("true", "1000"),
            ("true", "1000"),
            ("false", "1000"),  # a preview page's token on a full page: refused
        ]
        assert statuses[3] == 400 and statuses.count(400) == 1
        # Walked again with full pages from the first page's token: the last that worked.
        assert sent[4]["page_token"] == sent[1]["page_token"]
        assert kinds(server)[4:] == [("false", "1000")] * 3
        assert model.complete and not model.walking and not model.previews_trusted
        assert app.pane.highlighted_order is not None
        assert app.pane.highlighted_order.order_id == ids[-1]
        assert not any("page failed" in line for line in drawn(app))
        assert app.of(OrdersPane.LoadFailed) == []  # a fallback, not a failure to report
        # Remembered for the session: the next walk asks no preview page at all.
        before = len(sent)
        app.pane.reload()
        await settle(pilot, app)
        await pilot.press("G")
        await settle(pilot, app)
        assert all(preview == "false" for preview, _ in kinds(server)[before:])
        assert app.pane.highlighted_order is not None
        assert app.pane.highlighted_order.order_id == ids[-1]
