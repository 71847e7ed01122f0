"""Issue 13 item 3 for the sync: a server whose paging never ends — a token that comes back,
empty pages that keep pointing further, more rows than it says it has — ends the sweep with a
plain reason, after a bounded number of requests, without marking anything gone.

The broken server is a small stdlib HTTP server on loopback (the demo API pages correctly).
"""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Iterator
from dataclasses import replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import parse_qs, urlsplit

import pytest

from artistree_tui.api.auth import StaticToken
from artistree_tui.api.client import ArtistreeClient
from artistree_tui.api.models import OrderPreview
from artistree_tui.store import Index
from artistree_tui.sync import SyncEngine, SyncProgress

from .conftest import FAST_RETRY, FAST_SYNC


def row(n: int) -> dict[str, Any]:
    return {
        "order_id": f"00000000-0000-4000-8000-{n:012d}",
        "order_title": f"Order {n}",
        "creation_time": "2026-01-01T00:00:00.000Z",
        "order_state": "Reviewed",
        "asset_preview_url": None,
        "project_name": "Personal Certificates",
        "analysis_list": [],
        "tags": [],
    }


class BrokenHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    mode = "cycle"
    requests: ClassVar[list[str | None]] = []

    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        query = parse_qs(urlsplit(self.path).query)
        token = query.get("page_token", [None])[0]
        type(self).requests.append(token)
        number = 0 if token is None else int(token.split("-")[1])
        stats = {"total_orders": 5 if self.mode == "overrun" else 1000}
        if self.mode == "cycle":  # t-1, t-2, t-1, ...
            rows = [row(number * 10 + i) for i in range(5)]
            following = f"t-{1 if number == 2 else number + 1}"
        elif self.mode == "empty":  # empty pages that always point further
            rows = [row(i) for i in range(5)] if number == 0 else []
            following = f"t-{number + 1}"
        else:  # "overrun": new rows forever, though it says there are 5
            rows = [row(number * 5 + i) for i in range(5)]
            following = f"t-{number + 1}"
        body = json.dumps(
            {"order_stats": stats, "order_previews": rows, "next_page_token": following}
        ).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture
def broken_api() -> Iterator[tuple[str, type[BrokenHandler]]]:
    handler = type("Handler", (BrokenHandler,), {"requests": []})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}", handler
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize(
    ("mode", "reason", "most"),
    [
        ("cycle", "a page token came back after", 4),
        ("empty", "3 empty pages in a row, each with a next page", 5),
        # the margin over total_orders is a tenth, at least MIN_MARGIN (200) rows
        ("overrun", "rows read for 5 orders and still more pages", 43),
    ],
)
async def test_a_broken_paging_ends_the_sweep_plainly(
    broken_api: tuple[str, type[BrokenHandler]], tmp_path: Path, mode: str, reason: str, most: int
) -> None:
    base, handler = broken_api
    handler.mode = mode
    index = Index(tmp_path / "orders.sqlite3")
    # An order the broken API never lists: an incomplete sweep must not mark it gone.
    index.writer().write_previews(
        [OrderPreview("11111111-0000-4000-8000-000000000000", "kept", None, "Failed")]
    )
    reports: list[SyncProgress] = []
    ended = asyncio.Event()

    def report(progress: SyncProgress) -> None:
        reports.append(progress)
        if progress.last_sweep:
            ended.set()

    async with ArtistreeClient(base, StaticToken("t0k3n"), retry=FAST_RETRY) as client:
        settings = replace(FAST_SYNC, page_limit=5)
        engine = SyncEngine(client, index, settings=settings, on_progress=report)
        task = asyncio.get_running_loop().create_task(engine.run())
        async with asyncio.timeout(30):
            await ended.wait()
        engine.stop()
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        await engine.aclose()
    end = next(p for p in reports if p.last_sweep)
    assert end.last_sweep == "broken" and not end.complete
    assert end.problem is not None
    assert end.problem.startswith("the API's paging looks broken: ") and reason in end.problem
    assert reason in end.describe()
    assert len(handler.requests) <= most
    kept = index.reader().row("11111111-0000-4000-8000-000000000000")
    assert kept is not None and kept.gone is None
    index.close()
