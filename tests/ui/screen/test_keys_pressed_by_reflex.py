"""Keys users of less, vim, k9s and lazygit press by reflex: ctrl+d/ctrl+u half a page in the
detail, h/l (and the arrows where the focused widget leaves them free) between the panes, / from
every pane, b for the sidebar (sized to its names), ! to the orders of the last Action Required
notification, q closing what is open and quitting only from the main screen."""

from __future__ import annotations

import re
from typing import Any

from textual.widgets import Input

from artistree_tui.ui.screen import layout
from tests.support.app import (
    burst,
    list_loaded,
    make_app,
    move_to_order,
    notifications,
    screen_text,
    sync_done,
    wait_for,
)
from tests.support.live import list_orders_shown, live_app, quiet

ACTION = "Action Required"


async def refreshed(pilot: Any, app: Any) -> None:
    """``r``: the sync reads the head now; wait until it has and the list shows it."""
    screen = app.main_screen
    count = screen.live.refresh_count
    screen.live.refresh_now()
    await wait_for(pilot, lambda: screen.live.refresh_count > count and sync_done(app))


async def detail_focused_on_a_long_order(pilot: Any, app: Any) -> Any:
    """The detail pane, focused, showing an order with 3 annotations or more (taller than
    the pane at 100×30)."""
    await wait_for(pilot, lambda: list_loaded(app))
    detail = app.main_screen.detail
    await move_to_order(pilot, app, lambda o: len(o.annotations) >= 3)
    app.main_screen.set_focus(detail)
    await pilot.pause()
    return detail


async def test_ctrl_d_and_ctrl_u_move_the_detail_half_a_page(demo_server: Any) -> None:
    app = make_app(demo_server)
    async with app.run_test(size=(100, 30)) as pilot:
        detail = await detail_focused_on_a_long_order(pilot, app)
        half = detail.view_height // 2
        assert detail.max_scroll_y >= 2 * half
        await pilot.press("ctrl+d")
        assert detail.scroll_y == half
        burst(app, "ctrl+d", "ctrl+u", "ctrl+u")  # typed ahead: every press counts
        await wait_for(pilot, lambda: detail.scroll_y == 0, state=lambda: detail.scroll_y)
        # From the annotations table too (the pane's keys, where the keyboard usually is).
        await pilot.press("2", "3")
        assert app.focused is detail.annotations_table
        before = detail.scroll_y
        await pilot.press("ctrl+d")
        assert detail.scroll_y == min(before + half, detail.max_scroll_y) > before
        await pilot.press("ctrl+u")
        assert detail.scroll_y == before


async def test_g_and_G_go_to_the_detail_s_ends_at_once(demo_server: Any) -> None:
    # At once, not animated: an animation writes every step's frame to the terminal and leaves
    # the pane moving under the next key.
    app = make_app(demo_server)
    async with app.run_test(size=(100, 30)) as pilot:
        detail = await detail_focused_on_a_long_order(pilot, app)
        bottom = detail.max_scroll_y
        assert bottom > 2
        burst(app, "G", "k")  # typed ahead: k scrolls from the bottom, not from mid-way
        await wait_for(pilot, lambda: detail.scroll_y == bottom - 1, state=lambda: detail.scroll_y)
        burst(app, "g", "j")
        await wait_for(pilot, lambda: detail.scroll_y == 1, state=lambda: detail.scroll_y)
        assert not app.animator.is_being_animated(detail, "scroll_y")  # it stays there


async def test_h_and_l_move_between_the_panes_in_screen_order(demo_server: Any) -> None:
    app = make_app(demo_server)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: list_loaded(app))
        screen = app.main_screen
        assert screen.pane_focus.current() == "list"
        await pilot.press("l")
        assert screen.pane_focus.current() == "detail"
        await pilot.press("l")  # no wrapping round, unlike tab
        assert screen.pane_focus.current() == "detail"
        await pilot.press("h", "h")
        assert screen.pane_focus.current() == "sidebar"
        await pilot.press("h")
        assert screen.pane_focus.current() == "sidebar"
        # The arrows too, where the focused widget has no use for them.
        await pilot.press("right")
        assert screen.pane_focus.current() == "list"
        await pilot.press("right")
        assert screen.pane_focus.current() == "detail"
        await pilot.press("left")
        assert screen.pane_focus.current() == "list"
        # In the filter box the arrows move through the text.
        await pilot.press("slash", "a", "b", "left")
        box = screen.orders.query_one(Input)
        assert app.focused is box and box.cursor_position == 1


