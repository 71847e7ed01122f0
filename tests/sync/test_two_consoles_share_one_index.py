"""Two consoles on one machine share one index: WAL lets each process read while the other
writes, and their writers take turns (busy timeout). Really two processes: a child runs its
own sync into the same file while this process runs another."""

from __future__ import annotations

import asyncio
import json
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from artistree_tui.demo import DemoServer
from artistree_tui.store import ALL, Index, Scope, ViewSpec

from .conftest import Run

CHILD = """
import asyncio, json, sys
from pathlib import Path
from artistree_tui.api.auth import ClientCredentials
from artistree_tui.api.client import ArtistreeClient
from artistree_tui.api.retry import RetryPolicy
from artistree_tui.store import Index, Scope
from artistree_tui.sync import SyncEngine, SyncSettings

path, base, token_url, client_id, secret, project = sys.argv[1:7]

async def main():
    index = Index(Path(path))
    retry = RetryPolicy(max_attempts=3, base_delay=0.01, max_delay=0.05)
    auth = ClientCredentials(token_url, client_id, secret, retry=retry)
    async with ArtistreeClient(base, auth, retry=retry) as client:
        settings = SyncSettings(rate=0, refresh_seconds=0, resync_minutes=0)
        scope = Scope.project(project) if project != "All Projects" else Scope()
        engine = SyncEngine(client, index, scope, settings=settings)
        progress = await engine.sweep_to_end()
        await engine.aclose()
    print(json.dumps({"indexed": progress.indexed, "last": progress.last_sweep,
                      "notices": index.take_notices(), "mode": index.mode}))
    index.close()

asyncio.run(main())
"""


async def child_sync(server: DemoServer, path: Path, project: str) -> dict[str, object]:
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-c", CHILD, str(path), server.base_url, server.token_url,
        server.client_id, server.client_secret, project,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip
    out, err = await asyncio.wait_for(process.communicate(), timeout=120)
    assert process.returncode == 0, err.decode()[-2000:]
    return json.loads(out)


def counts_agree(path: Path) -> bool:
    with sqlite3.connect(path) as conn:
        actual = dict(
            ((p, s, g), n)
            for p, s, g, n in conn.execute(
                "SELECT pid, state_code, gone IS NOT NULL, count(*) FROM orders GROUP BY 1, 2, 3"
            )
        )
        kept = {(p, s, g): n for p, s, g, n in conn.execute("SELECT * FROM counts") if n}
    conn.close()
    return actual == kept


async def test_two_processes_sync_into_one_index_at_once(
    make_demo: Callable[..., DemoServer], syncing: Callable[..., Run], tmp_path: Path
) -> None:
    server = make_demo(orders=12_000, seed=5, new_order_every=0)
    path = tmp_path / "shared" / "orders.sqlite3"
    project = server.projects[0]
    Index(path).close()  # both find the file made (as a second console would)
    here = syncing(server, path=path, scope=Scope.project(project.id)).start()
    child = asyncio.get_running_loop().create_task(child_sync(server, path, "All Projects"))
    reader = here.index.reader()
    seen: list[int] = []
    while not child.done():  # this process reads while the other one writes
        seen.append(reader.view(ViewSpec.of()).count())
        await asyncio.sleep(0.05)
    report = await child
    mine = await here.until(lambda p: p.last_sweep == "complete")
    assert report == {"indexed": 12_000, "last": "complete", "notices": [], "mode": "disk"}
    assert mine.indexed == server.stats(project.id)["total_orders"]
    assert here.index.mode == "disk" and here.index.take_notices() == []
    assert seen == sorted(seen) and seen[-1] > 0  # it watched the other process fill it
    assert reader.status(ALL).complete and reader.view(ViewSpec.of()).count() == 12_000
    assert counts_agree(path)


async def test_two_processes_sweeping_the_same_scope(
    make_demo: Callable[..., DemoServer], tmp_path: Path
) -> None:
    server = make_demo(orders=6000, seed=6, new_order_every=0)
    path = tmp_path / "orders.sqlite3"
    Index(path).close()
    reports = await asyncio.gather(
        child_sync(server, path, "All Projects"), child_sync(server, path, "All Projects")
    )
    assert all(r["last"] == "complete" and r["notices"] == [] for r in reports)
    index = Index(path)
    try:
        reader = index.reader()
        assert reader.view(ViewSpec.of()).count() == 6000
        assert reader.state_counts(ALL).total == 6000
        gone = reader.view(ViewSpec.of()).rows(0, 6000)
        assert not any(r.gone for r in gone)  # neither sweep took the other's rows as gone
    finally:
        index.close()
    assert counts_agree(path)
