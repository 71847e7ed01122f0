"""The list's status says which row the cursor is on, with the total written like the counts."""

from __future__ import annotations

from typing import Any

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
