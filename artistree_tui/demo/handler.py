"""The HTTP layer: routing, fault injection, request logging and writing responses.

One :class:`DemoHandler` per connection (HTTP/1.1 keep-alive, every response with a
Content-Length or chunked). Nagle is off: with it, keep-alive responses wait ~40 ms for the
peer's delayed ACK. The handler never writes to stderr and never keeps the Authorization
header, only whether there was one.

``/v1`` requests go through the fault picker first (latency, then a scripted or random
outcome), then authentication, then the endpoint; a "malformed" outcome reshapes the body of
an otherwise good answer.
"""

from __future__ import annotations

import json
import re
import time
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler
from typing import Any, Protocol
from urllib.parse import parse_qs, unquote, urlsplit

from artistree_tui.demo import api, files
from artistree_tui.demo.responses import (
    Response,
    html_page,
    json_response,
    message,
    oauth_error,
    s3_error,
)
from artistree_tui.demo.state import DemoState, RequestRecord


class StateServer(Protocol):
    """What the handler needs of its server (:class:`~.server.DemoHTTPServer`, which imports
    this module): the shared demo state."""

    state: DemoState

    def connection_number(self, request: Any) -> int:
        """The number of the connection ``request`` (the socket) came on."""
        ...


MAX_BODY = 64 << 10
_ORDER = re.compile(r"^/v1/orders/([^/]+)$")
_PDF = re.compile(r"^/v1/orders/pdf/([^/]+)$")
_5XX_TEXT = {
    "500": "Internal server error",
    "502": "Bad Gateway",
    "503": "Service Unavailable",
    "504": "Endpoint request timed out",
}


class DemoHandler(BaseHTTPRequestHandler):
    """Serves one connection of the demo API."""

    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    server_version = "ArtistreeDemo/1.0"
    sys_version = ""
    timeout = 120  # an idle keep-alive connection is closed after this many seconds
    server: StateServer  # type: ignore[assignment]

    def log_message(self, format: str, *args: Any) -> None:
        """Silent: no access log on stderr (and nothing that could leak a header)."""

    def do_GET(self) -> None:
        self._dispatch()

    def do_HEAD(self) -> None:
        self._dispatch()

    def do_POST(self) -> None:
        self._dispatch()

    def do_PUT(self) -> None:
        self._dispatch()

    def do_PATCH(self) -> None:
        self._dispatch()

    def do_DELETE(self) -> None:
        self._dispatch()

    # -- dispatch ---------------------------------------------------------------------------

    def _dispatch(self) -> None:
        state = self.server.state
        arrived = time.monotonic()
        split = urlsplit(self.path)
        path = unquote(split.path)
        query = {k: v[-1] for k, v in parse_qs(split.query, keep_blank_values=True).items()}
        had_auth = self.headers.get("Authorization") is not None
        body = self._read_body()
        if body is None:
            response = message(413, "Request body too large or not length-delimited")
            response.close = True
        else:
            try:
                response = self._route(state, path, query, body)
            except Exception:  # a demo bug must not kill the connection thread noisily
                response = message(500, "demo server error")
        status = 0 if response.drop else response.status
        connection = self.server.connection_number(self.request)
        state.record(
            RequestRecord(self.command, path, query, status, had_auth, arrived, connection)
        )
        self._send(response)

    def _read_body(self) -> bytes | None:
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            return None  # not needed by any client of this API; refuse rather than desync
        length_text = self.headers.get("Content-Length")
        if not length_text:
            return b""
        try:
            length = int(length_text)
        except ValueError:
            return None
        if length < 0 or length > MAX_BODY:
            return None
        return self.rfile.read(length)

    def _route(self, state: DemoState, path: str, query: dict[str, str], body: bytes) -> Response:
        method = self.command
        if path == "/oauth2/token":
            if method != "POST":
                return oauth_error("invalid_request", 405)
            return self._token(state, body)
        if path.startswith("/v1/"):
            return self._api(state, path, query)
        if path.startswith("/files/"):
            if method not in ("GET", "HEAD"):
                return message(405, "Method Not Allowed")
            if self.headers.get("Authorization") is not None:
                # What S3 says when a presigned URL also gets an Authorization header: a
                # client that leaks its bearer token to the file store fails visibly.
                return s3_error(400, "InvalidArgument", "Only one auth mechanism allowed")
            return files.serve(state, path, query)
        return message(404, "Not Found")

    def _token(self, state: DemoState, body: bytes) -> Response:
        state.tokens.count_request()
        outcome = state.picker.token_outcome(state.faults)
        if outcome == "invalid_client":
            return oauth_error("invalid_client")
        if outcome == "malformed":
            return html_page(200, "Sign-in temporarily unavailable")
        if outcome != "ok":
            return self._fault(outcome, state)
        return api.token(
            state,
            self.headers.get("Authorization"),
            self.headers.get("Content-Type", ""),
            body,
        )

    def _api(self, state: DemoState, path: str, query: dict[str, str]) -> Response:
        delay = state.picker.delay(state.faults)
        if delay > 0 and state.stopping.wait(delay):
            return Response(0, drop=True)
        outcome = state.picker.api_outcome(state.faults)
        if outcome != "ok" and not outcome.startswith("malformed-"):
            return self._fault(outcome, state)
        if self.command not in ("GET", "HEAD"):
            response = message(405, "Method Not Allowed")
        elif not api.authorized(state, self.headers.get("Authorization")):
            response = message(401, "Unauthorized", **{"WWW-Authenticate": "Bearer"})
        else:
            response = self._endpoint(state, path, query)
        language = api.content_language(self.headers.get("lang"))
        if language:
            response.headers["Content-Language"] = language
        if outcome.startswith("malformed-") and response.status == 200:
            return _malform(response, outcome.removeprefix("malformed-"))
        return response

    def _endpoint(self, state: DemoState, path: str, query: dict[str, str]) -> Response:
        origin = state.origin(self.headers.get("Host"))
        if path == "/v1/orders":
            return api.list_orders(state, query, origin)
        pdf = _PDF.match(path)
        if pdf:
            return api.certificate_link(state, pdf.group(1), origin)
        order = _ORDER.match(path)
        if order:
            return api.get_order(state, order.group(1), origin)
        return message(404, "Not Found")

    def _fault(self, outcome: str, state: DemoState) -> Response:
        """The response of a forced failure (shared by /v1 and the token endpoint)."""
        if outcome == "drop":
            return Response(0, drop=True)
        if outcome == "401":
            return message(401, "Unauthorized", **{"WWW-Authenticate": "Bearer"})
        if outcome in _5XX_TEXT:
            return message(int(outcome), _5XX_TEXT[outcome])
        if outcome == "gzip-bomb":
            return gzip_bomb()
        if outcome.startswith("429"):
            response = message(429, "Too Many Requests")
            retry_after = _retry_after(outcome, state.faults.retry_after)
            if retry_after is not None:
                response.headers["Retry-After"] = retry_after
            return response
        return message(500, f"demo: unknown scripted fault {outcome[:40]!r}")

    # -- writing ----------------------------------------------------------------------------

    def _send(self, response: Response) -> None:
        if response.drop:
            self.close_connection = True
            return
        try:
            self.send_response(response.status)
            self.send_header("Content-Type", response.content_type)
            for name, value in response.headers.items():
                self.send_header(name, value)
            chunked = response.stream is not None and response.length is None
            if response.stream is None:
                self.send_header("Content-Length", str(len(response.body)))
            elif response.length is not None:
                self.send_header("Content-Length", str(response.length))
            else:
                self.send_header("Transfer-Encoding", "chunked")
            if response.close:
                self.send_header("Connection", "close")
                self.close_connection = True
            self.end_headers()
            if self.command == "HEAD":
                return
            if response.stream is None:
                self.wfile.write(response.body)
                return
            for chunk in response.stream:
                self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk) if chunked else chunk)
                self.wfile.flush()
            if chunked:
                self.wfile.write(b"0\r\n\r\n")
        except OSError:  # the client went away (BrokenPipe, ConnectionReset, ...)
            self.close_connection = True


