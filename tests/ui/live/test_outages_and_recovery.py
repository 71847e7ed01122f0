"""Pilot tests of the console's resilience against the demo API's faults (real HTTP): offline
and back without a key, 5xx outages, a sweep interrupted by an outage that resumes, a revoked
token refreshed silently, credentials that stop working (one message, the console stays up
on its data), sync errors as toasts."""

from __future__ import annotations

from typing import Any

from artistree_tui.ui.live.connection import Link
from artistree_tui.ui.live.messages import ConnectionEvent, SyncProgressed
from artistree_tui.ui.live.refresher import REJECTED_MESSAGE
from artistree_tui.ui.orders.pane import OrdersPane
from artistree_tui.ui.stats.bar import StatsBar
from tests.support.app import SIZE, notifications, order_requests, sync_done, wait_for
from tests.support.live import (
    list_orders_shown,
    live_app,
    quick_recovery,
    quiet,
    scripted_outage,
    status,
)


async def test_offline_then_back_by_itself_with_the_data_kept(make_demo: Any) -> None:
    demo = make_demo(orders=300, seed=7)
    events: list[Any] = []

    def hook(message: Any) -> None:
        if isinstance(message, ConnectionEvent):
            events.append(message.event)

    app = live_app(demo)
    async with app.run_test(size=SIZE, message_hook=hook) as pilot:
        await quiet(pilot, app)
        screen = app.main_screen
        quick_recovery(screen, base=0.3, cap=0.5)
        shown = [o.order_id for o in list_orders_shown(screen, 30)]
        assert "● online" in status(screen)
        demo.faults.rate_drop = 1.0  # every connection dropped: the API is gone
        screen.live.refresh_now()
        await wait_for(pilot, lambda: screen.live.connection.link is Link.OFFLINE)
        assert any(e.kind == "retrying" and e.reason == "offline" for e in events)
        line = status(screen)
        assert "offline since" in line and "(unreachable)" in line and "stale" in line
        assert screen.query_one(StatsBar).has_class("-stale")
        await wait_for(pilot, lambda: bool(screen.stats.rich_style.dim))  # the screen's CSS
        assert "stale" in str(screen.query_one(OrdersPane).border_subtitle)
        # The last data stays on screen, and the console keeps trying (no key pressed).
        assert [o.order_id for o in list_orders_shown(screen, 30)] == shown
        tries = len(demo.recorded("/v1/orders"))
        await wait_for(pilot, lambda: len(demo.recorded("/v1/orders")) > tries + 2)
        assert screen.live.connection.link is Link.OFFLINE
        demo.faults.rate_drop = 0.0
        await wait_for(
            pilot, lambda: screen.live.connection.link is Link.ONLINE and not screen.live.stale
        )
        assert "● online" in status(screen) and "stale" not in status(screen)
        assert not screen.query_one(StatsBar).has_class("-stale")
        assert [o.order_id for o in list_orders_shown(screen, 30)] == shown
        assert not any("Traceback" in text for text in notifications(app))


async def test_server_errors_show_retrying_then_offline_then_recover(make_demo: Any) -> None:
    demo = make_demo(orders=300, seed=7)
    app = live_app(demo)
    async with app.run_test(size=SIZE) as pilot:
        await quiet(pilot, app)
        screen = app.main_screen
        count = screen.live.refresh_count
        # Both tries of the refresh fail.
        log = await scripted_outage(pilot, app, demo, ["503", "503"], Link.OFFLINE)
        # The client's events reach the status line: its retry first, then the outage.
        assert Link.RETRYING in log.links[: log.links.index(Link.OFFLINE)]
        assert any("(server error)" in line for line in log.lines(Link.OFFLINE))
        # The scripted outage is over: the next attempt succeeds by itself.
        await wait_for(
            pilot, lambda: screen.live.connection.link is Link.ONLINE and not screen.live.stale
        )
        # The failed refresh wrote nothing; the one attempt that came back did, once (no
        # auto-refresh here: refresh_seconds=0).
        await wait_for(pilot, lambda: screen.live.refresh_count == count + 1)
        await pilot.pause(0.3)
        assert screen.live.refresh_count == count + 1


