"""Pilot tests of the orders pane against the demo API over loopback (real client, real HTTP).

A tiny app hosts :class:`OrdersPane`; the tests press keys and assert on the requests the demo
server recorded (page_token and limit of each ``/v1/orders``), the rows drawn, the messages
posted and the status line.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from textual.binding import Binding
from textual.geometry import Region

from artistree_tui.demo import DemoServer
from artistree_tui.ui.orders.order_list import OrderList
from artistree_tui.ui.orders.pane import OrdersPane
from tests.support.app import list_loaded, make_app, wait_for
from tests.support.list_pilot import (
    SETTLE_LIMIT,
    Clients,
    Gate,
    ListApp,
    cursor_in_view,
    drawn,
    fetcher_of,
    requests,
    settle,
)


async def test_keyboard_walk_across_pages_prefetches_before_the_end(
    make_demo: Callable[..., DemoServer], client_for: Clients
) -> None:
    server = make_demo(orders=400, seed=5)
    ids = server.order_ids()
    app = ListApp(fetcher_of(client_for(server)), page_size=40)
    async with app.run_test(size=(120, 12)) as pilot:  # 10 visible rows
        await settle(pilot, app)
        assert requests(server) == [(None, "40")]
        assert app.pane.total == 400  # the scrollbar knows the total from the first page
        first_prefetch_at = None
        keys = ["j"] * 25 + ["pagedown"] * 4 + ["j"] * 12
        model = app.pane.order_list.model
        for key in keys:
            await pilot.press(key)
            # A request in flight is the prefetch, asked for during that key (the server
            # may log it only after a later key on a loaded machine).
            asked = model.in_flight is not None or len(requests(server)) > 1
            if first_prefetch_at is None and asked:
                first_prefetch_at = model.cursor
        await settle(pilot, app)
        cursor = app.pane.order_list.model.cursor
        assert cursor == 25 + 4 * 10 + 12
        # The second page was asked for about two screens before the cursor reached row 40.
        assert first_prefetch_at is not None and first_prefetch_at <= 40 - 15
        pages = [m.page for m in app.of(OrdersPane.PageLoaded)]
        sent = requests(server)
        assert len(sent) == 3  # rows 0..119: the third page is prefetched, no more
        assert [token for token, _ in sent[1:]] == [page.next_page_token for page in pages[:-1]]
        assert {limit for _, limit in sent} == {"40"}
        assert app.pane.highlighted_order is not None
        assert app.pane.highlighted_order.order_id == ids[cursor]
        cursor_line = next(line for line in drawn(app) if line.startswith("›"))
        assert app.pane.highlighted_order.order_title[:20] in cursor_line
        assert app.of(OrderList.Highlighted)[-1].order.order_id == ids[cursor]
        assert "120 of 400 loaded" in str(app.pane.status_text())


async def test_filter_box_types_freely_and_escape_restores_the_list(
    make_demo: Callable[..., DemoServer], client_for: Clients
) -> None:
    server = make_demo(orders=150, seed=8)
    app = ListApp(fetcher_of(client_for(server)), page_size=200)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot, app)
        orders = app.of(OrdersPane.PageLoaded)[0].page.orders
        for _ in range(3):
            await pilot.press("j")
        target = orders[3]
        await pilot.press("slash")
        filter_box = app.query_one("#orders-filter")
        assert app.focused is filter_box
        await pilot.press(*"jgks")  # vim keys type into the box; the list does not move
        assert app.pane.order_list.model.cursor == 0 and app.pane.order_list.model.filtering
        await pilot.press("ctrl+u")  # the box's own key: delete to the start
        needle = target.order_id[:9].upper()  # case-insensitive, by id
        await pilot.press(*needle)
        assert app.pane.highlighted_order == target
        # The highlight message comes after the debounce (a timer: late on a loaded machine).
        await wait_for(pilot, lambda: app.of(OrderList.Highlighted)[-1].order == target)
        highlights = len(app.of(OrderList.Highlighted))
        assert "filter “" + needle + "” · 1 match in 150 held" in str(app.pane.status_text())
        await pilot.press("escape")
        assert app.focused is app.pane.order_list
        assert not app.pane.order_list.model.filtering
        assert app.pane.highlighted_order == target  # back in the full list, same order
        assert app.pane.order_list.model.cursor == 3
        await pilot.press("j")
        await wait_for(pilot, lambda: app.of(OrderList.Highlighted)[-1].order == orders[4])
        assert len(app.of(OrderList.Highlighted)) == highlights + 1


async def test_state_filter_cycles_and_keeps_only_that_state(
    make_demo: Callable[..., DemoServer], client_for: Clients
) -> None:
    server = make_demo(orders=150, seed=8)
    app = ListApp(fetcher_of(client_for(server)), page_size=200)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot, app)
        orders = app.of(OrdersPane.PageLoaded)[0].page.orders
        await pilot.press("s", "s")  # All → In Progress → Human Certified
        model = app.pane.order_list.model
        assert model.state_filter == "Human Certified"
        expected = [o for o in orders if o.order_state == "Human Certified"]
        assert model.display_length == len(expected) > 0
        rows = [line for line in drawn(app)[1:] if line.strip()]
        assert rows and all("✓ certified" in line for line in rows)
        assert "state ✓ certified" in str(app.pane.status_text())
        await pilot.press("s", "s", "s", "s", "s")  # … → All
        assert model.state_filter is None and model.display_length == 150


async def test_failed_page_is_shown_inline_and_enter_retries_the_same_token(
    make_demo: Callable[..., DemoServer], client_for: Clients
) -> None:
    server = make_demo(orders=300, seed=9)
    ids = server.order_ids()
    app = ListApp(fetcher_of(client_for(server)), page_size=100)
    async with app.run_test(size=(120, 24)) as pilot:
        await settle(pilot, app)
        server.faults.script.append("500")
        await pilot.press("pagedown", "pagedown", "pagedown")
        await settle(pilot, app)
        failures = app.of(OrdersPane.LoadFailed)
        assert len(failures) == 1 and "500" in str(failures[0].error)
        failed_token = requests(server)[-1][0]
        await pilot.press("pagedown")
        for _ in range(100 - app.pane.order_list.model.cursor):
            await pilot.press("j")
        lines = drawn(app)
        error_line = next(line for line in lines if "page failed:" in line)
        assert "enter to retry" in error_line and error_line.startswith("›")
        assert any(line.startswith("  ") and line.strip() for line in lines[1:])  # rows above
        await pilot.press("enter")
        await settle(pilot, app)
        assert requests(server)[-2][0] == failed_token  # the retry: same token
        assert app.pane.highlighted_order is not None
        assert app.pane.highlighted_order.order_id == ids[100]
        assert not any("page failed" in line for line in drawn(app))


async def test_far_pages_are_dropped_and_fetched_again_by_their_token(
    make_demo: Callable[..., DemoServer], client_for: Clients
) -> None:
    server = make_demo(orders=600, seed=10)
    ids = server.order_ids()
    gate = Gate(fetcher_of(client_for(server)), holds=lambda token, limit: False)
    app = ListApp(gate, page_size=100, max_rows=200)
    async with app.run_test(size=(120, 24)) as pilot:
        await settle(pilot, app)
        await pilot.press(*["pagedown"] * 30)
        await settle(pilot, app)
        model = app.pane.order_list.model
        assert model.cursor == 599 and model.complete
        # Rows far from the cursor were dropped (the first page may stay pinned for the live
        # refresh); what every page was is remembered: its token, limit and count.
        dropped = next(segment for segment in model.segments if segment.rows is None)
        assert model.held_rows <= 300 + model.pinned_rows
        assert [seg.count for seg in model.segments] == [100] * 6  # 600 orders, pages of 100
        token = dropped.token
        gate.holds = lambda sent, limit: sent == token
        gate.closed = True
        before = len(requests(server))
        while model.cursor >= dropped.offset + 50:
            await pilot.press("pageup")
        await gate.until_waiting(pilot)
        # The page may be asked for before the list has scrolled to the cursor (the scroll
        # follows the next refresh): the rows drawn are those of the cursor's view only then.
        await wait_for(pilot, lambda: cursor_in_view(app), limit=SETTLE_LIMIT)
        assert any("loading…" in line for line in drawn(app))  # shown while it comes back
        gate.open()
        await settle(pilot, app)
        again = requests(server)[before:]
        assert (token, "100") in again  # same token and limit as the first time
        known = {segment.token for segment in model.segments}
        assert all(sent in known and limit == "100" for sent, limit in again)
        assert app.pane.highlighted_order is not None
        assert app.pane.highlighted_order.order_id == ids[model.cursor]
        assert app.pane.highlighted_order.order_title[:20] in "".join(drawn(app))


async def test_enter_opens_and_columns_degrade_with_width(
    make_demo: Callable[..., DemoServer], client_for: Clients
) -> None:
    server = make_demo(orders=50, seed=11)
    client = client_for(server)
    for width, present, absent in [
        (200, ("Tags", "Ordered by", "Asset", "Conf"), ()),
        (88, ("Ordered by", "Asset"), ("Tags",)),
        (80, ("State", "Title", "Asset", "Created", "Conf"), ("Tags", "Ordered by")),
        (60, ("State", "Title", "Created", "Conf"), ("Asset",)),
    ]:
        app = ListApp(fetcher_of(client), page_size=50)
        async with app.run_test(size=(width, 20)) as pilot:
            await settle(pilot, app)
            header = drawn(app)[0]
            assert all(word in header for word in present), (width, header)
            assert not any(word in header for word in absent), (width, header)
            await pilot.press("j", "enter")
            opened = app.of(OrderList.Opened)
            assert [m.order for m in opened] == [app.pane.highlighted_order]


async def test_hostile_strings_are_drawn_literally(
    make_demo: Callable[..., DemoServer], client_for: Clients
) -> None:
    server = make_demo(orders=80, seed=12)
    server.faults.hostile = True
    app = ListApp(fetcher_of(client_for(server)), page_size=80)
    async with app.run_test(size=(200, 40)) as pilot:
        await settle(pilot, app)
        for _ in range(2):
            lines = drawn(app)
            for line in lines:
                assert line.isprintable(), repr(line)
            await pilot.press("pagedown")
        assert app.is_running  # no markup error killed it


async def test_switching_scope_mid_load_shows_only_the_new_scope(
    make_demo: Callable[..., DemoServer], client_for: Clients
) -> None:
    server = make_demo(orders=300, seed=13)
    project = next(p for p in server.projects if server.order_ids(p.id))
    gate = Gate(fetcher_of(client_for(server)), holds=lambda token, limit: True)
    gate.closed = True  # the first page of All Projects is held back
    app = ListApp(gate, page_size=100)
    async with app.run_test(size=(120, 24)) as pilot:
        await gate.until_waiting(pilot)
        assert "loading…" in drawn(app)[1]
        gate.holds = lambda token, limit: False
        app.pane.load(project.id)  # the user picks a project meanwhile
        gate.open()
        await settle(pilot, app)
        loaded = app.of(OrdersPane.PageLoaded)
        assert [m.project_id for m in loaded] == [project.id]  # nothing of the old scope
        assert app.pane.project_id == project.id
        assert app.pane.total == len(server.order_ids(project.id))
        assert app.pane.highlighted_order is not None
        assert app.pane.highlighted_order.order_id == server.order_ids(project.id)[0]


async def test_bindings_have_ids_that_a_keymap_rebinds(
    make_demo: Callable[..., DemoServer], client_for: Clients
) -> None:
    server = make_demo(orders=50, seed=14)
    app = ListApp(fetcher_of(client_for(server)), page_size=50)
    async with app.run_test(size=(120, 24)) as pilot:
        await settle(pilot, app)
        ids = {binding.id for binding in OrderList.BINDINGS if isinstance(binding, Binding)}
        assert {"list.down", "list.up", "list.bottom", "list.filter", "list.cancel"} <= ids
        app.set_keymap({"list.down": "n", "list.state_filter": "f2"})
        await pilot.press("n", "n")
        assert app.pane.order_list.model.cursor == 2
        await pilot.press("f2")
        assert app.pane.order_list.model.state_filter is not None


@pytest.mark.parametrize(
    ("size", "hidden"),
    [
        ((200, 50), ()),
        ((120, 40), ()),
        ((100, 30), ("Ordered by", "Tags")),
        ((80, 24), ("Asset", "Ordered by", "Tags")),
    ],
)
async def test_the_console_shows_every_column_from_120_terminal_columns(
    make_demo: Callable[..., DemoServer], size: tuple[int, int], hidden: tuple[str, ...]
) -> None:
    """The real console's layout (sidebar, list, detail): all seven columns at 120 (list above
    detail) and 200 (list beside detail) columns; fewer, never cut titles, below."""
    server = make_demo(orders=60, seed=15)
    app = make_app(server)
    async with app.run_test(size=size) as pilot:
        await wait_for(pilot, lambda: list_loaded(app))
        widget = app.main_screen.orders.order_list
        lines = widget.render_lines(Region(0, 0, widget.size.width, widget.size.height))
        header, first = lines[0].text, lines[1].text
        titles = ("State", "Title", "Asset", "Ordered by", "Created", "Conf", "Tags")
        assert [t for t in titles if t not in header] == list(hidden), (size, header)
        order = app.main_screen.orders.highlighted_order
        assert order is not None
        if "Tags" not in hidden and order.tags:
            assert order.tags[0][:5] in first
        if "Ordered by" not in hidden:
            assert (order.ordered_by or order.username)[:8] in first