async def test_slash_opens_the_order_filter_from_every_pane(demo_server: Any) -> None:
    app = make_app(demo_server)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: list_loaded(app))
        screen = app.main_screen
        box = screen.orders.query_one(Input)
        for pane in ("3", "1"):  # the detail pane, then the sidebar
            await pilot.press("escape", "2", pane)
            assert app.focused is not box
            await pilot.press("slash")
            assert app.focused is box
            await pilot.press("x")
            await wait_for(pilot, lambda: screen.orders.order_list.query_shown.text == "x")
            await pilot.press("escape")


async def test_b_hides_and_shows_the_sidebar(demo_server: Any) -> None:
    app = make_app(demo_server)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: list_loaded(app))
        screen = app.main_screen
        list_width = screen.orders.size.width
        await pilot.press("1", "b")
        await pilot.pause()
        assert not screen.sidebar.display and screen.pane_focus.current() == "list"
        assert screen.orders.size.width > list_width
        await pilot.press("tab", "tab")  # tab skips the hidden sidebar
        assert screen.pane_focus.current() == "list"
        await pilot.press("h")
        assert screen.pane_focus.current() == "list"
        await pilot.press("b")
        await pilot.pause()
        assert screen.sidebar.display and screen.orders.size.width == list_width
        await pilot.press("b", "1")  # 1 brings a hidden sidebar back
        await pilot.pause()
        assert screen.sidebar.display and screen.pane_focus.current() == "sidebar"


async def test_the_sidebar_takes_the_width_of_its_names_up_to_a_bound(demo_server: Any) -> None:
    app = make_app(demo_server)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: list_loaded(app))
        screen = app.main_screen
        sidebar = screen.sidebar
        await wait_for(pilot, lambda: len(sidebar.entries) > 3)
        names = [entry.name for entry in sidebar.entries]
        needed = max(2 + len(name) for name in names) + 2  # the marker, the border
        assert sidebar.needed_width() == needed
        widths = {}
        for width, height in ((200, 50), (120, 40), (80, 24), (40, 20)):
            await pilot.resize_terminal(width, height)
            await pilot.pause()
            widths[width] = sidebar.outer_size.width if sidebar.display else 0
        # Whole names where there is room; a quarter of the terminal at most; hidden at 40.
        assert widths[200] == widths[120] == needed
        assert widths[80] == 80 // layout.SIDEBAR_SHARE < needed
        assert widths[40] == 0
        assert "╭─ Projects" not in screen_text(app)  # at 40 columns the list has the room
        await pilot.press("b")
        await pilot.pause()
        assert sidebar.display and sidebar.outer_size.width == layout.SIDEBAR_MIN


async def test_exclamation_mark_goes_to_the_order_that_needs_action(make_demo: Any) -> None:
    demo = make_demo(orders=300, seed=7, new_order_every=30)
    app = live_app(demo)
    async with app.run_test(size=(120, 40)) as pilot:
        await quiet(pilot, app)
        screen = app.main_screen
        await pilot.press("exclamation_mark")  # nothing announced yet: it says so
        assert any("No order has entered Action Required" in n for n in notifications(app))
        before = {o.order_id: o.order_state for o in list_orders_shown(screen, 200)}
        demo.advance(1100)
        await refreshed(pilot, app)
        entered = [
            o
            for o in list_orders_shown(screen, 200)
            if o.order_state == ACTION and before.get(o.order_id) != ACTION
        ]
        assert len(entered) >= 2, "the demo should turn some orders Action Required"
        note = next(n for n in app._notifications if n.title == "Action required")
        # Each order named so it can be found: its title and the start of its id.
        for order in entered[:3]:
            assert f"({order.order_id[:8]}…)" in note.message
        assert note.message.endswith("Press ! to go to the first.")
        first = screen.live.action_orders[0]
        assert first in {o.order_id for o in entered}
        await pilot.press("exclamation_mark")
        await wait_for(pilot, lambda: screen.orders.highlighted_order is not None)
        highlighted = screen.orders.highlighted_order
        assert highlighted is not None and highlighted.order_id == first
        assert screen.pane_focus.current() == "list"


async def test_the_follow_key_named_in_the_notification_follows_the_keymap(
    make_demo: Any,
) -> None:
    demo = make_demo(orders=300, seed=7, new_order_every=30)
    app = live_app(demo, keymap={"console.follow_action": "f4"})
    async with app.run_test(size=(120, 40)) as pilot:
        await quiet(pilot, app)
        demo.advance(1100)
        await refreshed(pilot, app)
        note = next(n for n in app._notifications if n.title == "Action required")
        assert re.search(r"Press f4 to go to (it|the first)\.$", note.message)
