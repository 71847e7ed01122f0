"""The order actions when the list shows no order: a filter matching nothing leaves nothing to copy,
no certificate to ask for and an empty detail pane; clearing it brings the order back."""

from __future__ import annotations

from typing import Any

from artistree_tui.ui.screen.order_actions import NO_MATCH
from tests.support.app import (
    cursor_shown,
    list_loaded,
    make_app,
    notifications,
    screen_text,
    wait_for,
)


async def test_a_filter_matching_nothing_leaves_no_order_to_act_on(demo_server: Any) -> None:
    app = make_app(demo_server)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: list_loaded(app))
        screen = app.main_screen
        before = await cursor_shown(pilot, app)
        await pilot.press("slash", *"zzzzqq", "enter")
        await wait_for(pilot, lambda: screen.detail.order is None)
        text = screen_text(app)
        assert NO_MATCH in text
        assert before.order_id not in text  # the order the list no longer shows is gone
        clipboard = app.clipboard
        demo_server.clear_requests()
        await pilot.press("y", "c")
        # Each key says there is no order to act on...
        await wait_for(pilot, lambda: notifications(app)[-2:] == [NO_MATCH, NO_MATCH])
        assert app.clipboard == clipboard  # ...and nothing was copied
        assert demo_server.recorded("/v1/orders/pdf") == []  # no certificate asked for
        await pilot.press("escape")  # the filter is cleared: the order is back, y copies it
        order = await cursor_shown(pilot, app)
        assert order.order_id == before.order_id
        await pilot.press("y")
        assert app.clipboard == order.order_id
