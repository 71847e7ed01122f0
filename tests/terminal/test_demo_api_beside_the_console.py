"""``artistree-tui --demo`` serves its demo API from a child process (it shares no GIL with the
UI): the rows come from it, nothing of it reaches the screen, and it ends with the console."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from tests.support.pty_console import StartConsole, console_env, demo_argv

pytestmark = pytest.mark.pty


def children(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        found += [int(child) for child in (task / "children").read_text().split()]
    return found


def command_line(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def running(pid: int) -> bool:
    try:
        return "State:\tZ" not in Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False


def test_the_demo_api_runs_beside_the_console_and_ends_with_it(
    tmp_path: Path, start_console: StartConsole
) -> None:
    terminal = start_console(demo_argv(), console_env(tmp_path))
    terminal.wait_for("row 1/")
    (demo,) = [p for p in children(terminal.pid) if "artistree_tui.demo.child" in command_line(p)]
    terminal.press(b"q")
    assert terminal.wait_exit() == 0, terminal.text()[-2000:]
    assert "Traceback" not in terminal.text()
    deadline = time.monotonic() + 30  # a bound for the test, not a timing
    while running(demo):
        assert time.monotonic() < deadline, "the demo API outlived its console"
        time.sleep(0.05)
