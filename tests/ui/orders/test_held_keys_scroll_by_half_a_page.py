"""Past the screen's edge the list scrolls one row for a press at rest and half a page while
a key is held (vim's ``scrolljump``): over SSH every scroll rewrites the whole list, so a held
``j`` costs a whole list per half page instead of per key.

The widget's :class:`ScrollJump` reads a clock the test sets, so "held" and "at rest" are
decided by the gaps the test chooses, not by how fast the machine runs.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from artistree_tui.demo import DemoServer
from artistree_tui.store import Index
from artistree_tui.ui.orders.order_list import OrderList
from artistree_tui.ui.orders.scroll_jump import HELD_GAP, ScrollJump
from tests.support.list_pilot import ListApp, settle

IndexOf = Callable[[DemoServer], Awaitable[Index]]


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


async def press_apart(pilot: object, app: ListApp, clock: Clock, key: str, gap: float) -> None:
    clock.now += gap
    await pilot.press(key)  # type: ignore[attr-defined]


def top(app: ListApp) -> int:
    return round(app.order_list.scroll_offset.y)


async def on_the_clock(pilot: object, app: ListApp, clock: Clock) -> tuple[OrderList, int]:
    """The list settled, its scroll jumps timed by ``clock``; (the list, rows it shows)."""
    await settle(pilot, app)
    widget = app.order_list
    widget.scroll_jump = ScrollJump(clock=clock)
    return widget, widget.scrollable_content_region.height - 1  # minus the header line


async def test_a_press_at_rest_scrolls_one_row_and_a_held_key_half_a_page(
    make_demo: Callable[..., DemoServer], index_of: IndexOf
) -> None:
    app = ListApp(await index_of(make_demo(orders=300, seed=5)))
    clock = Clock()
    async with app.run_test(size=(120, 24)) as pilot:
        widget, visible = await on_the_clock(pilot, app, clock)
        for _ in range(visible - 1):  # to the last row on screen, at rest
            await press_apart(pilot, app, clock, "j", 1.0)
        assert (widget.model.cursor, top(app)) == (visible - 1, 0)
        await press_apart(pilot, app, clock, "j", 1.0)  # one row past the edge, at rest
        assert (widget.model.cursor, top(app)) == (visible, 1)
        await press_apart(pilot, app, clock, "j", HELD_GAP / 3)  # held: half a page
        assert (widget.model.cursor, top(app)) == (visible + 1, 1 + visible // 2)
        for _ in range(visible // 2 - 1):  # held on, within the screen: no scroll
            await press_apart(pilot, app, clock, "j", HELD_GAP / 3)
        assert top(app) == 1 + visible // 2
        # Held upwards past the top edge: half a page up at once.
        while widget.model.cursor > top(app):
            await press_apart(pilot, app, clock, "k", HELD_GAP / 3)
        await press_apart(pilot, app, clock, "k", HELD_GAP / 3)
        assert top(app) == 1  # (1 + half a page) - half a page
        assert top(app) <= widget.model.cursor < top(app) + visible


async def test_a_held_key_at_the_end_stops_at_the_last_row(
    make_demo: Callable[..., DemoServer], index_of: IndexOf
) -> None:
    app = ListApp(await index_of(make_demo(orders=60, seed=5)))
    clock = Clock()
    async with app.run_test(size=(120, 24)) as pilot:
        widget, visible = await on_the_clock(pilot, app, clock)
        while widget.model.cursor < 59:  # held down to the end
            await press_apart(pilot, app, clock, "j", HELD_GAP / 3)
        assert top(app) == 60 - visible  # the last page, no blank rows below it
        assert "row 60/60" in app.pane.position_text()
