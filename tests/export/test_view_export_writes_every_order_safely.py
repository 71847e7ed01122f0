"""``export_view`` (the console's ``e``) writes every order of a view of a really synced index:
CSV and JSON that parse, hostile strings inert, files 0600 in folders made 0700, an existing
file kept unless overwriting was asked, and nothing at all left behind when it fails or is
stopped."""

from __future__ import annotations

import csv
import json
import os
import stat
import threading
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path

import pytest

from artistree_tui.demo import DemoServer, FaultConfig
from artistree_tui.export.formats import FORMULA_STARTS
from artistree_tui.export.indexed import VIEW_FIELDS
from artistree_tui.export.view_export import (
    ExportError,
    ExportStopped,
    default_name,
    default_path,
    export_view,
    format_for,
    with_format,
)
from artistree_tui.store import Reader, ReadOnlyIndex, ViewSpec
from tests.support.index import sweep_into
from tests.support.inert import dangerous
from tests.support.read_only import read_only_folder

Synced = Callable[[DemoServer], Awaitable[Path]]


@pytest.fixture
def readers() -> Iterator[Callable[[Path], Reader]]:
    opened: list[Reader] = []

    def open_reader(path: Path) -> Reader:
        reader = ReadOnlyIndex.open(path).reader()
        opened.append(reader)
        return reader

    yield open_reader
    for reader in opened:
        reader.close()


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


async def test_every_order_of_the_view_as_csv_and_json(
    make_demo: Callable[..., DemoServer],
    synced_index: Synced,
    readers: Callable[[Path], Reader],
    tmp_path: Path,
) -> None:
    server = make_demo(orders=400, seed=4, new_order_every=0)
    path = await synced_index(server)
    failed = [i for i in server.order_ids() if server.order_state(i) == "Failed"]
    server.remove_order(failed.pop(3))  # the next sweep marks it gone: kept, not exported
    await sweep_into(server, path)
    reader = readers(path)
    assert len(failed) > 20
    folder = tmp_path / "new" / "folder"
    calls: list[tuple[int, int]] = []

    def progress(written: int, total: int) -> None:
        calls.append((written, total))

    view = reader.view(ViewSpec.of(states={"Failed"}))
    umask = os.umask(0o277)  # modes exact whatever the umask takes away
    try:
        result = export_view(view, folder / "failed.csv", "csv", progress=progress)
    finally:
        os.umask(umask)
    assert result.rows == len(failed) and result.fmt == "csv"
    # Swept from list pages: none of them read whole, and the result says so (the console's
    # toast tells that their confidence, asset and orderer are not known yet).
    assert result.previews == len(failed)
    with (folder / "failed.csv").open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle, strict=True))
    assert [row["order_id"] for row in rows] == failed  # every one, newest first
    assert list(rows[0]) == list(VIEW_FIELDS)
    assert {row["order_state"] for row in rows} == {"Failed"}
    assert calls[0][0] == 0 and calls[0][1] >= len(failed)  # the view's count: gone ones too
    assert calls[-1] == (len(failed), len(failed))
    assert mode(folder / "failed.csv") == 0o600
    assert mode(folder) == mode(folder.parent) == 0o700
    oldest = reader.view(ViewSpec.of(states={"Failed"}, descending=False))
    result = export_view(oldest, folder / "failed.json", "json")
    orders = json.loads((folder / "failed.json").read_text(encoding="ascii"))
    assert [order["order_id"] for order in orders] == failed[::-1]  # the view's sort
    assert result.rows == len(failed) and set(orders[0]) == set(VIEW_FIELDS)
    assert sorted(p.name for p in folder.iterdir()) == ["failed.csv", "failed.json"]


