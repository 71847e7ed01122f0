"""Fixtures of the order index's tests: real SQLite files under ``tmp_path`` fed with real
pages read from a demo server over loopback HTTP.

- ``preview(n, state, project)``: a preview row of order ``n`` (fixed id and creation time);
- ``index_file``: where a test's database lives (``tmp_path/cache/index/orders-test.sqlite3``);
  the folders do not exist yet, so creating them is part of what is tested.
- ``open_index``: a factory ``open_index(path=index_file, **kwargs) -> Index``; every index it
  opened is closed at teardown.
- ``fetch_pages``: a factory ``fetch_pages(server, *, project_id, preview, limit)`` returning
  every page of a scope, read with a plain httpx client and parsed with the API's parser.
- ``index_both_ways(folder, pages, full)``: the same orders written into an FTS5 index and a
  plain one (the fallback, forced), for module fixtures; ``reader_of_copy(files, fts)``: a
  reader over a fresh copy of one of them, so a test may write without touching the others.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

from artistree_tui.api.answers import parse_page
from artistree_tui.api.models import ALL_PROJECTS, Order, OrderPreview, OrdersPage
from artistree_tui.demo import DemoServer
from artistree_tui.store import Index, Reader


def preview(n: int, state: str, project: str = "Spring") -> OrderPreview:
    """A preview row of order ``n`` (a fixed id and creation time) in ``state``."""
    return OrderPreview(
        f"00000000-0000-4000-8000-{n:012d}",
        f"Order {n}",
        datetime.fromtimestamp(1_700_000_000 + n, UTC),
        state,
        None,
        project,
    )


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


def index_both_ways(
    folder: Path, pages: Sequence[OrdersPage], full: Sequence[Order]
) -> dict[bool, Path]:
    """``pages`` then ``full`` written into an FTS5 index and into a plain one (the fallback,
    forced) under ``folder``: ``{fts: path}``."""
    files: dict[bool, Path] = {}
    for fts in (True, False):
        path = folder / f"fts-{fts}.sqlite3"
        index = Index(path, fts=fts)
        writer = index.writer()
        for page in pages:
            writer.write_page(page)
        writer.write_orders(list(full))
        index.close()
        files[fts] = path
    return files


@pytest.fixture
def reader_of_copy(tmp_path: Path) -> Iterator[Callable[[dict[bool, Path], bool], Reader]]:
    """A factory: a reader over a fresh copy of ``files[fts]`` (see ``index_both_ways``),
    checked to be the kind asked for and opened without a notice; closed at teardown."""
    opened: list[Index] = []

    def reader(files: dict[bool, Path], fts: bool) -> Reader:
        copy = tmp_path / f"copy-{len(opened)}" / "orders.sqlite3"
        copy.parent.mkdir()
        shutil.copyfile(files[fts], copy)
        index = Index(copy, fts=fts)
        opened.append(index)
        assert index.fts is fts and index.take_notices() == []
        return index.reader()

    yield reader
    for index in opened:
        index.close()
