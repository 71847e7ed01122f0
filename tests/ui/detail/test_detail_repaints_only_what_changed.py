"""Over SSH every cell repainted crosses the network: the detail pane repaints only the lines
of its sections that changed, nothing when the full order equals what it drew, and while keys
arrive in a burst it draws once, the order the cursor rests on."""

from __future__ import annotations

from typing import Any

import pytest
from rich.text import Text
from textual.app import App, ComposeResult
from textual.geometry import Region

from artistree_tui.ui.detail.lines import TextLines
from artistree_tui.ui.detail.timing import FIRST_DRAW_WAIT
from artistree_tui.ui.orders.source import order_of
from tests.support.app import cursor_shown, list_loaded, make_app, wait_for


class LinesApp(App[None]):
    def compose(self) -> ComposeResult:
        yield TextLines(Text("one\ntwo\nthree"), id="lines")


async def test_text_lines_repaint_only_the_lines_that_changed() -> None:
    app = LinesApp()
    async with app.run_test(size=(40, 10)) as pilot:
        lines = app.query_one(TextLines)
        await pilot.pause()
        asked: list[tuple[tuple[Region, ...], bool]] = []
        refresh = lines.refresh

        def spy(*regions: Region, **kwargs: Any) -> Any:
            asked.append((regions, bool(kwargs.get("layout"))))
            return refresh(*regions, **kwargs)

        lines.refresh = spy  # type: ignore[method-assign]
        assert lines.set_text(Text("one\nTWO\nthree")) == 1
        assert asked == [((Region(0, 1, 40, 1),), False)]
        asked.clear()
        assert lines.set_text(Text("one\nTWO\nthree")) == 0  # the same: nothing
        assert lines.set_text(Text("one\nTWO\nthree", style="bold")) == 3  # a style is a change
        asked.clear()
        assert lines.set_text(Text("a\nb")) == 2 and asked == [((), True)]  # a new height
        await pilot.pause()
        assert lines.size.height == 2 and lines.plain == "a\nb"


async def test_the_same_order_again_repaints_nothing(demo_server: Any) -> None:
    app = make_app(demo_server)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: list_loaded(app))
        detail = app.main_screen.detail
        await wait_for(pilot, lambda: detail.complete)
        order = detail.order
        assert order is not None
        drawn: list[int] = []
        draw = detail._draw_sections

        def spy(*args: Any, **kwargs: Any) -> None:
            draw(*args, **kwargs)
            drawn.append(detail.repainted_lines)

        detail._draw_sections = spy  # type: ignore[method-assign]
        detail.show_full(order)  # the full order again (a refresh that changed nothing)
        await pilot.pause()
        assert sum(drawn) == 0  # not a line repainted
        drawn.clear()
        await pilot.press("j")
        second = await cursor_shown(pilot, app)
        await wait_for(pilot, lambda: detail.complete)
        assert second.order_id != order.order_id and drawn
        total = sum(len(w.lines) for w in detail.query(TextLines))
        assert 0 < drawn[0] < total  # labels, headings, blank lines: not repainted


async def test_a_burst_of_orders_draws_the_detail_once_it_rests(demo_server: Any) -> None:
    """Orders shown one right after the other (the list's cursor moving under a held key):
    the first has its full order asked (the pane cannot know more are coming) but the next
    comes before it, so only the last is drawn, once the cursor rests."""
    app = make_app(demo_server)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: list_loaded(app))
        screen = app.main_screen
        detail = screen.detail
        await wait_for(pilot, lambda: detail.complete)
        await pilot.pause(0.3)  # at rest
        model = screen.orders.order_list.model
        orders = [order_of(row) for i in range(1, 6) if (row := model.row(i)) is not None]
        shown: list[str] = []
        draw = detail._draw_sections

        def spy(order: Any, **kwargs: Any) -> None:
            shown.append(order.order_id)
            draw(order, **kwargs)

        detail._draw_sections = spy  # type: ignore[method-assign]
        drawn_now = [detail.show(order) for order in orders if order is not None]
        assert drawn_now == [True, False, False, False, False]
        assert detail.pending
        last = orders[-1]
        assert last is not None
        await wait_for(pilot, lambda: detail.order_id == last.order_id)
        await wait_for(pilot, lambda: detail.complete)
        assert set(shown) == {last.order_id}


async def draws_of_the_next_order(pilot: Any, app: Any) -> list[tuple[str, bool]]:
    """Press ``j`` at rest; the (order id, complete) of each draw of the detail until the full
    order is drawn."""
    detail = app.main_screen.detail
    drawn: list[tuple[str, bool]] = []
    draw = detail._draw

    def spy(order: Any, *, complete: bool) -> None:
        drawn.append((order.order_id, complete))
        draw(order, complete=complete)

    detail._draw = spy
    await pilot.press("j")
    order = await cursor_shown(pilot, app)
    await wait_for(pilot, lambda: detail.order_id == order.order_id and detail.complete)
    return [(order_id, complete) for order_id, complete in drawn if order_id == order.order_id]


async def test_an_order_at_rest_is_drawn_once_when_its_full_order_comes_in_time(
    demo_server: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # "In time" however loaded the machine: the wait is long here (0.1 s in the console).
    monkeypatch.setattr("artistree_tui.ui.detail.timing.FIRST_DRAW_WAIT", 10.0)
    app = make_app(demo_server)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: list_loaded(app))
        await wait_for(pilot, lambda: app.main_screen.detail.complete)
        draws = await draws_of_the_next_order(pilot, app)
        assert [complete for _, complete in draws] == [True]  # the full order, alone


async def test_a_late_full_order_is_drawn_over_the_lists_copy(demo_server: Any) -> None:
    app = make_app(demo_server)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: list_loaded(app))
        await wait_for(pilot, lambda: app.main_screen.detail.complete)
        demo_server.faults.latency_ms = int(FIRST_DRAW_WAIT * 1000 * 5)
        draws = await draws_of_the_next_order(pilot, app)
        assert [complete for _, complete in draws] == [False, True]  # the copy, then the full


async def test_lines_prepared_ahead_are_drawn_without_rendering_them_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    app = LinesApp()
    async with app.run_test(size=(40, 10)) as pilot:
        lines = app.query_one(TextLines)
        await pilot.pause()
        width = lines.size.width
        later = Text("four\nfive [b]\nthree")
        lines.prepare(later)
        made: list[str] = []
        make = TextLines._make_strip

        def counted(self: TextLines, line: Text, width: int, style: Any) -> Any:
            made.append(line.plain)
            return make(self, line, width, style)

        monkeypatch.setattr(TextLines, "_make_strip", counted)
        lines.set_text(later)
        drawn = [lines.render_line(y) for y in range(3)]
        assert made == []
        assert [strip.text for strip in drawn] == [
            line.plain.ljust(width) for line in later.split("\n")
        ]
