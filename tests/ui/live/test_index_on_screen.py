"""The local order index on screen, through the whole console (real HTTP, real SQLite files):

- a second launch paints the last-known rows from the index before any answer, titled
  ``as of HH:MM · refreshing``, and hostile strings read back from the file are shown
  through the display boundary;
- while the sync sweeps, every count says "so far" with how far the sync is, and ``G`` says
  it stops at what is indexed; once the sweep is complete, ``G`` is the oldest order;
- the detail pane's full fetch fills the columns only full orders carry;
- two consoles share one index file: what one writes, the other shows.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from artistree_tui.demo import FaultConfig
from artistree_tui.store import Index
from artistree_tui.sync import SyncSettings
from artistree_tui.ui.live.messages import SyncProgressed
from tests.support.app import (
    SIZE,
    cursor_shown,
    make_app,
    notifications,
    order_requests,
    screen_text,
    settled,
    sync_done,
    wait_for,
)
from tests.support.list_pilot import full_orders, sweep
from tests.support.live import status


def on_disk(tmp_path: Path) -> dict[str, Any]:
    """Settings overrides for an index file under ``tmp_path`` (shared by every run there)."""
    return {"store": "disk", "cache_dir": tmp_path / "cache"}


def slow_once_sweeping(demo: Any, latency_ms: float) -> Callable[[Any], None]:
    """A message hook: once the sweep has begun (its first page read), every answer of the
    demo API takes ``latency_ms``."""

    slowed = False

    def hook(message: Any) -> None:
        nonlocal slowed
        sweeping = isinstance(message, SyncProgressed) and message.progress.phase == "sweeping"
        if sweeping and not slowed:  # once: the test may speed it up again
            slowed = True
            demo.faults.latency_ms = latency_ms

    return hook


async def test_a_second_launch_paints_from_the_index_before_any_answer(
    make_demo: Any, tmp_path: Path
) -> None:
    demo = make_demo(orders=300, seed=7, new_order_every=0, faults=FaultConfig(hostile=True))
    first = make_app(demo, **on_disk(tmp_path))
    async with first.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: settled(first))
    demo.clear_requests()
    demo.faults.latency_ms = 3000  # the API is far away now: every answer takes 3 s
    app = make_app(demo, **on_disk(tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        screen = app.main_screen
        await wait_for(pilot, lambda: screen.orders.loaded_count == 300)
        await pilot.pause()
        text = screen_text(app)
        assert order_requests(demo) == []  # nothing has answered yet
        assert screen.sync.refreshes == 0
        assert re.search(r"as of \d\d:\d\d · refreshing", text)
        assert "300 orders indexed as of" in status(screen)
        assert screen.orders.highlighted_order is not None
        # Read back from the file, hostile strings are still only text.
        assert "\x1b" not in text and "\u202e" not in text
        assert "[" in text and all(line.isprintable() for line in text.splitlines())
        await wait_for(pilot, lambda: screen.sync.refreshes > 0, limit=30)
        await pilot.pause()
        assert "refreshing" not in screen_text(app)


async def test_counts_say_so_far_until_the_sweep_is_complete(make_demo: Any) -> None:
    demo = make_demo(orders=5000, seed=7, new_order_every=0)
    app = make_app(demo)
    # After the sweep's first page, each page takes a second: time to read the screen.
    async with app.run_test(size=SIZE, message_hook=slow_once_sweeping(demo, 1000)) as pilot:
        screen = app.main_screen
        await wait_for(pilot, lambda: "so far · sync" in screen_text(app).splitlines()[0])
        text = screen_text(app)
        top, line = text.splitlines()[0], status(screen)
        match = re.search(r"so far · sync (\d+) %", top)
        assert match and 0 < int(match.group(1)) < 100
        assert re.search(r"indexed [\d,]+ / 5,000 · sync \d+ %", line)
        assert re.search(r"[\d,]+ orders so far · sync \d+ %", str(screen.orders.status_text()))
        order_list = screen.orders.order_list
        model = order_list.model
        at_g: list[tuple[int, int, Any]] = []  # what G found, as it handled the key
        on_end = order_list.on_end
        order_list.on_end = lambda: (
            at_g.append((model.cursor, model.count, model.highlighted)),
            on_end(),
        )
        await pilot.press("G")
        (cursor, count, last), *_ = at_g
        assert count < 5000 and cursor == count - 1 and last is not None  # the last row shown
        await wait_for(pilot, lambda: any("indexed so far" in n for n in notifications(app)))
        # As more pages come in below it, the cursor stays on the order G reached.
        assert model.highlighted is not None and model.highlighted.order_id == last.order_id
        demo.faults.latency_ms = 0
        await wait_for(pilot, lambda: sync_done(app), limit=60)
        said = list(app._notifications)  # toasts up now (they may time out meanwhile)
        await pilot.press("g", "G")
        oldest = await cursor_shown(pilot, app)
        assert oldest.order_id == demo.order_ids()[-1]
        assert [n for n in app._notifications if n not in said] == []  # nothing new: the end
        assert "so far" not in screen_text(app)
        assert "5,000 orders indexed" in status(screen)


async def test_the_detail_fetch_fills_the_columns_only_full_orders_carry(
    make_demo: Any,
) -> None:
    demo = make_demo(orders=300, seed=7, new_order_every=0)
    # Every project id pinned: no project discovery (whose full pages would fill them too).
    pinned = {project.name: project.id for project in demo.projects}
    app = make_app(demo, projects=pinned)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: sync_done(app))
        screen = app.main_screen
        model = screen.orders.order_list.model
        row = model.row(3)
        assert row is not None and not row.full
        await pilot.press("j", "j", "j")
        order = await cursor_shown(pilot, app)
        await wait_for(pilot, lambda: screen.detail.complete)
        await wait_for(pilot, lambda: (r := model.row(3)) is not None and r.full)
        line = next(x for x in screen_text(app).splitlines() if "›" in x)
        full = screen.detail.order
        assert full is not None and full.order_id == order.order_id
        assert full.asset_name[:8] in line and "…  " not in line.split(full.asset_name[:8])[1]
        # It was the detail pane's fetch: no full page of All Projects was read (with the ids
        # pinned, discovery only asks each project's newest order for the user's role).
        full_pages = [
            r.query
            for r in demo.recorded("/v1/orders")
            if r.path == "/v1/orders"
            and r.query.get("project_id") == "All Projects"
            and r.query.get("preview") != "true"
        ]
        assert full_pages == []


async def test_two_consoles_share_one_index_file(make_demo: Any, tmp_path: Path) -> None:
    demo = make_demo(orders=2000, seed=7, new_order_every=0)
    pinned = {project.name: project.id for project in demo.projects}  # no project discovery
    sync = SyncSettings(rate=0, refresh_seconds=0)  # and no head refresh: this one is idle
    app = make_app(demo, sync=sync, projects=pinned, **on_disk(tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        path = app.index.path
        assert path is not None and path.is_relative_to(tmp_path)
        other = Index(path)  # the other console: its own connections to the same file
        try:
            await sweep(demo, other)  # both sweep at once, into one file
            await wait_for(pilot, lambda: sync_done(app), limit=60)
            screen = app.main_screen
            model = screen.orders.order_list.model
            assert model.count == 2000
            target = model.row(1)
            assert target is not None and not target.full
            (full,) = await full_orders(demo, [target.order_id])
            other.writer().write_orders([full])  # the other console's detail fetch
            await wait_for(
                pilot,
                lambda: (
                    (r := model.row(1)) is not None and r.full and r.asset_name == full.asset_name
                ),
                limit=30,
            )
            line = screen.orders.order_list.render_line(2).text
            assert full.asset_name[:10] in line
        finally:
            other.close()


async def test_a_count_says_so_far_as_the_index_stood_when_it_was_read(make_demo: Any) -> None:
    """The list reads its count at most once a second; the sync reports every page. Its newer
    word beside an older count made them disagree: "4,000 orders so far · sync 40 %" with
    8,000 indexed, and a count said whole (no "so far") a moment before it was."""
    demo = make_demo(orders=3000, seed=7, new_order_every=0)
    app = make_app(demo)
    # The sweep's next page: two seconds away.
    async with app.run_test(size=SIZE, message_hook=slow_once_sweeping(demo, 2000)) as pilot:
        screen = app.main_screen
        orders = screen.orders
        said = re.compile(r"([\d,]+) orders so far · sync (\d+) %")
        await wait_for(pilot, lambda: said.search(str(orders.status_text())) is not None)
        found = said.search(str(orders.status_text()))
        assert found is not None
        count, shown = int(found.group(1).replace(",", "")), int(found.group(2))
        assert 0 < count < 3000 and shown == count * 100 // 3000
        # The sync's word runs ahead of the count on screen (the whole sweep, say): the
        # count still says how far the index was when it was read.
        ahead = replace(screen.sync.progress, swept=2400, indexed=2400)
        orders.set_progress(ahead)
        assert f"{count:,} orders so far · sync {shown} %" in str(orders.status_text())
        done = replace(ahead, phase="idle", complete=True, last_sweep="complete", swept=3000)
        orders.set_progress(done)
        assert f"{count:,} orders so far" in str(orders.status_text())
        demo.faults.latency_ms = 0
        await wait_for(pilot, lambda: sync_done(app), limit=60)
        await wait_for(pilot, lambda: str(orders.status_text()).startswith("3,000 orders"))
        assert "so far" not in str(orders.status_text())
