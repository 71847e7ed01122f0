"""Where the commands write: standard output for data, standard error for everything else.

- :func:`choose_format`: the format asked for, else ``table`` on a terminal and the
  machine-readable one in a pipe or file;
- :func:`run_async`: runs a command's coroutine; a closed pipe (``| head -1``) ends it quietly
  with status 0, and Ctrl-C reaches :func:`artistree_tui.cli.main` (status 130);
- :class:`Progress`: ``page 12 · 11,000 orders`` on standard error, only when standard error is
  a terminal (one line, redrawn; retries show there too), so logs and pipes stay clean.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import shutil
import sys
from collections.abc import Awaitable, Callable, Iterator
from typing import TYPE_CHECKING, TextIO

from artistree_tui.cli.exits import EXIT_OK

if TYPE_CHECKING:
    from artistree_tui.api.retry import ClientEvent

#: Erase the line, for redrawing the progress line in place.
_CLEAR_LINE = "\r\x1b[K"


def is_terminal(stream: TextIO | None) -> bool:
    if stream is None:
        return False
    try:
        return stream.isatty()
    except (OSError, ValueError):
        return False


def choose_format(asked: str | None, *, piped: str) -> str:
    """``asked``, else ``table`` when standard output is a terminal, else ``piped``."""
    if asked:
        return asked
    return "table" if is_terminal(sys.stdout) else piped


def table_width() -> int:
    """The terminal's width for a table (120 when it cannot be told)."""
    return shutil.get_terminal_size((120, 24)).columns


def prepare_stdout() -> TextIO:
    """Standard output for data: text that cannot be encoded is replaced, never a crash."""
    stream = sys.stdout
    reconfigure = getattr(stream, "reconfigure", None)
    if reconfigure is not None:
        with contextlib.suppress(ValueError, OSError):
            reconfigure(errors="replace")
    return stream


def run_async(command: Callable[[], Awaitable[int]]) -> int:
    """Run ``command()`` to its exit status; a closed standard output ends it quietly (0)."""

    async def main() -> int:
        return await command()

    quiet_logs()
    try:
        return asyncio.run(main())
    except BrokenPipeError:
        silence_stdout()
        return EXIT_OK


def quiet_logs() -> None:
    """Log records go nowhere unless the program configured logging: the API layer's warnings
    (a retry given up, a repeated page token) would otherwise reach standard error through
    logging's last-resort handler, beside the one error line that already says it."""
    root = logging.getLogger()
    if not root.handlers:
        root.addHandler(logging.NullHandler())


def silence_stdout() -> None:
    """Point standard output at /dev/null, so the interpreter's last flush of a closed pipe
    does not print "Exception ignored ... BrokenPipeError" on the way out."""
    with contextlib.suppress(OSError, ValueError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)


class Progress:
    """One line on standard error, redrawn in place; silent unless it is a terminal."""

    def __init__(self, stream: TextIO | None = None, *, enabled: bool | None = None) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = is_terminal(self.stream) if enabled is None else enabled
        self._shown = False
        self._status = ""
        self._drawn = ""  # what the line shows now

    def show(self, text: str) -> None:
        """Replace the progress line with ``text`` (ours: never text from the API as is)."""
        self._status = text
        self._draw(text)

    def pages(self, pages: int, rows: int, matched: int | None = None) -> None:
        """``page 12 · 11,000 orders`` (and how many matched the filters, when filtering)."""
        text = f"page {pages:,} · {rows:,} orders"
        if matched is not None and matched != rows:
            text += f" · {matched:,} match"
        self.show(text)

    def client_event(self, event: ClientEvent) -> None:
        """The API client's retries (its ``on_event``), shown after the progress line."""
        if event.kind == "retrying" and event.delay is not None:
            reason = f" ({event.reason})" if event.reason else ""
            self._draw(f"{self._status} · retrying in {event.delay:.0f} s{reason}".lstrip(" ·"))
        elif event.kind == "ok":
            self._draw(self._status)

    def _draw(self, text: str) -> None:
        if not self.enabled or (self._shown and text == self._drawn):
            return  # the same line again (each answer's "ok"): nothing to redraw
        with contextlib.suppress(OSError, ValueError):
            self.stream.write(_CLEAR_LINE + text)
            self.stream.flush()
            self._shown, self._drawn = True, text

    @contextlib.contextmanager
    def hidden(self) -> Iterator[None]:
        """Off the screen while data is written (standard output may be the same terminal:
        a row would follow the progress text on its line), drawn again after."""
        shown = self._shown
        self.clear()
        try:
            yield
        finally:
            if shown:
                self._draw(self._status)

    def clear(self) -> None:
        """Erase the progress line (before an error line, or at the end)."""
        if self.enabled and self._shown:
            with contextlib.suppress(OSError, ValueError):
                self.stream.write(_CLEAR_LINE)
                self.stream.flush()
            self._shown = False
