"""Pilot tests of the console kept current by the index sync (real client, real HTTP, real
SQLite): new orders marked ``+`` at the top with the cursor kept on its order, changed ones
``*`` and the counts following, the filter kept, removed orders shown as removed, the Action
Required notification and bell, the detail pane following its order, ``x`` clearing the
marks, and ``a`` turning the head refresh off and on. Expected values come from the demo
server's own truth, read at assert time.

The demo clock also runs in real time; the clock jumps here (``advance``) are chosen so that
nothing changes in the few seconds a test takes (new orders every 30 s, none completing
within a minute of the jump).
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from artistree_tui.store import Row
from artistree_tui.sync import SyncSettings
from artistree_tui.ui.live import refresher
from artistree_tui.ui.live.refresher import LiveRefresher
from artistree_tui.ui.screen.main import MainScreen
from artistree_tui.ui.stats.bar import StatsBar
from tests.support.app import SIZE, cursor_shown, notifications, sync_done, wait_for
from tests.support.live import advance_uploads, list_orders_shown, live_app, quiet, status

ACTION = "Action Required"
STATS = {
    "In Progress": "total_in_progress",
    "Human Certified": "total_certified",
    "Action Required": "total_action_required",
    "Reviewed": "total_reviewed",
    "Failed": "total_failed",
    "Unsupported File": "total_unsupported",
}


def gutter(screen: MainScreen, index: int) -> str:
    """The two gutter cells of display row ``index`` as drawn (cursor mark, new/changed)."""
    order_list = screen.orders.order_list
    y = index - round(order_list.scroll_offset.y) + 1
    return "".join(segment.text for segment in order_list.render_line(y))[:2]


async def refreshed(pilot: Any, app: Any) -> None:
    """``r``: the sync reads the head now; wait until it has and the list shows it."""
    screen = app.main_screen
    count = screen.live.refresh_count
    await pilot.press("r")
    await wait_for(pilot, lambda: screen.live.refresh_count > count and sync_done(app))


def rows(screen: MainScreen) -> list[Row]:
    return list_orders_shown(screen, 10_000)


async def test_new_orders_appear_marked_at_the_top_and_the_cursor_stays(make_demo: Any) -> None:
    demo = make_demo(orders=300, seed=7, new_order_every=30)
    app = live_app(demo)
    async with app.run_test(size=SIZE) as pilot:
        await quiet(pilot, app)
        screen = app.main_screen
        await pilot.press("j", "j", "j")
        kept = await cursor_shown(pilot, app)
        model = screen.orders.order_list.model
        advance_uploads(demo, 2, every=30)
        await refreshed(pilot, app)
        truth = demo.order_ids()
        await wait_for(
            pilot, lambda: [r.order_id for r in list_orders_shown(screen, 5)] == truth[:5]
        )
        assert model.highlighted is not None
        assert model.highlighted.order_id == kept.order_id and model.cursor == 5
        assert [gutter(screen, 0), gutter(screen, 1), gutter(screen, 2)] == [" +", " +", "  "]
        assert "+/* 2 new or changed" in status(screen)
        assert "2 new or changed (n/N)" in str(screen.orders.status_text())
        await pilot.press("x")  # seen them: the marks go
        await wait_for(pilot, lambda: model.marked == 0)
        assert gutter(screen, 0) == "  " and "new or changed" not in status(screen)


async def test_changed_orders_are_marked_and_counts_follow(make_demo: Any) -> None:
    demo = make_demo(orders=300, seed=7, new_order_every=30)
    app = live_app(demo)
    async with app.run_test(size=SIZE) as pilot:
        await quiet(pilot, app)
        demo.hold_clock()  # the truth below is the one the refresh read, however slow the box
        screen = app.main_screen
        before = {row.order_id: row.order_state for row in rows(screen)}
        demo.advance(1100)  # every In Progress order has finished
        await refreshed(pilot, app)
        await wait_for(pilot, lambda: screen.orders.order_list.model.marked > 0)
        changed = [
            r for r in rows(screen) if before.get(r.order_id, r.order_state) != r.order_state
        ]
        assert changed, "the demo should complete some orders"
        model = screen.orders.order_list.model
        for row in changed:
            assert row.order_state == demo.order_state(row.order_id)
            assert model.mark(row) == "*"
        counts = screen.query_one(StatsBar).counts
        assert counts is not None and counts.complete
        truth = demo.stats()
        assert {state: counts.get(state) for state in STATS} == {
            state: truth[key] for state, key in STATS.items()
        }


async def test_the_filter_is_kept_and_changed_orders_join_it(make_demo: Any) -> None:
    demo = make_demo(orders=300, seed=7, new_order_every=30)
    app = live_app(demo)
    async with app.run_test(size=SIZE) as pilot:
        await quiet(pilot, app)
        demo.hold_clock()  # the truth below is the one the refresh read, however slow the box
        screen = app.main_screen
        model = screen.orders.order_list.model
        await pilot.press("s", "s", "s")  # All → In Progress → Certified → Action Required
        await pilot.press("j")
        kept = await cursor_shown(pilot, app)
        count = model.count
        demo.advance(1100)
        await refreshed(pilot, app)
        assert screen.orders.view_spec.states == frozenset({ACTION})
        assert model.highlighted is not None and model.highlighted.order_id == kept.order_id
        shown = rows(screen)
        assert len(shown) == demo.stats()["total_action_required"] > count
        assert all(row.order_state == ACTION for row in shown)
        assert any(model.mark(row) == "*" for row in shown)


async def test_a_removed_order_is_shown_removed_and_the_cursor_stays(make_demo: Any) -> None:
    demo = make_demo(orders=300, seed=7, new_order_every=0)
    app = live_app(demo)
    # A complete re-sweep every few hundredths of a second: the removal is seen at once.
    app.sync_settings = SyncSettings(rate=0, refresh_seconds=0, resync_minutes=0.001)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: sync_done(app))
        screen = app.main_screen
        await pilot.press("j", "j", "j", "j")
        kept = await cursor_shown(pilot, app)
        model = screen.orders.order_list.model
        gone = list_orders_shown(screen, 3)[1].order_id
        demo.remove_order(gone)
        await wait_for(pilot, lambda: (r := model.row(1)) is not None and r.gone is not None)
        assert model.row(1).order_id == gone  # type: ignore[union-attr]
        assert "⊖ removed" in "".join(s.text for s in screen.orders.order_list.render_line(2))
        assert model.highlighted is not None
        assert model.highlighted.order_id == kept.order_id and model.cursor == 4
        assert model.count == 300  # shown as removed, never dropped
        counts = screen.query_one(StatsBar).counts
        await wait_for(
            pilot, lambda: (c := screen.query_one(StatsBar).counts) is not None and c.total == 299
        )
        assert counts is not None


async def test_action_required_is_announced_with_the_bell(make_demo: Any, monkeypatch: Any) -> None:
    demo = make_demo(orders=300, seed=7, new_order_every=30)
    app = live_app(demo, bell=True)
    bells: list[int] = []
    monkeypatch.setattr(app, "bell", lambda: bells.append(1))
    async with app.run_test(size=SIZE) as pilot:
        await quiet(pilot, app)
        screen = app.main_screen
        before = {row.order_id: row.order_state for row in rows(screen)}
        demo.advance(1100)
        await refreshed(pilot, app)
        entered = [
            row
            for row in rows(screen)
            if row.order_state == ACTION and before.get(row.order_id) != ACTION
        ]
        assert entered, "the demo should turn some orders Action Required"
        notes = [n for n in app._notifications if n.title == "Action required"]
        assert len(notes) == 1 and len(bells) == 1
        assert f"{len(entered)} orders need action" in notes[0].message
        assert notes[0].markup is False  # titles are data, never markup
        # Nothing new: no second notification, no second bell.
        await refreshed(pilot, app)
        assert len([n for n in app._notifications if n.title == "Action required"]) == 1
        assert len(bells) == 1


async def test_orders_entering_action_required_meanwhile_wait_for_the_notification_to_go(
    make_demo: Any, monkeypatch: Any
) -> None:
    """One Action Required notification at a time: those that enter it while one is on
    screen are told in one more once it has gone (they stacked over the list, at 80×24, one
    refresh after another); ``!`` goes to them at once all the same. The refresher's clock is
    moved by the test: no waiting out the notification's 15 s."""
    shift = [0.0]
    monkeypatch.setattr(refresher, "monotonic", lambda: time.monotonic() + shift[0])
    demo = make_demo(orders=300, seed=7, new_order_every=30)
    app = live_app(demo)
    async with app.run_test(size=SIZE) as pilot:
        await quiet(pilot, app)
        screen = app.main_screen

        def told() -> list[str]:
            return [n.message for n in app._notifications if n.title == "Action required"]

        demo.advance(1100)
        await refreshed(pilot, app)
        [message] = told()
        first = screen.live.action_orders
        demo.advance(3600)  # an hour of uploads: more of them enter Action Required
        await refreshed(pilot, app)
        later = screen.live.action_orders
        assert len(later) > len(first) and later[: len(first)] == first
        assert told() == [message]  # not yet: the first is still on screen
        shift[0] = LiveRefresher.ANNOUNCE_SECONDS  # it has gone
        await refreshed(pilot, app)
        assert told()[-1] != message  # (the first may have timed out by now, on a slow box)
        assert f"{len(later) - len(first)} orders need action" in told()[-1]
        assert screen.live.action_orders == later[len(first) :]


