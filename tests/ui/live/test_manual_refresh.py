"""A reviewer's second drive through the console, pinned: no stale order to act on when the
filter matches nothing, ``r`` that keeps what the user saw, a failed page retried with the
backoff, "nothing loaded" instead of "stale" before any data, counts with separators, a
footer whose last key is never cut, and a help without DataTable's own keys."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from typing import Any

import pytest
from textual.widgets import Static

from artistree_tui.demo import DemoServer, FaultConfig
from artistree_tui.ui.dialogs.help import HelpScreen
from artistree_tui.ui.screen.main import MainScreen
from artistree_tui.ui.screen.order_actions import NO_MATCH
from tests.support.app import (
    cursor_shown,
    list_loaded,
    make_app,
    notifications,
    order_requests,
    screen_text,
    wait_for,
)
from tests.support.live import live_app, quick_recovery, quiet, status


async def test_a_filter_matching_nothing_leaves_no_order_to_act_on(demo_server: Any) -> None:
    app = make_app(demo_server)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: list_loaded(app))
        screen = app.main_screen
        before = await cursor_shown(pilot, app)
        await pilot.press("slash", *"zzzzqq", "enter")
        await wait_for(pilot, lambda: screen.detail.order is None)
        text = screen_text(app)
        assert NO_MATCH in text
        assert before.order_id not in text  # the order the list no longer shows is gone
        clipboard = app.clipboard
        demo_server.clear_requests()
        await pilot.press("y", "c")
        await pilot.pause(0.2)
        assert app.clipboard == clipboard  # nothing copied
        assert notifications(app)[-2:] == [NO_MATCH, NO_MATCH]
        assert demo_server.recorded("/v1/orders/pdf") == []  # no certificate asked for
        await pilot.press("escape")  # the filter is cleared: the order is back, y copies it
        order = await cursor_shown(pilot, app)
        assert order.order_id == before.order_id
        await pilot.press("y")
        assert app.clipboard == order.order_id


async def test_the_annotations_help_lists_our_keys_not_the_tables(demo_server: Any) -> None:
    app = make_app(demo_server)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: list_loaded(app))
        screen = app.main_screen
        table = screen.detail.annotations_table
        await wait_for(pilot, lambda: screen.detail.complete)
        while not table.row_count:  # an order with annotations
            await pilot.press("j")
            await wait_for(pilot, lambda: screen.detail.complete)
        await pilot.press("3")
        assert app.focused is table
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
        keys = str(app.screen.query_one("#help-keys", Static).render())
        assert "Next annotation" in keys
        for noise in ("Cursor up", "Cursor down", "Select", "^home", "ctrl+home"):
            assert noise not in keys
        await pilot.press("question_mark")
        if table.row_count > 1:  # the arrow keys still move through the annotations
            await pilot.press("down")
            assert table.cursor_row == 1


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
        count = screen.refresh_count
        server.faults.latency_ms = 300  # the refresh stays in flight while we look
        await pilot.press("r")
        await pilot.pause(0.1)
        assert screen.refreshing
        assert rows_shown(app) == rows and "loading…" not in screen_text(app)
        assert str(pane.status_text()) == status
        server.faults.latency_ms = 0
        await wait_for(pilot, lambda: screen.refresh_count == count + 1)
        assert pane.highlighted_order is not None
        assert pane.highlighted_order.order_id == order.order_id
        assert order_list.scroll_y == scroll and rows_shown(app) == rows

        # The refresh fails: the rows stay, marked stale, and one line says why.
        await quiet(pilot, app)
        server.faults.script.extend(["500"] * 8)  # the list's pages and the detail's order
        await pilot.press("r")
        await wait_for(pilot, lambda: any("Could not refresh" in n for n in notifications(app)))
        assert screen.stale and rows_shown(app) == rows
        assert "⚠ stale: last data shown" in screen_text(app)
        assert pane.highlighted_order.order_id == order.order_id
        # It recovers by itself (the reconnection backoff), no key needed.
        quick_recovery(screen)
        await wait_for(pilot, lambda: not screen.stale, state=lambda: list(server.faults.script))


async def test_a_failed_first_page_is_retried_with_the_backoff(
    make_demo: Callable[..., DemoServer], monkeypatch: pytest.MonkeyPatch
) -> None:
    # A malformed first page: the server answered, so the link stays online and nothing is
    # stale; no auto-refresh (refresh_seconds=0). It used to wait for the next interval.
    monkeypatch.setattr(MainScreen, "RECOVERY_BASE", 0.05)
    monkeypatch.setattr(MainScreen, "RECOVERY_CAP", 0.2)
    server = make_demo(orders=300, seed=7, faults=FaultConfig(script=deque(["malformed"] * 2)))
    app = live_app(server)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: list_loaded(app), state=lambda: screen_text(app))
        assert any("Could not load orders" in n for n in notifications(app))
        first_pages = [r for r in order_requests(server) if "page_token" not in r.query]
        assert len(first_pages) >= 2 and first_pages[0].status == 200  # malformed, then ok
        assert not app.main_screen.stale


async def test_stale_before_any_data_says_nothing_is_loaded(
    make_demo: Callable[..., DemoServer],
) -> None:
    server = make_demo(orders=300, seed=7, faults=FaultConfig(script=deque(["503"] * 50)))
    app = live_app(server)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.main_screen
        await wait_for(pilot, lambda: screen.stale and "page failed" in screen_text(app))
        text = screen_text(app)
        assert "stale" not in text
        assert "⚠ nothing loaded yet" in text and "⚠ nothing loaded" in status(screen)
        server.faults.script.clear()
        quick_recovery(screen)
        await wait_for(pilot, lambda: list_loaded(app) and not screen.stale)
        assert "nothing loaded" not in screen_text(app)


async def test_the_counts_have_thousands_separators_like_the_list(
    make_demo: Callable[..., DemoServer],
) -> None:
    server = make_demo(orders=2000, seed=3)
    app = make_app(server)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: list_loaded(app))
        top = screen_text(app).splitlines()[0]
        total = app.main_screen.stats.stats.total
        assert total >= 1000
        assert f"Σ {total:,}" in top and f"Σ {total} " not in top + " "
        assert f"of {total:,} loaded" in screen_text(app)


async def test_a_narrow_footer_leaves_out_whole_keys_never_cuts_the_last(
    demo_server: Any,
) -> None:
    app = make_app(demo_server, preview="auto")  # with the preview's key, v
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: list_loaded(app))
        for size in ((80, 24), (60, 24), (120, 40)):
            await pilot.resize_terminal(*size)
            await pilot.pause(0.2)
            footer = screen_text(app).splitlines()[-1].rstrip()
            keys = footer.split("▏")[0].rstrip()  # the palette's key, docked right (120)
            assert keys.startswith("? Help") and keys.endswith("q Quit"), footer
            if size[0] < 120:  # the least needed key went first
                assert "v Preview" not in footer
        assert "v Preview" in footer and "s State" in footer  # all back when there is room
