"""Shared pytest fixtures: demo API servers on loopback (real HTTP, no mocks).

- ``demo_server``: a started :class:`DemoServer` with small data (300 orders, seed 7),
  stopped after the test.
- ``make_demo``: a factory taking ``DemoServer`` keyword arguments; every server it starts
  is stopped at teardown.
- ``demo_http``: a factory giving a sync ``httpx.Client`` on a server's ``base_url`` that
  already holds a bearer token (closed at teardown).
- ``http``: a plain sync ``httpx.Client`` (no base URL, no token) for presigned file URLs.

Creating an httpx client builds a TLS context and loads the CA bundle (~50 ms each); the
fixtures share one context, :data:`TLS`, so a test suite of many short clients stays fast.
"""

from __future__ import annotations

import ssl
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from artistree_tui.demo import DemoServer

SMALL_ORDERS = 300
SMALL_SEED = 7
#: One TLS context for every test client (the demo is plain HTTP; this only saves time).
TLS = ssl.create_default_context()


@pytest.fixture
def demo_server() -> Iterator[DemoServer]:
    server = DemoServer(orders=SMALL_ORDERS, seed=SMALL_SEED).start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def make_demo() -> Iterator[Callable[..., DemoServer]]:
    servers: list[DemoServer] = []

    def factory(**kwargs: Any) -> DemoServer:
        server = DemoServer(**kwargs).start()
        servers.append(server)
        return server

    try:
        yield factory
    finally:
        for server in servers:
            server.stop()


def fetch_token(server: DemoServer, client: httpx.Client | None = None) -> str:
    """A fresh access token from the server's token endpoint (form-encoded credentials)."""
    form = {
        "grant_type": "client_credentials",
        "client_id": server.client_id,
        "client_secret": server.client_secret,
    }
    if client is None:
        with httpx.Client(verify=TLS) as fresh:
            response = fresh.post(server.token_url, data=form)
    else:
        response = client.post(server.token_url, data=form)
    response.raise_for_status()
    return str(response.json()["access_token"])


@pytest.fixture
def demo_http() -> Iterator[Callable[[DemoServer], httpx.Client]]:
    clients: list[httpx.Client] = []

    def factory(server: DemoServer) -> httpx.Client:
        client = httpx.Client(base_url=server.base_url, timeout=10, verify=TLS)
        client.headers["Authorization"] = f"Bearer {fetch_token(server, client)}"
        clients.append(client)
        return client

    try:
        yield factory
    finally:
        for client in clients:
            client.close()


@pytest.fixture
def http() -> Iterator[httpx.Client]:
    with httpx.Client(timeout=10, verify=TLS) as client:
        yield client
