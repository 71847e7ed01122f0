"""The order list is a view of the local order index, read by position: every indexed order
is there at once (``G`` is a jump, no request is made), the keys move by rows, half pages and
pages, memory stays bounded, and the columns degrade with the width.

A tiny app hosts :class:`OrdersPane` over a real SQLite index that the real sync filled from a
demo API over loopback HTTP; the list itself has no API client at all.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest
from textual.binding import Binding

from artistree_tui.demo import DemoServer
from artistree_tui.store import Index
from artistree_tui.ui.orders import source
from artistree_tui.ui.orders.order_list import OrderList
from tests.support.list_pilot import ListApp, drawn, settle, shown

IndexOf = Callable[[DemoServer], Awaitable[Index]]


async def test_every_indexed_order_is_listed_and_G_jumps_to_the_oldest(
    make_demo: Callable[..., DemoServer], index_of: IndexOf
) -> None:
    server = make_demo(orders=300, seed=5)
    ids = server.order_ids()  # newest first, as the API lists them
    index = await index_of(server)
    server.clear_requests()
    app = ListApp(index)
    async with app.run_test(size=(120, 24)) as pilot:  # 21 rows of orders
        await settle(pilot, app)
        model = app.order_list.model
        assert model.count == 300 and app.pane.loaded_count == 300
        assert app.pane.highlighted_order is not None
        assert app.pane.highlighted_order.order_id == ids[0]
        await pilot.press("G")
        await shown(pilot, app)
        assert model.cursor == 299
        assert app.pane.highlighted_order.order_id == ids[-1]  # the oldest order
        cursor_line = next(line for line in drawn(app) if line.startswith("›"))
        assert app.pane.highlighted_order.order_title[:15] in cursor_line
        assert "row 300/300" in app.pane.position_text()
        assert "300 orders" in str(app.pane.status_text())
        await pilot.press("g")
        assert model.cursor == 0
        assert server.recorded() == []  # the list read the index, never the API


async def test_half_pages_pages_and_rows(
    make_demo: Callable[..., DemoServer], index_of: IndexOf
) -> None:
    server = make_demo(orders=300, seed=5)
    ids = server.order_ids()
    app = ListApp(await index_of(server))
    async with app.run_test(size=(120, 24)) as pilot:
        await settle(pilot, app)
        widget = app.order_list
        visible = widget.scrollable_content_region.height - 1  # the header takes a line
        half = visible // 2
        await pilot.press("ctrl+d")
        assert widget.model.cursor == half
        await pilot.press("ctrl+d", "ctrl+d")
        assert widget.model.cursor == 3 * half
        await pilot.press("ctrl+u")
        assert widget.model.cursor == 2 * half
        await pilot.press("pagedown", "j", "j", "k")
        assert widget.model.cursor == 2 * half + visible + 1
        await pilot.press("pageup")
        assert widget.model.cursor == 2 * half + 1
        await shown(pilot, app)
        assert app.pane.highlighted_order is not None
        assert app.pane.highlighted_order.order_id == ids[2 * half + 1]
        assert app.of(OrderList.Highlighted)[-1].order.order_id == ids[2 * half + 1]
        await pilot.press("enter")
        assert [m.order.order_id for m in app.of(OrderList.Opened)] == [ids[2 * half + 1]]


async def test_rows_held_stay_bounded_however_far_the_cursor_goes(
    make_demo: Callable[..., DemoServer], index_of: IndexOf, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(source, "MAX_BLOCKS", 3)  # 3 × 64 rows at most, of 1,200
    server = make_demo(orders=1200, seed=5)
    ids = server.order_ids()
    app = ListApp(await index_of(server))
    async with app.run_test(size=(120, 24)) as pilot:
        await settle(pilot, app)
        window = app.order_list.model.window
        for _ in range(60):
            await pilot.press("pagedown")
            assert window.held <= 3 * source.BLOCK
        await shown(pilot, app)
        cursor = app.order_list.model.cursor
        assert cursor == 1199
        await pilot.press("g")
        await shown(pilot, app)
        assert window.held <= 3 * source.BLOCK
        # Rows read again from the index after being dropped are the same rows.
        assert app.pane.highlighted_order is not None
        assert app.pane.highlighted_order.order_id == ids[0]
        first = drawn(app)[1]
        assert app.pane.highlighted_order.order_title[:15] in first


async def test_columns_degrade_with_width_and_keys_have_ids(
    make_demo: Callable[..., DemoServer], index_of: IndexOf
) -> None:
    index = await index_of(make_demo(orders=50, seed=11))
    for width, present, absent in [
        (200, ("Tags", "Ordered by", "Asset", "Conf"), ()),
        (88, ("Ordered by", "Asset"), ("Tags",)),
        (60, ("State", "Title", "Created", "Conf"), ("Asset",)),
    ]:
        app = ListApp(index)
        async with app.run_test(size=(width, 20)) as pilot:
            await settle(pilot, app)
            header = drawn(app)[0]
            assert all(word in header for word in present), (width, header)
            assert not any(word in header for word in absent), (width, header)
    ids = {binding.id for binding in OrderList.BINDINGS if isinstance(binding, Binding)}
    assert {
        "list.half_down",
        "list.half_up",
        "list.state_filter_back",
        "list.next_marked",
        "list.previous_marked",
        "list.clear_marks",
        "list.sort_next",
        "list.sort_invert",
    } <= ids
    app = ListApp(index)
    async with app.run_test(size=(120, 24)) as pilot:
        await settle(pilot, app)
        app.set_keymap({"list.down": "ctrl+n", "list.state_filter": "f2"})
        await pilot.press("ctrl+n", "ctrl+n")
        assert app.order_list.model.cursor == 2
        await pilot.press("f2")
        await settle(pilot, app)
        assert app.pane.view_spec.states == frozenset({"In Progress"})
