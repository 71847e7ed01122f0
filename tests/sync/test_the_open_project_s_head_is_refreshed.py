"""The project the console shows is *watched*: its own first page is read with every head
refresh of All Projects, so a state change of a row on screen shows at the next refresh even
when All Projects' head does not reach it (before, it waited for the next re-sweep, 15 min).

Heads of five rows here (``refresh_limit``), so that a project's newest orders lie below All
Projects' head; the expected states are the demo server's own, read at assert time.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable

from artistree_tui.demo import DemoServer, FaultConfig
from artistree_tui.store import Scope

from .conftest import Run

HEAD = 5


def below_the_head(server: DemoServer) -> tuple[Scope, list[str]]:
    """A project with In Progress orders among its newest ``HEAD`` that are not among All
    Projects' newest ``HEAD``, and those orders."""
    top = set(server.order_ids()[:HEAD])
    for project in server.projects:
        waiting = [
            order_id
            for order_id in server.order_ids(project.id)[:HEAD]
            if order_id not in top and server.order_state(order_id) == "In Progress"
        ]
        if waiting:
            return Scope.project(project.id, project.name), waiting
    raise AssertionError("the demo should have such a project")


async def completed_since_the_sweep(
    make_demo: Callable[..., DemoServer], syncing: Callable[..., Run]
) -> tuple[DemoServer, Run, Scope, list[str]]:
    """A demo of 400 orders swept whole by a running engine (heads of ``HEAD`` rows), then
    its clock moved on until every In Progress order completed (the token still good):
    ``(server, run, a project, its orders below All Projects' head that completed)``."""
    server = make_demo(orders=400, seed=7, new_order_every=0)
    server.hold_clock()
    run = syncing(server, head_limit=HEAD, refresh_limit=HEAD).start()
    await run.until(lambda p: p.last_sweep == "complete")
    project, waiting = below_the_head(server)
    server.advance(1100)
    return server, run, project, waiting


async def refreshed(run: Run) -> None:
    """Wake the engine for a head refresh and wait until it has reported one."""
    seen = len(run.progress)
    run.engine.wake()
    try:
        await run.until(lambda p: p.phase == "idle" and len(run.progress) > seen + 1)
    except TimeoutError:
        raise AssertionError([(p.phase, p.error) for p in run.progress[seen - 2 :]]) from None


async def test_a_watched_project_s_state_changes_show_at_the_next_refresh(
    make_demo: Callable[..., DemoServer], syncing: Callable[..., Run]
) -> None:
    server, run, project, waiting = await completed_since_the_sweep(make_demo, syncing)
    reader = run.index.reader()
    await refreshed(run)
    stale = {order_id: reader.row(order_id).order_state for order_id in waiting}  # type: ignore[union-attr]
    assert set(stale.values()) == {"In Progress"}  # All Projects' head does not reach them
    run.engine.watch(project)  # the console opened that project: its head is read at once
    await run.until(lambda p: all(reader.row(o).order_state != "In Progress" for o in waiting))  # type: ignore[union-attr]
    for order_id in waiting:
        assert reader.row(order_id).order_state == server.order_state(order_id)  # type: ignore[union-attr]
    changed = {change.order_id: change.after for change in run.changes}
    assert {order_id: changed.get(order_id) for order_id in waiting} == {
        order_id: server.order_state(order_id) for order_id in waiting
    }  # reported like any change the head refresh sees


async def test_a_watched_head_that_fails_waits_for_the_next_refresh(
    make_demo: Callable[..., DemoServer], syncing: Callable[..., Run]
) -> None:
    server, run, project, waiting = await completed_since_the_sweep(make_demo, syncing)
    reader = run.index.reader()
    # The watched project's head fails (both of the client's tries).
    server.faults = FaultConfig(script=deque(["503", "503"]))
    run.engine.watch(project)
    await run.until(lambda p: not server.faults.script and p.phase == "idle")
    assert run.progress[-1].error is None and run.engine.watched == project  # not offline
    assert {reader.row(o).order_state for o in waiting} == {"In Progress"}  # type: ignore[union-attr]
    await refreshed(run)  # the next refresh reads it
    for order_id in waiting:
        assert reader.row(order_id).order_state == server.order_state(order_id)  # type: ignore[union-attr]