async def test_a_sweep_cut_by_an_outage_resumes_and_completes(make_demo: Any) -> None:
    demo = make_demo(orders=5000, seed=7, new_order_every=0, latency_ms=50)
    armed = [True]

    def cut(message: Any) -> None:
        # The API goes away right after the first page of the first sweep.
        if armed[0] and isinstance(message, SyncProgressed) and message.progress.pages >= 1:
            armed[0] = False
            demo.faults.rate_drop = 1.0

    app = live_app(demo)
    async with app.run_test(size=SIZE, message_hook=cut) as pilot:
        screen = app.main_screen
        await wait_for(pilot, lambda: screen.live.connection.link is Link.OFFLINE)
        progress = screen.live.progress
        assert progress is not None and not progress.complete
        # The walk keeps its total and how far it had got while it waits to try again.
        await wait_for(
            pilot, lambda: "/ 5,000 · sync " in status(screen), state=lambda: status(screen)
        )
        assert "so far" in str(screen.orders.status_text())
        swept = progress.swept
        demo.faults.latency_ms = 0
        demo.faults.rate_drop = 0.0
        await wait_for(pilot, lambda: sync_done(app), limit=60)
        assert screen.orders.loaded_count == 5000
        assert "so far" not in str(screen.orders.status_text())
        assert not screen.live.stale
        # It went on from where it stopped: the sweep's first page was read once (the other
        # first page of 1,000 is project discovery's, full orders).
        firsts = [
            r
            for r in order_requests(demo)
            if "page_token" not in r.query and r.status == 200 and r.query["preview"] == "true"
        ]
        assert swept >= 1000 and [r.query["limit"] for r in firsts].count("1000") == 1


async def test_a_revoked_token_is_refreshed_silently(make_demo: Any) -> None:
    demo = make_demo(orders=300, seed=7)
    app = live_app(demo)
    async with app.run_test(size=SIZE) as pilot:
        await quiet(pilot, app)
        screen = app.main_screen
        tokens = demo.token_requests
        notes = len(notifications(app))
        demo.revoke_tokens()
        count = screen.live.refresh_count
        screen.live.refresh_now()
        await wait_for(pilot, lambda: screen.live.refresh_count > count)
        assert demo.token_requests == tokens + 1
        assert screen.live.connection.link is Link.ONLINE and not screen.live.stale
        assert len(notifications(app)) == notes  # nothing to tell the reviewer


async def test_rejected_credentials_one_message_and_the_console_stays(make_demo: Any) -> None:
    demo = make_demo(orders=300, seed=7)
    app = live_app(demo)
    async with app.run_test(size=SIZE) as pilot:
        await quiet(pilot, app)
        screen = app.main_screen
        quick_recovery(screen, base=0.1, cap=0.2)
        shown = [o.order_id for o in list_orders_shown(screen, 30)]
        # The secret was rotated on the server: every token request now says invalid_client.
        demo.faults.script.extend(["token:invalid_client"] * 50)
        demo.revoke_tokens()
        screen.live.refresh_now()
        await wait_for(pilot, lambda: screen.live.connection.link is Link.REJECTED)
        line = status(screen)
        assert "credentials rejected" in line and "stale" in line
        # Several more attempts, still one message; the console and its data stay.
        tries = demo.token_requests
        await wait_for(pilot, lambda: demo.token_requests > tries + 2)
        assert notifications(app).count(REJECTED_MESSAGE) == 1
        assert app.is_running and app.screen is screen
        assert [o.order_id for o in list_orders_shown(screen, 30)] == shown
        # The secret works again: back online by itself.
        demo.faults.script.clear()
        await wait_for(
            pilot, lambda: screen.live.connection.link is Link.ONLINE and not screen.live.stale
        )


