"""The marks a reviewer has not cleared outlive the console: each scope's watermark is kept in
the index (a real SQLite file), so a restart (or a dropped SSH session) shows the same new and
changed rows; ``x`` clears them for good. Pilot against the demo API over loopback."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from artistree_tui.api.models import ALL_PROJECTS
from artistree_tui.demo import DemoServer
from artistree_tui.store import Index
from artistree_tui.ui.app import ConsoleApp
from tests.support.app import SIZE, demo_settings, make_app, sync_done, wait_for
from tests.support.index import index_path, sweep_into


def kept_watermark(path: Path) -> float | None:
    """All Projects' watermark as the index file keeps it, read by a reader of its own."""
    index = Index(path)
    try:
        reader = index.reader()
        try:
            return reader.watermarks().get(ALL_PROJECTS)
        finally:
            reader.close()
    finally:
        index.close()


def marked(app: ConsoleApp) -> int:
    return app.main_screen.orders.order_list.model.marked


async def test_marks_outlive_a_restart_until_x_clears_them(
    make_demo: Callable[..., DemoServer], tmp_path: Path
) -> None:
    server = make_demo(orders=300, seed=7, new_order_every=0)
    disk = {"store": "disk", "cache_dir": tmp_path / "cache"}
    path = index_path(demo_settings(server, **disk))
    await sweep_into(server, path)  # what an earlier console left

    first = make_app(server, **disk)
    async with first.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: sync_done(first))
        await wait_for(pilot, lambda: kept_watermark(path) is not None)  # its start, kept
        running = [o for o in server.order_ids() if server.order_state(o) == "In Progress"]
        server.advance(3600)  # every running analysis ends...
        await sweep_into(server, path)  # ...and a sync sees it
        first.main_screen.orders.index_changed(soon=True)
        await wait_for(pilot, lambda: marked(first) == len(running) > 0)

    second = make_app(server, **disk)  # a restart: the same marks, not none
    async with second.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: sync_done(second))
        assert marked(second) == len(running)
        before = kept_watermark(path)
        await pilot.press("x")
        await wait_for(pilot, lambda: marked(second) == 0)
        await wait_for(pilot, lambda: (kept_watermark(path) or 0) > (before or 0))

    third = make_app(server, **disk)  # cleared for good
    async with third.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: sync_done(third))
        assert marked(third) == 0
