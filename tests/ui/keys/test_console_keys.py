"""Keyboard of the shell: focus keys, copy, refresh, keymap rebinding, command palette,
and crash containment."""

from __future__ import annotations

from typing import Any

import pytest
from textual.command import CommandPalette
from textual.widgets import Input

from artistree_tui.ui.app import ConsoleApp, crash_line
from artistree_tui.ui.dialogs.order_id import OrderIdPrompt
from tests.support.app import (
    SIZE,
    help_open,
    list_loaded,
    make_app,
    notifications,
    order_requests,
    palette_hits,
    screen_text,
    settled,
    sync_done,
    wait_for,
)
from tests.support.live import list_orders_shown


def first_page_requests(demo: Any) -> list[Any]:
    return [r for r in order_requests(demo) if "page_token" not in r.query]


async def test_number_keys_and_tab_focus_the_panes(demo_server: Any) -> None:
    app = make_app(demo_server)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: list_loaded(app))
        screen = app.main_screen
        assert screen.pane_focus.current() == "list"
        await pilot.press("1")
        assert screen.pane_focus.current() == "sidebar"
        await pilot.press("3")
        assert screen.pane_focus.current() == "detail"
        await pilot.press("tab")
        assert screen.pane_focus.current() == "sidebar"
        await pilot.press("tab")
        assert screen.pane_focus.current() == "list"
        await pilot.press("shift+tab", "shift+tab")
        assert screen.pane_focus.current() == "detail"


async def test_y_copies_the_highlighted_order_id(demo_server: Any) -> None:
    app = make_app(demo_server)
    copied: list[str] = []
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: list_loaded(app))
        app.copy_to_clipboard = copied.append  # type: ignore[method-assign]
        await pilot.press("j", "j")
        order = app.main_screen.orders.highlighted_order
        assert order is not None
        await wait_for(pilot, lambda: app.main_screen.detail.order_id == order.order_id)
        await pilot.press("y")
        assert copied == [order.order_id]
        assert any(order.order_id in n and "Copied" in n for n in notifications(app))


async def test_ctrl_l_dismisses_the_notifications_on_screen(demo_server: Any) -> None:
    """A keyboard-only reviewer can close what covers the detail (the mouse's click)."""
    app = make_app(demo_server)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: list_loaded(app))
        await pilot.press("y", "!")  # two notifications: the id copied, no order to follow
        await wait_for(pilot, lambda: len(notifications(app)) >= 2)
        await pilot.press("ctrl+l")
        await pilot.pause()
        assert notifications(app) == []  # at once: they would go by themselves in seconds
        assert app.is_running


async def test_refresh_reads_the_newest_orders_now(demo_server: Any) -> None:
    app = make_app(demo_server)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: settled(app))
        demo_server.clear_requests()
        await pilot.press("r")
        await wait_for(pilot, lambda: first_page_requests(demo_server))
        head = first_page_requests(demo_server)[0].query
        assert head["project_id"] == "All Projects" and head["preview"] == "true"


async def test_keymap_from_settings_rebinds_and_warns_once(demo_server: Any) -> None:
    keymap = {
        "console.refresh": "f5",
        "app.help": "f2",
        "list.down": "ctrl+n",  # a binding of the list's widget: known too
        # The filter box's: known although the box is mounted after the first frame.
        "list.filter_close": "ctrl+g",
        "no.such.binding": "z",
    }
    app = make_app(demo_server, keymap=keymap)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: list_loaded(app))
        warnings = [n for n in notifications(app) if "[keymap]" in n]
        assert len(warnings) == 1 and "no.such.binding" in warnings[0]
        assert "list.down" not in warnings[0] and "list.filter_close" not in warnings[0]
        order_list = app.main_screen.orders.order_list
        await pilot.press("slash", "x", "ctrl+g")  # the box closes on the rebound key
        await wait_for(pilot, lambda: app.focused is order_list)
        assert order_list.query_shown.text == "" and "filter:" not in screen_text(app)
        first = app.main_screen.orders.highlighted_order
        await pilot.press("ctrl+n")
        await wait_for(pilot, lambda: app.main_screen.orders.highlighted_order != first)
        await wait_for(pilot, lambda: settled(app))
        demo_server.clear_requests()
        await pilot.press("r")
        await pilot.pause(0.2)
        assert first_page_requests(demo_server) == []  # r is no longer refresh
        await pilot.press("f5")
        await wait_for(pilot, lambda: first_page_requests(demo_server))
        await pilot.press("question_mark")
        assert not help_open(app)
        await pilot.press("f2")
        assert help_open(app)
        assert "f5" in screen_text(app)  # help shows the keys as rebound
        await pilot.press("f2")  # the rebound key closes it too
        assert not help_open(app)


