"""``wake()`` (the ``r`` key, a reconnection) always gets its head refresh, whenever it comes:
also while the engine is reporting its last step, just before it waits (the wake used to be
cleared by that wait, and the refresh came only at the next one)."""

from __future__ import annotations

from collections.abc import Callable

from artistree_tui.api.models import ALL_PROJECTS
from artistree_tui.demo import DemoServer
from artistree_tui.sync import SyncProgress

from .conftest import Run


def head_requests(server: DemoServer, since: int) -> int:
    return sum(
        1
        for record in server.recorded()[since:]
        if record.query.get("project_id") == ALL_PROJECTS and "page_token" not in record.query
    )


async def test_a_wake_while_the_engine_reports_is_answered(
    make_demo: Callable[..., DemoServer], syncing: Callable[..., Run]
) -> None:
    server = make_demo(orders=50, seed=7, new_order_every=0)
    run = syncing(server).start()
    await run.until(lambda p: p.last_sweep == "complete" and p.phase == "idle")
    before = len(server.recorded())

    def wake_while_reporting(progress: SyncProgress) -> None:
        # After the first refresh: on_progress runs inside the engine's report of its idle
        # step, right before it waits.
        if progress.phase == "idle" and head_requests(server, before) == 1:
            run.hooks.remove(wake_while_reporting)
            run.engine.wake()

    run.hooks.append(wake_while_reporting)
    run.engine.wake()  # a first refresh; its idle report carries the second wake
    await run.until(
        lambda p: (
            p.phase == "idle"
            and wake_while_reporting not in run.hooks
            and head_requests(server, before) >= 2
        )
    )
    assert head_requests(server, before) == 2
