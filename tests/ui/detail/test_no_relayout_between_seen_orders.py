"""The detail pane keeps each section's tallest height: once the orders were seen, moving between
them changes no size on screen (no whole-screen relayout per key)."""

from __future__ import annotations

from typing import Any

from textual.screen import Screen

from tests.support.app import (
    detail_settled,
    make_app,
    wait_for,
)


async def test_moving_over_seen_orders_needs_no_relayout(demo_server: Any) -> None:
    """The detail keeps each section's tallest height, so once the orders were seen, moving
    between them changes no size on screen: no whole-screen relayout per key."""
    relayouts: list[int] = []
    original = Screen._refresh_layout

    def counting(self: Screen[Any], size: Any = None, scroll: bool = False) -> None:
        if not (scroll and not self._layout_widgets):
            relayouts.append(1)
        original(self, size, scroll)

    app = make_app(demo_server)
    async with app.run_test(size=(160, 50)) as pilot:
        await detail_settled(pilot)
        detail = app.main_screen.detail
        for key in ["j"] * 8 + ["k"] * 8:  # every order seen once: heights settle
            await pilot.press(key)
            await wait_for(pilot, lambda: detail.complete)
        Screen._refresh_layout = counting  # type: ignore[method-assign]
        try:
            for key in ["j"] * 8:
                await pilot.press(key)
                await wait_for(pilot, lambda: detail.complete)
                await pilot.pause()
        finally:
            Screen._refresh_layout = original  # type: ignore[method-assign]
        assert sum(relayouts) == 0
