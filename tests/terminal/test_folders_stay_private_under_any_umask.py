"""The real console on a pty creates its folders 0700 whatever the umask, and refuses an
asset cache folder another user could swap.

Under ``umask 000`` a first run used to create ``~/.cache/artistree-tui`` 0777 (``mkdir`` of
the missing parents ignores the mode asked for the leaf), so any local user could replace the
``assets`` folder and feed the console images of their choosing. The console (``--demo``, so
the previews come over real loopback HTTP) now creates every folder 0700 and every cached file
0600 whatever the umask, and checks the owner and mode of the folder before using it.

Helpers come from the ``tests/support/pty_console.py``.
"""

from __future__ import annotations

import os
import shlex
import stat
import time
from pathlib import Path

import pytest

from tests.support.pty_console import PtyConsole, console_env, demo_argv

pytestmark = pytest.mark.pty

OTHER_UID = 54_321


def under_umask(umask: str, argv: list[str]) -> list[str]:
    return ["/bin/sh", "-c", f"umask {umask}; exec {shlex.join(argv)}"]


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def wait_for_file(folder: Path, terminal: PtyConsole, timeout: float = 30.0) -> Path:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = [p for p in folder.glob("*.asset")] if folder.is_dir() else []
        if found:
            return found[0]
        terminal.read(0.1)
    raise AssertionError(f"no preview was cached in {folder}")


def test_a_first_run_under_umask_000_makes_every_folder_private(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir(mode=0o700)
    argv = under_umask("000", demo_argv())
    terminal = PtyConsole(argv, console_env(home), size=(170, 50))
    try:
        terminal.wait_for("row 1/")
        cache = home / "cache" / "artistree-tui"
        cached = wait_for_file(cache / "assets", terminal)  # the first order's preview
        assert mode(cache) == 0o700, oct(mode(cache))
        assert mode(cache.parent) == 0o700, oct(mode(cache.parent))  # XDG_CACHE_HOME itself
        assert mode(cache / "assets") == 0o700
        assert mode(cached) == 0o600
        terminal.press(b"q")
        assert terminal.wait_exit() == 0
    finally:
        terminal.close()


@pytest.mark.parametrize("swap", ["owner", "mode"])
def test_an_asset_folder_another_user_could_swap_is_refused(tmp_path: Path, swap: str) -> None:
    home = tmp_path / "home"
    assets = home / "cache" / "artistree-tui" / "assets"
    assets.mkdir(parents=True, mode=0o700)
    for folder in (home, home / "cache", assets.parent):
        folder.chmod(0o700)
    if swap == "owner":
        os.chown(assets, OTHER_UID, OTHER_UID)
    else:
        assets.chmod(0o777)
    terminal = PtyConsole(demo_argv(), console_env(home))
    try:
        status = terminal.wait_exit(timeout=30)
        text = terminal.text()
        assert status == 2, text[-1000:]
        lines = [line for line in text.splitlines() if line.strip()]
        assert len(lines) == 1, lines
        fix = f"chown {'root' if os.getuid() == 0 else ''}" if swap == "owner" else "chmod 700"
        assert fix in text and str(assets) in text
        assert "Traceback" not in text
    finally:
        terminal.close()