async def test_a_second_401_is_a_rejection_too(make_demo: Any) -> None:
    demo = make_demo(orders=300, seed=7)
    app = live_app(demo)
    async with app.run_test(size=SIZE) as pilot:
        # The token is refreshed once, and refused again.
        await scripted_outage(pilot, app, demo, ["401", "401"], Link.REJECTED)
        assert REJECTED_MESSAGE in notifications(app)
        screen = app.main_screen
        await wait_for(pilot, lambda: screen.live.connection.link is Link.ONLINE)


async def test_a_malformed_refresh_is_a_toast_not_an_outage(make_demo: Any) -> None:
    demo = make_demo(orders=300, seed=7)
    app = live_app(demo)
    async with app.run_test(size=SIZE) as pilot:
        await quiet(pilot, app)
        screen = app.main_screen
        demo.faults.script.append("malformed")
        screen.sync.wake()  # the sync's own refresh, not r
        await wait_for(
            pilot, lambda: any("could not read the orders" in t for t in notifications(app))
        )
        # The API answered (with garbage): not offline, the data not stale; the status line
        # says it answers with errors until a request succeeds again.
        assert screen.live.connection.link in (Link.ERRORS, Link.ONLINE)
        assert not screen.live.connection.down and not screen.live.stale
        assert app.is_running


async def next_order_fails(pilot: Any, screen: Any) -> tuple[Any, Any]:
    """``j`` with nothing fetched ahead, the API failing: the detail pane shows its error.
    Returns the pane and its status line."""
    detail = screen.detail
    detail.cache.clear()  # the next order needs the network
    await pilot.press("j")
    status_line = detail.query_one("#detail-status")
    await wait_for(pilot, lambda: status_line.has_class("-visible"))
    assert "Could not load the order's details" in str(status_line.render())
    return detail, status_line


async def test_a_detail_that_failed_offline_is_fetched_again_when_the_api_is_back(
    make_demo: Any,
) -> None:
    # "The first answer brings everything back": the order moved to while the API was gone
    # showed its failure in the detail pane until the next move.
    demo = make_demo(orders=300, seed=7)
    app = live_app(demo)
    async with app.run_test(size=SIZE) as pilot:
        await quiet(pilot, app)
        screen = app.main_screen
        quick_recovery(screen, base=0.3, cap=0.5)
        demo.faults.rate_drop = 1.0
        screen.live.refresh_now()
        await wait_for(pilot, lambda: screen.live.connection.link is Link.OFFLINE)
        detail, status_line = await next_order_fails(pilot, screen)
        moved_to = screen.orders.order_list.highlighted_order
        assert moved_to is not None and not detail.complete
        demo.faults.rate_drop = 0.0
        await wait_for(pilot, lambda: screen.live.connection.link is Link.ONLINE)
        await wait_for(pilot, lambda: detail.complete and not status_line.has_class("-visible"))
        assert detail.order_id == moved_to.order_id


async def test_a_detail_that_failed_without_an_outage_is_not_asked_again_and_again(
    make_demo: Any,
) -> None:
    # Only the end of an outage asks again: a full order the API answered badly (here: not
    # JSON) stays a failure when the next request succeeds, or each sync request would fetch
    # it again.
    demo = make_demo(orders=300, seed=7)
    app = live_app(demo)
    async with app.run_test(size=SIZE) as pilot:
        await quiet(pilot, app)
        screen = app.main_screen
        demo.faults.rate_malformed = 1.0
        detail, status_line = await next_order_fails(pilot, screen)
        link = screen.live.connection.link
        assert link not in (Link.OFFLINE, Link.REJECTED), link
        order_id = detail.order_id
        demo.faults.rate_malformed = 0.0
        demo.clear_requests()
        for _ in range(3):  # requests that succeed: the link is back to online
            count = screen.live.refresh_count
            screen.live.refresh_now()
            await wait_for(pilot, lambda c=count: screen.live.refresh_count > c)
        assert screen.live.connection.link is Link.ONLINE
        await pilot.pause()
        assert demo.recorded(f"/v1/orders/{order_id}") == []
        assert status_line.has_class("-visible")
