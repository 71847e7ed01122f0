"""The index file's integrity check (``PRAGMA quick_check``, which reads the whole file) is not
part of the open, which a start painting rows from the index waits for: the sync engine runs
it once its first step is over, in a thread of its own, and stops it when it stops. A file
damaged where the open does not read is found there, moved aside and rebuilt, and the sweep
fills the new one: the check only looks, and the file is moved aside in the engine's writer
thread (or the writes meet the damage first: the same recovery, one notice).
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from pathlib import Path

from artistree_tui.demo import DemoServer
from artistree_tui.store import Index, ViewSpec
from artistree_tui.store.database import Checked
from artistree_tui.store.paths import IndexFiles
from tests.support.index import smash

from .conftest import WAIT, Run


class Watched(Index):
    """An index that records each check (the thread it ran in, its stop, whether it found
    the file sound) and the thread each recovery ran in."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.checks: list[tuple[str, threading.Event | None, bool | None]] = []
        self.checked = threading.Event()
        self.recoveries: list[str] = []

    def check(self, stop: threading.Event | None = None) -> Checked | None:
        found = super().check(stop)
        sound = None if found is None else found.failure is None
        self.checks.append((threading.current_thread().name, stop, sound))
        self.checked.set()
        return found

    def recover(self, exc: BaseException, generation: int) -> None:
        self.recoveries.append(threading.current_thread().name)
        super().recover(exc, generation)

    async def first_check(self) -> None:
        assert await asyncio.to_thread(self.checked.wait, WAIT), f"no check within {WAIT} s"


async def test_the_engine_checks_the_file_once_in_its_own_thread_and_stops_it(
    make_demo: Callable[..., DemoServer], syncing: Callable[..., Run], tmp_path: Path
) -> None:
    server = make_demo(orders=1500, seed=3, new_order_every=0)
    index = Watched(tmp_path / "orders.sqlite3")
    run = syncing(server, index=index).start()
    await run.until(lambda p: p.last_sweep == "complete")
    await index.first_check()  # it runs beside the sweep
    [(thread, stop, verdict)] = index.checks
    assert thread == "artistree-index-check" and verdict is True
    assert stop is not None and not stop.is_set()
    await run.stop()
    assert stop.is_set()  # a check still running would stop at its next look


async def test_a_damaged_file_is_found_rebuilt_and_filled_again(
    make_demo: Callable[..., DemoServer], syncing: Callable[..., Run], tmp_path: Path
) -> None:
    server = make_demo(orders=3000, seed=5, new_order_every=0)
    path = tmp_path / "orders.sqlite3"
    first = syncing(server, index=Index(path)).start()
    await first.until(lambda p: p.last_sweep == "complete")
    await first.stop()
    first.index.close()
    smash(path, first=8, every=5)  # past the schema's pages: the open reads those
    notices: list[str] = []
    index = Watched(path, on_notice=notices.append)
    assert notices == []  # the open did not read the damaged pages
    run = syncing(server, index=index).start()
    await run.until(lambda p: bool(notices) and p.last_sweep == "complete" and p.indexed == 3000)
    await index.first_check()
    [notice] = notices
    assert "was damaged" in notice and "moved it aside" in notice
    # Moved aside in the writer thread, between two writes, never beside one (a write under
    # way would land in the file moved aside and be lost).
    assert index.recoveries and all(
        t.startswith("artistree-index-writer") for t in index.recoveries
    )
    assert len(IndexFiles(path.parent, path, None).asides()) == 1
    assert index.mode == "disk"
    assert index.reader().view(ViewSpec.of()).count() == 3000
    assert index.verify() is True
