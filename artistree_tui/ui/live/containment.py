"""Keeping tracebacks and secrets off the terminal, whatever fails and wherever.

Textual's own crash screen is replaced in :class:`~artistree_tui.ui.app.ConsoleApp` (its
``_handle_exception``/``panic``); this module covers the other ways an error reaches a
terminal, all of which print a traceback by default:

- an exception in a thread (``threading.excepthook``): Textual's output thread dies this way
  when the terminal is gone;
- an exception nobody could raise (``sys.unraisablehook``: ``__del__``, a closed generator);
- an asyncio task whose exception was never retrieved (the loop's exception handler);
- a log record at WARNING or above while no logging is configured (Python's "last resort"
  handler writes it to stderr, i.e. over the console's screen).

Each becomes one sanitized line (:func:`crash_line`: the exception's type and where it
happened, never its message unless it is an API error, never local variables) that is kept in
``app.background_errors`` and shown as a toast while the app runs. httpx's loggers are held at
WARNING for the run: at INFO and below they log full URLs, and presigned asset URLs carry
signatures in their query strings.

:func:`run_guarded` runs the app on its own event loop (or the launcher's) inside these
guards, the :class:`~artistree_tui.ui.live.hangup.HangupGuard` and
:class:`~artistree_tui.ui.live.hangup.StopSignals` (SIGTERM, SIGQUIT, SIGINT exit as cleanly
as ``q``; SIGUSR1/SIGUSR2 are ignored).
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import sys
import threading
import traceback
from pathlib import Path
from types import TracebackType
from typing import Any

from artistree_tui.display import clean
from artistree_tui.ui.live.hangup import HangupGuard, StopSignals
from artistree_tui.ui.notify import error_line, toast

#: Loggers that log request URLs below WARNING.
URL_LOGGERS = ("httpx", "httpcore")
#: Textual's writer thread: when it dies, nothing more reaches the terminal.
OUTPUT_THREAD = "textual-output"


def crash_line(error: BaseException) -> str:
    """One line for an unexpected error: its type and where it happened, never its locals.

    The exception's own text is left out unless it is an API error (written to be safe):
    arbitrary exception messages may quote a header, a URL or a body.
    """
    line = error_line(error)
    frames = traceback.extract_tb(error.__traceback__) if error.__traceback__ else []
    if frames:
        last = frames[-1]
        line += f" at {Path(last.filename).name}:{last.lineno}"
    return clean(f"artistree-tui stopped: {line}", limit=300)


def background_line(error: BaseException | None, where: str) -> str:
    """One line for an error that did not stop the console (a thread, a stray task)."""
    what = error_line(error) if error is not None else "unexpected error"
    return clean(f"A background task failed ({where}): {what}", limit=200)


def report_background(app: Any, line: str) -> None:
    """Keep ``line`` in ``app.background_errors`` and toast it if the app is running.

    Safe from any thread: the toast is scheduled on the app's loop.
    """
    errors = getattr(app, "background_errors", None)
    if isinstance(errors, list):
        errors.append(line)
    loop: asyncio.AbstractEventLoop | None = getattr(app, "_guarded_loop", None)
    if loop is None or loop.is_closed() or not getattr(app, "is_running", False):
        return

    def show() -> None:
        with contextlib.suppress(Exception):  # the app may be shutting down
            toast(app, line, severity="error")

    with contextlib.suppress(RuntimeError):
        loop.call_soon_threadsafe(show)


class QuietErrors:
    """Context manager: thread, unraisable and logging errors become one line each (see the
    module docstring); everything is restored on exit."""

    def __init__(self, app: Any, *, on_output_lost: Any = None) -> None:
        self.app = app
        self.on_output_lost = on_output_lost
        self._saved: dict[str, Any] = {}
        self._null = logging.NullHandler()

    def __enter__(self) -> QuietErrors:
        self._saved = {
            "threading": threading.excepthook,
            "unraisable": sys.unraisablehook,
            "levels": {name: logging.getLogger(name).level for name in URL_LOGGERS},
        }
        threading.excepthook = self._thread_hook
        sys.unraisablehook = self._unraisable_hook
        for name in URL_LOGGERS:
            logger = logging.getLogger(name)
            if logger.getEffectiveLevel() < logging.WARNING:
                logger.setLevel(logging.WARNING)
        root = logging.getLogger()
        self._added_null = not root.handlers
        if self._added_null:  # only when nobody configured logging: then it goes nowhere
            root.addHandler(self._null)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        # Objects left behind by the app (connections, generators) are finalized now, while
        # their errors still become one line, not at interpreter exit as a traceback.
        gc.collect()
        threading.excepthook = self._saved["threading"]
        sys.unraisablehook = self._saved["unraisable"]
        for name, level in self._saved["levels"].items():
            logging.getLogger(name).setLevel(level)
        if self._added_null:
            logging.getLogger().removeHandler(self._null)

    def _thread_hook(self, args: threading.ExceptHookArgs) -> None:
        if args.exc_type is SystemExit:
            return
        name = args.thread.name if args.thread is not None else "thread"
        report_background(self.app, background_line(args.exc_value, clean(name, limit=40)))
        if name == OUTPUT_THREAD and self.on_output_lost is not None:
            self.on_output_lost("terminal output failed")

    def _unraisable_hook(self, unraisable: Any) -> None:
        report_background(self.app, background_line(unraisable.exc_value, "cleanup"))


def loop_exception_handler(app: Any) -> Any:
    """An asyncio exception handler that reports one line instead of logging a traceback."""

    def handle(loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
        error = context.get("exception")
        report_background(app, background_line(error, "task"))

    return handle


def run_guarded(app: Any, runner: asyncio.Runner | None = None) -> None:
    """Run ``app`` (a Textual App) inside :class:`QuietErrors` and a :class:`HangupGuard`,
    on ``runner``'s loop (the one the launcher started the first requests on) or on a loop
    of its own; returns when the app has exited (see ``app.return_code``)."""
    with contextlib.ExitStack() as stack:
        if runner is None:
            runner = stack.enter_context(asyncio.Runner())
        loop = runner.get_loop()
        loop.set_exception_handler(loop_exception_handler(app))
        app._guarded_loop = loop
        hangup = HangupGuard(app, loop)
        stops = StopSignals(app, loop)  # SIGTERM/SIGQUIT/SIGINT: exit as on q (143/131/130)
        try:
            with QuietErrors(app, on_output_lost=hangup.hang_up), hangup, stops:
                runner.run(app.run_async())
        finally:
            app._guarded_loop = None
