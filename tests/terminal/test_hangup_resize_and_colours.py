"""The terminal going away or changing under the console: SIGHUP, resizes, colour modes.

The real ``python -m artistree_tui --demo`` on a pty (see ``tests.support.pty_console``):

- hang-up: the pty's master end is closed, as sshd does when a connection drops. With the pty
  as controlling terminal the kernel sends SIGHUP — with the default disposition and with
  SIGHUP ignored by the parent (``SIG_IGN`` inherited; without the console's own handler
  Textual's input thread then spins forever) — and without one no signal comes at all and
  only the watchdog notices. Every time the console must exit by itself with status 129
  (128 + SIGHUP: a clean exit through its handler, not death by the signal). The wait is a
  bound for the test, not a performance assertion;
- resizes to ordinary and absurd sizes (10×3, 1×1, 2×1) never stop it, and ``q`` still
  exits with 0;
- TERM=xterm / screen (16 colours) and NO_COLOR=1: no colour beyond what the terminal was
  said to support, and the states still read as symbols and words.
"""

from __future__ import annotations

import os
import re
import signal
from pathlib import Path

import pytest

from artistree_tui.ui.live.hangup import HANGUP_EXIT
from artistree_tui.ui.states import state_label
from tests.support.pty_console import PtyConsole, StartConsole, console_env, demo_argv

pytestmark = pytest.mark.pty

#: How long the test waits for the exit (generous on a loaded CI machine).
EXIT_BOUND = 15.0


def start(start_console: StartConsole, tmp_path: Path, **options: object) -> PtyConsole:
    terminal = start_console(demo_argv(), console_env(tmp_path), **options)
    terminal.wait_for("row 1/")
    terminal.wait_for("Analyses ·")
    return terminal


@pytest.mark.parametrize(
    ("controlling", "ignore_sighup"),
    [(True, False), (True, True), (False, False)],
    ids=["sighup", "sighup-ignored-by-parent", "no-signal-watchdog"],
)
def test_hang_up_exits_cleanly(
    tmp_path: Path, start_console: StartConsole, controlling: bool, ignore_sighup: bool
) -> None:
    terminal = start(start_console, tmp_path, controlling=controlling, ignore_sighup=ignore_sighup)
    terminal.hang_up()
    status = terminal.wait_exit(EXIT_BOUND)
    assert status is not None, "the console kept running on a closed terminal"
    assert status == HANGUP_EXIT  # its own handler, not killed by SIGHUP (-1)


def test_sighup_with_the_terminal_still_open_exits(
    tmp_path: Path, start_console: StartConsole
) -> None:
    # `kill -HUP` from elsewhere (a session manager) also ends the console, even when ignored.
    terminal = start(start_console, tmp_path, ignore_sighup=True)
    os.kill(terminal.pid, signal.SIGHUP)
    assert terminal.wait_exit(EXIT_BOUND) == HANGUP_EXIT


def test_resizing_to_any_size_never_crashes(tmp_path: Path, start_console: StartConsole) -> None:
    terminal = start(start_console, tmp_path)
    for columns, rows in [(10, 3), (1, 1), (2, 1), (80, 24), (40, 10), (200, 60), (60, 5)]:
        terminal.resize(columns, rows)
        terminal.settle(0.3)
        assert terminal.poll() is None, f"stopped at {columns}×{rows}"
    # Keys work at a tiny size too (60×5): the help opens ("Keys" is all it can show
    # there) and closes again, each awaited before the next key is sent.
    for key in (b"j", b"3"):
        terminal.press(key)
        terminal.settle(0.15)
    terminal.press_until(b"?", "Keys")
    terminal.press_until(b"?", "All Projects")  # the main screen drawn again
    terminal.press(b"1")
    terminal.settle(0.15)
    terminal.resize(1, 1)
    terminal.settle(0.3)
    mark = terminal.resize(120, 40)
    terminal.wait_for("Analyses ·", start=mark)  # it draws again at a usable size
    terminal.press(b"q")
    assert terminal.wait_exit(EXIT_BOUND) == 0
    assert "Traceback" not in terminal.text()


_SGR = re.compile(rb"\x1b\[([0-9;:]*)m")


def colour_kinds(output: bytes) -> set[str]:
    """Which colour encodings the SGR sequences use: "16", "256", "truecolor"; for 256 and
    truecolor also "chromatic" when a colour is not a grey."""
    kinds: set[str] = set()
    for match in _SGR.finditer(output):
        params = [int(p) for p in re.split(rb"[;:]", match.group(1)) if p]
        index = 0
        while index < len(params):
            code = params[index]
            if code in (38, 48) and index + 1 < len(params):
                if params[index + 1] == 5 and index + 2 < len(params):
                    kinds.add("256")
                    if not _grey_256(params[index + 2]):
                        kinds.add("chromatic")
                    index += 3
                    continue
                if params[index + 1] == 2 and index + 4 < len(params):
                    kinds.add("truecolor")
                    r, g, b = params[index + 2 : index + 5]
                    if max(r, g, b) - min(r, g, b) > 24:
                        kinds.add("chromatic")
                    index += 5
                    continue
            if 30 <= code <= 37 or 40 <= code <= 47 or 90 <= code <= 97 or 100 <= code <= 107:
                kinds.add("16")
            index += 1
    return kinds


def _grey_256(index: int) -> bool:
    if index >= 232 or index in (0, 7, 8, 15, 16, 231):
        return True
    if 16 <= index <= 231:
        r, g, b = (index - 16) // 36, (index - 16) // 6 % 6, (index - 16) % 6
        return r == g == b
    return False


@pytest.mark.parametrize(
    ("env", "allowed"),
    [
        ({"TERM": "xterm"}, {"16"}),
        ({"TERM": "screen"}, {"16"}),
        ({"NO_COLOR": "1"}, {"16", "256", "truecolor"}),
    ],
    ids=["xterm-16", "screen-16", "no-color"],
)
def test_colour_limits_and_states_in_words(
    tmp_path: Path, start_console: StartConsole, env: dict[str, str], allowed: set[str]
) -> None:
    terminal = start_console(demo_argv(), console_env(tmp_path, **env))
    terminal.wait_for("row 1/")
    terminal.wait_for("Analyses ·")
    # The list and the detail pane say each state with a symbol and a word.
    certified = state_label("Human Certified")
    terminal.wait_for(f"{certified.symbol} {certified.word}")
    terminal.settle_idle()  # the whole first screen written, for the colour check
    kinds = colour_kinds(bytes(terminal.output))
    assert kinds <= allowed, kinds
    if "NO_COLOR" in env:
        assert "chromatic" not in kinds, "NO_COLOR still drew colours"
    terminal.press(b"q")
    assert terminal.wait_exit(EXIT_BOUND) == 0
