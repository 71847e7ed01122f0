"""A first page that failed says so in the list, with the hint that enter retries it, instead
of "0 of 1 loaded" and "loading counts…"; enter does retry it."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable

from artistree_tui.demo import DemoServer, FaultConfig
from tests.support.app import list_loaded, make_app, screen_text, wait_for


async def test_a_failed_first_page_says_so_and_enter_retries_it(
    make_demo: Callable[..., DemoServer],
) -> None:
    # The first API request (the list's first page) fails; HTTP 500 is not retried.
    server = make_demo(orders=300, seed=7, faults=FaultConfig(script=deque(["500"])))
    app = make_app(server)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.main_screen
        await wait_for(pilot, lambda: "page failed" in screen_text(app))
        await pilot.pause()
        text = screen_text(app)
        row = next(line for line in text.splitlines() if "page failed" in line)
        assert "— enter to retry" in row  # the reason is cut, never the hint
        status = str(screen.orders.status_text())
        assert status == "nothing loaded yet: the first page failed"
        assert screen.orders.position_text() == ""  # no "row 1/1": that row is no order
        assert "loading counts" not in text and "no counts" in text
        await pilot.press("enter")
        await wait_for(pilot, lambda: list_loaded(app))
        assert str(screen.orders.status_text()).endswith("of 300 loaded")
        assert screen.orders.position_text() == "row 1/300"
        assert "no counts" not in screen_text(app) and "300" in screen_text(app).splitlines()[0]
