"""The order actions when the list shows no order: a filter matching nothing leaves nothing to copy,
no certificate to ask for and an empty detail pane; clearing it brings the order back."""

from __future__ import annotations

from typing import Any

import pytest

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


async def test_y_copies_the_order_under_the_cursor_while_the_detail_waits_for_it(
    demo_server: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Right after ``j`` the detail still shows the order the cursor left, while the one under
    it waits for its full copy: ``y`` (and ``c``) act on the one under the cursor."""
    monkeypatch.setattr("artistree_tui.ui.detail.timing.FIRST_DRAW_WAIT", 30.0)
    app = make_app(demo_server)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: list_loaded(app))
        screen = app.main_screen
        first = await cursor_shown(pilot, app)
        await wait_for(pilot, lambda: screen.detail.complete)
        demo_server.faults.latency_ms = 5000  # the next full order is a long way off
        await pilot.press("j")
        under = screen.orders.highlighted_order
        assert under is not None and under.order_id != first.order_id
        assert screen.detail.pending and screen.detail.order_id == first.order_id
        await pilot.press("y")
        assert app.clipboard == under.order_id
        demo_server.faults.latency_ms = 0
