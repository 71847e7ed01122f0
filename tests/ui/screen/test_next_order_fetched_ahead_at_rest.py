"""Once the cursor rests on an order, the next one is fetched ahead, so ``j`` shows it at once.

Over real loopback HTTP against the demo, with the real console (preview on): resting on an
order fetches the next order's full order and picture exactly once; ``j`` then draws the
detail complete and paints the picture from the caches, without a request for that order.
A held key fetches nothing ahead for the orders it passes over; a move cancels a prefetch
under way (its answer is never cached, its picture never downloaded); ``prefetch = false``
fetches nothing ahead. Requests are counted in the demo server's request log. The next order's
header is rendered ahead too, so ``j`` only looks its lines up.
"""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from functools import partial
from typing import Any
from urllib.parse import urlsplit

import pytest
from textual import events

from artistree_tui.api.models import Order
from artistree_tui.demo import FaultConfig
from artistree_tui.ui.app import ConsoleApp
from artistree_tui.ui.detail import timing
from artistree_tui.ui.detail.lines import TextLines
from artistree_tui.ui.preview import panel as panel_module
from artistree_tui.ui.preview.panel import SHOWN, PreviewPanel
from artistree_tui.ui.screen import prefetch
from tests.support.app import cursor_shown, list_loaded, make_app, settled, wait_for
from tests.support.held_keys import moves_seen, stalls

SIZE = (170, 50)
PRESSES = 15
KEY_REPEAT = 1 / 12  # seconds between two presses of a held key (an input rate, not a wait)


def order_fetches(demo: Any, order: Order) -> int:
    """``GET /v1/orders/{id}`` requests for ``order`` the demo received."""
    return len(demo.recorded(f"/v1/orders/{order.order_id}"))


def picture_fetches(demo: Any, order: Order) -> int:
    """Downloads of ``order``'s preview picture the demo received."""
    assert order.asset_preview_url
    return len(demo.recorded(urlsplit(order.asset_preview_url).path))


def fetches(demo: Any, order: Order) -> int:
    return order_fetches(demo, order) + picture_fetches(demo, order)


def rows(app: ConsoleApp, count: int) -> list[Order]:
    """The list's first ``count`` orders (the cursor on the first)."""
    order_list = app.main_screen.orders.order_list
    assert order_list.cursor == 0
    first = order_list.highlighted_order
    assert first is not None
    return [first] + [o for step in range(1, count) if (o := order_list.neighbour(step))]


async def rested(pilot: Any, app: ConsoleApp, order: Order) -> None:
    """Wait until the cursor rests on ``order``, drawn, with its neighbours fetched ahead."""
    screen = app.main_screen
    await wait_for(
        pilot,
        lambda: screen.prefetch.finished and screen.prefetch.around == order.order_id,
        state=lambda: (screen.prefetch.around, screen.prefetch.fetching, screen.detail.order_id),
    )


@asynccontextmanager
async def at_rest_on_the_first(
    make_demo: Any, count: int = 3
) -> AsyncIterator[tuple[Any, ConsoleApp, Any, list[Order]]]:
    """The console, fetching ahead, on a demo of 120 orders, its cursor at rest on the first
    order (its neighbour fetched ahead): ``(demo, app, pilot, the first count rows)``."""
    demo = make_demo(orders=120, seed=7)
    # Time stands still for the demo: no order completes and none arrives while a test runs
    # (a state change drops what was fetched ahead, and draws the order again).
    demo.hold_clock()
    app = make_app(demo, preview="halfblock", prefetch=True)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: list_loaded(app))
        # The sync and project discovery over too: a full page they write later draws the
        # detail again (CI saw the header made anew as j was pressed).
        await wait_for(pilot, lambda: settled(app))
        orders = rows(app, count)
        await rested(pilot, app, orders[0])
        yield demo, app, pilot, orders


async def test_resting_fetches_the_next_order_once_and_j_shows_it_from_the_caches(
    make_demo: Any,
) -> None:
    async with at_rest_on_the_first(make_demo) as (demo, app, pilot, orders):
        _first, second, third = orders
        assert second.asset_preview_url and third.asset_preview_url
        assert order_fetches(demo, second) == 1 and picture_fetches(demo, second) == 1
        assert fetches(demo, third) == 0  # one order ahead (none behind the first)
        screen = app.main_screen
        panel = screen.query_one(PreviewPanel)
        await pilot.press("j")
        assert (await cursor_shown(pilot, app)).order_id == second.order_id
        # Drawn complete and painted from the caches as the key was handled: no wait, no load.
        assert screen.detail.complete and screen.detail.order == screen.detail.cache.get(
            second.order_id
        )
        assert panel.order is not None and panel.order.order_id == second.order_id
        assert panel.status == SHOWN and panel.rendering is not None
        await rested(pilot, app, second)  # the next one fetched ahead in turn
        assert order_fetches(demo, second) == 1 and picture_fetches(demo, second) == 1
        assert order_fetches(demo, third) == 1 and picture_fetches(demo, third) == 1


