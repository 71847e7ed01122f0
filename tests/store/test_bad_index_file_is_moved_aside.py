"""A corrupt index file, or one of another schema version, is moved aside and rebuilt with one
line of notice; the console never sees an exception."""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from artistree_tui.demo import DemoServer
from artistree_tui.store import ALL, Index, ViewSpec
from artistree_tui.store.paths import IndexFiles
from artistree_tui.store.schema import SCHEMA_VERSION
from tests.support.index import smash


def fill(index: Index, pages: list) -> None:
    writer = index.writer()
    for page in pages:
        writer.write_page(page)


def asides(path: Path) -> list[Path]:
    return IndexFiles(path.parent, path, None).asides()


def test_a_file_that_is_not_a_database(open_index: Callable[..., Index], index_file: Path) -> None:
    index_file.parent.mkdir(parents=True)
    index_file.write_bytes(b"this is not SQLite at all\n" * 100)
    index = open_index()
    assert index.mode == "disk"
    [notice] = index.take_notices()
    assert notice.startswith("the order index was damaged (not a database): moved it aside to ")
    [aside] = asides(index_file)
    assert aside.name in notice and aside.read_bytes().startswith(b"this is not SQLite")
    assert index.reader().status(ALL).indexed == 0  # a working, empty index


def test_something_that_is_not_a_file_is_set_aside(
    open_index: Callable[..., Index], index_file: Path
) -> None:
    (index_file / "inside").mkdir(parents=True)  # e.g. a folder where the file should be
    index = open_index()
    [notice] = index.take_notices()
    assert "was damaged (not a regular file)" in notice
    assert index.mode == "disk" and index_file.is_file()
    [aside] = asides(index_file)
    assert (aside / "inside").is_dir()


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any file")
def test_an_unreadable_file_is_set_aside(
    open_index: Callable[..., Index], index_file: Path
) -> None:
    index_file.parent.mkdir(parents=True)
    index_file.write_bytes(b"SQLite format 3\x00" + b"\x00" * 4000)
    index_file.chmod(0)
    index = open_index()
    [notice] = index.take_notices()
    assert "unreadable" in notice and index.mode == "disk"


def test_damaged_pages_are_not_read_at_open_but_fail_the_check(
    open_index: Callable[..., Index],
    index_file: Path,
    demo_server: DemoServer,
    fetch_pages: Callable[..., list],
) -> None:
    # The open reads the header and the schema only (a start paints rows from the index
    # without waiting for a read of the whole file); verify() reads every page.
    index = open_index()
    fill(index, fetch_pages(demo_server))
    assert index.verify() is True
    index.close()
    smash(index_file)
    again = open_index()
    assert again.take_notices() == [] and asides(index_file) == []
    assert again.verify() is False
    [notice] = again.take_notices()
    assert "was damaged (" in notice and "moved it aside" in notice
    assert "failed its integrity check" in notice or "malformed" in notice
    assert len(asides(index_file)) == 1
    fill(again, fetch_pages(demo_server))  # rebuilt: it works
    assert again.reader().view(ViewSpec.of()).count() == demo_server.stats()["total_orders"]
    assert again.verify() is True


def test_damage_found_while_reading_rebuilds_the_index(
    open_index: Callable[..., Index],
    index_file: Path,
    demo_server: DemoServer,
    fetch_pages: Callable[..., list],
) -> None:
    index = open_index()
    fill(index, fetch_pages(demo_server))
    index.close()
    smash(index_file)
    again = open_index()
    assert again.take_notices() == []
    reader = again.reader()
    view = reader.view(ViewSpec.of(text="a"))
    view.count()  # meets the damage, recovers, and answers from the new (empty) file
    [notice] = again.take_notices()
    assert "was damaged" in notice
    assert again.mode == "disk" and len(asides(index_file)) == 1
    fill(again, fetch_pages(demo_server))
    assert reader.view(ViewSpec.of()).count() == demo_server.stats()["total_orders"]


class StopOnSecondLook(threading.Event):
    """A stop that comes once the check has begun (set when it is looked at a second time)."""

    looks = 0

    def is_set(self) -> bool:
        self.looks += 1
        return self.looks > 1


def test_a_check_told_to_stop_stops_and_judges_nothing(
    open_index: Callable[..., Index],
    index_file: Path,
    demo_server: DemoServer,
    fetch_pages: Callable[..., list],
) -> None:
    index = open_index()
    fill(index, fetch_pages(demo_server))
    stop = StopOnSecondLook()
    assert index.verify(stop) is None  # stopped inside SQLite's check of a sound file
    assert stop.looks > 1 and index.take_notices() == []
    assert index.verify(threading.Event()) is True
    index.close()
    smash(index_file)
    again = open_index()
    stopped = threading.Event()
    stopped.set()  # a quit before the check began
    assert again.verify(stopped) is None
    assert again.take_notices() == [] and asides(index_file) == []
    assert again.verify(threading.Event()) is False  # not stopped: it finds the damage


@pytest.mark.parametrize("version", [SCHEMA_VERSION - 1, SCHEMA_VERSION + 1])
def test_an_index_of_another_version_is_rebuilt(
    open_index: Callable[..., Index],
    index_file: Path,
    demo_server: DemoServer,
    fetch_pages: Callable[..., list],
    version: int,
) -> None:
    index = open_index()
    fill(index, fetch_pages(demo_server))
    index.close()
    with sqlite3.connect(index_file) as conn:
        conn.execute("UPDATE schema_version SET version = ?", (version,))
    conn.close()
    again = open_index()
    [notice] = again.take_notices()
    assert notice.startswith(
        "the order index was written by another version of artistree-tui: moved it aside to "
    )
    assert f".aside-v{version}-" in notice
    assert again.reader().status(ALL).indexed == 0
    with sqlite3.connect(index_file) as conn:
        assert conn.execute("SELECT version FROM schema_version").fetchone() == (SCHEMA_VERSION,)
    conn.close()


def test_a_database_that_is_not_an_index(
    open_index: Callable[..., Index], index_file: Path
) -> None:
    index_file.parent.mkdir(parents=True)
    with sqlite3.connect(index_file) as conn:
        conn.execute("CREATE TABLE notes(text)")
    conn.close()
    index = open_index()
    [notice] = index.take_notices()
    assert "was not an order index of this version" in notice
    [aside] = asides(index_file)
    with sqlite3.connect(aside) as conn:  # the user's data is still there
        assert conn.execute("SELECT name FROM sqlite_master").fetchone() == ("notes",)
    conn.close()


def test_a_file_built_with_full_text_search_without_it(
    open_index: Callable[..., Index], index_file: Path
) -> None:
    open_index(fts=True).close()
    plain = open_index(fts=False)
    [notice] = plain.take_notices()
    assert "another version" in notice
    assert plain.fts is False and plain.mode == "disk"


def test_only_the_newest_aside_is_kept(open_index: Callable[..., Index], index_file: Path) -> None:
    clock = iter(range(1_000_000, 1_000_100, 10))
    for _ in range(3):
        index_file.parent.mkdir(parents=True, exist_ok=True)
        index_file.write_bytes(b"garbage" * 10)
        open_index(clock=lambda: float(next(clock))).close()
    assert len(asides(index_file)) == 1
