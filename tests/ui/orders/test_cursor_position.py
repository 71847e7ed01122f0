"""The list's status says which row the cursor is on, with the total written like the counts."""

from __future__ import annotations

from typing import Any

from textual.widgets import Static

from tests.support.app import (
    cursor_shown,
    detail_settled,
    make_app,
    screen_text,
)


async def test_the_status_says_which_row_the_cursor_is_on(demo_server: Any) -> None:
    app = make_app(demo_server)
    async with app.run_test(size=(120, 40)) as pilot:
        await detail_settled(pilot)
        pane = app.main_screen.orders
        await pilot.press("j", "j")
        await cursor_shown(pilot, app)  # the highlight is coalesced
        total = pane.loaded_count
        assert total == 300
        assert pane.position_text() == f"row 3/{total:,}"
        await pilot.pause()
        assert f"row 3/{total:,}" in screen_text(app)


async def test_in_a_narrow_pane_the_row_stays_and_the_notes_give_way(demo_server: Any) -> None:
    # At 80 columns, filtered and sorted (their words on the status line), the line is longer
    # than the pane: the notes are cut with "…", and the row is still there at the end.
    app = make_app(demo_server)
    async with app.run_test(size=(80, 24)) as pilot:
        await detail_settled(pilot)
        pane = app.main_screen.orders
        width = pane.query_one("#orders-status").content_region.width
        await pilot.press("s", "s", "s")  # a state filter: its words
        for _ in range(8):  # the sorts in turn, until one's words make the line too long
            await pilot.press(">")
            await pilot.pause()
            if pane.status_text().cell_len + len(pane.position_text()) + 2 > width:
                break
        assert pane.status_text().cell_len + len(pane.position_text()) + 2 > width
        await pilot.press("j")
        await cursor_shown(pilot, app)
        await pilot.pause()
        status = str(pane.query_one("#orders-status").render())
        assert status.rstrip().endswith(pane.position_text()), status
        assert "…" in status


async def test_the_row_is_counted_a_frame_after_the_cursor_moves(demo_server: Any) -> None:
    """A move's own frame carries the cursor (and a picture fetched ahead); the row count is
    drawn once that frame is made, not while the key is handled."""
    app = make_app(demo_server)
    async with app.run_test(size=(120, 40)) as pilot:
        await detail_settled(pilot)
        pane = app.main_screen.orders
        status = pane.query_one("#orders-status", Static)
        assert "row 1/" in str(status.render())
        pane.order_list.action_cursor_down()  # what j does, in the key's handler
        assert "row 1/" in str(status.render())
        await cursor_shown(pilot, app)
        await pilot.pause()
        assert "row 2/" in str(status.render())
