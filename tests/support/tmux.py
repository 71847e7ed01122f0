"""The real console inside tmux (no tests here): a private tmux server (its own socket, no
user config) running ``python -m artistree_tui ARGV`` in one pane, driven with
``send-keys`` and read with ``capture-pane``.

tmux is a terminal of its own between the console and the user's: it sets ``TERM`` to
``screen`` or ``tmux-256color``, keeps its own idea of the window size, and turns the
console's OSC 52 clipboard writes into tmux paste buffers when ``set-clipboard`` is on.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest

from tests.support.pty_console import console_env

DEADLINE = 45.0  # generous: CI runs this on a loaded 2-core box
#: Every test of the console under tmux: a pty test, skipped where tmux is missing.
NEEDS_TMUX = [
    pytest.mark.pty,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
]
#: The console on its built-in demo API, small.
DEMO_ARGV = ("--demo", "--demo-orders=300")


class Tmux:
    """One private tmux server with one pane running the console."""

    def __init__(
        self,
        home: Path,
        terminal: str,
        argv: Sequence[str] = DEMO_ARGV,
        *,
        env: dict[str, str] | None = None,
        size: tuple[int, int] = (100, 30),
    ) -> None:
        # Unique per test and process: two suites running at once must not share a server.
        self.socket = f"artistree-test-{os.getpid()}-{uuid.uuid4().hex[:8]}"
        conf = home / "tmux.conf"
        conf.write_text(
            f"set -g default-terminal {terminal}\n"
            "set -g remain-on-exit on\n"  # keep the pane to read its exit status
            "set -g set-clipboard on\n"  # OSC 52 from the console becomes a tmux buffer
        )
        env = dict(env) if env is not None else console_env(home)
        env.pop("TMUX", None)  # never attach to the tmux this test may itself run in
        command = shlex.join([sys.executable, "-m", "artistree_tui", *argv])
        columns, rows = size
        self._tmux(
            "-f", str(conf), "new-session", "-d", "-s", "t", "-x", str(columns),
            "-y", str(rows), command,
            env=env,
        )  # fmt: skip
        #: The server's socket file: tmux leaves it behind when its server is killed.
        self.socket_path = Path(self._tmux("display-message", "-p", "#{socket_path}").strip())

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

    def wait(self, ready: Callable[[], bool], what: str, deadline: float = DEADLINE) -> None:
        deadline = time.monotonic() + deadline
        while not ready():
            if time.monotonic() > deadline:
                pytest.fail(f"timed out waiting for {what}; the pane shows:\n{self.screen()}")
            time.sleep(0.1)

    def close(self) -> None:
        subprocess.run(["tmux", "-L", self.socket, "kill-server"], capture_output=True, timeout=30)
        self.socket_path.unlink(missing_ok=True)  # hundreds were left in /tmp/tmux-UID
