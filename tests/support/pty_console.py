"""Helpers for the pseudo-terminal tests (no tests here): the console in its own process on a
pty, with a choice of controlling terminal and inherited SIGHUP disposition, key presses,
resizes, hang-ups and the raw bytes it wrote.

The child is a session leader (``setsid``). With ``controlling=True`` the pty becomes its
controlling terminal, so closing the master end sends it SIGHUP as sshd closing a session
does; without it no signal comes and only the lost terminal itself says the user is gone.
"""

from __future__ import annotations

import fcntl
import os
import pty
import re
import select
import signal
import struct
import sys
import termios
import time
from collections.abc import Sequence
from pathlib import Path

COLUMNS, ROWS = 120, 40
# CSI ... final byte; OSC/DCS/APC/PM ... BEL or ST; two-byte escapes.
ESCAPES = re.compile(
    rb"\x1b\[[0-?]*[ -/]*[@-~]"
    rb"|\x1b[\]P_^X][^\x07\x1b]*(?:\x07|\x1b\\)"
    rb"|\x1b[@-Z\\-_]|\x1b[()][0-9A-B]"
)


def console_env(home: Path, **extra: str) -> dict[str, str]:
    """A clean environment for the console: no ARTISTREE_/TEXTUAL/NO_COLOR from the caller,
    config and cache under ``home``."""
    # No COLUMNS/LINES: they override the pty's size (shutil.get_terminal_size reads them
    # first), and resizes would then change nothing.
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("ARTISTREE_", "TEXTUAL", "NO_COLOR", "COLUMNS", "LINES"))
    }
    env.update(
        TERM="xterm-256color",
        HOME=str(home),
        XDG_CONFIG_HOME=str(home / "config"),
        XDG_CACHE_HOME=str(home / "cache"),
        XDG_DOWNLOAD_DIR=str(home / "downloads"),
    )
    env.update(extra)
    return env


def demo_argv(*extra: str) -> list[str]:
    return [sys.executable, "-m", "artistree_tui", "--demo", "--demo-orders", "300", *extra]


class PtyConsole:
    """A child process on a pty; collects everything it writes to the terminal."""

    def __init__(
        self,
        argv: Sequence[str],
        env: dict[str, str],
        *,
        controlling: bool = True,
        ignore_sighup: bool = False,
        size: tuple[int, int] = (COLUMNS, ROWS),
        cwd: str | None = None,
    ) -> None:
        master, slave = pty.openpty()
        _set_size(slave, *size)
        self.master: int | None = master
        self.output = bytearray()
        self.status: int | None = None
        self.cpu_seconds: float | None = None
        pid = os.fork()
        if pid == 0:  # pragma: no cover - the child
            try:
                os.setsid()
                if controlling:
                    fcntl.ioctl(slave, termios.TIOCSCTTY, 0)
                signal.signal(signal.SIGHUP, signal.SIG_IGN if ignore_sighup else signal.SIG_DFL)
                for fd in (0, 1, 2):
                    os.dup2(slave, fd)
                os.closerange(3, 256)
                if cwd:
                    os.chdir(cwd)
                os.execve(argv[0], list(argv), env)
            finally:
                os._exit(127)
        os.close(slave)
        self.pid = pid

    # -- output --------------------------------------------------------------------------
    def read(self, timeout: float) -> None:
        if self.master is None:
            time.sleep(timeout)
            return
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
        """Read until ``pattern`` shows up in the text written since ``start``."""
        deadline = time.monotonic() + timeout
        while pattern not in self.text(start):
            if time.monotonic() > deadline:
                tail = self.text(start)[-2000:]
                raise AssertionError(f"{pattern!r} never appeared; last output:\n{tail}")
            if self.poll() is not None:
                self.read(0.1)
                if pattern in self.text(start):
                    return
                raise AssertionError(f"exited ({self.status}) before {pattern!r}")
            self.read(0.05)

    def settle(self, seconds: float) -> None:
        """Keep reading for ``seconds`` (lets the app draw)."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            self.read(0.05)

    def settle_idle(self, quiet: float = 0.3, *, timeout: float = 30.0) -> None:
        """Keep reading until nothing was written for ``quiet`` seconds (or ``timeout``): the
        console has drawn what the last keys started (a palette's late hits, say)."""
        deadline = time.monotonic() + timeout
        size, since = len(self.output), time.monotonic()
        while time.monotonic() < deadline and time.monotonic() - since < quiet:
            self.read(0.05)
            if len(self.output) != size:
                size, since = len(self.output), time.monotonic()

    # -- input ---------------------------------------------------------------------------
    def press(self, keys: bytes) -> int:
        """Send keys; returns the output offset from which their effect can be read."""
        assert self.master is not None
        mark = len(self.output)
        os.write(self.master, keys)
        return mark

    def press_until(self, keys: bytes, shows: str, *, timeout: float = 30.0) -> int:
        """Once the console has drawn what earlier keys started, send keys and wait until
        ``shows`` is drawn after them: the console has handled them. Needed when they open or
        close a screen (the next key must reach the new one) and after ``escape`` (Textual
        waits 100 ms for the rest of an escape sequence: a key read with it is alt+key)."""
        self.settle_idle()  # else a late redraw of the old screen could show ``shows``
        mark = self.press(keys)
        self.wait_for(shows, start=mark, timeout=timeout)
        return mark

    def resize(self, columns: int, rows: int) -> int:
        """Resize the terminal as a terminal emulator does (TIOCSWINSZ, then SIGWINCH)."""
        assert self.master is not None
        mark = len(self.output)
        _set_size(self.master, columns, rows)
        os.kill(self.pid, signal.SIGWINCH)
        return mark

    def hang_up(self) -> None:
        """Close the terminal (what sshd does when the connection drops)."""
        if self.master is not None:
            self.read(0)
            os.close(self.master)
            self.master = None

    # -- process -------------------------------------------------------------------------
    def poll(self) -> int | None:
        if self.status is None:
            pid, status, usage = os.wait4(self.pid, os.WNOHANG)
            if pid:
                self.status = os.waitstatus_to_exitcode(status)
                self.cpu_seconds = usage.ru_utime + usage.ru_stime
        return self.status

    def wait_exit(self, timeout: float = 15.0) -> int | None:
        """The exit status (negative: killed by that signal), or None if still running after
        ``timeout`` seconds (a bound for the test, not a performance assertion)."""
        deadline = time.monotonic() + timeout
        while self.poll() is None and time.monotonic() < deadline:
            self.read(0.05)
        self.read(0.05)
        return self.poll()

    def close(self) -> None:
        if self.poll() is None:
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
            self.status = -signal.SIGKILL
        if self.master is not None:
            os.close(self.master)
            self.master = None


def _set_size(fd: int, columns: int, rows: int) -> None:
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
