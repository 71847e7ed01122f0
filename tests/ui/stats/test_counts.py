"""The stats bar's counts: written like the list's, with thousands separators; and honest
about counts the API's own show to be off."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from artistree_tui.api.models import KNOWN_STATES, Order
from artistree_tui.demo import DemoServer
from artistree_tui.store import StateCounts
from artistree_tui.sync import SyncSettings
from artistree_tui.ui.stats.bar import partial_note, stats_variants
from tests.support.app import (
    make_app,
    screen_text,
    sync_done,
    wait_for,
)


async def test_the_counts_have_thousands_separators_like_the_list(
    make_demo: Callable[..., DemoServer],
) -> None:
    server = make_demo(orders=2000, seed=3)
    app = make_app(server)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: sync_done(app))
        await wait_for(pilot, lambda: "2,000" in screen_text(app).splitlines()[0])
        top = screen_text(app).splitlines()[0]
        counts = app.main_screen.stats.counts
        assert counts is not None and counts.total == 2000
        assert f"Σ {counts.total:,}" in top and f"Σ {counts.total} " not in top + " "
        assert f"{counts.total:,} orders" in screen_text(app)


async def stale_orders(app: Any, server: DemoServer, *, limit: int) -> list[Order]:
    """Full orders, read from the API, of ``limit`` orders whose state the index has wrong."""
    reader = app.main_screen.sync.index.reader()
    found: list[Order] = []
    for order_id in server.order_ids():
        row = reader.row(order_id)
        if row is not None and row.order_state != server.order_state(order_id):
            found.append(await app.client.get_order(order_id))
            if len(found) == limit:
                break
    return found


async def test_counts_the_api_shows_to_be_off_say_so_until_the_sync_catches_up(
    make_demo: Callable[..., DemoServer],
) -> None:
    """Orders older than the refreshed head change on the API: the bar and the status line say
    by how many orders the index is behind the API's counts, and stop saying it once the sync
    has walked the organization again (tests/sync/test_an_index_behind_the_api_catches_up.py)."""
    server = make_demo(orders=3000, seed=2, new_order_every=0)  # running ones below the head
    server.hold_clock()
    sync = SyncSettings(rate=0, refresh_seconds=0.1, resync_minutes=15, catch_up_after=3600)
    app = make_app(server, sync=sync, refresh_seconds=0.1)
    async with app.run_test(size=(160, 40)) as pilot:
        await wait_for(pilot, lambda: sync_done(app))
        assert "behind the API" not in screen_text(app)
        server.advance(3600)  # every analysis has ended, most outside the refreshed head
        stats = app.main_screen.stats
        await wait_for(pilot, lambda: stats.counts is not None and stats.counts.behind > 0)
        behind = stats.counts.behind  # type: ignore[union-attr]
        lines = screen_text(app).splitlines()
        assert f" · {behind:,} behind the API" in lines[0]  # the stats bar: apart from Σ
        assert any(f"orders indexed · {behind:,} behind the API" in line for line in lines)
        # Full reads (the detail's) of some of those orders bring the index nearer the API
        # with no word from the sync (no refreshes now): the status line says the same
        # number as the bar at once (a tryout saw it a minute behind the bar's).
        engine = app.main_screen.sync.engine
        engine.set_refresh_seconds(0)
        stale = await stale_orders(app, server, limit=3)
        app.main_screen.sync.write_orders(stale)  # as the detail's reads are written
        await wait_for(pilot, lambda: stats.counts is not None and stats.counts.behind < behind)
        await pilot.pause()
        fewer = stats.counts.behind  # type: ignore[union-attr]
        lines = screen_text(app).splitlines()
        assert any(f"orders indexed · {fewer:,} behind the API" in line for line in lines)
        engine.settings = replace(sync, catch_up_after=0)
        engine.set_refresh_seconds(0.1)  # the head refreshes again, and finds the walk due
        await wait_for(pilot, lambda: stats.counts is not None and not stats.counts.behind)
        await wait_for(pilot, lambda: "behind the API" not in screen_text(app))
        api = server.stats()
        assert stats.counts is not None
        assert stats.counts.get("Action Required") == api["total_action_required"]


def test_so_far_and_behind_stay_in_sight_at_80_columns_with_a_million_orders() -> None:
    shares = (176, 475_203, 120_641, 255_077, 80_991, 67_912)  # a 1,000,000-order organization
    counts = dict(zip(KNOWN_STATES, shares, strict=True))
    for shown in (
        StateCounts(counts, complete=True, behind=11),
        StateCounts(counts, complete=False),
    ):
        note = partial_note(shown, 0.34, short=True)
        fits = [v.plain for v in stats_variants(shown, fraction=0.34) if v.cell_len <= 80]
        assert fits and note in fits[0] and note in ("so far", "11 behind"), fits