async def test_palette_keeps_textual_commands_and_adds_ours(demo_server: Any) -> None:
    app = make_app(demo_server)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: list_loaded(app))
        await pilot.press("ctrl+p")
        assert isinstance(app.screen, CommandPalette)
        titles = ("Theme", "Quit", "Go to project…", "Go to order id…", "Refresh", "Copy id")
        await wait_for(pilot, lambda: set(titles) <= set(palette_hits(app)))
        await pilot.press("escape")


async def test_palette_go_to_order_id(demo_server: Any) -> None:
    ids = demo_server.order_ids()
    oldest, elsewhere = ids[-1], ids[5]
    app = make_app(demo_server)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: sync_done(app))
        screen = app.main_screen
        # The oldest order is in the list (every indexed order is); the other one is not in
        # the list once a state filter leaves it out.
        for order_id, in_list in ((oldest, True), (elsewhere, False)):
            if not in_list:
                state = demo_server.order_state(order_id)
                await pilot.press("s")
                await wait_for(pilot, lambda: sync_done(app))
                if screen.orders.view_spec.states == frozenset({state}):
                    await pilot.press("s")
                    await wait_for(pilot, lambda: sync_done(app))
            await pilot.press("ctrl+p")
            palette = app.screen
            assert isinstance(palette, CommandPalette)
            palette.query_one(Input).value = "go to order id"
            await wait_for(pilot, lambda: "Go to order id…" in palette_hits(app))
            await pilot.press("enter")
            await wait_for(pilot, lambda: isinstance(app.screen, OrderIdPrompt))
            app.screen.query_one(Input).value = order_id
            await pilot.press("enter")
            await wait_for(
                pilot,
                lambda o=order_id: screen.detail.order_id == o and screen.detail.complete,
            )
            await wait_for(pilot, lambda: screen._locating is None)
            highlighted = screen.orders.highlighted_order
            assert (highlighted is not None and highlighted.order_id == order_id) is in_list
            assert screen.pane_focus.current() == ("list" if in_list else "detail")
        assert any("not in this list" in n for n in notifications(app))


async def test_palette_query_with_an_id_offers_go_to_order(demo_server: Any) -> None:
    order_id = demo_server.order_ids()[3]
    app = make_app(demo_server)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: list_loaded(app))
        await pilot.press("ctrl+p")
        app.screen.query_one(Input).value = order_id
        await wait_for(pilot, lambda: f"Go to order {order_id}" in palette_hits(app))
        await pilot.press("enter")
        detail = app.main_screen.detail
        await wait_for(pilot, lambda: detail.order_id == order_id and detail.complete)


async def test_go_to_project_picker(demo_server: Any) -> None:
    project = next(p for p in demo_server.projects if p.name == "Game Concept Art")
    app = make_app(demo_server)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: list_loaded(app))
        demo_server.clear_requests()
        await pilot.press("p")
        palette = app.screen
        assert isinstance(palette, CommandPalette)
        palette.query_one(Input).value = "game concept"
        await wait_for(pilot, lambda: palette_hits(app)[:1] == ["Game Concept Art"])
        await pilot.press("enter")
        screen = app.main_screen
        await wait_for(pilot, lambda: screen.scope_name == project.name)
        await wait_for(pilot, lambda: sync_done(app))
        assert {row.project_name for row in list_orders_shown(screen, 1000)} == {project.name}


async def test_an_unexpected_error_is_one_line_without_locals(demo_server: Any) -> None:
    app = make_app(demo_server)
    secret = "Bearer do-not-print-me"

    def explode() -> None:
        token = secret  # a local the default crash screen would print
        raise RuntimeError(f"boom with {token}")

    with pytest.raises(RuntimeError):
        async with app.run_test(size=SIZE) as pilot:
            await wait_for(pilot, lambda: list_loaded(app))
            app.call_later(explode)
            await wait_for(pilot, lambda: app.fatal_error is not None)
    assert app.return_code == 1
    assert app.fatal_error is not None
    assert "\n" not in app.fatal_error and secret not in app.fatal_error
    assert "RuntimeError" in app.fatal_error
    assert not app._exit_renderables


def test_crash_line_shows_api_messages_but_not_other_texts() -> None:
    from artistree_tui.api.errors import ApiUnavailableError

    assert "cannot reach" in crash_line(ApiUnavailableError("cannot reach the API"))
    assert "secret" not in crash_line(ValueError("secret"))


def test_console_app_is_importable_without_running() -> None:
    assert set(ConsoleApp.__mro__[1].COMMANDS) <= ConsoleApp.COMMANDS  # type: ignore[attr-defined]
