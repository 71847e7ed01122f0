"""The real thing: ``python -m artistree_tui --demo`` in a pseudo-terminal, driven by keys.

Starts the console as a user would (its own process, a pty of 120×40, TERM=xterm-256color),
waits for order rows, presses ``j`` (the detail pane shows the next order: another order id),
``y`` (that id is copied, written as OSC 52), ``?`` (help), ``?`` again, then ``q``, and
checks that the screen showed what it should and that the process exited cleanly with no
traceback.
The screen is read as the bytes written to the pty with escape sequences stripped (enough to
find the strings a user would read).
"""

from __future__ import annotations

import base64
import re
import sys
import time
from pathlib import Path

import pytest

from tests.support.pty_console import PtyConsole, StartConsole, console_env

pytestmark = pytest.mark.pty

ORDER_ID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
CLIPBOARD = re.compile(rb"\x1b\]52;c;([A-Za-z0-9+/=]*)(?:\x07|\x1b\\)")


def copied(raw: bytes) -> list[str]:
    """What the console wrote to the clipboard (OSC 52) in ``raw``."""
    return [base64.b64decode(payload).decode() for payload in CLIPBOARD.findall(raw)]


def copy_id(terminal: PtyConsole) -> str:
    """Press y and return the one id the console wrote to the clipboard (OSC 52)."""
    mark = terminal.press(b"y")
    deadline = time.monotonic() + 30
    while not (ids := copied(terminal.output[mark:])):
        assert time.monotonic() < deadline, terminal.text()[-2000:]
        terminal.read(0.1)
    assert len(ids) == 1, ids
    return ids[0]


def test_demo_console_in_a_pty(tmp_path: Path, start_console: StartConsole) -> None:
    # The command a user types: the default demo (not the tests' smaller one).
    terminal = start_console(
        [sys.executable, "-m", "artistree_tui", "--demo"], console_env(tmp_path)
    )
    # Order rows: the list's status line and a state word in a row.
    terminal.wait_for("row 1/")
    terminal.wait_for("Analyses ·")  # the detail pane shows the highlighted order
    assert "All Projects" in terminal.text()

    first = copy_id(terminal)  # the highlighted order's id, copied with y (OSC 52)
    terminal.press(b"j")  # the next order: y copies its id once the console has moved there
    deadline = time.monotonic() + 30
    while (second := copy_id(terminal)) == first:
        assert time.monotonic() < deadline, "y still copies the first order's id after j"
    assert ORDER_ID.fullmatch(first) and ORDER_ID.fullmatch(second)

    mark = terminal.press(b"?")
    terminal.wait_for("Keys", start=mark)
    terminal.wait_for("to close", start=mark)
    mark = terminal.press(b"?")
    # The main screen drawn again, help gone (the help lists no "Analyses ·").
    terminal.wait_for("Analyses ·", start=mark)

    terminal.press(b"q")
    status = terminal.wait_exit()
    text = terminal.text()
    assert status == 0, text[-2000:]
    assert "Traceback" not in text
    # Textual restored the terminal: alternate screen left, cursor shown.
    assert b"\x1b[?1049l" in terminal.output
