"""A local order index filled by a real sync (no tests here).

- :func:`index_path` — where ``artistree-tui`` (or the console) with these settings keeps its
  index: the same function the program uses (``store.paths``);
- :func:`sweep_into` — one whole sweep of a demo API into the index file at ``path`` by the
  real :class:`~artistree_tui.sync.SyncEngine` over loopback HTTP (unpaced), then closed:
  what a console leaves behind after its sync completed;
- :func:`smash` — garbage over some of a database file's pages (not its header).
"""

from __future__ import annotations

import contextlib
import sqlite3
from pathlib import Path

from artistree_tui.api.auth import ClientCredentials
from artistree_tui.api.client import ArtistreeClient
from artistree_tui.api.retry import RetryPolicy
from artistree_tui.config import Settings
from artistree_tui.demo import DemoServer
from artistree_tui.store import ALL, Index, Scope
from artistree_tui.store.paths import index_files
from artistree_tui.sync import SyncEngine, SyncProgress, SyncSettings

#: Unpaced, no periodic refresh or re-sweep, quick retries.
SWEEP = SyncSettings(rate=0, refresh_seconds=0, resync_minutes=0, backoff_base=0.02)
RETRY = RetryPolicy(max_attempts=3, base_delay=0.01, max_delay=0.05)


def index_path(settings: Settings) -> Path:
    """The database file of ``settings``' index."""
    return index_files(settings).database


async def sweep_into(server: DemoServer, path: Path, scope: Scope = ALL) -> SyncProgress:
    """Sweep ``scope`` of ``server`` into the index at ``path`` (created if needed); returns
    the sync's progress at the end (``last_sweep == "complete"``)."""
    index = Index(path)
    auth = ClientCredentials(server.token_url, server.client_id, server.client_secret, retry=RETRY)
    try:
        async with ArtistreeClient(server.base_url, auth, retry=RETRY) as client:
            engine = SyncEngine(client, index, scope, settings=SWEEP)
            try:
                progress = await engine.sweep_to_end()
            finally:
                await engine.aclose()
    finally:
        index.close()
    assert progress.last_sweep == "complete", progress
    return progress


def smash(path: Path, *, first: int = 2, every: int = 3) -> None:
    """Overwrite every ``every``-th page of the file from page ``first`` on with garbage: damage
    SQLite finds when it reads those pages. Not its header, nor its last page, nor the pages
    of the schema (the open reads those). The file must be closed."""
    with contextlib.closing(sqlite3.connect(path)) as conn:
        schema = {
            page
            for (page,) in conn.execute("SELECT pageno FROM dbstat WHERE name = 'sqlite_schema'")
        }
    size = path.stat().st_size
    assert size > 16 * 4096, "the test needs a file of several pages"
    with path.open("r+b") as handle:
        for offset in range(4096 * first, size - 4096, 4096 * every):
            if offset // 4096 + 1 not in schema:
                handle.seek(offset)
                handle.write(b"\xa5" * 4096)