async def test_no_bell_unless_configured(make_demo: Any, monkeypatch: Any) -> None:
    demo = make_demo(orders=300, seed=7, new_order_every=30)
    app = live_app(demo)
    bells: list[int] = []
    monkeypatch.setattr(app, "bell", lambda: bells.append(1))
    async with app.run_test(size=SIZE) as pilot:
        await quiet(pilot, app)
        demo.advance(1100)
        await refreshed(pilot, app)
        assert any("need action" in text for text in notifications(app))
        assert bells == []


async def test_the_detail_pane_follows_its_order_when_it_changes(make_demo: Any) -> None:
    demo = make_demo(orders=300, seed=7, new_order_every=30)
    app = live_app(demo)
    async with app.run_test(size=SIZE) as pilot:
        await quiet(pilot, app)
        screen = app.main_screen
        running = next(r for r in list_orders_shown(screen, 50) if r.order_state == "In Progress")
        screen.orders.select_order_id(running.order_id)
        detail = screen.detail
        await wait_for(pilot, lambda: detail.order_id == running.order_id and detail.complete)
        demo.advance(1100)
        await refreshed(pilot, app)
        final = demo.order_state(running.order_id)
        assert final != "In Progress"
        await wait_for(
            pilot,
            lambda: (
                detail.complete and detail.order is not None and detail.order.order_state == final
            ),
        )
        assert detail.order.analyses  # the full order, fetched again
        model = screen.orders.order_list.model
        assert model.highlighted is not None and model.mark(model.highlighted) == "*"


