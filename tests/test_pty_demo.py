"""The real thing: ``python -m artistree_tui --demo`` in a pseudo-terminal, driven by keys.

Starts the console as a user would (its own process, a pty of 120×40, TERM=xterm-256color),
waits for order rows, presses ``j``, ``?`` (help), ``?`` again, then ``q``, and checks that
the screen showed what it should and that the process exited cleanly with no traceback.
The screen is read as the bytes written to the pty with escape sequences stripped (enough to
find the strings a user would read).
"""

from __future__ import annotations

import fcntl
import os
import pty
import re
import select
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.pty

COLUMNS, ROWS = 120, 40
# CSI ... final byte; OSC/DCS/APC ... BEL or ST; two-byte escapes.
ESCAPES = re.compile(
    rb"\x1b\[[0-?]*[ -/]*[@-~]"  # CSI
    rb"|\x1b[\]P_^][^\x07\x1b]*(?:\x07|\x1b\\)"  # OSC, DCS, APC, PM
    rb"|\x1b[@-Z\\-_]|\x1b[()][0-9A-B]"  # two-byte escapes, charset selection
)


class Terminal:
    """A child process on a pty; collects everything it writes."""

    def __init__(self, argv: list[str], env: dict[str, str]) -> None:
        master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLUMNS, 0, 0))
        self.master = master
        self.output = bytearray()
        self.process = subprocess.Popen(
            argv,
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=env,
            start_new_session=True,
            close_fds=True,
        )
        os.close(slave)

    def _read(self, timeout: float) -> None:
        ready, _, _ = select.select([self.master], [], [], timeout)
        if ready:
            try:
                chunk = os.read(self.master, 65536)
            except OSError:  # the child closed the pty
                chunk = b""
            self.output += chunk

    def text(self, start: int = 0) -> str:
        return ESCAPES.sub(b"", bytes(self.output[start:])).decode("utf-8", "replace")

    def wait_for(self, pattern: str, *, start: int = 0, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while pattern not in self.text(start):
            if time.monotonic() > deadline:
                tail = self.text(start)[-2000:]
                raise AssertionError(f"{pattern!r} never appeared; last output:\n{tail}")
            if self.process.poll() is not None:
                self._read(0.1)
                if pattern in self.text(start):
                    return
                raise AssertionError(f"exited ({self.process.returncode}) before {pattern!r}")
            self._read(0.05)

    def press(self, keys: bytes) -> int:
        """Send keys; returns the output offset from which their effect can be read."""
        mark = len(self.output)
        os.write(self.master, keys)
        return mark

    def wait_exit(self, timeout: float = 15.0) -> int:
        deadline = time.monotonic() + timeout
        while self.process.poll() is None and time.monotonic() < deadline:
            self._read(0.05)
        self._read(0.05)
        return self.process.wait(timeout=0.1)

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=5)
        os.close(self.master)


def test_demo_console_in_a_pty(tmp_path: Path) -> None:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("ARTISTREE_", "TEXTUAL", "NO_COLOR"))
    }
    env.update(
        TERM="xterm-256color",
        HOME=str(tmp_path),
        XDG_CONFIG_HOME=str(tmp_path / "config"),
        XDG_CACHE_HOME=str(tmp_path / "cache"),
        COLUMNS=str(COLUMNS),
        LINES=str(ROWS),
    )
    terminal = Terminal([sys.executable, "-m", "artistree_tui", "--demo"], env)
    try:
        # Order rows: the list's status line and a state word in a row.
        terminal.wait_for(" loaded")
        terminal.wait_for("Order id")  # the detail pane shows the highlighted order
        assert "All Projects" in terminal.text()

        mark = terminal.press(b"j")
        terminal.wait_for("Order id", start=mark)  # the detail redrew for the next order

        mark = terminal.press(b"?")
        terminal.wait_for("Keys", start=mark)
        terminal.wait_for("to close", start=mark)
        mark = terminal.press(b"?")
        terminal.wait_for("Refresh", start=mark)  # the footer again, help gone

        terminal.press(b"q")
        status = terminal.wait_exit()
        text = terminal.text()
        assert status == 0, text[-2000:]
        assert "Traceback" not in text
        # Textual restored the terminal: alternate screen left, cursor shown.
        assert b"\x1b[?1049l" in terminal.output
    finally:
        terminal.close()
