"""The detail pane tells the screen when an order may have its picture painted before the pane
draws it (``DetailPane.full_in_place``): the full order is cached, the cursor is at rest, and
drawing it leaves the picture where it is (no section above the picture grows). A taller
annotations table would move the picture down after it was painted: then the pane draws
first, as before."""

from __future__ import annotations

from typing import Any

from artistree_tui.api.models import Order
from artistree_tui.api.parse import parse_order
from artistree_tui.ui.detail import sections
from artistree_tui.ui.detail.texts import line_count
from tests.support.app import detail_settled, make_app, wait_for
from tests.support.demo import demo_rows


def full_orders(server: Any) -> list[Order]:
    parsed = [parse_order(row) for row in demo_rows(server, limit=80)]
    return [order for order in parsed if order is not None]


async def test_only_an_order_that_grows_no_section_above_the_picture(demo_server: Any) -> None:
    app = make_app(demo_server, preview="halfblock")
    async with app.run_test(size=(160, 50)) as pilot:
        await detail_settled(pilot)
        detail = app.main_screen.detail
        assert not detail.beside  # the picture below the verdict and the annotations
        shown = detail.order
        assert shown is not None
        others = [order for order in full_orders(demo_server) if order.order_id != shown.order_id]
        width = detail.scrollable_content_region.width

        def verdict_lines(order: Order) -> int:
            return line_count(sections.verdict_block(order, width))

        async def at_rest_with(order: Order) -> None:
            detail.cache.put(order)  # as if fetched ahead
            await wait_for(pilot, lambda: detail.timing.full_at_once(order.order_id) is not None)

        async def draw(order: Order) -> None:
            detail.show(order)
            await wait_for(pilot, lambda: detail.complete and detail.order == order)

        # A taller verdict, with no more annotations than the table has had rows: the verdict
        # would grow.
        table = detail.annotations_table
        tall = max(
            (order for order in others if len(order.annotations) + 1 <= table.height_floor),
            key=verdict_lines,
        )
        assert verdict_lines(tall) > verdict_lines(shown)
        await at_rest_with(tall)
        assert detail.full_in_place(tall) is None
        await draw(tall)

        # More annotations than the table has had rows, the verdict no taller than the
        # tallest drawn: the table would grow.
        many = max(
            (order for order in others if verdict_lines(order) <= verdict_lines(tall)),
            key=lambda order: len(order.annotations),
        )
        assert len(many.annotations) + 1 > table.height_floor
        await at_rest_with(many)
        assert detail.full_in_place(many) is None
        await draw(many)

        # Both drawn once, the sections keep those heights: the first fits now.
        await at_rest_with(tall)
        assert detail.full_in_place(tall) is tall

        # Unless the pane is scrolled (a new order is drawn from the top) or shows a status
        # line (a new order clears it: the docked top gets shorter).
        detail.scroll_to(y=3, animate=False)
        await wait_for(pilot, lambda: detail.scroll_offset.y == 3)
        assert detail.full_in_place(tall) is None
        detail.scroll_home(animate=False)
        await wait_for(pilot, lambda: detail.scroll_offset.y == 0)
        detail.set_status("Could not load the order's details: test")
        assert detail.full_in_place(tall) is None
        detail.set_status(None)
        assert detail.full_in_place(tall) is tall

        # Not the order drawn now, and not while the cursor moves (the pane waits to rest).
        assert detail.full_in_place(many) is None
        detail.show(shown)
        assert detail.full_in_place(tall) is None


async def test_a_picture_out_of_the_pane_s_view_is_not_painted_first(demo_server: Any) -> None:
    # At 80×24 the list has the keyboard and the detail pane is a few rows: the picture is
    # below them, out of view, so there is nothing to paint before the pane's text.
    app = make_app(demo_server, preview="halfblock")
    async with app.run_test(size=(80, 24)) as pilot:
        await detail_settled(pilot)
        screen = app.main_screen
        panel = screen.preview.panel
        assert panel is not None and panel.display
        order = screen.detail.order
        assert order is not None
        assert not screen.detail.scrollable_content_region.overlaps(panel.region)
        assert not screen.preview.paint_first(order, lambda: None)
        screen.detail.scroll_to_widget(panel, animate=False)  # in view: it would be painted
        await wait_for(
            pilot, lambda: screen.detail.scrollable_content_region.overlaps(panel.region)
        )
        assert screen.preview.paint_first(order, lambda: None)
