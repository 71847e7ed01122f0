"""Leaving cleanly when the terminal goes away: SSH hang-up, a closed tmux pane or window.

Textual installs no SIGHUP handler. With the default disposition a hang-up kills the process
outright (no cleanup); when the parent ignores SIGHUP (``nohup``, some SSH setups, a service
manager) the process survives the closed terminal and Textual's input thread spins at 100 %
CPU reading end-of-file forever. :class:`HangupGuard` covers both:

- it installs its own SIGHUP handler whatever the inherited disposition (``SIG_IGN`` too);
- a watchdog thread probes the terminal every half second (``tcgetattr``: a hung-up tty
  answers EIO), so a terminal that vanished without a signal (no controlling tty) is noticed;
- either way it asks the app to exit with status 129 (128 + SIGHUP, what a shell reports) and
  arms a timer that ends the process hard after :data:`GRACE` seconds, because a clean
  shutdown can block on a terminal that no longer accepts writes.

The guard is a context manager used around the app's event loop by
:func:`artistree_tui.ui.live.containment.run_guarded`; it needs the loop to ask for the exit
thread-safely.

:class:`StopSignals` covers the signals that end a program while its terminal stays: by
default SIGTERM, SIGQUIT and SIGINT kill a Python program outright and leave the terminal in
the alternate screen, with mouse reporting on and the cursor hidden. The console exits as on
``q`` instead, restoring the terminal, with the status a shell reports for the signal: 143
(SIGTERM), 131 (SIGQUIT), 130 (SIGINT). If the clean exit has not finished after
:data:`GRACE` seconds it restores the terminal itself (leaves the alternate screen, turns mouse
reporting and bracketed paste off, shows the cursor, puts the saved terminal modes back) and
ends the process with that status. SIGUSR1 and SIGUSR2, which would also kill it, are ignored.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import termios
import threading
from collections.abc import Callable
from types import FrameType, TracebackType
from typing import Any

#: Exit status after a hang-up: 128 + SIGHUP, as a shell reports a hung-up job.
HANGUP_EXIT = 128 + signal.SIGHUP
#: Seconds the clean exit gets after a hang-up before the process is ended hard.
GRACE = 2.0
#: Seconds between two probes of the terminal.
POLL_INTERVAL = 0.5


def terminal_alive(fd: int) -> bool:
    """Whether ``fd`` is still a usable terminal (a hung-up tty fails ``tcgetattr`` with EIO)."""
    try:
        termios.tcgetattr(fd)
    except (termios.error, OSError, ValueError):
        return False
    return True


class HangupGuard:
    """Exits the app when the terminal hangs up (see the module docstring).

    ``app`` needs ``exit(result, return_code)``; ``loop`` is the loop the app runs on.
    ``fd`` is the terminal to watch (stdin by default; no watchdog when it is not a tty).
    ``exit_hard`` is what ends the process when the clean exit does not finish in time.
    """

    def __init__(
        self,
        app: Any,
        loop: asyncio.AbstractEventLoop,
        *,
        fd: int | None = None,
        grace: float = GRACE,
        poll_interval: float = POLL_INTERVAL,
        exit_hard: Callable[[int], object] = os._exit,
    ) -> None:
        self.app = app
        self.loop = loop
        self.fd = fd
        self.grace = grace
        self.poll_interval = poll_interval
        self.exit_hard = exit_hard
        #: Why the terminal was given up ("hang-up signal", "terminal gone"), or None.
        self.reason: str | None = None
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._previous: Any = None
        self._installed = False
        self._watchdog: threading.Thread | None = None

    def __enter__(self) -> HangupGuard:
        if threading.current_thread() is threading.main_thread():
            # Whatever the parent left us (SIG_IGN included): a hang-up must end the console.
            self._previous = signal.signal(signal.SIGHUP, self._on_signal)
            self._installed = True
        fd = self._terminal_fd()
        if fd is not None:
            self._watchdog = threading.Thread(
                target=self._watch, args=(fd,), name="artistree-hangup-watchdog", daemon=True
            )
            self._watchdog.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._stop.set()
        if self._installed:
            with contextlib.suppress(ValueError, TypeError):
                signal.signal(signal.SIGHUP, self._previous)
            self._installed = False

    def _terminal_fd(self) -> int | None:
        fd = 0 if self.fd is None else self.fd
        try:
            is_tty = os.isatty(fd)
        except OSError:
            return None
        return fd if is_tty and terminal_alive(fd) else None

    def _on_signal(self, signum: int, frame: FrameType | None) -> None:
        self.hang_up("hang-up signal")

    def _watch(self, fd: int) -> None:
        while not self._stop.wait(self.poll_interval):
            if not terminal_alive(fd):
                self.hang_up("terminal gone")
                return

    def hang_up(self, reason: str) -> None:
        """Give up the terminal: ask the app to exit (129) and end the process hard if the
        clean exit has not finished within the grace period. Safe from any thread and from a
        signal handler; only the first call acts."""
        with self._lock:
            if self.reason is not None:
                return
            self.reason = reason
        timer = threading.Timer(self.grace, self.exit_hard, args=(HANGUP_EXIT,))
        timer.daemon = True
        timer.name = "artistree-hangup-deadline"
        timer.start()
        try:
            self.loop.call_soon_threadsafe(self._exit_app)
        except RuntimeError:  # the loop is closed: nothing left to shut down cleanly
            self.exit_hard(HANGUP_EXIT)

    def _exit_app(self) -> None:
        # Failing to exit cleanly is fine: the deadline timer ends the process anyway.
        with contextlib.suppress(Exception):
            self.app.exit(None, HANGUP_EXIT)

    def cancel(self) -> None:
        """Stop the watchdog (the app is exiting normally)."""
        self._stop.set()


#: Signals that end the console cleanly, and its exit status for each (128 + the signal).
STOP_SIGNALS: dict[int, int] = {
    signal.SIGTERM: 128 + signal.SIGTERM,
    signal.SIGQUIT: 128 + signal.SIGQUIT,
    signal.SIGINT: 128 + signal.SIGINT,
}
#: Signals whose default would kill the console with the terminal in application mode.
IGNORED_SIGNALS = (signal.SIGUSR1, signal.SIGUSR2)
#: What puts a terminal back the way a shell expects it: mouse reporting off (every mode
#: Textual turns on), bracketed paste and focus events off, the kitty keyboard protocol
#: popped, line wrap on, the alternate screen left, the cursor shown.
RESTORE_TERMINAL = (
    "\x1b[?1000l\x1b[?1002l\x1b[?1003l\x1b[?1015l\x1b[?1006l\x1b[?1016l"
    "\x1b[?2004l\x1b[?1004l\x1b[<u\x1b[?7h\x1b[?1049l\x1b[?25h"
)


def restore_terminal(fd: int, attrs: list[Any] | None) -> None:
    """Put the terminal on ``fd`` back by hand (see :data:`RESTORE_TERMINAL`), and its saved
    modes (``attrs`` from ``tcgetattr``) when known. Best effort: the terminal may be gone."""
    if attrs is not None:
        with contextlib.suppress(termios.error, OSError, ValueError):
            termios.tcsetattr(fd, termios.TCSANOW, attrs)
    with contextlib.suppress(OSError):
        os.write(fd, RESTORE_TERMINAL.encode("ascii"))


class StopSignals:
    """Exits the app cleanly on SIGTERM, SIGQUIT and SIGINT (see the module docstring).

    ``app`` needs ``exit(result, return_code)``; ``loop`` is the loop the app runs on. ``fd``
    is the terminal to restore if the clean exit does not finish (default: the first of
    stderr, stdout, stdin that is a tty; Textual writes to stderr). ``exit_hard`` ends the
    process then.
    """

    def __init__(
        self,
        app: Any,
        loop: asyncio.AbstractEventLoop,
        *,
        fd: int | None = None,
        grace: float = GRACE,
        exit_hard: Callable[[int], object] = os._exit,
    ) -> None:
        self.app = app
        self.loop = loop
        self.fd = fd
        self.grace = grace
        self.exit_hard = exit_hard
        #: The signal that asked the console to stop, once one did.
        self.received: int | None = None
        self._lock = threading.Lock()
        self._previous: dict[int, Any] = {}
        self._attrs: list[Any] | None = None
        self._timer: threading.Timer | None = None

    def __enter__(self) -> StopSignals:
        self.fd = self._terminal_fd() if self.fd is None else self.fd
        if self.fd is not None:
            with contextlib.suppress(termios.error, OSError, ValueError):
                self._attrs = termios.tcgetattr(self.fd)  # before Textual makes it raw
        if threading.current_thread() is threading.main_thread():
            for signum in (*STOP_SIGNALS, *IGNORED_SIGNALS):
                handler = self._on_signal if signum in STOP_SIGNALS else signal.SIG_IGN
                with contextlib.suppress(ValueError, OSError):
                    self._previous[signum] = signal.signal(signum, handler)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        for signum, previous in self._previous.items():
            with contextlib.suppress(ValueError, TypeError, OSError):
                signal.signal(signum, previous)
        self._previous.clear()
        if self._timer is not None:
            self._timer.cancel()  # the clean exit finished in time

    @staticmethod
    def _terminal_fd() -> int | None:
        for fd in (2, 1, 0):
            with contextlib.suppress(OSError):
                if os.isatty(fd):
                    return fd
        return None

    def _on_signal(self, signum: int, frame: FrameType | None) -> None:
        self.stop(signum)

    def stop(self, signum: int) -> None:
        """Ask the app to exit with the signal's status, and arm the deadline. Safe from a
        signal handler and from any thread; only the first call acts."""
        with self._lock:
            if self.received is not None:
                return
            self.received = signum
        status = STOP_SIGNALS.get(signum, 128 + signum)
        timer = threading.Timer(self.grace, self._deadline, args=(status,))
        timer.daemon = True
        timer.name = "artistree-stop-deadline"
        self._timer = timer
        timer.start()
        try:
            self.loop.call_soon_threadsafe(self._exit_app, status)
        except RuntimeError:  # the loop is closed: nothing left to exit cleanly
            self._deadline(status)

    def _exit_app(self, status: int) -> None:
        with contextlib.suppress(Exception):  # the deadline ends the process anyway
            self.app.exit(None, status)

    def _deadline(self, status: int) -> None:
        """The clean exit did not finish: restore the terminal by hand and end the process."""
        if self.fd is not None:
            restore_terminal(self.fd, self._attrs)
        self.exit_hard(status)
