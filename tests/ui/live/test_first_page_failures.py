"""A first page that fails before any data: retried with the reconnection backoff without a key,
and "nothing loaded yet" (not "stale") while nothing has arrived."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable

import pytest

from artistree_tui.demo import DemoServer, FaultConfig
from artistree_tui.ui.live.refresher import LiveRefresher
from tests.support.app import (
    list_loaded,
    notifications,
    order_requests,
    screen_text,
    wait_for,
)
from tests.support.live import live_app, quick_recovery, status


async def test_a_failed_first_page_is_retried_with_the_backoff(
    make_demo: Callable[..., DemoServer], monkeypatch: pytest.MonkeyPatch
) -> None:
    # A malformed first page: the server answered, so the link stays online and nothing is
    # stale; no auto-refresh (refresh_seconds=0). It used to wait for the next interval.
    monkeypatch.setattr(LiveRefresher, "RECOVERY_BASE", 0.05)
    monkeypatch.setattr(LiveRefresher, "RECOVERY_CAP", 0.2)
    server = make_demo(orders=300, seed=7, faults=FaultConfig(script=deque(["malformed"])))
    app = live_app(server)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: list_loaded(app), state=lambda: screen_text(app))
        assert any("Could not load orders" in n for n in notifications(app))
        size = str(app.settings.page_size)  # the list's pages (not the project discovery's)
        first_pages = [
            r
            for r in order_requests(server)
            if "page_token" not in r.query and r.query["limit"] == size
        ]
        # The first API request is the first page (asked for as the console starts): its
        # malformed answer (a 200 the parser refuses), then the retry, answered.
        assert [r.status for r in first_pages] == [200, 200]
        assert not app.main_screen.live.stale


async def test_stale_before_any_data_says_nothing_is_loaded(
    make_demo: Callable[..., DemoServer],
) -> None:
    server = make_demo(orders=300, seed=7, faults=FaultConfig(script=deque(["503"] * 50)))
    app = live_app(server)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.main_screen
        await wait_for(pilot, lambda: screen.live.stale and "page failed" in screen_text(app))
        text = screen_text(app)
        assert "stale" not in text
        assert "⚠ nothing loaded yet" in text and "⚠ nothing loaded" in status(screen)
        server.faults.script.clear()
        quick_recovery(screen)
        await wait_for(pilot, lambda: list_loaded(app) and not screen.live.stale)
        assert "nothing loaded" not in screen_text(app)
