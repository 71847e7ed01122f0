"""Orders older than the refreshed head change on the API (an analysis that ends long after the
upload, a reviewer's verdict on last week's order): the head refresh does not see them, so the
index's counts fall behind the API's, which every page carries. The counts say by how much
(``behind``), and the sync walks the organization again soon, not ``resync_minutes`` later, until
they agree; never sooner than ``catch_up_after`` after the last walk, and never when re-walks
are turned off.

A real demo API over loopback HTTP whose clock the test moves, a real SQLite index.
"""

from __future__ import annotations

from collections.abc import Callable

from artistree_tui.demo import DemoServer
from artistree_tui.store import ViewSpec
from artistree_tui.sync import SyncProgress
from artistree_tui.sync.engine import REFRESH_LIMIT

from .conftest import Run

RUNNING = "In Progress"


def demo(make_demo: Callable[..., DemoServer]) -> DemoServer:
    server = make_demo(orders=3000, seed=2, new_order_every=0)
    server.hold_clock()  # only advance() moves it
    return server


async def fall_behind(run: Run) -> tuple[SyncProgress, int]:
    """After a complete sweep, an hour passes on the API: every analysis ends, most of them in
    orders older than the head. Returns the first progress that says so, and how many orders
    changed outside the head (what it should say)."""
    swept = await run.until(lambda p: p.last_sweep == "complete" and p.phase == "idle")
    assert swept.counts.behind == 0  # just walked: the API's counts and the index's agree
    view = run.index.reader().view(ViewSpec.of(states={RUNNING}))
    running = [row.order_id for row in view.iter_rows()]
    positions = run.index.reader().view(ViewSpec.of())
    outside = [o for o in running if positions.position_of(o) >= REFRESH_LIMIT]
    assert outside
    run.server.advance(3600)
    behind = await run.until(lambda p: p.counts.behind > 0)
    return behind, len(outside)


async def test_counts_behind_the_api_say_so_and_the_sync_walks_again_to_catch_up(
    make_demo: Callable[..., DemoServer], syncing: Callable[..., Run]
) -> None:
    server = demo(make_demo)
    run = syncing(server, refresh_seconds=0.05, resync_minutes=15, catch_up_after=0).start()
    behind, outside = await fall_behind(run)
    assert behind.counts.behind == outside  # the head's own changes are written already
    assert f"{outside:,} behind the API's counts" in behind.describe()
    swept_at = behind.swept_at
    assert swept_at is not None
    caught = await run.until(
        lambda p: p.last_sweep == "complete" and p.swept_at != swept_at and p.phase == "idle"
    )
    assert caught.counts.behind == 0 and caught.counts.get(RUNNING) == 0
    stats = server.stats()
    assert caught.counts.get("Action Required") == stats["total_action_required"]
    assert caught.counts.total == stats["total_orders"]


async def test_no_walk_sooner_than_catch_up_after_nor_when_re_walks_are_off(
    make_demo: Callable[..., DemoServer], syncing: Callable[..., Run]
) -> None:
    for options in (
        {"resync_minutes": 15, "catch_up_after": 3600},
        {"resync_minutes": 0, "catch_up_after": 0},
    ):
        server = demo(make_demo)
        # Each in an index of its own (in memory: nothing swept before).
        run = syncing(server, path=None, refresh_seconds=0.02, **options).start()
        _behind, outside = await fall_behind(run)
        seen = len(run.progress)
        await run.until(lambda p, run=run, seen=seen: len(run.progress) >= seen + 10)
        later = run.progress[seen:]  # 10 refreshes on
        assert all(p.phase != "sweeping" for p in later), options
        assert later[-1].counts.behind == outside, options  # still says so
        await run.stop()
