"""A day-long keyboard user's complaints, pinned: keys typed ahead in one burst (as they
arrive over SSH) go where the user meant, a held ``j`` scrolls by every press, a first page
that failed says so (and how to retry) instead of "0 of 1 loaded" and "loading counts…", and
the status line shows only the marks there are."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from datetime import datetime
from typing import Any

from textual.command import CommandPalette
from textual.containers import VerticalScroll
from textual.widgets import Static

from artistree_tui.api.models import Order
from artistree_tui.api.retry import ClientEvent
from artistree_tui.demo import DemoServer, FaultConfig
from artistree_tui.ui.dialogs.help import HelpScreen
from artistree_tui.ui.live.status_line import StatusInfo, connection_text, status_text
from artistree_tui.ui.orders.merge import LivePagingModel
from tests.support.app import burst, list_loaded, make_app, screen_text, wait_for
from tests.support.paging import Backend, answer


async def test_keys_typed_after_a_pane_key_reach_the_new_pane(demo_server: Any) -> None:
    app = make_app(demo_server)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: list_loaded(app))
        screen = app.main_screen
        burst(app, "1", "j", "j")  # focus the projects, then two down: all in one read
        await wait_for(pilot, lambda: screen.sidebar.highlighted == 2)
        assert app.focused is screen.sidebar
        assert screen.orders.order_list.model.cursor == 0  # the list did not move
        burst(app, "tab", "tab")  # projects → list → detail, not projects → list twice
        await wait_for(pilot, lambda: screen.detail in app.focused.ancestors_with_self)


async def test_text_typed_after_slash_never_runs_list_commands(demo_server: Any) -> None:
    app = make_app(demo_server)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: list_loaded(app))
        screen = app.main_screen
        auto = screen.live_auto
        burst(app, "slash", "p", "a")  # p: go to project, a: auto-refresh, on the list
        await wait_for(pilot, lambda: app.focused is not screen.orders.order_list)
        await pilot.pause(0.2)
        assert not isinstance(app.screen, CommandPalette)
        assert app.screen is screen and screen.live_auto == auto
        assert app.focused is screen.orders.query_one("#orders-filter")


async def test_focusing_the_list_with_a_filter_set_never_types_into_the_filter(
    demo_server: Any,
) -> None:
    app = make_app(demo_server)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: list_loaded(app))
        screen = app.main_screen
        order_list = screen.orders.order_list
        await pilot.press("slash", "a", "enter")  # a filter is set, its box stays open
        assert app.focused is order_list and order_list.model.text_filter == "a"
        await pilot.press("1", "2", "j")  # to the projects and back: j moves the list
        assert app.focused is order_list
        assert order_list.model.text_filter == "a" and order_list.model.cursor == 1
        await pilot.press("1", "j", "enter")  # open a project: the list has the focus again
        await wait_for(pilot, lambda: screen.scope_name != "All Projects")
        assert app.focused is order_list
        await pilot.press("tab", "shift+tab")
        assert app.focused is order_list and order_list.model.text_filter == "a"


async def test_a_held_j_scrolls_the_detail_by_every_press(demo_server: Any) -> None:
    app = make_app(demo_server)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: list_loaded(app))
        detail = app.main_screen.detail
        await wait_for(pilot, lambda: detail.complete)
        app.main_screen.set_focus(detail)
        await pilot.pause()
        assert detail.max_scroll_y >= 6
        burst(app, *["j"] * 6)
        await wait_for(pilot, lambda: detail.scroll_y == 6, state=lambda: detail.scroll_y)
        burst(app, "k", "k")
        await wait_for(pilot, lambda: detail.scroll_y == 4, state=lambda: detail.scroll_y)


async def test_a_held_j_scrolls_the_help_by_every_press(demo_server: Any) -> None:
    app = make_app(demo_server)
    async with app.run_test(size=(100, 24)) as pilot:
        await wait_for(pilot, lambda: list_loaded(app))
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
        body = app.screen.query_one("#help-body", VerticalScroll)
        assert body.max_scroll_y >= 5
        burst(app, *["j"] * 5)
        await wait_for(pilot, lambda: body.scroll_y == 5, state=lambda: body.scroll_y)


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


def test_the_status_line_shows_only_the_marks_there_are() -> None:
    now = datetime(2026, 11, 28, 14, 2, 31)
    assert "+2 new" in status_text(StatusInfo(new=2), 0).plain
    assert "changed" not in status_text(StatusInfo(new=2), 0).plain
    only_changed = status_text(StatusInfo(changed=4), 0).plain
    assert "*4 changed" in only_changed and "new" not in only_changed
    assert "+3 new  *1 changed" in status_text(StatusInfo(new=3, changed=1), 0).plain
    # A countdown rounds up: 0.4 s left is "1 s", never "0 s" while still waiting.
    info = StatusInfo()
    info.connection.observe(ClientEvent("retrying", "rate limited", 3.0, 2), mono=10, now=now)
    assert connection_text(info, 12.6).plain == "↻ retrying in 1 s (rate limited)"


async def test_help_leaves_out_horizontal_scrolling(demo_server: Any) -> None:
    app = make_app(demo_server)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: list_loaded(app))
        for pane, expected in (("1", "Open project"), ("2", "Filter")):
            await pilot.press(pane, "question_mark")
            await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
            keys = str(app.screen.query_one("#help-keys", Static).render())
            assert expected in keys
            for noise in ("Scroll Left", "Scroll Right", "Page Left", "Page Right"):
                assert noise not in keys
            await pilot.press("escape")


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


def test_a_refresh_reading_past_a_reloaded_first_page_marks_only_real_new_orders() -> None:
    # "r" far down, and the auto-refresh starts while the reload is in flight: it has no
    # held rows to stop at, so it reads its maximum of pages; the reload's first page lands
    # first. The rows below that page were never loaded: they are not new (it said +800).
    backend = Backend(100)
    model = LivePagingModel(page_size=20)
    model.set_viewport(0, 10)
    model.reset("proj")
    request = model.next_request()
    assert request is not None
    fresh = [
        Order(order_id=f"new{i}", order_title="New", order_state="In Progress") for i in (1, 2)
    ]
    backend.orders[:0] = fresh
    pages, token = [], None
    for _ in range(3):  # the refresh, started before the first page arrived
        page = backend.page(token, 20)
        pages.append(page)
        token = page.next_page_token
    answer(model, backend, request)  # the reload's first page: the two new orders included
    result = model.merge_top(model.generation, pages, 20)
    assert result is not None and result.rebuilt
    assert not result.new  # the first page already showed the new ones; the rest: unknown
    assert model.known_end == 60


async def test_j_past_the_last_annotation_scrolls_the_rest_of_the_order_into_view(
    demo_server: Any,
) -> None:
    app = make_app(demo_server)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: list_loaded(app))
        detail = app.main_screen.detail
        while not (detail.complete and detail.order and len(detail.order.annotations) >= 2):
            await pilot.press("j")
            await wait_for(pilot, lambda: detail.complete)
        count = len(detail.order.annotations)
        await pilot.press("3")
        table = detail.annotations_table
        assert app.focused is table
        await pilot.press(*["j"] * (count - 1))
        assert table.cursor_row == count - 1
        await pilot.pause()
        top = detail.scroll_y
        assert detail.max_scroll_y > top  # there is more below: analyses, failed items…
        await pilot.press("j", "j")  # no next annotation: the pane scrolls instead
        assert table.cursor_row == count - 1 and detail.scroll_y == top + 2
        await pilot.press(*["k"] * (count - 1))
        assert table.cursor_row == 0 and app.focused is table
        await pilot.pause()
        before = detail.scroll_y
        assert before > 0  # "3" scrolled the pane down to the table
        await pilot.press("k")  # no previous annotation: up towards the fields
        assert table.cursor_row == 0 and detail.scroll_y == before - 1
