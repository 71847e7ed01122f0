"""Shared pytest fixtures: demo API servers on loopback (real HTTP, no mocks).

- ``demo_server``: a started :class:`DemoServer` with small data (300 orders, seed 7),
  stopped after the test.
- ``server``: one started :class:`DemoServer` for a whole test module, built from the
  module's ``DEMO`` dict of ``DemoServer`` keyword arguments (for modules whose tests share
  a server, e.g. one whose previews are drawn once and then served from its cache).
- ``make_demo``: a factory taking ``DemoServer`` keyword arguments; every server it starts
  is stopped at teardown.
- ``demo_http``: a factory giving a sync ``httpx.Client`` on a server's ``base_url`` that
  already holds a bearer token (closed at teardown).
- ``http``: a plain sync ``httpx.Client`` (no base URL, no token) for presigned file URLs.
- ``isolated``: a fresh home under ``tmp_path`` (HOME and the XDG config, cache and download
  folders point into it; no ``ARTISTREE_*`` variable of the caller leaks in). Every test of
  ``tests/config`` and ``tests/cli`` runs in one (their conftest.py asks for it).

Each folder's own conftest.py holds the fixtures only its tests use; helpers that are not
fixtures live in ``tests/support``.

Creating an httpx client builds a TLS context and loads the CA bundle (~50 ms each); the
fixtures share one context, :data:`tests.support.demo.TLS`, so many short clients stay fast.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from artistree_tui.demo import DemoServer
from tests.support.demo import TLS, fetch_token

SMALL_ORDERS = 300
SMALL_SEED = 7


@pytest.fixture
def demo_server() -> Iterator[DemoServer]:
    server = DemoServer(orders=SMALL_ORDERS, seed=SMALL_SEED).start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def server(request: pytest.FixtureRequest) -> Iterator[DemoServer]:
    with DemoServer(**request.module.DEMO) as demo:
        yield demo


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


@pytest.fixture
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "home"
    for name, sub in (
        ("HOME", ""),
        ("XDG_CONFIG_HOME", ".config"),
        ("XDG_CACHE_HOME", ".cache"),
        ("XDG_DOWNLOAD_DIR", "Downloads"),
    ):
        monkeypatch.setenv(name, str(home / sub))
    for name in list(os.environ):
        if name.startswith("ARTISTREE_"):
            monkeypatch.delenv(name)
    return home
