"""Every hostile-image fault of the demo server, through the whole loader, ends in a typed
error with the placeholder text the panel shows — never a crash, never a hang."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from artistree_tui.api.assets import AssetFetcher
from artistree_tui.demo import DemoServer, FaultConfig
from artistree_tui.preview.cache import DiskCache
from artistree_tui.preview.loader import PreviewLoader
from artistree_tui.ui.preview.panel import status_for_error
from tests.support.demo import first_preview_url

DEMO = {"orders": 40, "seed": 4}


@pytest.fixture(scope="module")
def url(server: DemoServer) -> str:
    return first_preview_url(server)


@pytest.mark.parametrize(
    "fault,status",
    [
        ("oversized", "refused: too large"),
        ("oversized-stream", "refused: too large"),
        ("wrong-type", "refused: not an image"),
        ("svg", "refused: not an image"),
        ("bomb", "refused: image too big to decode"),
        ("truncated", "truncated image"),
        ("slow", "timed out"),
        ("expired", "expired link"),
    ],
)
async def test_each_image_fault_becomes_a_placeholder_reason(
    server: DemoServer, url: str, tmp_path: Path, fault: str, status: str
) -> None:
    server.faults = FaultConfig(image=fault)
    # A short deadline only for the image that trickles: on a loaded CI machine a short one
    # could turn any other answer into "timed out" too.
    fetcher = AssetFetcher(
        allow_http_origins=frozenset({server.base_url}),
        max_bytes=8 << 20,
        timeout=0.8 if fault == "slow" else 15,
    )
    loader = PreviewLoader(fetcher, DiskCache(tmp_path, max_bytes=50 << 20))
    try:
        with pytest.raises(Exception) as info:
            await loader.load(url)
    finally:
        await loader.aclose()
        server.faults = FaultConfig()
    assert status_for_error(info.value) == status
    assert os.listdir(tmp_path) == []  # nothing hostile reached the disk cache
    assert all(not r.had_auth for r in server.recorded("/files"))
