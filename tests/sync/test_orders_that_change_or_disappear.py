"""The API changes under the index: orders complete (state history, marks, on_changes), new
orders arrive at the head, an order is deleted (marked gone by the next complete sweep, never
dropped) and comes back (un-gone)."""

from __future__ import annotations

from collections.abc import Callable

from artistree_tui.demo import DemoServer
from artistree_tui.store import ALL, ViewSpec

from .conftest import Run


async def test_an_order_that_disappears_is_marked_gone_then_back(
    make_demo: Callable[..., DemoServer], syncing: Callable[..., Run]
) -> None:
    server = make_demo(orders=2500, seed=6, new_order_every=0)
    run = syncing(server, resync_minutes=1e-4).start()  # re-sweep at once after each sweep
    await run.until(lambda p: p.last_sweep == "complete")
    victim = server.order_ids()[1234]
    reader = run.index.reader()
    before = reader.row(victim)
    assert before is not None and before.gone is None
    server.remove_order(victim)
    seen = len(run.progress)
    gone = await run.until(lambda p: p.gone == 1 and any(x.last_sweep for x in run.progress[seen:]))
    assert gone.indexed == 2499 == server.stats()["total_orders"]
    row = reader.row(victim)
    assert row is not None and row.gone is not None  # kept, marked
    assert row.changed_at == row.gone  # a mark for n/N
    view = reader.view(ViewSpec.of())
    assert view.count() == 2500 and view.position_of(victim) == 1234  # still listed
    assert reader.state_counts(ALL).total == 2499  # not counted as existing
    server.restore_order(victim)
    await run.until(lambda p: p.indexed == 2500)
    back = reader.row(victim)
    assert back is not None and back.gone is None and back.changed_at is not None


async def test_state_changes_are_recorded_and_reported(
    make_demo: Callable[..., DemoServer], syncing: Callable[..., Run]
) -> None:
    server = make_demo(orders=3000, seed=2, new_order_every=0)
    run = syncing(server, refresh_seconds=0.05, head_limit=1000, refresh_limit=1000).start()
    first = await run.until(lambda p: p.last_sweep == "complete")
    assert run.changes == []  # the first sweep fills the index: nothing is "new" yet
    in_progress = first.counts.get("In Progress")
    assert in_progress > 0  # the demo's newest orders are still being analysed
    reader = run.index.reader()
    waiting = [r.order_id for r in reader.view(ViewSpec.of(states={"In Progress"})).iter_rows()]
    since = max(p.refreshed_at or 0 for p in run.progress)
    server.advance(3600)  # an hour later: every one of them has completed
    done = await run.until(lambda p: p.counts.get("In Progress") == 0)
    assert done.counts.total == 3000
    finished = {c.order_id: c for c in run.changes}
    assert set(waiting) <= set(finished)
    for order_id in waiting:
        change = finished[order_id]
        assert change.before == "In Progress" and change.after == server.order_state(order_id)
        history = reader.history(order_id)
        assert [state for state, _ in history] == ["In Progress", change.after]
        assert history[0][1] < history[1][1]
    view = reader.view(ViewSpec.of())
    assert view.marked_count(since) == len(waiting)
    first_marked = view.next_marked(-1, since)
    assert first_marked is not None
    assert view.row_at(first_marked).order_id in waiting  # type: ignore[union-attr]


async def test_new_orders_at_the_head_are_new(
    make_demo: Callable[..., DemoServer], syncing: Callable[..., Run]
) -> None:
    server = make_demo(orders=1500, seed=2, new_order_every=60)
    run = syncing(server, refresh_seconds=0.05).start()
    await run.until(lambda p: p.last_sweep == "complete")
    server.advance(60 * 3 + 1)  # three new orders arrive
    await run.until(lambda p: p.indexed >= 1503)
    new = {c.order_id for c in run.changes if c.before is None}
    assert new == set(server.order_ids()[:3])  # reported to on_changes as new arrivals
    reader = run.index.reader()
    top = reader.view(ViewSpec.of()).rows(0, 3)
    assert [r.order_id for r in top] == server.order_ids()[:3]
    assert all(r.changed_at is not None for r in top)
