"""The help box (``?``) sits over the panes only: the stats bar above them, and the status
line and the footer below them, stay visible at every size (at 80×24 its bottom border used
to cover the status line). The box stays as wide as before and scrolls when the keys do not
fit."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.app import help_box, list_loaded, make_app, screen_text, wait_for


@pytest.mark.parametrize("size", [(80, 24), (120, 40), (200, 60), (100, 14)])
async def test_help_covers_the_panes_and_nothing_else(
    demo_server: Any, size: tuple[int, int]
) -> None:
    app = make_app(demo_server)
    async with app.run_test(size=size) as pilot:
        await wait_for(pilot, lambda: list_loaded(app))
        screen = app.main_screen
        status = screen.status_line
        await wait_for(pilot, lambda: status.render_line(0).text.strip() != "")
        await pilot.press("question_mark")
        box = help_box(app)
        assert box is not None
        panes = screen.query_one("#body").region
        # Placed a frame after it opens (help_desk.py): wait until it is in view.
        await wait_for(pilot, lambda: box.region.y >= 0 and box.region.height > 0)
        await pilot.pause()
        region = box.region
        assert panes.contains_region(region), (region, panes)
        assert not region.overlaps(status.region) and not region.overlaps(screen.stats.region)
        # What the terminal shows: the status line's row is the status line, unbroken.
        rows = screen_text(app).splitlines()
        shown = rows[status.region.y]
        assert "┗" not in shown and "━" not in shown, shown
        assert status.render_line(0).text.strip() in shown
        assert box.body.max_scroll_y > 0 or box.body_height == box.keys_text.count("\n") + 1
        await pilot.press("question_mark")  # closed: wholly above the screen
        await wait_for(pilot, lambda: box.region.bottom <= 0, state=lambda: box.region)


async def test_on_a_tiny_terminal_help_takes_the_screen_and_leaves_it_whole(
    demo_server: Any,
) -> None:
    """At 60×8 the panes hold no box with three keys: it takes the whole screen, and when it
    closes nothing of it is left over the counts bar."""
    app = make_app(demo_server)
    async with app.run_test(size=(60, 8)) as pilot:
        await wait_for(pilot, lambda: list_loaded(app))
        top = app.main_screen.stats.region
        await pilot.press("question_mark")
        box = help_box(app)
        assert box is not None
        await wait_for(pilot, lambda: box.region.y >= 0 and box.region.height > 0)
        assert box.region.overlaps(top)
        assert box.body_height == 8 - 4  # the whole screen: border, margin and footer aside
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: box.region.bottom <= 0, state=lambda: box.region)
        assert not box.region.overlaps(top)
