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
from dataclasses import replace
from typing import Any

from artistree_tui.api.models import OrdersPage, OrderStats
from artistree_tui.demo import DemoServer
from artistree_tui.store import StateCounts, ViewSpec
from artistree_tui.store.rows import orders_behind
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


class Overcounting:
    """The API's answers, with counts that include orders it never lists (``extra`` more
    Action Required): a disagreement no walk of the index can remove."""

    def __init__(self, client: Any, extra: int) -> None:
        self.client, self.extra = client, extra

    async def list_orders(self, project_id: str, **options: Any) -> OrdersPage:
        page = await self.client.list_orders(project_id, **options)
        stats = page.stats
        more = replace(stats, action_required=stats.action_required + self.extra)
        return replace(page, stats=replace(more, total=stats.total + self.extra))

    def next_try_in(self) -> float:
        return float(self.client.next_try_in())


async def test_a_disagreement_no_walk_removes_is_not_walked_for_again_and_again(
    make_demo: Callable[..., DemoServer], syncing: Callable[..., Run]
) -> None:
    server = demo(make_demo)
    run = syncing(server, path=None, refresh_seconds=0.02, resync_minutes=15, catch_up_after=0)
    run.engine._client = Overcounting(run.client, extra=5)  # type: ignore[assignment]
    run.start()
    swept = await run.until(lambda p: p.last_sweep == "complete" and p.phase == "idle")
    assert swept.counts.behind == 5  # said, but walking again would not change it
    seen = len(run.progress)
    await run.until(lambda p: len(run.progress) >= seen + 10)  # 10 refreshes on
    assert all(p.phase != "sweeping" for p in run.progress[seen:])
    server.advance(3600)  # now the index falls further behind: one walk catches up
    swept_at = swept.swept_at
    caught = await run.until(lambda p: p.last_sweep == "complete" and p.swept_at != swept_at)
    await run.until(lambda p: p.phase == "idle")
    assert caught.counts.behind == 5 and caught.counts.get(RUNNING) == 0
    seen = len(run.progress)
    await run.until(lambda p: len(run.progress) >= seen + 10)
    assert all(p.phase != "sweeping" for p in run.progress[seen:])


def test_how_far_behind_counts_added_removed_and_changed_orders_once() -> None:
    counts = {"Human Certified": 10, "Action Required": 4, "In Progress": 2}
    same = OrderStats(in_progress=2, certified=10, action_required=4, total=16)
    assert orders_behind(counts, same) == 0
    changed = replace(same, in_progress=0, certified=12)  # two analyses ended
    assert orders_behind(counts, changed) == 2
    added = replace(same, action_required=7, total=19)  # three orders the index lacks
    assert orders_behind(counts, added) == 3
    removed = replace(same, certified=6, total=12)  # four the API no longer has
    assert orders_behind(counts, removed) == 4
    assert orders_behind(counts, OrderStats()) == 0  # no counts sent: nothing to compare
    assert orders_behind(counts, replace(same, total=20)) == 0  # states it does not say


def test_the_progress_says_behind_only_for_complete_counts() -> None:
    sweeping = SyncProgress(phase="sweeping", indexed=34_000, total=100_000, swept=34_000)
    assert sweeping.describe() == "indexed 34,000 / 100,000 · sync 34%"
    again = replace(sweeping, indexed=100_000, complete=True)
    assert again.describe().startswith("100,000 orders indexed · re-sweep 34%")
    done = replace(
        sweeping,
        phase="idle",
        complete=True,
        swept_at=0.0,
        counts=StateCounts({"Reviewed": 100_000}, complete=True, behind=11),
    )
    assert done.describe().endswith(" · 11 behind the API's counts")
    assert "behind" not in replace(done, complete=False).describe()
