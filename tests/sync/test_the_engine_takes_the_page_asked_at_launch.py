"""The console asks for the sync's head request at process start (artistree_tui/launch.py),
before the engine exists; the engine's first step is handed that answer (api/prefetch.py)
instead of asking again: the page the start asked for is the very one the engine asks for."""

from __future__ import annotations

from pathlib import Path

from artistree_tui import launch
from artistree_tui.config import Settings
from artistree_tui.config.settings import HEAD_ROWS
from artistree_tui.connect import build_client
from artistree_tui.demo import DemoServer
from artistree_tui.store import ALL, Index, ViewSpec
from artistree_tui.sync import SyncEngine
from tests.sync.conftest import FAST_SYNC


async def test_the_engines_head_request_is_the_page_fetched_at_launch(
    demo_server: DemoServer, tmp_path: Path
) -> None:
    settings = Settings(
        base_url=demo_server.base_url,
        token_url=demo_server.token_url,
        client_id=demo_server.client_id,
        client_secret=demo_server.client_secret,
        store="memory",
    )
    heads = [p for p in launch.first_pages(settings) if p.preview]
    assert [(p.project_id, p.limit) for p in heads] == [(ALL.project_id, HEAD_ROWS)]
    index = Index(tmp_path / "index.sqlite3")
    async with build_client(settings) as client:
        launch.start_first_requests(client, heads)  # what the start does, before any UI
        engine = SyncEngine(client, index, settings=FAST_SYNC)
        try:
            await engine.step()  # the head refresh
        finally:
            await engine.aclose()
    try:
        asked = [r.query for r in demo_server.recorded("/v1/orders")]
        assert asked == [{"project_id": ALL.project_id, "preview": "true", "limit": "60"}]
        assert index.reader().view(ViewSpec.of(ALL)).count() == HEAD_ROWS
    finally:
        index.close()
