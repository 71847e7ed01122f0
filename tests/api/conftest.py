"""tests/api: the API client, OAuth, retries, the tolerant parser, TLS and the safe asset
fetcher, against the demo server over real loopback HTTP (httpx.MockTransport only for what
the demo cannot provoke).

The servers are tests/conftest.py's (``demo_server``, ``make_demo``, ``server`` from a
module's ``DEMO``); the recording clients, fake sleep and fake clock are in
tests/support/api.py. Fixtures of its own:

- ``tls_server``: a real HTTPS server on 127.0.0.1 with a self-signed certificate for
  ``localhost`` and ``127.0.0.1``, made at test time with the ``openssl`` command-line tool.
  It answers every GET with ``body`` (a small PNG unless a test sets another one) and counts
  the TCP connections it accepted and the requests it read. ``trust()`` is a client TLS
  context that trusts its certificate (as if a company CA had signed it).
"""

from __future__ import annotations

import http.server
import io
import socket
import ssl
import subprocess
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest


def self_signed(folder: Path) -> tuple[Path, Path]:
    """A certificate and key for localhost/127.0.0.1, by the openssl command-line tool."""
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [
            "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
            "-nodes", "-keyout", str(key), "-out", str(cert), "-days", "1",
            "-subj", "/CN=localhost",
            "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
        ],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return cert, key


def tiny_png() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (4, 3), (200, 30, 30)).save(out, format="PNG")
    return out.getvalue()


@dataclass
class TlsServer:
    port: int
    cert: Path
    body: bytes
    content_type: str = "image/png"
    status: int = 200
    connections: int = 0
    requests: list[str] = field(default_factory=list)

    @property
    def origin(self) -> str:
        return f"https://127.0.0.1:{self.port}"

    def trust(self) -> ssl.SSLContext:
        context = ssl.create_default_context(cafile=str(self.cert))
        return context


@pytest.fixture
def tls_server(tmp_path: Path) -> Iterator[TlsServer]:
    cert, key = self_signed(tmp_path)
    server_context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server_context.load_cert_chain(cert, key)
    state = TlsServer(port=0, cert=cert, body=tiny_png())

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            state.requests.append(self.path)
            self.send_response(state.status)
            self.send_header("Content-Type", state.content_type)
            self.send_header("Content-Length", str(len(state.body)))
            self.end_headers()
            self.wfile.write(state.body)

        def log_message(self, *args: object) -> None:
            pass

    class Server(http.server.ThreadingHTTPServer):
        def get_request(self) -> tuple[socket.socket, object]:
            raw, address = self.socket.accept()
            state.connections += 1  # counted before TLS: a refused handshake counts too
            return server_context.wrap_socket(raw, server_side=True), address

        def handle_error(self, request: object, client_address: object) -> None:
            pass  # a client that gave up the handshake: nothing to report

    httpd = Server(("127.0.0.1", 0), Handler)
    state.port = httpd.server_address[1]
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(5)
