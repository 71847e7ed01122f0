"""``ReadOnlyIndex`` (what ``orders --cached`` reads) creates nothing, repairs nothing and
writes nothing: a missing index stays missing, a bad file stays where it is, and views (text
search included: temporary tables) answer from a file whose bytes do not change."""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from artistree_tui.demo import DemoServer
from artistree_tui.store import (
    ALL,
    Index,
    IndexMissing,
    ReadOnlyIndex,
    ViewSpec,
)
from artistree_tui.store.read_only import IndexUnusable


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_missing_index_is_not_created(index_file: Path) -> None:
    with pytest.raises(IndexMissing, match="there is no order index at"):
        ReadOnlyIndex.open(index_file)
    assert not index_file.parent.exists()


@pytest.mark.parametrize(
    ("content", "why"),
    [
        (b"not a database at all, just text" * 100, "cannot be"),
        (None, "another version"),
    ],
)
def test_a_bad_file_is_refused_and_left_alone(
    index_file: Path, open_index: Callable[..., Index], content: bytes | None, why: str
) -> None:
    if content is None:  # a real index of a future schema version
        open_index(index_file).close()
        with sqlite3.connect(index_file) as conn:
            conn.execute("UPDATE schema_version SET version = version + 1")
        conn.close()
    else:
        index_file.parent.mkdir(parents=True)
        index_file.write_bytes(content)
    before = digest(index_file)
    with pytest.raises(IndexUnusable, match=why):
        ReadOnlyIndex.open(index_file)
    assert digest(index_file) == before
    assert [p.name for p in index_file.parent.iterdir() if ".aside-" in p.name] == []


def test_views_answer_and_nothing_is_written(
    make_demo: Callable[..., DemoServer],
    fetch_pages: Callable[..., list],
    open_index: Callable[..., Index],
    index_file: Path,
) -> None:
    server = make_demo(orders=400, seed=2, new_order_every=0)
    index = open_index(index_file)
    for page in fetch_pages(server, limit=150):
        index.writer().write_page(page)
    index.close()
    before = digest(index_file)

    read_only = ReadOnlyIndex.open(index_file)
    reader = read_only.reader()
    try:
        assert reader.view(ViewSpec.of()).count() == 400
        state = server.order_state(server.order_ids()[0])
        assert state is not None
        view = reader.view(ViewSpec.of(ALL, states={state}, text=server.projects[0].name))
        rows = list(view.iter_rows(batch=7))
        assert rows and all(r.order_state == state for r in rows)
        assert all(r.project_name == server.projects[0].name for r in rows)
        assert reader.status(ALL).indexed == 400
        assert (server.projects[0].name, None) in reader.projects()
        # The connection itself refuses writes, whatever asks.
        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            reader.run(lambda conn: conn.execute("DELETE FROM orders"))
    finally:
        reader.close()
    assert digest(index_file) == before
