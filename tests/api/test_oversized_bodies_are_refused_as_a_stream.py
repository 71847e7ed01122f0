"""A body that inflates past the cap is refused while it streams, never held whole.

The demo's ``gzip-bomb`` outcome answers ``GET /v1/orders`` with ~80 KB of gzip that inflates
to 80 MB, over real loopback HTTP. httpx inflated each network chunk whole (64 KB of it is
64 MB) before the client counted, so refusing it cost peak memory well past the cap (58 to
188 MB in the review). The client now inflates in bounded steps and stops at the cap: with
the cap lowered to 4 MB here, the peak of Python allocations during the request stays within
the cap plus a step, far from a 64 MB chunk.
"""

from __future__ import annotations

import tracemalloc
from typing import Any

import pytest

from artistree_tui.api import wire
from artistree_tui.api.auth import StaticToken
from artistree_tui.api.client import ArtistreeClient
from artistree_tui.api.errors import ApiSchemaError
from artistree_tui.api.models import ALL_PROJECTS
from artistree_tui.demo.handler import gzip_bomb

CAP = 4 * 1024 * 1024


async def test_a_gzip_bomb_is_refused_within_the_cap(
    demo_server: Any, demo_http: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    token = demo_http(demo_server).headers["Authorization"].removeprefix("Bearer ")
    monkeypatch.setattr(wire, "MAX_BODY_BYTES", CAP)
    async with ArtistreeClient(demo_server.base_url, StaticToken(token)) as client:
        await client.list_orders(ALL_PROJECTS, limit=1)  # connection and token warmed up
        gzip_bomb()  # the in-process demo compresses its 80 MB once: not the client's memory
        demo_server.faults.script.append("gzip-bomb")
        tracemalloc.start()
        try:
            with pytest.raises(ApiSchemaError, match="larger than 4 MB"):
                await client.list_orders(ALL_PROJECTS, limit=1)
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        # Still usable afterwards.
        assert (await client.list_orders(ALL_PROJECTS, limit=1)).row_count == 1
    assert peak < CAP + 2 * wire.INFLATE_STEP + 1024 * 1024, f"peak {peak / 2**20:.1f} MiB"


async def test_gzip_pages_within_the_cap_are_read(demo_server: Any, demo_http: Any) -> None:
    # The demo does not compress its pages; a body the client inflates itself is checked in
    # test_a_gzip_bomb_is_refused_within_the_cap. Here: plain pages still read the same.
    token = demo_http(demo_server).headers["Authorization"].removeprefix("Bearer ")
    async with ArtistreeClient(demo_server.base_url, StaticToken(token)) as client:
        page = await client.list_orders(ALL_PROJECTS, limit=50)
    assert page.row_count == 50
