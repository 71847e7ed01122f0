"""Help (``?``/``f1``): generated from the focused pane's bindings with their binding ids, one
box that the same key, ``esc`` or ``q`` closes (``q`` never quits from it), our keys rather than
the widgets' own (no DataTable cursor keys, no horizontal scrolling), quit listed once, wrapped
lines indented, a held ``j`` scrolling it by every press, and no key reaching the panes
behind it."""

from __future__ import annotations

from typing import Any

import pytest

from artistree_tui.sync.engine import REFRESH_LIMIT
from artistree_tui.ui.dialogs.help import HelpScreen
from tests.support.app import (
    SIZE,
    burst,
    detail_settled,
    help_box,
    help_keys,
    help_open,
    list_loaded,
    make_app,
    move_to_order,
    order_requests,
    screen_text,
    wait_for,
)


async def test_help_opens_and_the_same_key_closes(demo_server: Any) -> None:
    app = make_app(demo_server)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: list_loaded(app))
        await pilot.press("question_mark")
        assert help_open(app)
        first = help_box(app)
        text = screen_text(app)
        # Generated from the active bindings: the list's keys, the screen's, the app's.
        for line in ("Order list", "Filter", "Refresh", "Copy id", "Quit"):
            assert line in text
        await pilot.press("question_mark")
        assert not help_open(app)
        await pilot.press("1", "f1")
        assert help_box(app) is first  # one box, reused
        assert "Open project" in screen_text(app)  # now the sidebar's keys
        await pilot.press("f1")
        assert not help_open(app)
        await pilot.press("f1", "escape")
        assert not help_open(app)
        assert app.main_screen.pane_focus.current() == "sidebar"  # the focus never left it


async def test_q_closes_help_and_the_console_keeps_running(demo_server: Any) -> None:
    app = make_app(demo_server)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: list_loaded(app))
        await pilot.press("question_mark")
        assert help_open(app)
        await pilot.press("q")
        assert not help_open(app)
        await pilot.pause()
        assert app.is_running and app.return_code is None
        await pilot.press("q")  # from the main screen, q quits
        await wait_for(pilot, lambda: not app.is_running)


async def test_help_shows_each_bindings_id(demo_server: Any) -> None:
    app = make_app(demo_server)
    async with app.run_test(size=(140, 50)) as pilot:
        await wait_for(pilot, lambda: list_loaded(app))
        await pilot.press("question_mark")
        keys = help_keys(app)
        for binding_id in ("list.down", "list.filter", "console.refresh", "app.quit", "app.help"):
            assert f"[{binding_id}]" in keys, binding_id
        down = next(line for line in keys.splitlines() if "[list.down]" in line)
        assert down.split()[:2] == ["j,", "↓"]
        # In the detail pane "/" is the screen's (the list's own is out of reach there).
        await pilot.press("escape", "3", "question_mark")
        keys = help_keys(app)
        assert "[detail.half_down]" in keys and "[console.filter]" in keys


def head_refreshes(demo: Any) -> list[Any]:
    """The head requests a refresh (``r``) sends: All Projects' newest rows, no page token."""
    return [
        r
        for r in order_requests(demo)
        if r.query.get("preview") == "true"
        and "page_token" not in r.query
        and r.query.get("limit") == str(REFRESH_LIMIT)
    ]


async def test_keys_pressed_while_help_is_open_do_not_reach_the_panes(demo_server: Any) -> None:
    app = make_app(demo_server)
    async with app.run_test(size=(100, 24)) as pilot:
        screen = app.main_screen
        # Settled: the first order's full copy fetched (its request is not one of the keys').
        await wait_for(pilot, lambda: list_loaded(app) and screen.detail.complete)
        cursor = screen.orders.order_list.model.cursor
        refreshes = len(head_refreshes(demo_server))
        await pilot.press("question_mark", "j", "j", "r", "2", "y", "s")
        await pilot.pause(0.2)
        assert help_open(app)
        assert screen.orders.order_list.model.cursor == cursor  # j scrolled the help
        # r refreshed nothing (the sync's sweep and the list's full pages go on meanwhile).
        assert len(head_refreshes(demo_server)) == refreshes
        assert screen.orders.order_list.query_shown.state is None  # s filtered nothing
        box = help_box(app)
        assert box is not None and box.body.scroll_y == 2
        await pilot.press("escape", "j")
        assert not help_open(app)
        await wait_for(pilot, lambda: screen.orders.order_list.model.cursor == cursor + 1)


async def test_the_annotations_help_lists_our_keys_not_the_tables(demo_server: Any) -> None:
    app = make_app(demo_server)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: list_loaded(app))
        screen = app.main_screen
        table = screen.detail.annotations_table
        await move_to_order(
            pilot, app, lambda o: len(o.annotations) >= 2, what="order with two annotations"
        )
        await pilot.press("3")
        assert app.focused is table
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: help_open(app))
        keys = help_keys(app)
        assert "Next annotation" in keys
        for noise in ("Cursor up", "Cursor down", "Select", "^home", "ctrl+home"):
            assert noise not in keys
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: not help_open(app))
        assert app.focused is table and table.cursor_row == 0
        await pilot.press("down")  # the arrow keys still move through the annotations
        assert table.cursor_row == 1


