"""Textual's terminal driver with :func:`~.minimize.minimize` between it and the terminal.

Textual's driver hands each frame to an output thread, which writes it to the terminal's file.
:func:`wire_driver` subclasses the platform's driver so that its file is a
:class:`MinimizingFile`: the frames are minimized in that thread, off the UI loop, just before
they are written. Nothing else changes (input, terminal modes, the writer thread itself).
"""

from __future__ import annotations

from typing import IO, Any

from textual.driver import Driver

from artistree_tui.ui.wire.minimize import minimize

__all__ = ["MinimizingFile", "wire_driver"]


class MinimizingFile:
    """A text file whose writes are minimized; everything else is the wrapped file's."""

    def __init__(self, file: IO[str]) -> None:
        self._file = file
        #: Bytes (as characters) asked to be written, and written: the saving, measurable.
        self.asked = 0
        self.written = 0

    def write(self, text: str) -> int:
        small = minimize(text)
        self.asked += len(text)
        self.written += len(small)
        self._file.write(small)
        return len(text)

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

    WireDriver.__name__ = WireDriver.__qualname__ = f"Wire{base.__name__}"
    return WireDriver
