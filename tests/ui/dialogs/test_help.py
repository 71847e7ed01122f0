"""The help screen (``?``/``f1``): generated from the focused pane's bindings, one instance that
the same key closes, our keys rather than the widgets' own (no DataTable cursor keys, no
horizontal scrolling), quit listed once, wrapped lines indented, and a held ``j`` scrolling it
by every press."""

from __future__ import annotations

from typing import Any

from textual.containers import VerticalScroll
from textual.widgets import Static

from artistree_tui.ui.dialogs.help import HelpScreen
from tests.support.app import (
    SIZE,
    burst,
    detail_settled,
    list_loaded,
    make_app,
    move_to_order,
    screen_text,
    wait_for,
)


async def test_help_opens_and_the_same_key_closes(demo_server: Any) -> None:
    app = make_app(demo_server)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: list_loaded(app))
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        first = app.screen
        text = screen_text(app)
        # Generated from the active bindings: the list's keys, the screen's, the app's.
        for line in ("Order list", "Filter", "Refresh", "Copy id", "Quit"):
            assert line in text
        await pilot.press("question_mark")
        assert not isinstance(app.screen, HelpScreen)
        await pilot.press("1", "f1")
        assert app.screen is first  # one instance, reused
        assert "Open project" in screen_text(app)  # now the sidebar's keys
        await pilot.press("f1")
        assert not isinstance(app.screen, HelpScreen)
        await pilot.press("f1", "escape")
        assert not isinstance(app.screen, HelpScreen)


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
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
        keys = str(app.screen.query_one("#help-keys", Static).render())
        assert "Next annotation" in keys
        for noise in ("Cursor up", "Cursor down", "Select", "^home", "ctrl+home"):
            assert noise not in keys
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: not isinstance(app.screen, HelpScreen))
        assert app.focused is table and table.cursor_row == 0
        await pilot.press("down")  # the arrow keys still move through the annotations
        assert table.cursor_row == 1


async def test_help_merges_quit_hides_copy_and_indents_long_lines(demo_server: Any) -> None:
    app = make_app(demo_server)
    async with app.run_test(size=(100, 40)) as pilot:
        await detail_settled(pilot)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        await pilot.pause()
        keys = str(app.screen.query_one("#help-keys", Static).render())
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
            await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
            keys = str(app.screen.query_one("#help-keys", Static).render())
            assert expected in keys
            for noise in ("Scroll Left", "Scroll Right", "Page Left", "Page Right"):
                assert noise not in keys
            await pilot.press("escape")


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
