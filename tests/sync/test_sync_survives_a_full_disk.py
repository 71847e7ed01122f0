"""A disk that fills up mid-sweep: the index moves to memory with one notice and the sync goes
on there, from the head, to a complete index (the full disk is SQLite's ``max_page_count``
set just above the file's size on the writer's connection)."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

from artistree_tui.demo import DemoServer
from artistree_tui.store import Index, ViewSpec

from .conftest import Run


class FillingDisk(Index):
    """Once ``armed``, new connections may grow the file by only ``spare`` pages."""

    armed = False
    spare = 300

    def _raw_connect(self, path: Path) -> sqlite3.Connection:
        conn = super()._raw_connect(path)
        if self.armed:
            (pages,) = conn.execute("PRAGMA page_count").fetchone()
            conn.execute(f"PRAGMA max_page_count = {int(pages) + self.spare}")
        return conn


async def test_the_sync_carries_on_in_memory(
    make_demo: Callable[..., DemoServer], syncing: Callable[..., Run], tmp_path: Path
) -> None:
    server = make_demo(orders=8000, seed=12, new_order_every=0)
    notices: list[str] = []
    index = FillingDisk(tmp_path / "orders.sqlite3", on_notice=notices.append)
    index.armed = True
    run = syncing(server, index=index).start()
    done = await run.until(lambda p: p.last_sweep == "complete")
    assert index.mode == "memory"
    assert len(notices) == 1 and "(disk full)" in notices[0]
    assert done.indexed == 8000 and done.complete
    assert index.reader().view(ViewSpec.of()).count() == 8000
