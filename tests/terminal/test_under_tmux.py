"""The real console inside tmux, as reviewers run it on a shared box.

tmux is a terminal of its own between the console and the user's: it sets ``TERM`` to
``screen`` or ``tmux-256color`` (so these runs also cover the ``screen`` terminal type GNU screen
uses), keeps its own idea of the window size, and turns the console's OSC 52 clipboard writes
into tmux paste buffers when ``set-clipboard`` is on. Each test starts a private tmux server
(its own socket, no user config), runs ``python -m artistree_tui --demo`` in a pane, drives it
with ``send-keys`` and reads it with ``capture-pane``. Skipped where tmux is not installed.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.support.pty_console import console_env

pytestmark = [
    pytest.mark.pty,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
]

ORDER_ID = re.compile(r"Order id\s+([0-9a-f-]{36})")
DEADLINE = 45.0  # generous: CI runs this on a loaded 2-core box


class Tmux:
    """One private tmux server with one pane running the console."""

    def __init__(self, home: Path, terminal: str) -> None:
        # Unique per test and process: two suites running at once must not share a server.
        self.socket = f"artistree-test-{os.getpid()}-{uuid.uuid4().hex[:8]}"
        conf = home / "tmux.conf"
        conf.write_text(
            f"set -g default-terminal {terminal}\n"
            "set -g remain-on-exit on\n"  # keep the pane to read its exit status
            "set -g set-clipboard on\n"  # OSC 52 from the console becomes a tmux buffer
        )
        env = console_env(home)
        env.pop("TMUX", None)  # never attach to the tmux this test may itself run in
        command = shlex.join([sys.executable, "-m", "artistree_tui", "--demo", "--demo-orders=300"])
        self._tmux(
            "-f", str(conf), "new-session", "-d", "-s", "t", "-x", "100", "-y", "30", command,
            env=env,
        )  # fmt: skip

    def _tmux(self, *args: str, env: dict[str, str] | None = None) -> str:
        done = subprocess.run(
            ["tmux", "-L", self.socket, *args],
            env=env,
            capture_output=True,
            text=True,
            timeout=30,
            check=True,
        )
        return done.stdout

    def screen(self) -> str:
        return self._tmux("capture-pane", "-p", "-t", "t")

    def keys(self, *keys: str) -> None:
        self._tmux("send-keys", "-t", "t", *keys)

    def resize(self, columns: int, rows: int) -> None:
        self._tmux("resize-window", "-t", "t", "-x", str(columns), "-y", str(rows))

    def pane(self, fmt: str) -> str:
        return self._tmux("display-message", "-p", "-t", "t", fmt).strip()

    def exit_status(self, pid: int) -> str | None:
        """ "status/signal" of the pane's process once it has exited, else None.

        tmux 3.3 sometimes leaves its exited child unreaped (a zombie) for a long while, so
        its own ``pane_dead_status`` may stay empty; the kernel already knows the exit code.
        """
        status = self.pane("#{pane_dead_status}/#{pane_dead_signal}")
        if status != "/":
            return status
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
        except OSError:
            return None
        fields = stat.rsplit(")", 1)[1].split()
        if fields[0] != "Z":  # still running
            return None
        code = int(fields[-1])  # the wait status: exit code << 8 | terminating signal
        return f"{code >> 8}/" if code & 0x7F == 0 else f"/{code & 0x7F}"

    def buffers(self) -> str:
        return self._tmux("list-buffers", "-F", "#{buffer_sample}")

    def wait(self, ready: Callable[[], bool], what: str) -> None:
        deadline = time.monotonic() + DEADLINE
        while not ready():
            if time.monotonic() > deadline:
                pytest.fail(f"timed out waiting for {what}; the pane shows:\n{self.screen()}")
            time.sleep(0.1)

    def close(self) -> None:
        subprocess.run(["tmux", "-L", self.socket, "kill-server"], capture_output=True, timeout=30)


@pytest.fixture(params=["screen", "tmux-256color"])
def tmux(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Tmux]:
    session = Tmux(tmp_path, request.param)
    try:
        yield session
    finally:
        session.close()


def _order_id(screen: str) -> str | None:
    found = ORDER_ID.search(screen)
    return found.group(1) if found else None


def test_the_console_under_tmux(tmux: Tmux) -> None:
    tmux.wait(lambda: " loaded" in tmux.screen() and _order_id(tmux.screen()) is not None, "rows")
    first = _order_id(tmux.screen())
    assert "All Projects" in tmux.screen()

    # j moves to the next order: the detail pane follows.
    tmux.keys("j")
    tmux.wait(lambda: _order_id(tmux.screen()) not in (None, first), "the next order's detail")
    second = _order_id(tmux.screen())

    # y copies the highlighted order's id with OSC 52, which tmux keeps as a paste buffer.
    tmux.keys("y")
    tmux.wait(lambda: bool(tmux.buffers().strip()), "the copied id in a tmux buffer")
    assert tmux.buffers().splitlines()[0] == second

    # tmux resizes the window under the console: tiny, then back; it redraws, no crash.
    tmux.resize(30, 8)
    tmux.wait(
        lambda: "Proj" in tmux.screen() and max(map(len, tmux.screen().splitlines())) <= 30,
        "the console redrawn at 30×8",
    )
    tmux.resize(100, 30)
    tmux.wait(lambda: _order_id(tmux.screen()) == second, "the detail after growing back")

    pid = int(tmux.pane("#{pane_pid}"))
    tmux.keys("q")
    tmux.wait(lambda: tmux.exit_status(pid) is not None, "the console to exit")
    assert tmux.exit_status(pid) == "0/"
    assert "Traceback" not in tmux.screen()
