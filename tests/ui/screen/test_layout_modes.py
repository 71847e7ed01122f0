"""The main screen's layout: the shares of the list and the detail for each size, mode and focus,
the ``+`` key cycling the modes, and a 80×24 terminal giving the list ten rows and the focused
pane the room."""

from __future__ import annotations

from typing import Any

import pytest

from artistree_tui.ui.screen import layout as screen_layout
from artistree_tui.ui.screen.layout import LAYOUT_MODES
from tests.support.app import detail_settled, make_app, screen_text


@pytest.mark.parametrize(
    ("width", "height", "mode", "focused", "expected"),
    [
        (160, 50, "balanced", False, (True, 6, 5)),
        (160, 50, "list", False, (True, 2, 1)),
        (160, 50, "detail", True, (True, 1, 2)),
        (120, 40, "balanced", True, (False, 1, 1)),  # tall enough: focus changes nothing
        (80, 24, "balanced", False, (False, 2, 1)),  # short: the focused pane gets the room
        (80, 24, "balanced", True, (False, 1, 2)),
        (80, 24, "list", True, (False, 2, 1)),  # an explicit mode wins over the focus
    ],
)
def test_layout_shares(
    width: int,
    height: int,
    mode: screen_layout.LayoutMode,
    focused: bool,
    expected: tuple[bool, int, int],
) -> None:
    assert screen_layout.shares(width, height, mode, detail_focused=focused) == expected


async def test_the_layout_key_cycles_list_and_detail_widths(demo_server: Any) -> None:
    app = make_app(demo_server)
    async with app.run_test(size=(160, 50)) as pilot:
        await detail_settled(pilot)
        screen = app.main_screen
        orders, detail = screen.orders, screen.detail

        def widths() -> tuple[int, int]:
            return orders.outer_size.width, detail.outer_size.width

        balanced = widths()
        # Balanced at 160: the list keeps its five main columns, the detail gets 60+.
        assert balanced[0] >= 69 + 3 and balanced[1] >= 60
        seen = [screen.pane_layout.mode]
        for _ in LAYOUT_MODES:
            await pilot.press("plus")
            await pilot.pause()
            seen.append(screen.pane_layout.mode)
            if screen.pane_layout.mode == "list":
                assert widths()[0] > balanced[0] and widths()[0] > 2 * widths()[1] - 4
            elif screen.pane_layout.mode == "detail":
                assert widths()[1] > 2 * widths()[0] - 4
        assert seen == ["balanced", "list", "detail", "balanced"]
        assert widths() == balanced


async def test_80x24_gives_the_list_ten_rows_and_the_focused_pane_the_room(
    demo_server: Any,
) -> None:
    app = make_app(demo_server)
    async with app.run_test(size=(80, 24)) as pilot:
        await detail_settled(pilot)
        screen = app.main_screen
        order_list = screen.orders.order_list
        assert order_list.scrollable_content_region.height - 1 >= 10  # rows below the header
        text = screen_text(app)
        assert text.splitlines()[-1].startswith("? Help")  # never cut off the footer
        list_height = screen.orders.size.height
        await pilot.press("3")  # the detail takes the room while it has the keyboard
        await pilot.pause()
        assert screen.detail.size.height > screen.orders.size.height
        assert screen.detail.region.contains_region(
            screen.detail.query_one("#detail-header").region
        )
        await pilot.press("2")
        await pilot.pause()
        assert screen.orders.size.height == list_height
