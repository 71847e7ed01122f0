"""The detail pane scrolls by every ``j``/``k`` of a held key (typed ahead in one burst)."""

from __future__ import annotations

from typing import Any

from tests.support.app import burst, list_loaded, make_app, wait_for


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
