"""Fixtures of the order index's tests: real SQLite files under ``tmp_path`` fed with real
pages read from a demo server over loopback HTTP.

- ``index_file``: where a test's database lives (``tmp_path/cache/index/orders-test.sqlite3``);
  the folders do not exist yet, so creating them is part of what is tested.
- ``open_index``: a factory ``open_index(path=index_file, **kwargs) -> Index``; every index it
  opened is closed at teardown.
- ``fetch_pages``: a factory ``fetch_pages(server, *, project_id, preview, limit)`` returning
  every page of a scope, read with a plain httpx client and parsed with the API's parser.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from artistree_tui.api.answers import parse_page
from artistree_tui.api.models import ALL_PROJECTS, OrdersPage
from artistree_tui.demo import DemoServer
from artistree_tui.store import Index


@pytest.fixture
def index_file(tmp_path: Path) -> Path:
    return tmp_path / "cache" / "index" / "orders-test.sqlite3"


@pytest.fixture
def open_index(index_file: Path) -> Iterator[Callable[..., Index]]:
    opened: list[Index] = []

    def factory(path: Path | None = index_file, **kwargs: Any) -> Index:
        index = Index(path, **kwargs)
        opened.append(index)
        return index

    yield factory
    for index in opened:
        index.close()


def read_pages(
    http: httpx.Client,
    *,
    project_id: str = ALL_PROJECTS,
    preview: bool = True,
    limit: int = 1000,
) -> list[OrdersPage]:
    pages: list[OrdersPage] = []
    token: str | None = None
    while True:
        params = {"project_id": project_id, "preview": str(preview).lower(), "limit": str(limit)}
        if token is not None:
            params["page_token"] = token
        response = http.get("/v1/orders", params=params)
        response.raise_for_status()
        page = parse_page(response.content)
        pages.append(page)
        token = page.next_page_token
        if token is None:
            return pages


@pytest.fixture
def fetch_pages(
    demo_http: Callable[[DemoServer], httpx.Client],
) -> Callable[..., list[OrdersPage]]:
    def fetch(server: DemoServer, **kwargs: Any) -> list[OrdersPage]:
        return read_pages(demo_http(server), **kwargs)

    return fetch