async def test_hostile_strings_are_defused_in_csv_and_escaped_in_json(
    make_demo: Callable[..., DemoServer],
    synced_index: Synced,
    readers: Callable[[Path], Reader],
    tmp_path: Path,
) -> None:
    server = make_demo(orders=300, seed=7, faults=FaultConfig(hostile=True))
    reader = readers(await synced_index(server))
    titles = {r.order_id: r.order_title for r in reader.view(ViewSpec.of()).iter_rows()}
    export_view(reader.view(ViewSpec.of()), tmp_path / "out" / "all.csv", "csv")
    text = (tmp_path / "out" / "all.csv").read_text(encoding="utf-8")
    assert dangerous(text, {"\n", "\r"}) == []
    rows = list(csv.reader(text.splitlines(), strict=True))
    assert len(rows) == 301
    defused = 0
    for row in rows[1:]:
        assert all(cell.lstrip(" ")[:1] not in FORMULA_STARTS for cell in row), row
        if titles[row[0]].startswith(("=", "+", "-", "@")):
            assert row[2].startswith("'")
            defused += 1
    assert defused > 0
    export_view(reader.view(ViewSpec.of()), tmp_path / "out" / "all.json", "json")
    raw = (tmp_path / "out" / "all.json").read_bytes()
    assert raw.isascii()
    orders = json.loads(raw)
    assert {o["order_id"]: o["order_title"] for o in orders} == titles  # exact, escaped


async def test_an_existing_file_is_kept_unless_overwriting_was_asked(
    make_demo: Callable[..., DemoServer],
    synced_index: Synced,
    readers: Callable[[Path], Reader],
    tmp_path: Path,
) -> None:
    server = make_demo(orders=50, seed=1, new_order_every=0)
    reader = readers(await synced_index(server))
    out = tmp_path / "out"
    out.mkdir()
    target = out / "orders.csv"
    target.write_text("keep me\n")
    target.chmod(0o644)
    with pytest.raises(ExportError) as refused:
        export_view(reader.view(ViewSpec.of()), target, "csv")
    assert str(refused.value) == f"Not exported: {target} exists now, and was kept."
    assert target.read_text() == "keep me\n"
    assert [p.name for p in out.iterdir()] == ["orders.csv"]  # no temporary file left
    result = export_view(reader.view(ViewSpec.of()), target, "csv", overwrite=True)
    assert result.rows == 50 and target.read_text().startswith("order_id,")
    assert mode(target) == 0o600
    with pytest.raises(ExportError, match="is a folder"):
        export_view(reader.view(ViewSpec.of()), out, "csv", overwrite=True)


async def test_a_read_only_folder_or_a_stop_leave_nothing(
    make_demo: Callable[..., DemoServer],
    synced_index: Synced,
    readers: Callable[[Path], Reader],
    tmp_path: Path,
) -> None:
    server = make_demo(orders=1200, seed=2, new_order_every=0)
    reader = readers(await synced_index(server))
    out = tmp_path / "out"
    with read_only_folder(out / "locked") as locked:
        with pytest.raises(ExportError) as failed:
            export_view(reader.view(ViewSpec.of()), locked / "orders.csv", "csv")
        line = str(failed.value)
        assert line.startswith(f"Could not export to {locked / 'orders.csv'}: ")
        assert "\n" not in line and "Traceback" not in line
        assert list(locked.iterdir()) == []
    stop = threading.Event()
    seen: list[int] = []

    def progress(written: int, total: int) -> None:
        seen.append(written)
        stop.set()  # the user pressed x as soon as the export began

    with pytest.raises(ExportStopped):
        export_view(
            reader.view(ViewSpec.of()), out / "big.json", "json", progress=progress, stop=stop
        )
    assert seen == [0]
    assert [p.name for p in out.iterdir()] == ["locked"]


def test_names_and_formats(tmp_path: Path) -> None:
    hostile = "../../etc/\x1b]0;pwned\x07 Game Concept Art"
    name = default_name(hostile, "json")
    assert name.startswith("artistree-orders-etc-0-pwned-game-concept-art-")
    assert name.endswith(".json") and "/" not in name and name.isascii()
    first = default_path(tmp_path, "All Projects")
    first.write_text("")
    second = default_path(tmp_path, "All Projects")
    assert second == first.with_name(first.stem + "-1.csv")
    assert format_for("a.JSON") == "json" and format_for("a.csv") == "csv"
    assert format_for("a.txt") is None
    assert with_format("a.csv", "json") == "a.json"
    assert with_format("report", "csv") == "report.csv"
    assert with_format("report.txt", "json") == "report.txt.json"
    assert os.path.basename(with_format("x/y.Json", "csv")) == "y.csv"
