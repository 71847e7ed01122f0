"""Textual's terminal driver with :func:`~.minimize.minimize` between it and the terminal.

Textual's driver hands each frame to an output thread, which writes it to the terminal's file.
:func:`wire_driver` subclasses the platform's driver so that its file is a
:class:`MinimizingFile`: the frames are minimized in that thread, off the UI loop, just before
they are written. Nothing else changes (input, terminal modes, the writer thread itself).

It also tells when a frame has reached the terminal (:func:`call_after_written`): that output
thread needs the GIL to minimize and write a frame, and work the UI's thread starts at once
after a frame (the detail pane's draw after ``j``'s picture) would take turns with it and
delay that frame on the wire; work that can wait for it asks to run after it. A key's frame
made at once (``compositor.paint_now``) goes further: the UI's thread waits, a bounded time,
until it is written (:func:`wait_written`).
"""

from __future__ import annotations

import asyncio
import contextvars
import threading
from collections.abc import Callable
from typing import IO, TYPE_CHECKING, Any

from textual.driver import Driver

from artistree_tui.ui.wire.minimize import minimize

if TYPE_CHECKING:
    from textual.app import App

__all__ = ["MinimizingFile", "call_after_written", "wait_written", "wire_driver"]


class MinimizingFile:
    """A text file whose writes are minimized; everything else is the wrapped file's.

    It counts the writes it has flushed to the terminal and calls, on their loop, the
    callbacks waiting for a count (:meth:`when_flushed`)."""

    def __init__(self, file: IO[str]) -> None:
        self._file = file
        #: Bytes (as characters) asked to be written, and written: the saving, measurable.
        self.asked = 0
        self.written = 0
        self._writes = 0  # writes done (the output thread's)
        self._lock = threading.Lock()
        self._flushed = 0  # of them, flushed to the terminal
        self._written = threading.Condition(self._lock)
        self._waiting: list[
            tuple[int, asyncio.AbstractEventLoop, contextvars.Context, Callable[[], object]]
        ] = []

    def write(self, text: str) -> int:
        small = minimize(text)
        self.asked += len(text)
        self.written += len(small)
        self._file.write(small)
        self._writes += 1
        return len(text)

    def flush(self) -> None:
        self._file.flush()
        with self._lock:
            self._flushed = self._writes
            self._written.notify_all()
            ready = [entry for entry in self._waiting if entry[0] <= self._flushed]
            self._waiting = [entry for entry in self._waiting if entry[0] > self._flushed]
        for _count, loop, context, callback in ready:
            loop.call_soon_threadsafe(callback, context=context)

    def wait_flushed(self, count: int, timeout: float) -> bool:
        """Wait (at most ``timeout`` seconds) until ``count`` writes have been flushed."""
        with self._lock:
            return self._written.wait_for(lambda: self._flushed >= count, timeout)

    def when_flushed(self, count: int, callback: Callable[[], object]) -> None:
        """Call ``callback`` on the running loop once ``count`` writes have been flushed
        (soon, if they have been), in the context it was asked from: scheduled by the output
        thread it would otherwise run in that thread's, without Textual's (no active app or
        message pump: a timer it set would never fire)."""
        loop = asyncio.get_running_loop()
        with self._lock:
            if self._flushed < count:
                self._waiting.append((count, loop, contextvars.copy_context(), callback))
                return
        loop.call_soon(callback)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._file, name)


def wire_driver(base: type[Driver]) -> type[Driver]:
    """``base`` (a Textual driver class) writing through a :class:`MinimizingFile`. A driver
    without a ``_file`` (not a terminal driver) is returned as it is."""

    class WireDriver(base):  # type: ignore[valid-type, misc]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            file = getattr(self, "_file", None)
            if file is not None and not isinstance(file, MinimizingFile):
                self._file = MinimizingFile(file)
            self.queued = 0  # writes handed to the output thread (the UI's thread counts)

        def write(self, data: str) -> None:
            self.queued += 1
            super().write(data)

    WireDriver.__name__ = WireDriver.__qualname__ = f"Wire{base.__name__}"
    return WireDriver


def wait_written(app: App[Any], timeout: float) -> bool:
    """Wait on the UI's thread, at most ``timeout`` seconds, until every frame handed to the
    terminal so far has been written to it; True if it has (or there is no wire driver)."""
    driver = getattr(app, "_driver", None)
    file = getattr(driver, "_file", None)
    if not isinstance(file, MinimizingFile):
        return True
    return file.wait_flushed(int(getattr(driver, "queued", 0)), timeout)


def call_after_written(app: App[Any], callback: Callable[[], object]) -> None:
    """Call ``callback`` on ``app``'s loop once every frame handed to the terminal so far has
    been written to it (minimized and flushed by Textual's output thread). Without a wire
    driver (a headless app, Textual's own driver) it is called soon, on the loop."""
    driver = getattr(app, "_driver", None)  # Textual's, once the app runs
    file = getattr(driver, "_file", None)
    if isinstance(file, MinimizingFile):
        file.when_flushed(int(getattr(driver, "queued", 0)), callback)
    else:
        asyncio.get_running_loop().call_soon(callback)