async def test_help_merges_quit_hides_copy_and_indents_long_lines(demo_server: Any) -> None:
    app = make_app(demo_server)
    async with app.run_test(size=(100, 40)) as pilot:
        await detail_settled(pilot)
        await pilot.press("question_mark")
        assert help_open(app)
        await pilot.pause()
        keys = help_keys(app)
        lines = keys.splitlines()
        quit_rows = [line for line in lines if "Quit" in line]
        assert len(quit_rows) == 1 and quit_rows[0].split()[:2] == ["q,", "^q"]
        assert "Copy selected text" not in keys
        assert "return to the command prompt" not in keys
        wrapped = [line for line in lines if line.strip() and not line.startswith("  ")]
        # Only the headings start at the left edge: continuation lines are indented.
        headings = {"Order list", "Everywhere on this screen", "Everywhere"}
        assert set(wrapped) <= headings, wrapped
        assert any(line.startswith(" " * 15) for line in lines)  # at least one wrapped row


async def test_help_leaves_out_horizontal_scrolling(demo_server: Any) -> None:
    app = make_app(demo_server)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: list_loaded(app))
        for pane, expected in (("1", "Open project"), ("2", "Filter")):
            await pilot.press(pane, "question_mark")
            await wait_for(pilot, lambda: help_open(app))
            keys = help_keys(app)
            assert expected in keys
            for noise in ("Scroll Left", "Scroll Right", "Page Left", "Page Right"):
                assert noise not in keys
            await pilot.press("escape")


async def test_a_held_j_scrolls_the_help_by_every_press(demo_server: Any) -> None:
    app = make_app(demo_server)
    async with app.run_test(size=(100, 24)) as pilot:
        await wait_for(pilot, lambda: list_loaded(app))
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: help_open(app))
        box = help_box(app)
        assert box is not None
        body = box.body
        assert body.max_scroll_y >= 5
        burst(app, *["j"] * 5)
        await wait_for(pilot, lambda: body.scroll_y == 5, state=lambda: body.scroll_y)


async def test_the_help_scrolls_by_pages_and_to_its_ends(demo_server: Any) -> None:
    """The keys a pager takes: arrows, page keys (and ctrl+d/ctrl+u), G/End and g/Home; the
    list behind stays where it was."""
    app = make_app(demo_server)
    async with app.run_test(size=(100, 24)) as pilot:
        await wait_for(pilot, lambda: list_loaded(app))
        cursor = app.main_screen.orders.order_list.model.cursor
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: help_open(app))
        box = help_box(app)
        assert box is not None
        body = box.body
        page = body.scrollable_content_region.height - 1
        assert body.max_scroll_y > 2 * page
        for key, expected in (
            ("down", 1),
            ("pagedown", 1 + page),
            ("up", page),
            ("ctrl+d", 2 * page),
            ("ctrl+u", page),
            ("pageup", 0),
            ("G", body.max_scroll_y),
            ("g", 0),
            ("end", body.max_scroll_y),
            ("home", 0),
        ):
            await pilot.press(key)
            await wait_for(
                pilot, lambda e=expected: body.scroll_y == e, state=lambda: body.scroll_y
            )
        assert app.main_screen.orders.order_list.model.cursor == cursor


async def test_help_over_the_certificate_choice_is_a_screen_of_its_own(demo_server: Any) -> None:
    """Over another modal, the box over the panes would be hidden: help opens on a screen."""
    app = make_app(demo_server)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: list_loaded(app))
        app.push_screen("help")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
        assert "Everywhere" in help_keys(app)
        await pilot.press("q")
        await wait_for(pilot, lambda: not isinstance(app.screen, HelpScreen))
        assert app.is_running


async def test_keys_typed_behind_the_help_key_in_one_burst_go_to_help(
    demo_server: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # "?jjq" in one read: the app routes every key before "?" has opened help, so the j's went
    # to the list and q quit the console. Keys that come back to the app once help is open
    # are help's, as if typed slowly: j scrolls help, q closes it.
    app = make_app(demo_server)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: list_loaded(app))
        screen = app.main_screen
        cursor = screen.orders.order_list.model.cursor
        burst(app, "question_mark", "j", "j")
        await wait_for(pilot, lambda: help_open(app))
        box = help_box(app)
        assert box is not None
        await wait_for(pilot, lambda: box.body.scroll_y == 2)
        assert screen.orders.order_list.model.cursor == cursor
        burst(app, "q", "j")  # q closes help; j, behind it, is the list's again
        await wait_for(pilot, lambda: not help_open(app))
        await wait_for(pilot, lambda: screen.orders.order_list.model.cursor == cursor + 1)
        closed: list[bool] = []
        close = type(box).action_close

        def counted(self: Any) -> None:
            closed.append(True)
            close(self)

        monkeypatch.setattr(type(box), "action_close", counted)
        burst(app, "question_mark", "j", "q")  # all in one read: help opens, scrolls, closes
        await wait_for(pilot, lambda: closed == [True])
        await pilot.pause()
        assert not help_open(app)
        assert app.is_running  # q closed help, it did not quit
        assert screen.orders.order_list.model.cursor == cursor + 1
