"""The embedded demo API server: real HTTP on loopback, started and stopped from Python.

>>> with DemoServer(orders=500) as server:
...     server.base_url          # "http://127.0.0.1:PORT"; the API is under /v1
...     server.advance(600)      # ten demo minutes later: In Progress orders have completed

It serves from daemon threads (one per connection) so it never keeps a process alive, and
:meth:`DemoServer.stop` returns in well under a second even with clients still connected or a
slow-image fault mid-stream: open connections are shut down rather than waited for.
"""

from __future__ import annotations

import contextlib
import socket
import socketserver
import threading
from http.server import ThreadingHTTPServer
from types import TracebackType
from typing import Any

from artistree_tui.demo.catalog import ALL_PROJECTS, STATES, DemoProject
from artistree_tui.demo.faults import FaultConfig
from artistree_tui.demo.handler import DemoHandler
from artistree_tui.demo.state import DemoState, RequestRecord
from artistree_tui.demo.tokens import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET

_POLL_INTERVAL = 0.05  # how often serve_forever checks for shutdown


class DemoHTTPServer(ThreadingHTTPServer):
    """A ThreadingHTTPServer that is silent, fast to bind and closes its connections on stop.

    ``listener``: a socket already bound and listening to serve on (instead of binding one).
    """

    daemon_threads = True
    block_on_close = False  # never join request threads on close: stop() must be prompt
    request_queue_size = 128

    def __init__(
        self,
        address: tuple[str, int],
        state: DemoState,
        listener: socket.socket | None = None,
    ) -> None:
        self.state = state
        #: Open connections and their numbers (1 for the first accepted).
        self._connections: dict[socket.socket, int] = {}
        self._connections_lock = threading.Lock()
        self.accepted = 0
        super().__init__(address, DemoHandler, bind_and_activate=listener is None)
        if listener is not None:  # already bound and listening (a parent process made it)
            self.socket.close()
            self.socket = listener
            self.server_address = listener.getsockname()
            host, port = self.server_address[:2]
            self.server_name, self.server_port = str(host), int(port)

    def server_bind(self) -> None:
        # HTTPServer.server_bind calls socket.getfqdn(), a reverse DNS lookup that can take
        # seconds on some machines; the demo does not need the server's name.
        socketserver.TCPServer.server_bind(self)
        host, port = self.server_address[:2]
        self.server_name, self.server_port = str(host), int(port)

    def process_request(self, request: Any, client_address: Any) -> None:
        with self._connections_lock:
            self.accepted += 1
            self._connections[request] = self.accepted
        super().process_request(request, client_address)

    def connection_number(self, request: Any) -> int:
        with self._connections_lock:
            return self._connections.get(request, 0)

    def shutdown_request(self, request: Any) -> None:
        with self._connections_lock:
            self._connections.pop(request, None)
        super().shutdown_request(request)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Silent: a client that vanishes mid-request is not worth a traceback on stderr."""

    def close_connections(self) -> None:
        with self._connections_lock:
            connections = list(self._connections)
        for connection in connections:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)


class DemoServer:
    """The demo Artistree API. See COMMON.md "Demo API server" for the agreed interface.

    ``epoch`` (an extra, keyword-only) sets where the demo clock starts in Unix seconds;
    the default is a fixed instant so that data timestamps are the same on every run.
    ``listener`` (keyword-only): a socket already bound and listening, served instead of
    binding ``host:port`` (the demo in a child process, :mod:`.child`).
    """

    def __init__(
        self,
        orders: int = 2000,
        seed: int = 1,
        host: str = "127.0.0.1",
        port: int = 0,
        latency_ms: float = 0,
        faults: FaultConfig | None = None,
        token_ttl: int = 3600,
        url_ttl: int = 900,
        new_order_every: float = 0.0,
        preview_size: tuple[int, int] = (1024, 768),
        *,
        epoch: float | None = None,
        listener: socket.socket | None = None,
    ) -> None:
        if faults is None:
            faults = FaultConfig()
        if latency_ms:
            faults.latency_ms = latency_ms
        width, height = preview_size
        if width < 16 or height < 16:
            raise ValueError("preview_size must be at least 16 x 16 pixels")
        self.host, self._port = host, port
        self.state = DemoState(
            orders=orders,
            seed=seed,
            faults=faults,
            token_ttl=token_ttl,
            url_ttl=url_ttl,
            new_order_every=new_order_every,
            preview_size=(int(width), int(height)),
            epoch=epoch,
        )
        self.client_id = DEMO_CLIENT_ID
        self.client_secret = DEMO_CLIENT_SECRET
        self._httpd: DemoHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._listener = listener

    # -- lifecycle --------------------------------------------------------------------------

    def start(self) -> DemoServer:
        """Bind and serve in a daemon thread; returns self. Raises OSError if the port is busy."""
        if self._httpd is not None:
            return self
        self.state.stopping.clear()
        httpd = DemoHTTPServer((self.host, self._port), self.state, self._listener)
        self._listener = None  # the server owns it now (closed by stop)
        self._httpd = httpd
        host = self.host if ":" not in self.host else f"[{self.host}]"
        self.state.base_url = f"http://{host}:{httpd.server_port}"
        self._thread = threading.Thread(
            target=httpd.serve_forever,
            kwargs={"poll_interval": _POLL_INTERVAL},
            name=f"artistree-demo:{httpd.server_port}",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and close every connection. Safe to call twice."""
        httpd, self._httpd = self._httpd, None
        if httpd is None:
            return
        self.state.stopping.set()
        httpd.shutdown()
        httpd.server_close()
        httpd.close_connections()
        if self._thread is not None:
            self._thread.join(timeout=2)
            self._thread = None

    def __enter__(self) -> DemoServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # -- addresses and credentials ----------------------------------------------------------

    @property
    def base_url(self) -> str:
        """``http://HOST:PORT`` (the API is under ``/v1``). Only valid once started."""
        if not self.state.base_url:
            raise RuntimeError("the demo server is not started")
        return self.state.base_url

    @property
    def token_url(self) -> str:
        return self.base_url + "/oauth2/token"

    @property
    def port(self) -> int:
        return int(self.base_url.rsplit(":", 1)[1])

    # -- test controls ----------------------------------------------------------------------

    @property
    def faults(self) -> FaultConfig:
        """The live fault configuration; mutate it or assign a new one at any time."""
        return self.state.faults

    @faults.setter
    def faults(self, value: FaultConfig) -> None:
        self.state.faults = value

    def recorded(self, prefix: str = "/v1/orders") -> list[RequestRecord]:
        """The requests received whose path starts with ``prefix``, oldest first."""
        return [r for r in self.state.records() if r.path.startswith(prefix)]

    def clear_requests(self) -> None:
        self.state.clear_records()

    @property
    def token_requests(self) -> int:
        """How many requests the token endpoint has received (successful or not)."""
        return self.state.tokens.requests

    def advance(self, seconds: float) -> None:
        """Move the demo clock forward: orders complete, new ones appear, tokens/URLs expire."""
        self.state.clock.advance(seconds)

    def now(self) -> float:
        """The demo clock, in Unix seconds."""
        return self.state.now()

    def hold_clock(self) -> None:
        """Only :meth:`advance` moves the demo clock from now on (see DemoClock.hold)."""
        self.state.clock.hold()

    def revoke_tokens(self) -> None:
        """Invalidate every access token issued so far (the next API call gets a 401)."""
        self.state.tokens.revoke_all()

    def remove_order(self, order_id: str) -> None:
        """Delete an order from the API: gone from list pages, counts and ``GET`` (404)."""
        index = self.state.catalog.ids.decode(order_id.lower())
        if index is None:
            raise KeyError(order_id)
        self.state.catalog.remove(index)

    def restore_order(self, order_id: str) -> None:
        """Bring back an order :meth:`remove_order` deleted."""
        index = self.state.catalog.ids.decode(order_id.lower())
        if index is None:
            raise KeyError(order_id)
        self.state.catalog.restore(index)

    def rotate_page_tokens(self) -> None:
        """Refuse every page token handed out so far (HTTP 400 "invalid page_token"), as a
        server that restarted or expired them would."""
        self.state.signer.rotate_page_tokens()

    @property
    def projects(self) -> list[DemoProject]:
        """The organization's projects (names as currently served, hostile mode included)."""
        factory, hostile = self.state.factory, self.state.faults.hostile
        return [
            DemoProject(p.id, factory.project_name(code, hostile), p.role)
            for code, p in enumerate(self.state.catalog.projects, start=1)
        ]

    @property
    def connections(self) -> int:
        """How many TCP connections the server has accepted (keep-alive reuses one)."""
        return self._httpd.accepted if self._httpd is not None else 0

    # -- the server's own truth, for tests --------------------------------------------------

    def order_id(self, index: int) -> str:
        """The id of the order with this index (0 = the oldest); no table needed."""
        return self.state.catalog.ids.encode(index)

    def order_ids(self, project_id: str = ALL_PROJECTS) -> list[str]:
        """Every order id of a scope right now, newest first (what paging to the end yields)."""
        catalog = self.state.catalog
        catalog.sync(self.now())
        scope = catalog.resolve(project_id)
        indices, _ = catalog.page(scope, None, max(catalog.count, 1))
        return [catalog.ids.encode(i) for i in indices]

    def stats(self, project_id: str = ALL_PROJECTS) -> dict[str, int]:
        """The ``order_stats`` the list endpoint would send for a scope right now."""
        now = self.now()
        self.state.catalog.sync(now)
        return self.state.catalog.stats(self.state.catalog.resolve(project_id), now)

    def order_state(self, order_id: str) -> str | None:
        """The current ``order_state`` of an order, or None if the demo does not know it."""
        catalog = self.state.catalog
        now = self.now()
        catalog.sync(now)
        index = catalog.ids.decode(order_id)
        if index is None or not catalog.exists(index):
            return None
        return STATES[catalog.state_at(index, now)]
