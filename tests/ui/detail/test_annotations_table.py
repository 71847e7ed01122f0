"""The annotations table in the detail pane: ``3`` focuses it with the order's header and
verdict kept in view, it fits the pane without a horizontal scrollbar, the selected annotation
is shown whole, and ``j``/``k`` past its ends scroll the rest of the order into view."""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot

from artistree_tui.api.models import Order
from artistree_tui.ui.app import ConsoleApp
from artistree_tui.ui.detail.annotation_table import AnnotationTable
from tests.support.app import (
    detail_settled,
    list_loaded,
    make_app,
    move_to_order,
    screen_text,
    wait_for,
)


async def to_order_with_annotations(pilot: Pilot[Any], app: ConsoleApp, count: int = 3) -> Order:
    """Down the list (j) to the first order with at least ``count`` annotations."""
    return await move_to_order(
        pilot, app, lambda o: len(o.annotations) >= count, what=f"order with {count} annotations"
    )


def detail_header(app: ConsoleApp) -> str:
    return app.main_screen.detail.section_text("header")


async def test_the_header_and_verdict_stay_visible_when_3_focuses_the_annotations(
    demo_server: Any,
) -> None:
    app = make_app(demo_server)
    async with app.run_test(size=(120, 40)) as pilot:
        await detail_settled(pilot)
        await to_order_with_annotations(pilot, app)
        detail = app.main_screen.detail
        order = detail.order
        assert order is not None
        await pilot.press("3")
        await pilot.pause()
        assert isinstance(app.focused, AnnotationTable)
        # The table is on screen under the verdict: nothing scrolled the verdict away...
        assert detail.scroll_y == 0
        assert "Analyses ·" in screen_text(app)
        header = detail.query_one("#detail-header")
        assert detail.region.contains_region(header.region)  # ...and the header is there
        assert order.order_title[:30] in detail_header(app)
        assert order.order_title[:30] in screen_text(app)
        await pilot.press("escape")  # back to the list, as enter came from it
        assert app.focused is app.main_screen.orders.order_list


async def test_the_annotations_table_fits_the_pane_at_160_columns(demo_server: Any) -> None:
    app = make_app(demo_server, preview="halfblock")
    async with app.run_test(size=(160, 50)) as pilot:
        await detail_settled(pilot)
        await to_order_with_annotations(pilot, app)
        table = app.main_screen.detail.annotations_table
        keys = [column.key.value for column in table.columns.values()]
        assert keys == ["id", "type", "region", "ai", "fix", "body"]
        # Nothing hides behind a horizontal scrollbar.
        assert table.virtual_size.width <= table.scrollable_content_region.width
        assert not table.show_horizontal_scrollbar
        text = screen_text(app)
        for title in ("region", "AI", "fix", "body"):
            assert f" {title} " in text or text.endswith(title)


async def test_the_selected_annotation_shows_everything(demo_server: Any) -> None:
    app = make_app(demo_server)
    async with app.run_test(size=(120, 40)) as pilot:
        await detail_settled(pilot)
        await to_order_with_annotations(pilot, app, count=2)
        detail = app.main_screen.detail
        assert detail.order is not None
        await pilot.press("3", "j")
        await pilot.pause()
        annotation = detail.order.annotations[1]
        block = detail.section_text("selected")
        assert annotation.id in block
        for label in ("Type", "Geometry", "AI", "Remediate"):
            assert f"\n{label} " in f"\n{block}"
        if annotation.geometry.points:
            assert "Points" in block


async def test_j_past_the_last_annotation_scrolls_the_rest_of_the_order_into_view(
    demo_server: Any,
) -> None:
    app = make_app(demo_server)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: list_loaded(app))
        detail = app.main_screen.detail
        count = len((await to_order_with_annotations(pilot, app, count=2)).annotations)
        await pilot.press("3")
        table = detail.annotations_table
        assert app.focused is table
        await pilot.press(*["j"] * (count - 1))
        assert table.cursor_row == count - 1
        await pilot.pause()
        top = detail.scroll_y
        assert detail.max_scroll_y > top  # there is more below: analyses, failed items…
        await pilot.press("j", "j")  # no next annotation: the pane scrolls instead
        assert table.cursor_row == count - 1 and detail.scroll_y == top + 2
        await pilot.press(*["k"] * (count - 1))
        assert table.cursor_row == 0 and app.focused is table
        await pilot.pause()
        before = detail.scroll_y
        assert before > 0  # "3" scrolled the pane down to the table
        await pilot.press("k")  # no previous annotation: up towards the fields
        assert table.cursor_row == 0 and detail.scroll_y == before - 1


async def test_a_filter_matching_nothing_leaves_no_annotation_behind(demo_server: Any) -> None:
    """The selected annotation in full goes with the rest of the order when the list
    highlights none: the pane says why, and nothing of the order it showed stays."""
    app = make_app(demo_server)
    async with app.run_test(size=(120, 40)) as pilot:
        await detail_settled(pilot)
        order = await to_order_with_annotations(pilot, app, count=1)
        selected = app.main_screen.detail.query_one("#detail-selected")
        await wait_for(pilot, lambda: order.annotations[0].id in screen_text(app))
        assert selected.display and selected.region.height
        await pilot.press("slash", *"zzzzqq", "enter")
        await wait_for(pilot, lambda: app.main_screen.detail.order is None)
        await pilot.pause()
        text = screen_text(app)
        assert "the filter matches nothing" in text
        assert order.annotations[0].id not in text and "Selected" not in text
        assert not selected.region.height  # no leftover lines, no scrollbar for them
