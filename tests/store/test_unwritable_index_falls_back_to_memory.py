"""A database that cannot be created or written — a read-only folder, a full disk — makes the
index live in memory for the session, with one notice and no exception.

How the failures are provoked, for real:

- read-only folder, in this process: ``chmod 0500`` when not root; as root (which ignores
  modes) the folder is made immutable with ``chattr +i`` (undone at teardown);
- full disk, in this process: SQLite's ``PRAGMA max_page_count`` set just above the file's
  size on the writer's connection (SQLite then answers "database or disk is full");
- full disk and read-only file system, in a child process: a 256 KiB tmpfs (and a read-only
  one) mounted inside ``unshare --user --map-root-user --mount``, a private mount namespace
  that needs no root and vanishes with the child. Skipped where unshare is not allowed.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from artistree_tui.api.models import OrderPreview, OrdersPage, OrderStats
from artistree_tui.store import ALL, Index, ViewSpec


def previews(start: int, n: int) -> OrdersPage:
    rows = tuple(
        OrderPreview(
            f"00000000-0000-4000-8000-{i:012d}",
            f"Artwork number {i} " + "padding " * 40,
            datetime.fromtimestamp(1_700_000_000 + i, UTC),
            "Reviewed",
            None,
            "Spring Campaign",
        )
        for i in range(start, start + n)
    )
    return OrdersPage(stats=OrderStats(total=start + n), previews=rows)


@pytest.fixture
def read_only_folder(tmp_path: Path) -> Iterator[Path]:
    """A folder nothing can be created in (see the module docstring for how)."""
    folder = tmp_path / "locked"
    folder.mkdir()
    if os.geteuid() != 0:
        folder.chmod(0o500)
        yield folder
        folder.chmod(0o700)
        return
    chattr = shutil.which("chattr")
    if chattr is None or subprocess.run([chattr, "+i", str(folder)], check=False).returncode:
        pytest.skip("running as root without chattr +i: cannot make a read-only folder")
    try:
        yield folder
    finally:
        subprocess.run([chattr, "-i", str(folder)], check=True)


def test_a_read_only_folder_gives_a_memory_index_and_one_notice(
    read_only_folder: Path, open_index: Callable[..., Index]
) -> None:
    notices: list[str] = []
    index = open_index(
        read_only_folder / "cache" / "index" / "orders.sqlite3", on_notice=notices.append
    )
    assert index.mode == "memory" and index.path is None
    assert len(notices) == 1
    assert notices[0].startswith("the order index cannot be kept on disk (")
    assert notices[0].endswith("it lives in memory for this session")
    assert index.take_notices() == notices
    index.writer().write_page(previews(0, 50))
    assert index.reader().view(ViewSpec.of()).count() == 50  # same code, in memory
    assert index.take_notices() == []
    assert list(read_only_folder.iterdir()) == []


def test_an_index_in_a_folder_that_became_read_only(
    tmp_path: Path, open_index: Callable[..., Index]
) -> None:
    folder = tmp_path / "locked"
    path = folder / "orders.sqlite3"
    first = open_index(path)
    first.writer().write_page(previews(0, 10))
    first.close()
    if os.geteuid() == 0:
        if shutil.which("chattr") is None:
            pytest.skip("running as root without chattr +i")
        subprocess.run(["chattr", "+i", str(folder)], check=True)
    else:
        folder.chmod(0o500)
    try:
        index = open_index(path)
        assert index.mode == "memory"
        [notice] = index.take_notices()
        assert "cannot be kept on disk" in notice
    finally:
        if os.geteuid() == 0:
            subprocess.run(["chattr", "-i", str(folder)], check=True)
        else:
            folder.chmod(0o700)


class TinyDiskIndex(Index):
    """An index whose connections, once ``armed``, may grow the file by only a few pages."""

    armed = False
    spare_pages = 100

    def _raw_connect(self, path: Path) -> sqlite3.Connection:
        conn = super()._raw_connect(path)
        if self.armed:
            (pages,) = conn.execute("PRAGMA page_count").fetchone()
            conn.execute(f"PRAGMA max_page_count = {int(pages) + self.spare_pages}")
        return conn


def test_a_full_disk_mid_session_moves_the_index_to_memory_once(index_file: Path) -> None:
    notices: list[str] = []
    index = TinyDiskIndex(index_file, on_notice=notices.append)
    index.armed = True  # the writer's connection, made on its first write, gets the limit
    try:
        assert index.mode == "disk"
        reader = index.reader()
        writer = index.writer()
        results = [writer.write_page(previews(n * 100, 100)) for n in range(8)]
        # Every write returned normally, one of them on the memory index after a replay.
        assert all(r.written == 100 for r in results)
        assert index.mode == "memory"
        assert len(notices) == 1 and "(disk full)" in notices[0]
        # The reader follows the index into memory; the rows written since are there.
        count = reader.view(ViewSpec.of()).count()
        assert 100 <= count < 800
        assert reader.row("00000000-0000-4000-8000-000000000799") is not None
        writer.write_page(previews(800, 100))
        assert reader.status(ALL).indexed == count + 100
        assert len(notices) == 1
    finally:
        index.close()


CHILD = """
import json, sys
from pathlib import Path
sys.path.insert(0, sys.argv[2])
from test_unwritable_index_falls_back_to_memory import previews
from artistree_tui.store import Index, ViewSpec
index = Index(Path(sys.argv[1]) / "cache" / "index" / "orders.sqlite3")
opened = index.mode
writer = index.writer()
for n in range(int(sys.argv[3])):
    writer.write_page(previews(n * 100, 100))
print(json.dumps({"opened": opened, "mode": index.mode, "notices": index.take_notices(),
                  "rows": index.reader().view(ViewSpec.of()).count()}))
"""


def run_in_tmpfs(tmp_path: Path, options: str, pages: int) -> dict[str, object]:
    unshare = shutil.which("unshare")
    if unshare is None:
        pytest.skip("no unshare: cannot mount a private tmpfs")
    probe = subprocess.run(
        [unshare, "--user", "--map-root-user", "--mount", "true"], capture_output=True, check=False
    )
    if probe.returncode:
        pytest.skip("unprivileged user namespaces are not allowed here")
    mount = tmp_path / "mnt"
    mount.mkdir()
    script = 'mount -t tmpfs -o "$1" tmpfs "$2" && shift 2 && exec "$@"'
    result = subprocess.run(
        [
            unshare,
            "--user",
            "--map-root-user",
            "--mount",
            "sh",
            "-c",
            script,
            "sh",
            options,
            str(mount),
            sys.executable,
            "-c",
            CHILD,
            str(mount),
            str(Path(__file__).parent),
            str(pages),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return json.loads(result.stdout)


def test_a_real_full_disk(tmp_path: Path) -> None:
    report = run_in_tmpfs(tmp_path, "size=256k", pages=30)
    assert report["opened"] == "disk" and report["mode"] == "memory"
    notices = report["notices"]
    assert isinstance(notices, list) and len(notices) == 1
    assert "(disk full)" in notices[0] and "lives in memory" in notices[0]
    # What was written before the disk filled stayed on it; memory has the rest.
    assert isinstance(report["rows"], int) and 0 < report["rows"] <= 3000


def test_a_real_read_only_file_system(tmp_path: Path) -> None:
    report = run_in_tmpfs(tmp_path, "ro,size=256k", pages=3)
    assert report["opened"] == "memory" and report["rows"] == 300
    [notice] = report["notices"]  # type: ignore[misc]
    assert "Read-only file system" in notice
