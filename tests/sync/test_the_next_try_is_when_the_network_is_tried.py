"""After the API client gave up on a server that does not answer, its circuit breaker lets one
request through at the time of its next probe, and fails every other at once without touching
the network. The sync's own next try is never before that time: the status line's "next try
in 2 s" was a try that failed untried, while the API, back meanwhile, was not asked for half a
minute. Real client, real demo API over loopback (every connection dropped, then healthy)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

from artistree_tui.api.auth import ClientCredentials
from artistree_tui.api.client import ArtistreeClient
from artistree_tui.api.retry import RetryPolicy
from artistree_tui.demo import DemoServer, FaultConfig
from artistree_tui.store import ALL, Index
from artistree_tui.sync import SyncEngine, SyncProgress

from .conftest import FAST_SYNC, WAIT

#: One try a request, then the breaker waits 1–2 s before its probe (the sync's own backoff
#: is 20 ms: without the breaker's word it would try again at once).
SLOW_PROBE = RetryPolicy(max_attempts=1, base_delay=2.0, max_delay=2.0)


async def test_the_sync_waits_for_the_client_s_next_probe(
    make_demo: Callable[..., DemoServer], tmp_path: Path
) -> None:
    server = make_demo(orders=300, seed=3, new_order_every=0)
    server.faults = FaultConfig(rate_drop=1.0)
    auth = ClientCredentials(
        server.token_url, server.client_id, server.client_secret, retry=SLOW_PROBE
    )
    client = ArtistreeClient(server.base_url, auth, retry=SLOW_PROBE)
    index = Index(tmp_path / "orders.sqlite3")
    offline: list[tuple[SyncProgress, float]] = []
    done = asyncio.Event()

    def seen(progress: SyncProgress) -> None:
        if progress.phase == "offline":
            offline.append((progress, client.next_try_in()))
            server.faults = FaultConfig()  # the API is back: only the breaker holds the sync
        if progress.complete:
            done.set()

    engine = SyncEngine(client, index, ALL, settings=FAST_SYNC, on_progress=seen)
    task = asyncio.create_task(engine.run())
    try:
        async with asyncio.timeout(WAIT):
            await done.wait()
        (first, breaker_wait), *_ = offline
        assert breaker_wait >= 0.9  # the breaker is open: its probe is a second or two away
        assert first.retry_in is not None and first.retry_in >= breaker_wait - 0.05, first
        assert len(offline) == 1  # no try failed untried before the probe
    finally:
        engine.stop()
        await asyncio.wait_for(task, WAIT)
        await engine.aclose()
        await client.aclose()
        index.close()
