"""``artistree-tui cache clear`` while consoles run: each console's sync notices, at its next
step, that its file is gone from the path (it would otherwise go on writing into a file nobody
can open again, and ``orders --cached`` would say there is no index), opens the one at the path
(the first console makes it, the second joins it), says so in one line, and walks the
organization into it again. Two syncs of this process on one real SQLite file, the command's
own code, a demo API over loopback."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

from artistree_tui.cli import cache_commands
from artistree_tui.config import Settings
from artistree_tui.demo import DemoServer
from artistree_tui.store import ALL, Index

from .conftest import Run

ORDERS = 300


def settings_for(server: DemoServer, home: Path) -> Settings:
    return Settings(
        base_url=server.base_url,
        token_url=server.token_url,
        client_id=server.client_id,
        client_secret=server.client_secret,
        cache_dir=home / "cache",
    )


async def test_cache_clear_under_two_running_syncs_leaves_one_shared_index_again(
    make_demo: Callable[..., DemoServer], syncing: Callable[..., Run], tmp_path: Path
) -> None:
    server = make_demo(orders=ORDERS, seed=3, new_order_every=0)
    settings = settings_for(server, tmp_path)
    first = syncing(server, index=Index.for_settings(settings)).start()
    await first.until(lambda p: p.last_sweep == "complete" and p.indexed == ORDERS)
    second = syncing(server, index=Index.for_settings(settings)).start()
    await second.until(lambda p: p.indexed == ORDERS and p.phase == "idle")
    path = first.index.path
    assert path is not None and path == second.index.path

    out, err = io.StringIO(), io.StringIO()
    assert cache_commands.run("clear", settings, out, err) == 0
    assert out.getvalue().startswith("removed ") and "new index" in err.getvalue()
    assert not path.exists()

    seen = len(first.progress)
    first.engine.wake()
    await first.until(
        lambda p: len(first.progress) > seen and p.last_sweep == "complete" and p.indexed == ORDERS
    )
    assert path.exists() and first.index.path == path
    [notice] = first.index.take_notices()
    assert "was removed" in notice and "cache clear" in notice

    seen = len(second.progress)
    second.engine.wake()  # its file was replaced by the first's new one: it joins it
    await second.until(lambda p: len(second.progress) > seen and p.phase == "idle")
    [notice] = second.index.take_notices()
    assert "was removed" in notice
    assert second.index.reader().state_counts(ALL).total == ORDERS

    cached = Index.for_settings(settings)  # what `orders --cached` opens
    try:
        assert cached.reader().state_counts(ALL).total == ORDERS
    finally:
        cached.close()


async def test_an_index_left_in_place_is_not_reopened(
    make_demo: Callable[..., DemoServer], syncing: Callable[..., Run], tmp_path: Path
) -> None:
    server = make_demo(orders=50, seed=3, new_order_every=0)
    run = syncing(server, index=Index.for_settings(settings_for(server, tmp_path))).start()
    await run.until(lambda p: p.last_sweep == "complete")
    generation = run.index.generation
    assert not run.index.removed() and not run.index.reopen_if_removed()
    assert run.index.generation == generation and run.index.take_notices() == []
