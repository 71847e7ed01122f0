"""Helpers for the pseudo-terminal tests (no tests here): the console in its own process on a
pty, with a choice of controlling terminal and inherited SIGHUP disposition, key presses,
resizes, hang-ups and the raw bytes it wrote.

The child is started with ``subprocess`` (never a ``fork()`` of the multi-threaded test
process, whose child could deadlock) as a session leader (``start_new_session``), the pty's
slave end as its stdin, stdout and stderr. A few lines of Python run first in the child (one
fresh thread) and then exec the console: with ``controlling=True`` they make the pty its
controlling terminal, so closing the master end sends it SIGHUP as sshd closing a session
does (without it no signal comes and only the lost terminal itself says the user is gone);
and they set the SIGHUP disposition the console inherits.
"""

from __future__ import annotations

import fcntl
import os
import pty
import re
import select
import signal
import struct
import subprocess
import sys
import termios
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

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


def api_console(demo: Any, home: Path, **extra: str) -> tuple[list[str], dict[str, str]]:
    """The console's argv and environment, pointed at the demo API ``demo`` (a DemoServer)
    by the ``ARTISTREE_*`` variables; ``extra``: more variables."""
    env = console_env(
        home,
        ARTISTREE_BASE_URL=demo.base_url,
        ARTISTREE_TOKEN_URL=demo.token_url,
        ARTISTREE_CLIENT_ID=demo.client_id,
        ARTISTREE_CLIENT_SECRET=demo.client_secret,
        **extra,
    )
    return [sys.executable, "-m", "artistree_tui"], env


def demo_argv(*extra: str) -> list[str]:
    return [sys.executable, "-m", "artistree_tui", "--demo", "--demo-orders", "300", *extra]


#: Run in the child before the console: argv[1] "1" = take the pty (stdin) as controlling
#: terminal, argv[2] "1" = ignore SIGHUP (kept across exec), argv[3:] = the console to exec.
_START = """\
import fcntl, os, signal, sys, termios
if sys.argv[1] == "1":
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)
signal.signal(signal.SIGHUP, signal.SIG_IGN if sys.argv[2] == "1" else signal.SIG_DFL)
os.execv(sys.argv[3], sys.argv[3:])
"""


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
        flags = ["1" if controlling else "0", "1" if ignore_sighup else "0"]
        try:
            self._process = subprocess.Popen(
                [sys.executable, "-c", _START, *flags, *argv],
                stdin=slave,
                stdout=slave,
                stderr=slave,
                env=env,
                cwd=cwd,
                start_new_session=True,
            )
        finally:
            os.close(slave)
        self.pid = self._process.pid

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

    def wait_match(
        self,
        pattern: re.Pattern[str],
        *,
        start: int = 0,
        accept: Callable[[str], bool] = lambda _: True,
        timeout: float = 30.0,
    ) -> str:
        """Read until ``pattern`` matches, in the text written since ``start``, with a first
        group that ``accept`` takes; returns that group (its last such match)."""

        def found() -> str | None:
            groups = [m.group(1) for m in pattern.finditer(self.text(start))]
            taken = [group for group in groups if accept(group)]
            return taken[-1] if taken else None

        deadline = time.monotonic() + timeout
        while (group := found()) is None:
            if time.monotonic() > deadline:
                tail = self.text(start)[-2000:]
                raise AssertionError(f"{pattern.pattern!r} never matched; last output:\n{tail}")
            if self.poll() is not None:
                self.read(0.1)
                if (group := found()) is not None:
                    return group
                raise AssertionError(f"exited ({self.status}) before {pattern.pattern!r}")
            self.read(0.05)
        return group

    def wait_until(self, condition: Callable[[], object], what: str) -> None:
        """Read the pty until ``condition()`` holds (a bound for the test, not a timing)."""
        deadline = time.monotonic() + 30
        while not condition():
            assert self.poll() is None, f"the console exited before {what}"
            assert time.monotonic() < deadline, f"never: {what}\n{self.text()[-2000:]}"
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
        """The exit status (negative: killed by that signal), or None while it runs."""
        if self.status is None:
            self.status = self._process.poll()
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
            self._process.kill()
            self._process.wait()
            self.status = -signal.SIGKILL
        if self.master is not None:
            os.close(self.master)
            self.master = None


#: The ``start_console`` fixture of tests/terminal: ``PtyConsole``'s arguments, closed at teardown.
StartConsole = Callable[..., PtyConsole]


def _set_size(fd: int, columns: int, rows: int) -> None:
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