def _retry_after(outcome: str, configured: str | None) -> str | None:
    """The Retry-After header of a 429. Scripted kinds say what they want; a random 429
    (``429-configured``) follows ``FaultConfig.retry_after``."""
    seconds = int(configured) if configured and configured.isdigit() else 1
    if outcome == "429-no-retry-after" or (outcome == "429-configured" and configured is None):
        return None
    if outcome == "429-date" or (outcome == "429-configured" and configured == "date"):
        return formatdate(time.time() + seconds, usegmt=True)
    return str(seconds)


def _malform(response: Response, kind: str) -> Response:
    """Reshape a good JSON answer into one of the malformed bodies."""
    if kind == "truncated":
        return Response(200, response.body[: max(len(response.body) // 2, 1)])
    if kind == "html":
        return html_page(200, "502 Bad Gateway")
    payload = response.payload
    if kind == "shape":
        if isinstance(payload, dict) and "order_stats" in payload:
            return json_response(200, {"status": "ok", "items": {"count": "many"}})
        return json_response(200, ["unexpected", {"shape": True}])
    if kind == "nan" and isinstance(payload, dict):
        poisoned = json.loads(response.body)
        _poison_numbers(poisoned)
        return json_response(200, poisoned, allow_nan=True)
    return response


def _poison_numbers(payload: dict[str, Any]) -> None:
    nan, inf = float("nan"), float("inf")
    stats = payload.get("order_stats")
    if isinstance(stats, dict):
        stats["total_certified"] = nan
        stats["total_orders"] = inf
    if "expiresIn" in payload:
        payload["expiresIn"] = nan
    for order in [payload, *payload.get("orders", [])]:
        if "confidence" in order:
            order["confidence"] = nan
            order["remediation"] = -inf
        for annotation in order.get("annotations", []):
            annotation.setdefault("properties", {})["ai_likelihood"] = nan
            annotation["target"]["selector"]["geometry"]["bounds"]["minX"] = inf


#: What the ``gzip-bomb`` outcome expands to: past the client's 64 MB cap on a body.
BOMB_BYTES = 80 * 1024 * 1024
_bomb: bytes | None = None


def gzip_bomb() -> Response:
    """A 200 answer whose gzip body (~80 KB on the wire) inflates to 80 MB of spaces: a
    client that inflates before it counts holds all of it."""
    global _bomb
    if _bomb is None:
        import gzip

        _bomb = gzip.compress(b" " * BOMB_BYTES, compresslevel=9, mtime=0)
    return Response(200, _bomb, headers={"Content-Encoding": "gzip"})