async def test_a_held_key_fetches_nothing_ahead_for_the_orders_it_passes(
    make_demo: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The rests widened (as in test_preview_loads_once_the_cursor_rests.py): on a loaded
    # machine keys reach the panes late and unevenly, and a held key must read as one move.
    monkeypatch.setattr(panel_module, "REST", 0.6)
    monkeypatch.setattr(timing, "REST", 0.6)
    monkeypatch.setattr(prefetch, "REST", 1.0)
    async with at_rest_on_the_first(make_demo, PRESSES + 3) as (demo, app, pilot, orders):
        moves = moves_seen(app, monkeypatch)
        for _ in range(PRESSES):
            app.post_message(events.Key("j", "j"))  # as a terminal delivers a held key
            await asyncio.sleep(KEY_REPEAT)
        last = await cursor_shown(pilot, app)
        stop = [o.order_id for o in orders].index(last.order_id)
        await rested(pilot, app, last)
        # Where it stopped: that order and its neighbours; nothing for the orders passed over.
        # A row the console itself saw the cursor stay on for a rest (a stall of the loaded
        # machine between two repeats) may load as a stop does, and so may the row the next
        # repeat lands on (a press after a rest is a press at rest): those rows are left out.
        excused = {n for row in stalls(moves, timing.REST) for n in (row, row + 1)}
        excused.update(n for row in stalls(moves, prefetch.REST) for n in (row - 1, row + 1))
        passed = {
            position: fetches(demo, orders[position])
            for position in range(2, stop - 1)
            if position not in excused
        }
        assert len(passed) >= 3, (passed, moves)
        assert set(passed.values()) == {0}, (passed, moves)
        assert order_fetches(demo, orders[stop + 1]) == 1


async def test_moving_cancels_a_prefetch_under_way(make_demo: Any) -> None:
    async with at_rest_on_the_first(make_demo) as (demo, app, pilot, orders):
        first, second, third = orders
        screen = app.main_screen
        demo.faults = FaultConfig(latency_ms=1500)  # every API answer late from now on
        await pilot.press("j")  # the second order: cached, drawn at once
        assert (await cursor_shown(pilot, app)).order_id == second.order_id
        await wait_for(
            pilot,
            lambda: (
                screen.prefetch.fetching is not None
                and screen.prefetch.fetching.order_id == third.order_id
            ),
        )
        await pilot.press("k")  # back to the first while the third's full order is on its way
        assert (await cursor_shown(pilot, app)).order_id == first.order_id
        await wait_for(pilot, lambda: order_fetches(demo, third) == 1)  # the server answered
        await rested(pilot, app, first)
        await pilot.pause(0.2)  # an answer not cancelled would be handled by now
        assert screen.detail.cache.get(third.order_id) is None
        assert picture_fetches(demo, third) == 0


async def test_no_prefetch_when_the_setting_is_off(
    make_demo: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(prefetch, "REST", 0.05)
    demo = make_demo(orders=120, seed=7)
    app = make_app(demo, preview="halfblock", prefetch=False)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: list_loaded(app))
        _first, second = rows(app, 2)
        panel = app.main_screen.query_one(PreviewPanel)
        await wait_for(pilot, lambda: app.main_screen.detail.complete and panel.status == SHOWN)
        await pilot.pause(0.5)  # ten rests: a prefetch would have started
        assert fetches(demo, second) == 0
        await pilot.press("j")
        assert (await cursor_shown(pilot, app)).order_id == second.order_id
        await wait_for(pilot, lambda: panel.status == SHOWN)
        assert order_fetches(demo, second) == 1 and picture_fetches(demo, second) == 1


async def test_j_paints_the_picture_fetched_ahead_once_with_its_regions_and_selection(
    make_demo: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The picture is in memory when j is pressed: it must be painted as it will stay (the
    # full order's regions, the first one selected), not first as the list's copy (no
    # regions) and then again: every picture painted crosses the wire (~16 KiB). When the
    # pane grows (the first orders of a session), it is painted after the relayout.
    demo = make_demo(orders=120, seed=7)
    # Time stands still for the demo: no order completes and none arrives while a test runs
    # (a state change drops what was fetched ahead, and draws the order again).
    demo.hold_clock()
    app = make_app(demo, preview="halfblock", prefetch=True)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: list_loaded(app))
        screen = app.main_screen
        panel = screen.query_one(PreviewPanel)
        painted: list[tuple[str, int | None, int, int]] = []
        repaint = panel._repaint

        def recording(*, layout: bool = False) -> None:
            repaint(layout=layout)
            if panel.order is not None and panel.rendering is not None:
                regions = len(panel.rendering.regions)
                painted.append((panel.order.order_id, panel.selected, regions, panel.region.y))

        monkeypatch.setattr(panel, "_repaint", recording)
        grew: list[bool] = []
        counts: list[int] = []
        order = await cursor_shown(pilot, app)
        for _ in range(6):
            await rested(pilot, app, order)
            following = screen.orders.order_list.neighbour(1)
            assert following is not None
            full = screen.detail.cache.get(following.order_id)
            assert full is not None  # fetched ahead
            painted.clear()
            await pilot.press("j")
            order = await cursor_shown(pilot, app)
            assert order.order_id == following.order_id
            await wait_for(pilot, lambda: panel.status == SHOWN and panel.order == full)  # noqa: B023
            await pilot.pause()
            grew.append(screen.detail.relaid_out)
            assert panel.rendering is not None
            # Painted as it stays: the selection, the regions, and where it lands.
            drawn = len(panel.rendering.regions)
            expected = (0 if full.annotations else None, drawn, panel.region.y)
            counts.append(drawn)
            assert {p[1:] for p in painted if p[0] == order.order_id} == {expected}
            assert picture_fetches(demo, order) == 1  # the prefetch's, none since
        assert any(grew)  # the pane grew at least once: the picture waited for the relayout
        assert any(counts)  # and some of these orders have regions to draw


async def test_the_header_of_the_order_fetched_ahead_is_rendered_before_j(
    make_demo: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``j`` draws the next order's header in the frame with its picture: its lines were
    rendered while the cursor rested, so that frame only looks them up."""
    async with at_rest_on_the_first(make_demo) as (_demo, app, pilot, orders):
        second = orders[1]
        header = app.main_screen.detail.query_one("#detail-header", TextLines)
        made: list[str] = []
        make = TextLines._make_strip

        def counted(self: TextLines, line: Any, width: int, style: Any) -> Any:
            if self is header:
                made.append(line.plain)
            return make(self, line, width, style)

        monkeypatch.setattr(TextLines, "_make_strip", counted)
        await pilot.press("j")
        assert (await cursor_shown(pilot, app)).order_id == second.order_id
        await pilot.pause()
        assert second.order_title and second.order_title[:10] in header.plain
        assert made == [], made


def showing(panel: PreviewPanel, order_id: str) -> bool:
    return panel.order is not None and panel.order.order_id == order_id


async def test_j_makes_the_frame_with_the_picture_while_the_key_is_handled(
    make_demo: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The frame that carries ``j``'s cursor, the picture fetched ahead and the header is made
    while the key is handled, not once the messages the key posted have gone round. (The
    first orders of a session grow the pane: those draw first, and are skipped here.)"""
    async with at_rest_on_the_first(make_demo, count=8) as (_demo, app, pilot, orders):
        screen = app.main_screen
        panel = screen.query_one(PreviewPanel)
        header = screen.detail.query_one("#detail-header", TextLines)
        order_list = screen.orders.order_list
        handling = False
        frames: list[tuple[bool, set[Any]]] = []
        refresh = screen._compositor_refresh

        def frame() -> None:
            frames.append((handling, set(screen._dirty_widgets)))
            refresh()

        monkeypatch.setattr(screen, "_compositor_refresh", frame)
        action = type(order_list).action_cursor_down

        def down(self: Any) -> None:
            nonlocal handling
            handling = True
            try:
                action(self)
            finally:
                handling = False

        monkeypatch.setattr(type(order_list), "action_cursor_down", down)
        painted_first: list[bool] = []
        paint_first = screen.follow._paint_first

        def watched(order: Order) -> bool:
            painted_first.append(paint_first(order))
            return painted_first[-1]

        monkeypatch.setattr(screen.follow, "_paint_first", watched)
        checked = 0
        for before, after in itertools.pairwise(orders):
            await rested(pilot, app, before)
            frames.clear()
            painted_first.clear()
            await pilot.press("j")
            assert (await cursor_shown(pilot, app)).order_id == after.order_id
            await wait_for(pilot, partial(showing, panel, after.order_id))
            if painted_first[:1] != [True]:  # on the list's move, before its message
                continue  # the pane grew: it draws first
            checked += 1
            assert frames, "no frame"
            during, dirty = frames[0]
            assert during, frames
            assert {order_list, panel, header} <= dirty, dirty
        assert checked >= 2, checked
