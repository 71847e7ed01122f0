"""tests/export: writing records and views of the local index to files.

- ``synced_index``: a factory ``synced_index(server) -> Path``, the index file under
  ``tmp_path`` after a real sync of ``server`` (tests/support/index.py).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest

from artistree_tui.demo import DemoServer
from tests.support.index import sweep_into


@pytest.fixture
def synced_index(tmp_path: Path) -> Callable[[DemoServer], Awaitable[Path]]:
    async def sync(server: DemoServer) -> Path:
        path = tmp_path / "cache" / "index" / "orders.sqlite3"
        await sweep_into(server, path)
        return path

    return sync
