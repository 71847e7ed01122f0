"""The disk cache of previews never reads from or writes to a folder another user owns or can
write to (they could swap the cached images), and creates its folders 0700 whatever the
umask."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from artistree_tui.preview.cache import DiskCache

URL = "https://files.example.com/a.png?X-Amz-Signature=abc"
OTHER_UID = 54_321


def test_folders_are_made_private_under_umask_000(tmp_path: Path) -> None:
    folder = tmp_path / "cache" / "artistree-tui" / "assets"
    old = os.umask(0)
    try:
        DiskCache(folder).put(URL, b"\x89PNG data")
    finally:
        os.umask(old)
    for made in (folder, folder.parent, folder.parent.parent):
        assert stat.S_IMODE(made.stat().st_mode) == 0o700, made
    assert stat.S_IMODE(DiskCache(folder).path_for(URL).stat().st_mode) == 0o600


@pytest.mark.parametrize("swap", ["owner", "mode"])
def test_a_folder_others_could_swap_is_never_used(tmp_path: Path, swap: str) -> None:
    folder = tmp_path / "assets"
    DiskCache(folder).put(URL, b"\x89PNG planted")  # looks like a good entry
    if swap == "owner":
        os.chown(folder, OTHER_UID, OTHER_UID)
    else:
        folder.chmod(0o777)
    cache = DiskCache(folder)
    assert cache.get(URL) is None
    cache.put("https://files.example.com/b.png", b"\x89PNG mine")
    assert not cache.path_for("https://files.example.com/b.png").exists()
    assert cache.problem is not None
    assert ("chown" if swap == "owner" else "chmod 700") in cache.problem
