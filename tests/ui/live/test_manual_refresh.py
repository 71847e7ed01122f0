"""``r``, the manual refresh: the rows on screen stay while it runs and when it fails (marked
stale, one line saying why, recovered by itself), and the list's counts never blink."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from artistree_tui.demo import DemoServer
from tests.support.app import (
    cursor_shown,
    notifications,
    screen_text,
    wait_for,
)
from tests.support.live import live_app, quiet


def rows_shown(app: Any) -> list[str]:
    """The order rows on screen now (the list's lines between its header and status)."""
    return [line for line in screen_text(app).splitlines() if "┃" in line]


async def test_r_keeps_the_rows_on_screen_and_keeps_them_when_it_fails(
    make_demo: Callable[..., DemoServer],
) -> None:
    server = make_demo(orders=300, seed=7, new_order_every=0)
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
        await wait_for(pilot, lambda: screen.sync.engine.phase == "refreshing")
        assert rows_shown(app) == rows and "loading…" not in screen_text(app)
        assert str(pane.status_text()) == status
        server.faults.latency_ms = 0
        await wait_for(pilot, lambda: screen.live.refresh_count == count + 1)
        assert pane.highlighted_order is not None
        assert pane.highlighted_order.order_id == order.order_id
        assert order_list.scroll_y == scroll and rows_shown(app) == rows

        # The refresh fails: the rows stay, marked stale, and one line says why.
        await quiet(pilot, app)
        server.faults.script.extend(["500"] * 6)  # the head (and the detail's order)
        await pilot.press("r")
        await wait_for(pilot, lambda: any("Could not refresh" in n for n in notifications(app)))
        assert screen.live.stale and rows_shown(app) == rows
        assert "⚠ stale: as of" in screen_text(app)
        assert pane.highlighted_order.order_id == order.order_id
        # It recovers by itself (the sync's backoff), no key needed.
        await wait_for(
            pilot, lambda: not screen.live.stale, state=lambda: list(server.faults.script)
        )
        assert rows_shown(app) == rows


async def test_r_tries_a_server_presumed_down_at_once(
    make_demo: Callable[..., DemoServer],
) -> None:
    """Once a request has given up, the client presumes the API down and only probes it on
    the backoff's schedule (up to a minute apart); requests meanwhile fail without touching
    the network. ``r`` is the user asking to try now: it probes at once, and the console is
    back as soon as the API answers (it said "cannot reach the API" at once, for as long as
    the schedule's next turn was away)."""
    from artistree_tui.ui.live.connection import Link

    server = make_demo(orders=300, seed=7, new_order_every=0)
    app = live_app(server)
    async with app.run_test(size=(120, 40)) as pilot:
        await quiet(pilot, app)
        screen = app.main_screen
        server.faults.rate_drop = 1.0  # the API is gone
        screen.live.refresh_now()
        await wait_for(pilot, lambda: screen.live.connection.link is Link.OFFLINE)
        breaker = app.client._breaker
        await wait_for(pilot, lambda: breaker.open)
        breaker.next_probe_at = breaker.policy.clock() + 3600  # its next turn: an hour away
        server.faults.rate_drop = 0.0  # the API is back
        await pilot.press("r")
        await wait_for(pilot, lambda: screen.live.connection.link is Link.ONLINE)
        assert not breaker.open
