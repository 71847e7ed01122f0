"""``artistree-tui cache clear`` removes the index's ``-wal``/``-shm`` and then its database
while a console has it open. A connection the console makes at any moment of that must end on
a new file at the same path, with one "was removed" notice: not on an empty database of its
own making (a query on it fails with "no such table"), and not in memory for the session (the
console's index would be apart from every other console's and from ``orders --cached``).

Real SQLite files; the removal is the command's own order of unlinks, the database's one made
from another thread as the other process would."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from pathlib import Path

from artistree_tui.store import ALL, Index


def sides(path: Path) -> list[Path]:
    return [path.with_name(path.name + suffix) for suffix in ("-wal", "-shm")]


def in_use(open_index: Callable[..., Index], path: Path) -> Index:
    index = open_index(path)
    index.writer().record_refresh(ALL)
    index.reader().state_counts(ALL)  # a reader's connection open too, as in the console
    assert all(side.exists() for side in sides(path))
    return index


def test_a_connection_made_after_the_clear_opens_a_new_file(
    open_index: Callable[..., Index], index_file: Path
) -> None:
    index = in_use(open_index, index_file)
    for side in sides(index_file):
        side.unlink()
    index_file.unlink()

    assert index.reader().state_counts(ALL).total == 0  # a fresh index, not "no such table"
    assert index.mode == "disk" and index_file.exists()
    [notice] = index.take_notices()
    assert "was removed" in notice


def test_a_connection_made_in_the_middle_of_the_clear_waits_for_it_and_opens_a_new_file(
    open_index: Callable[..., Index], index_file: Path
) -> None:
    index = in_use(open_index, index_file)
    old = index_file.stat().st_ino
    for side in sides(index_file):
        side.unlink()
    # The database goes a moment later, from elsewhere (the command is another process).
    clear = threading.Timer(0.05, os.unlink, [index_file])
    clear.start()
    try:
        counts = index.reader().state_counts(ALL)
    finally:
        clear.join()

    assert counts.total == 0
    assert index.mode == "disk" and index_file.stat().st_ino != old
    [notice] = index.take_notices()
    assert "was removed" in notice and "memory" not in notice
    index.writer().record_refresh(ALL)  # the writer's connection reopened on the new file
    assert open_index(index_file).reader().state_counts(ALL).total == 0
