"""SIGTERM, SIGQUIT and SIGINT end the console as cleanly as ``q``; SIGUSR1/2 do nothing.

The real console (``--demo``) on a pty: after the first rows, a signal is sent and the bytes
written after it are read until the process ends. They must put the terminal back — leave
the alternate screen, turn mouse reporting off, show the cursor — and the status must be the
one a shell reports for that signal (143, 131, 130). SIGUSR1 and SIGUSR2 are ignored: the
console keeps answering keys. Python's default used to kill it on the spot, leaving the
terminal in the alternate screen with mouse reporting on and no cursor.

The fallback (the clean exit does not finish in time) is checked on a real pty pair too: the
guard restores the terminal by hand, modes included, then ends with the same status.

Helpers come from the ``tests/support/pty_console.py``.
"""

from __future__ import annotations

import asyncio
import os
import pty
import select
import signal
import termios
import time
import tty
from pathlib import Path

import pytest

from artistree_tui.ui.live.hangup import StopSignals
from tests.support.pty_console import PtyConsole, console_env, demo_argv

pytestmark = pytest.mark.pty

LEAVE_ALT_SCREEN = b"\x1b[?1049l"
SHOW_CURSOR = b"\x1b[?25h"
MOUSE_OFF = b"\x1b[?1000l"


@pytest.mark.parametrize(
    ("signum", "status"),
    [(signal.SIGTERM, 143), (signal.SIGQUIT, 131), (signal.SIGINT, 130)],
    ids=["SIGTERM", "SIGQUIT", "SIGINT"],
)
def test_a_stop_signal_restores_the_terminal_and_exits_with_its_status(
    tmp_path: Path, signum: int, status: int
) -> None:
    terminal = PtyConsole(demo_argv(), console_env(tmp_path))
    try:
        terminal.wait_for("row 1/")
        terminal.settle_idle()
        mark = len(terminal.output)
        os.kill(terminal.pid, signum)
        code = terminal.wait_exit(timeout=20)
        after = bytes(terminal.output[mark:])
        assert code == status, terminal.text(mark)[-1000:]
        for sequence in (LEAVE_ALT_SCREEN, SHOW_CURSOR, MOUSE_OFF):
            assert sequence in after, sequence
        assert "Traceback" not in terminal.text()
    finally:
        terminal.close()


def test_sigusr1_and_sigusr2_are_ignored(tmp_path: Path) -> None:
    terminal = PtyConsole(demo_argv(), console_env(tmp_path))
    try:
        terminal.wait_for("row 1/")
        terminal.wait_for("Analyses ·")
        for signum in (signal.SIGUSR1, signal.SIGUSR2):
            os.kill(terminal.pid, signum)
        mark = terminal.press(b"j")
        terminal.wait_for("row 2/", start=mark)  # still running, still answering keys
        assert terminal.poll() is None
        terminal.press(b"q")
        assert terminal.wait_exit() == 0
    finally:
        terminal.close()


class _StuckApp:
    """An app whose clean exit never finishes (the loop is not running)."""

    def __init__(self) -> None:
        self.asked: list[int | None] = []

    def exit(self, result: object, return_code: int | None = None) -> None:
        self.asked.append(return_code)


def test_when_the_clean_exit_hangs_the_guard_restores_the_terminal_itself() -> None:
    master, slave = pty.openpty()
    try:
        saved = termios.tcgetattr(slave)
        ended: list[int] = []
        loop = asyncio.new_event_loop()
        guard = StopSignals(_StuckApp(), loop, fd=slave, grace=0.05, exit_hard=ended.append)
        with guard:
            tty.setraw(slave)  # what Textual does to the terminal
            guard.stop(signal.SIGTERM)
            deadline = time.monotonic() + 10
            while not ended and time.monotonic() < deadline:
                time.sleep(0.01)
        loop.close()
        written = b""
        while select.select([master], [], [], 0.2)[0]:
            written += os.read(master, 4096)
        assert ended == [143]
        for sequence in (LEAVE_ALT_SCREEN, SHOW_CURSOR, MOUSE_OFF):
            assert sequence in written
        assert termios.tcgetattr(slave)[3] == saved[3]  # echo and canonical mode are back
    finally:
        os.close(master)
        os.close(slave)
