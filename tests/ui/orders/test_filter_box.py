"""The filter box: labelled once with its keys when back in the list, and never typed into by
keys meant for the list when the list gets the focus back with a filter set. It is mounted
after the first frame (which does not show it), or at once by a `/` that comes before."""

from __future__ import annotations

from typing import Any

from textual.app import App, ComposeResult

from artistree_tui.ui.orders.pane import FilterInput, OrdersPane
from tests.support.app import (
    detail_settled,
    list_loaded,
    make_app,
    screen_text,
    wait_for,
)


async def test_the_filter_is_labelled_once_back_in_the_list(demo_server: Any) -> None:
    app = make_app(demo_server)
    async with app.run_test(size=(120, 40)) as pilot:
        await detail_settled(pilot)
        await pilot.press("slash", "l", "i", "g", "h", "t")
        assert "filter:" in screen_text(app) and "esc: clear" in screen_text(app)
        await pilot.press("enter")
        await pilot.pause()
        line = next(x for x in screen_text(app).splitlines() if "filter:" in x)
        assert "light" in line and "/ to edit" in line and "esc to clear" in line
        await pilot.press("escape")
        await pilot.pause()
        assert "filter:" not in screen_text(app)


async def test_focusing_the_list_with_a_filter_set_never_types_into_the_filter(
    demo_server: Any,
) -> None:
    app = make_app(demo_server)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: list_loaded(app))
        screen = app.main_screen
        order_list = screen.orders.order_list
        await pilot.press("slash", "a", "enter")  # a filter is set, its box stays open
        assert app.focused is order_list and order_list.query_shown.text == "a"
        await wait_for(pilot, lambda: order_list.model.pending is None)
        await pilot.press("1", "2", "j")  # to the projects and back: j moves the list
        assert app.focused is order_list
        assert order_list.query_shown.text == "a" and order_list.model.cursor == 1
        await pilot.press("1", "j", "enter")  # open a project: the list has the focus again
        await wait_for(pilot, lambda: screen.scope_name != "All Projects")
        assert app.focused is order_list
        await pilot.press("tab", "shift+tab")
        assert app.focused is order_list and order_list.query_shown.text == "a"


class PaneAlone(App[None]):
    """The pane on its own; ``/`` is asked for as it mounts, before the first refresh."""

    def __init__(self) -> None:
        super().__init__()
        self.row_mounted_before: bool | None = None

    def compose(self) -> ComposeResult:
        yield OrdersPane(None, id="pane")

    def on_mount(self) -> None:
        pane = self.query_one(OrdersPane)
        self.row_mounted_before = bool(pane.query("#orders-filter-row"))
        pane.open_filter()


async def test_the_filter_row_comes_after_the_first_frame_or_with_the_first_slash() -> None:
    app = PaneAlone()
    async with app.run_test(size=(100, 20)) as pilot:
        assert app.row_mounted_before is False  # not in the first frame
        box = app.query_one("#orders-filter", FilterInput)
        assert app.focused is box  # `/` mounted it and gave it the keys
        await pilot.press("a")
        assert box.value == "a" and app.query_one("#orders-filter-row").has_class("-open")
        assert app.query_one(OrdersPane).children[0].id == "orders-filter-row"  # above the list


async def test_the_filter_row_is_mounted_once_the_first_frame_is_painted() -> None:
    app = App[None]()
    async with app.run_test(size=(100, 20)) as pilot:
        pane = OrdersPane(None, id="pane")
        await app.mount(pane)
        # After the first frame (on a loaded machine, a few event-loop turns later).
        await wait_for(pilot, lambda: len(pane.query("#orders-filter-row")) == 1)
        rows = pane.query("#orders-filter-row")
        assert len(rows) == 1 and not rows.first().has_class("-open")
        assert not app.query_one("#orders-filter-row").display  # hidden until `/`
