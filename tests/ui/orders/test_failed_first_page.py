"""When the API does not answer before anything was indexed, the list says so ("nothing
loaded yet"), with the hint that enter asks again, instead of an empty list and "loading
counts…"; enter does ask again at once (the sync's own backoff is long here)."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable

from artistree_tui.demo import DemoServer, FaultConfig
from artistree_tui.sync import SyncSettings
from tests.support.app import list_loaded, make_app, screen_text, wait_for

#: The sync waits a minute before trying again by itself: only enter can be that fast.
PATIENT = SyncSettings(rate=0, refresh_seconds=0, backoff_base=60, backoff_cap=60)


async def test_nothing_loaded_says_so_and_enter_asks_again(
    make_demo: Callable[..., DemoServer],
) -> None:
    # The first API request (the sync's head) fails; HTTP 500 is not retried.
    server = make_demo(orders=300, seed=7, faults=FaultConfig(script=deque(["500"])))
    app = make_app(server, sync=PATIENT)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.main_screen
        await wait_for(pilot, lambda: "nothing loaded yet" in screen_text(app))
        await pilot.pause()
        text = screen_text(app)
        row = next(line for line in text.splitlines() if "did not answer —" in line)
        assert "— enter to retry" in row  # the hint is never cut
        status = str(screen.orders.status_text())
        assert status == "nothing loaded yet: the API did not answer"
        assert screen.orders.position_text() == ""  # no "row 1/1": that line is no order
        assert "loading counts" not in text and "no counts" in text
        await pilot.press("enter")
        await wait_for(pilot, lambda: list_loaded(app), limit=20)
        await wait_for(pilot, lambda: screen.orders.loaded_count == 300)
        assert screen.orders.position_text() == "row 1/300"
        await wait_for(pilot, lambda: "no counts" not in screen_text(app))
        assert "300" in screen_text(app).splitlines()[0]


async def test_before_the_first_answer_the_list_says_loading(
    make_demo: Callable[..., DemoServer],
) -> None:
    """Nothing indexed and no answer yet (the API is far away, or being retried): the list is
    loading, not empty ("no orders here", "0 orders so far" were shown for the first seconds
    against an unreachable API)."""
    server = make_demo(orders=300, seed=7, faults=FaultConfig(latency_ms=3000))
    app = make_app(server, sync=PATIENT)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.main_screen
        await wait_for(pilot, lambda: screen.orders.order_list.model.ready)
        await pilot.pause()
        assert str(screen.orders.status_text()) == "loading…"
        text = screen_text(app)
        assert "loading… (the orders are being indexed)" in text
        assert "no orders here" not in text and "0 orders" not in text
        await wait_for(pilot, lambda: screen.orders.loaded_count == 300, limit=20)
        assert str(screen.orders.status_text()).startswith("300 orders")
