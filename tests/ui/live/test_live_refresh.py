"""Pilot tests of the live refresh against the demo API (real client, real HTTP): new orders
marked at the top with the cursor kept, changed orders marked, removed ones gone, the filter
kept, the Action Required notification and bell, the detail pane following its order, and the
``a`` toggle. Expected values come from the demo server's own truth, read at assert time.

The demo clock also runs in real time; the clock jumps here (``advance``) are chosen so that
nothing changes in the few seconds a test takes (new orders every 30 s, none completing
within a minute of the jump).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from artistree_tui.api.auth import ClientCredentials
from artistree_tui.api.client import ArtistreeClient
from artistree_tui.api.models import OrdersPage
from artistree_tui.ui.app import ConsoleApp
from artistree_tui.ui.live.connection import ClientEventRelay
from artistree_tui.ui.live.refresher import LiveRefresher
from artistree_tui.ui.screen.main import MainScreen
from artistree_tui.ui.stats.bar import StatsBar
from tests.support.app import (
    SIZE,
    cursor_shown,
    demo_settings,
    list_loaded,
    notifications,
    wait_for,
)
from tests.support.live import FAST_RETRY, advance_uploads, list_orders_shown, live_app, status

ACTION = "Action Required"


def gutter(screen: MainScreen, index: int) -> str:
    """The two gutter cells of display row ``index`` as drawn (cursor mark, live mark)."""
    order_list = screen.orders.order_list
    y = index - round(order_list.scroll_offset.y) + 1
    return "".join(segment.text for segment in order_list.render_line(y))[:2]


async def refreshed(pilot: Any, screen: MainScreen) -> None:
    """Run one live refresh now and wait for its merge."""
    count = screen.live.refresh_count
    assert screen.live.refresh_live()
    await wait_for(pilot, lambda: screen.live.refresh_count > count)


async def test_new_orders_appear_marked_at_the_top_and_the_cursor_stays(make_demo: Any) -> None:
    demo = make_demo(orders=300, seed=7, new_order_every=30)
    app = live_app(demo)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: list_loaded(app))
        screen = app.main_screen
        await pilot.press("j", "j", "j")
        kept = await cursor_shown(pilot, app)
        assert screen.orders.order_list.model.cursor == 3
        before = {order.order_id for order in list_orders_shown(screen, 200)}
        advance_uploads(demo, 2, every=30)
        await refreshed(pilot, screen)
        truth = demo.order_ids()
        new_ids = [order_id for order_id in truth[:5] if order_id not in before]
        assert len(new_ids) == 2
        shown = [order.order_id for order in list_orders_shown(screen, 5)]
        assert shown == truth[:5]
        model = screen.orders.order_list.model
        assert model.highlighted_order is not None
        assert model.highlighted_order.order_id == kept.order_id and model.cursor == 5
        assert [gutter(screen, 0), gutter(screen, 1), gutter(screen, 2)] == [" +", " +", "  "]
        assert "+2 new" in status(screen)
        # Resting the cursor on a new order is seeing it: its mark goes.
        await pilot.press("g")
        await wait_for(pilot, lambda: screen.live.marks.get(new_ids[0]) == "")
        assert gutter(screen, 0) == "› " and screen.live.marks.get(new_ids[1]) == "+"


async def test_changed_orders_are_marked_and_counts_update(make_demo: Any) -> None:
    demo = make_demo(orders=300, seed=7, new_order_every=30)
    app = live_app(demo)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: list_loaded(app))
        screen = app.main_screen
        before = {o.order_id: o.order_state for o in list_orders_shown(screen, 200)}
        demo.advance(1100)  # every In Progress order of the first load has finished
        await refreshed(pilot, screen)
        shown = list_orders_shown(screen, 200)
        changed = [o for o in shown if o.order_id in before and before[o.order_id] != o.order_state]
        assert changed, "the demo should complete some orders of the first page"
        for order in changed:
            assert order.order_state == demo.order_state(order.order_id)
            assert screen.live.marks.get(order.order_id) == "*"
        total = demo.stats()["total_orders"]
        assert screen.query_one(StatsBar).stats is not None
        assert screen.query_one(StatsBar).stats.total == total


async def test_the_filter_is_kept_and_new_matches_join_it(make_demo: Any) -> None:
    demo = make_demo(orders=300, seed=7, new_order_every=30)
    app = live_app(demo)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: list_loaded(app))
        screen = app.main_screen
        model = screen.orders.order_list.model
        await pilot.press("s", "s", "s")  # All → In Progress → Certified → Action Required
        assert model.state_filter == ACTION
        await pilot.press("j")
        kept = await cursor_shown(pilot, app)
        demo.advance(1100)
        await refreshed(pilot, screen)
        assert model.state_filter == ACTION and model.filtering
        assert model.highlighted_order is not None
        assert model.highlighted_order.order_id == kept.order_id
        matches = [model.row(i).order for i in range(model.display_length)]
        assert all(order is not None and order.order_state == ACTION for order in matches)
        assert any(screen.live.marks.get(o.order_id) for o in matches if o is not None)


class HidingClient(ArtistreeClient):
    """The real client, but orders in ``hidden`` are left out of list pages, as if deleted
    on the server (the demo never deletes orders)."""

    def __init__(self, *args: Any, **options: Any) -> None:
        super().__init__(*args, **options)
        self.hidden: set[str] = set()

    async def list_orders(self, project_id: str, **options: Any) -> OrdersPage:
        page = await super().list_orders(project_id, **options)
        orders = tuple(o for o in page.orders if o.order_id not in self.hidden)
        return replace(page, orders=orders)


async def test_a_removed_order_goes_and_the_cursor_stays_on_its_order(make_demo: Any) -> None:
    demo = make_demo(orders=300, seed=7)
    relay = ClientEventRelay()
    auth = ClientCredentials(demo.token_url, demo.client_id, demo.client_secret)
    client = HidingClient(demo.base_url, auth, retry=FAST_RETRY, on_event=relay)
    app = ConsoleApp(demo_settings(demo), client, client_events=relay)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: list_loaded(app))
        screen = app.main_screen
        await pilot.press("j", "j", "j", "j")
        kept = await cursor_shown(pilot, app)
        model = screen.orders.order_list.model
        gone = list_orders_shown(screen, 3)[1].order_id
        client.hidden.add(gone)
        await refreshed(pilot, screen)
        assert gone not in [o.order_id for o in list_orders_shown(screen, 200)]
        assert model.highlighted_order is not None and kept is not None
        assert model.highlighted_order.order_id == kept.order_id and model.cursor == 3


async def test_action_required_is_announced_with_the_bell(make_demo: Any, monkeypatch: Any) -> None:
    demo = make_demo(orders=300, seed=7, new_order_every=30)
    app = live_app(demo, bell=True)
    bells: list[int] = []
    monkeypatch.setattr(app, "bell", lambda: bells.append(1))
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: list_loaded(app))
        screen = app.main_screen
        before = {o.order_id: o.order_state for o in list_orders_shown(screen, 200)}
        demo.advance(1100)
        await refreshed(pilot, screen)
        entered = [
            o
            for o in list_orders_shown(screen, 200)
            if o.order_state == ACTION and before.get(o.order_id) != ACTION
        ]
        assert entered, "the demo should turn some orders Action Required"
        notes = [n for n in app._notifications if n.title == "Action required"]
        assert len(notes) == 1 and len(bells) == 1
        assert f"{len(entered)} orders need action" in notes[0].message
        assert notes[0].markup is False  # titles are data, never markup
        # Nothing new: no second notification, no second bell.
        await refreshed(pilot, screen)
        assert len([n for n in app._notifications if n.title == "Action required"]) == 1
        assert len(bells) == 1


async def test_no_bell_unless_configured(make_demo: Any, monkeypatch: Any) -> None:
    demo = make_demo(orders=300, seed=7, new_order_every=30)
    app = live_app(demo)
    bells: list[int] = []
    monkeypatch.setattr(app, "bell", lambda: bells.append(1))
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: list_loaded(app))
        demo.advance(1100)
        await refreshed(pilot, app.main_screen)
        assert any("need action" in text for text in notifications(app))
        assert bells == []


async def test_the_detail_pane_follows_its_order_when_it_changes(make_demo: Any) -> None:
    demo = make_demo(orders=300, seed=7, new_order_every=30)
    app = live_app(demo)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: list_loaded(app))
        screen = app.main_screen
        running = next(o for o in list_orders_shown(screen, 50) if o.order_state == "In Progress")
        assert screen.orders.select_order_id(running.order_id)
        detail = screen.detail
        await wait_for(pilot, lambda: detail.order_id == running.order_id and detail.complete)
        demo.advance(1100)
        await refreshed(pilot, screen)
        final = demo.order_state(running.order_id)
        assert final != "In Progress"
        await wait_for(
            pilot,
            lambda: (
                detail.complete and detail.order is not None and detail.order.order_state == final
            ),
        )
        assert detail.order.analyses  # the full order, fetched again
        # Marked while under the cursor: the mark stays until the cursor leaves it.
        assert screen.live.marks.get(running.order_id) == "*"
        await pilot.press("j")
        await wait_for(pilot, lambda: screen.live.marks.get(running.order_id) == "")


async def test_auto_refresh_runs_by_itself_and_a_toggles_it(make_demo: Any) -> None:
    demo = make_demo(orders=300, seed=7)
    app = live_app(demo, refresh_seconds=0.2)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: list_loaded(app))
        screen = app.main_screen
        assert "auto-refresh every 0.2 s" in status(screen)
        await wait_for(pilot, lambda: screen.live.refresh_count >= 2)
        assert "refreshed " in status(screen)
        await pilot.press("a")
        assert not screen.live.live_auto and "auto-refresh off" in status(screen)
        await wait_for(pilot, lambda: not screen.live.refreshing)
        count = screen.live.refresh_count
        await pilot.pause(0.6)
        assert screen.live.refresh_count == count
        await pilot.press("a")
        await wait_for(pilot, lambda: screen.live.refresh_count > count)
        assert screen.live.live_auto


async def test_auto_refresh_off_by_config_turns_on_with_the_default_interval(
    demo_server: Any,
) -> None:
    app = live_app(demo_server, refresh_seconds=0.0)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: list_loaded(app))
        screen = app.main_screen
        assert "auto-refresh off" in status(screen)
        await pilot.press("a")
        await wait_for(pilot, lambda: screen.live.refresh_count == 1)
        assert f"auto-refresh every {LiveRefresher.DEFAULT_INTERVAL:g} s" in status(screen)