async def test_auto_refresh_runs_by_itself_and_a_toggles_it(make_demo: Any) -> None:
    demo = make_demo(orders=300, seed=7)
    app = live_app(demo, refresh_seconds=0.2)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: sync_done(app))
        screen = app.main_screen
        assert "auto-refresh every 0.2 s" in status(screen)
        count = screen.live.refresh_count
        await wait_for(pilot, lambda: screen.live.refresh_count >= count + 2)
        assert "refreshed " in status(screen)
        await pilot.press("a")
        assert not screen.live.live_auto and "auto-refresh off" in status(screen)
        await pilot.pause(0.3)  # a head refresh already on its way may still land
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
        await wait_for(pilot, lambda: sync_done(app))
        screen = app.main_screen
        assert "auto-refresh off" in status(screen)
        count = screen.live.refresh_count
        await pilot.press("a")
        await wait_for(pilot, lambda: screen.live.refresh_count == count + 1)
        assert f"auto-refresh every {LiveRefresher.DEFAULT_INTERVAL:g} s" in status(screen)


async def test_at_a_start_the_cursor_follows_the_first_row_to_the_newest(
    make_demo: Any, tmp_path: Path
) -> None:
    """A start paints the index a console left, then merges the head: the orders uploaded
    since come on top. Nobody has moved the cursor yet, so it stays on the first row, the
    newest, rather than on the order that was first (the newer ones above it, out of sight:
    "row 36/5,045"). From then on it keeps its order, as ever: a reviewer reading the first
    order is not moved to the next new one."""
    demo = make_demo(orders=300, seed=7, new_order_every=30)
    disk = {"store": "disk", "cache_dir": tmp_path / "cache"}
    first = live_app(demo, **disk)
    async with first.run_test(size=SIZE) as pilot:
        await quiet(pilot, first)
    advance_uploads(demo, 2, every=30)
    newest = demo.order_ids()[0]
    app = live_app(demo, **disk)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.main_screen
        model = screen.orders.order_list.model
        await wait_for(pilot, lambda: screen.sync.refreshes > 0 and sync_done(app))
        await wait_for(
            pilot,
            lambda: model.highlighted is not None and model.highlighted.order_id == newest,
        )
        assert model.cursor == 0
        await wait_for(pilot, lambda: screen.detail.order_id == newest)  # the detail follows
        # The start's head is in: one more upload leaves the cursor on its order.
        advance_uploads(demo, 1, every=30)
        await refreshed(pilot, app)
        await wait_for(pilot, lambda: rows(screen)[0].order_id == demo.order_ids()[0])
        assert model.highlighted is not None and model.highlighted.order_id == newest
        assert model.cursor == 1
