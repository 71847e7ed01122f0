"""Each scope's watermark (where the list's marks start) is kept in the index file: set once
when first opened, replaced when the marks are cleared. A file of this schema version made
before the table existed gets it when a console opens it, no rebuild; a read-only reader of
such a file finds no watermark rather than failing."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

from artistree_tui.store import Index
from artistree_tui.store.read_only import ReadOnlyIndex


def test_kept_once_then_replaced_and_read_back(
    open_index: Callable[..., Index], index_file: Path
) -> None:
    index = open_index()
    writer = index.writer()
    writer.keep_watermark("All Projects", 100.0, replace=False)
    writer.keep_watermark("All Projects", 200.0, replace=False)  # has one: kept as it is
    writer.keep_watermark("p-1", 150.0, replace=False)
    assert index.reader().watermarks() == {"All Projects": 100.0, "p-1": 150.0}
    writer.keep_watermark("All Projects", 300.0, replace=True)  # cleared: replaced
    index.close()
    again = open_index(index_file)
    assert again.reader().watermarks() == {"All Projects": 300.0, "p-1": 150.0}


def test_a_file_made_before_the_table_gets_it_when_opened(
    open_index: Callable[..., Index], index_file: Path
) -> None:
    index = open_index()
    index.writer().keep_watermark("All Projects", 100.0, replace=True)
    index.close()
    with sqlite3.connect(index_file) as conn:  # as a console of the same version left it
        conn.execute("DROP TABLE watermarks")
    conn.close()
    reader = ReadOnlyIndex.open(index_file).reader()
    try:
        assert reader.watermarks() == {}  # read-only: nothing added, nothing found
    finally:
        reader.close()
    reopened = open_index(index_file)
    assert reopened.mode == "disk" and not reopened.take_notices()  # not set aside, no notice
    assert reopened.reader().watermarks() == {}
    reopened.writer().keep_watermark("All Projects", 400.0, replace=False)
    assert reopened.reader().watermarks() == {"All Projects": 400.0}
