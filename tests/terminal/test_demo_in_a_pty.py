"""The real thing: ``python -m artistree_tui --demo`` in a pseudo-terminal, driven by keys.

Starts the console as a user would (its own process, a pty of 120×40, TERM=xterm-256color),
waits for order rows, presses ``j``, ``?`` (help), ``?`` again, then ``q``, and checks that
the screen showed what it should and that the process exited cleanly with no traceback.
The screen is read as the bytes written to the pty with escape sequences stripped (enough to
find the strings a user would read).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tests.support.pty_console import PtyConsole, console_env

pytestmark = pytest.mark.pty


def test_demo_console_in_a_pty(tmp_path: Path) -> None:
    # The command a user types: the default demo (not the tests' smaller one).
    terminal = PtyConsole([sys.executable, "-m", "artistree_tui", "--demo"], console_env(tmp_path))
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
        # The main screen drawn again, help gone (the help lists no "Order id").
        terminal.wait_for("Order id", start=mark)

        terminal.press(b"q")
        status = terminal.wait_exit()
        text = terminal.text()
        assert status == 0, text[-2000:]
        assert "Traceback" not in text
        # Textual restored the terminal: alternate screen left, cursor shown.
        assert b"\x1b[?1049l" in terminal.output
    finally:
        terminal.close()
