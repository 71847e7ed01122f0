"""Fixtures of the order list pane's tests.

- ``index_of``: a factory ``await index_of(server) -> Index``: a real SQLite index file under
  ``tmp_path`` with every order of ``server`` in it, swept there by the real sync over
  loopback HTTP (``tests.support.list_pilot.sweep``); closed at teardown.
"""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import pytest

from artistree_tui.demo import DemoServer
from artistree_tui.store import Index
from tests.support.list_pilot import sweep


@pytest.fixture
async def index_of(tmp_path: Path) -> AsyncIterator[Callable[[DemoServer], Awaitable[Index]]]:
    opened: list[Index] = []
    numbers = itertools.count()

    async def factory(server: DemoServer) -> Index:
        index = Index(tmp_path / "index" / f"orders-{next(numbers)}.sqlite3")
        opened.append(index)
        await sweep(server, index)
        return index

    yield factory
    for index in opened:
        index.close()
