"""The console as a demanding keyboard user sees it, against the demo API: the detail header
stays put, the annotations table fits the pane, the layout key, small terminals, the help
text, the filter's label, the list's position and the "no score" dash."""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import Static

from artistree_tui.ui.app import ConsoleApp
from artistree_tui.ui.confidence import NO_SCORE
from artistree_tui.ui.detail.pane import AnnotationTable
from artistree_tui.ui.dialogs.help import HelpScreen
from artistree_tui.ui.screen.layout import LAYOUT_MODES
from tests.support.app import cursor_shown, list_loaded, make_app, screen_text, wait_for


async def settled(pilot: Pilot[Any], app: ConsoleApp) -> None:
    await wait_for(pilot, lambda: list_loaded(app))
    await wait_for(pilot, lambda: app.main_screen.detail.complete)


async def to_order_with_annotations(pilot: Pilot[Any], app: ConsoleApp, count: int = 3) -> None:
    """Down the list (j) to the first order with at least ``count`` annotations."""
    detail = app.main_screen.detail
    for _ in range(200):
        order = detail.order
        if detail.complete and order is not None and len(order.annotations) >= count:
            return
        await pilot.press("j")
        await wait_for(pilot, lambda: detail.complete)
    raise AssertionError("no order with enough annotations in the demo data")


def detail_header(app: ConsoleApp) -> str:
    return str(app.main_screen.detail.query_one("#detail-header", Static).render())


async def test_the_header_stays_visible_when_3_scrolls_to_the_annotations(
    demo_server: Any,
) -> None:
    app = make_app(demo_server)
    async with app.run_test(size=(120, 40)) as pilot:
        await settled(pilot, app)
        await to_order_with_annotations(pilot, app)
        detail = app.main_screen.detail
        order = detail.order
        assert order is not None
        await pilot.press("3")
        await pilot.pause()
        assert isinstance(app.focused, AnnotationTable)
        assert detail.scroll_y > 0  # the pane scrolled down to the table...
        header = detail.query_one("#detail-header", Static)
        assert detail.region.contains_region(header.region)  # ...and the header stayed
        assert order.order_title[:30] in detail_header(app)
        assert order.order_title[:30] in screen_text(app)
        await pilot.press("escape")  # back to the list, as enter came from it
        assert app.focused is app.main_screen.orders.order_list


async def test_the_annotations_table_fits_the_pane_at_160_columns(demo_server: Any) -> None:
    app = make_app(demo_server, preview="halfblock")
    async with app.run_test(size=(160, 50)) as pilot:
        await settled(pilot, app)
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
        await settled(pilot, app)
        await to_order_with_annotations(pilot, app, count=2)
        detail = app.main_screen.detail
        assert detail.order is not None
        await pilot.press("3", "j")
        await pilot.pause()
        annotation = detail.order.annotations[1]
        block = str(detail.query_one("#detail-more", Static).render())
        assert annotation.id in block
        for label in ("Type", "Geometry", "AI", "Remediate"):
            assert f"\n{label} " in f"\n{block}"
        if annotation.geometry.points:
            assert "Points" in block


async def test_the_layout_key_cycles_list_and_detail_widths(demo_server: Any) -> None:
    app = make_app(demo_server)
    async with app.run_test(size=(160, 50)) as pilot:
        await settled(pilot, app)
        screen = app.main_screen
        orders, detail = screen.orders, screen.detail

        def widths() -> tuple[int, int]:
            return orders.outer_size.width, detail.outer_size.width

        balanced = widths()
        # Balanced at 160: the list keeps its five main columns, the detail gets 60+.
        assert balanced[0] >= 69 + 3 and balanced[1] >= 60
        seen = [screen.layout_mode]
        for _ in LAYOUT_MODES:
            await pilot.press("plus")
            await pilot.pause()
            seen.append(screen.layout_mode)
            if screen.layout_mode == "list":
                assert widths()[0] > balanced[0] and widths()[0] > 2 * widths()[1] - 4
            elif screen.layout_mode == "detail":
                assert widths()[1] > 2 * widths()[0] - 4
        assert seen == ["balanced", "list", "detail", "balanced"]
        assert widths() == balanced


async def test_80x24_gives_the_list_ten_rows_and_the_focused_pane_the_room(
    demo_server: Any,
) -> None:
    app = make_app(demo_server)
    async with app.run_test(size=(80, 24)) as pilot:
        await settled(pilot, app)
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


async def test_help_merges_quit_hides_copy_and_indents_long_lines(demo_server: Any) -> None:
    app = make_app(demo_server)
    async with app.run_test(size=(100, 40)) as pilot:
        await settled(pilot, app)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        await pilot.pause()
        keys = str(app.screen.query_one("#help-keys", Static).render())
        lines = keys.splitlines()
        quit_rows = [line for line in lines if "Quit" in line]
        assert len(quit_rows) == 1 and quit_rows[0].split()[:2] == ["q,", "^q"]
        assert "Copy selected text" not in keys
        assert "return to the command prompt" not in keys
        wrapped = [line for line in lines if line.strip() and not line.startswith("  ")]
        # Only the headings start at the left edge: continuation lines are indented.
        headings = {"Order list", "Everywhere on this screen", "Everywhere"}
        assert set(wrapped) <= headings, wrapped
        assert any(line.startswith(" " * 15) for line in lines)  # at least one wrapped row


async def test_the_filter_is_labelled_once_back_in_the_list(demo_server: Any) -> None:
    app = make_app(demo_server)
    async with app.run_test(size=(120, 40)) as pilot:
        await settled(pilot, app)
        await pilot.press("slash", "l", "i", "g", "h", "t")
        assert "filter:" in screen_text(app) and "esc: clear" in screen_text(app)
        await pilot.press("enter")
        await pilot.pause()
        line = next(x for x in screen_text(app).splitlines() if "filter:" in x)
        assert "light" in line and "/ to edit" in line and "esc to clear" in line
        await pilot.press("escape")
        await pilot.pause()
        assert "filter:" not in screen_text(app)


async def test_the_status_says_which_row_the_cursor_is_on(demo_server: Any) -> None:
    app = make_app(demo_server)
    async with app.run_test(size=(120, 40)) as pilot:
        await settled(pilot, app)
        pane = app.main_screen.orders
        await pilot.press("j", "j")
        await cursor_shown(pilot, app)  # the highlight is coalesced
        total = pane.total
        assert pane.position_text() == f"row 3/{total:,}"
        await pilot.pause()
        assert f"row 3/{total:,}" in screen_text(app)


async def test_no_score_is_a_dash_in_the_list_and_the_detail(demo_server: Any) -> None:
    app = make_app(demo_server)
    async with app.run_test(size=(120, 40)) as pilot:
        await settled(pilot, app)
        detail = app.main_screen.detail
        for _ in range(100):
            order = detail.order
            if detail.complete and order is not None and order.order_state == "In Progress":
                break
            await pilot.press("j")
            await wait_for(pilot, lambda: detail.complete)
        else:
            raise AssertionError("no In Progress order in the demo data")
        fields = str(detail.query_one("#detail-fields", Static).render()).splitlines()
        confidence = next(line for line in fields if line.startswith("Confidence"))
        assert confidence.split()[-1] == NO_SCORE
        row = next(line for line in screen_text(app).splitlines() if "› ◌ running" in line)
        row = row.split("› ◌ running", 1)[1].split("┃", 1)[0]  # the list row, cursor on it
        assert NO_SCORE in row and "0%" not in row


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
        await settled(pilot, app)
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
