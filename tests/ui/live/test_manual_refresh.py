"""``r``, the manual refresh: the rows on screen stay while it runs and when it fails (marked
stale, one line saying why, recovered by itself), and a refresh far down the list never shows
a made-up total."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from artistree_tui.demo import DemoServer
from tests.support.app import (
    cursor_shown,
    list_loaded,
    make_app,
    notifications,
    screen_text,
    wait_for,
)
from tests.support.live import live_app, quick_recovery, quiet


def rows_shown(app: Any) -> list[str]:
    """The order rows on screen now (the list's lines between its header and status)."""
    return [line for line in screen_text(app).splitlines() if "┃" in line]


async def test_r_keeps_the_rows_on_screen_and_keeps_them_when_it_fails(
    make_demo: Callable[..., DemoServer],
) -> None:
    server = make_demo(orders=300, seed=7)
    app = live_app(server)
    async with app.run_test(size=(120, 40)) as pilot:
        await quiet(pilot, app)
        screen = app.main_screen
        pane = screen.orders
        order_list = pane.order_list
        await pilot.press("pagedown", "pagedown", "j")
        order = await cursor_shown(pilot, app)
        scroll, status, rows = order_list.scroll_y, str(pane.status_text()), rows_shown(app)
        count = screen.live.refresh_count
        server.faults.latency_ms = 600  # the refresh stays in flight while we look
        await pilot.press("r")
        await wait_for(pilot, lambda: screen.live.refreshing)
        assert rows_shown(app) == rows and "loading…" not in screen_text(app)
        assert str(pane.status_text()) == status
        server.faults.latency_ms = 0
        await wait_for(pilot, lambda: screen.live.refresh_count == count + 1)
        assert pane.highlighted_order is not None
        assert pane.highlighted_order.order_id == order.order_id
        assert order_list.scroll_y == scroll and rows_shown(app) == rows

        # The refresh fails: the rows stay, marked stale, and one line says why.
        await quiet(pilot, app)
        server.faults.script.extend(["500"] * 8)  # the list's pages and the detail's order
        await pilot.press("r")
        await wait_for(pilot, lambda: any("Could not refresh" in n for n in notifications(app)))
        assert screen.live.stale and rows_shown(app) == rows
        assert "⚠ stale: last data shown" in screen_text(app)
        assert pane.highlighted_order.order_id == order.order_id
        # It recovers by itself (the reconnection backoff), no key needed.
        quick_recovery(screen)
        await wait_for(
            pilot, lambda: not screen.live.stale, state=lambda: list(server.faults.script)
        )


async def test_a_refresh_far_down_never_shows_a_made_up_total(
    make_demo: Callable[..., DemoServer],
) -> None:
    server = make_demo(orders=300, seed=7)
    app = make_app(server)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: list_loaded(app))
        pane = app.main_screen.orders
        await pilot.press("pagedown", "pagedown", "pagedown")
        row = pane.order_list.model.cursor + 1
        server.faults.latency_ms = 400  # the reload stays in flight while we look
        before = str(pane.status_text())
        await pilot.press("r")
        assert str(pane.status_text()) == before  # the rows stay: not "loading…", not ": 0 / 1"
        server.faults.latency_ms = 0
        await wait_for(pilot, lambda: str(pane.status_text()).endswith("of 300 loaded"))
        assert pane.position_text() == f"row {row}/300"
