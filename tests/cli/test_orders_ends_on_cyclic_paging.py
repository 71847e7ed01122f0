"""A server whose paging goes round in a circle (it hands back a page token it gave before)
must not make ``orders`` run forever: the API layer's page iterator stops the walk, and the
command says the output may be incomplete (exit 1) after writing what it read."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.support.processes import api_env, one_error_line, run_cli

PAGE = 3


class CyclicApi(BaseHTTPRequestHandler):
    """A token endpoint, and /v1/orders whose page tokens go a → b → a → b …"""

    requests = 0

    def log_message(self, *args: object) -> None:
        pass

    def _json(self, body: object) -> None:
        data = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", "0")))
        self._json({"access_token": "t0ken", "token_type": "Bearer", "expires_in": 3600})

    def do_GET(self) -> None:
        type(self).requests += 1
        query = parse_qs(urlsplit(self.path).query)
        token = query.get("page_token", [""])[0]
        step = {"": 0, "a": 1, "b": 2}[token]
        orders = [
            {"order_id": f"00000000-0000-4000-8000-{step * PAGE + n:012d}", "order_state": "Failed"}
            for n in range(PAGE)
        ]
        self._json(
            {
                "order_stats": {"total_orders": 3 * PAGE},
                "project_names": [],
                "next_page_token": "b" if token == "a" else "a",
                "order_previews": orders,
            }
        )


@pytest.fixture
def cyclic() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), CyclicApi)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()


def test_orders_stops_and_says_the_paging_is_broken(cyclic: str, isolated: Path) -> None:
    result = run_cli("orders", "--format", "ndjson", env=api_env(isolated, cyclic), timeout=60)
    assert result.returncode == 1
    message = one_error_line(result.stderr)
    assert "paging" in message  # "the API's paging looks broken": said plainly
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(rows) == 3 * PAGE  # the pages read before the repeat, each once
    assert len({row["order_id"] for row in rows}) == 3 * PAGE
    assert CyclicApi.requests == 3
