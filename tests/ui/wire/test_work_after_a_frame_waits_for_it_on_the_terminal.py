"""``call_after_written``: work the UI's thread can put off (the detail pane's draw after ``j``'s
picture) runs once every frame handed to Textual's output thread has been written and flushed,
not while that thread still needs the GIL to minimize and write it; ``wait_written`` (a key's
frame made at once, ``paint_now``) waits for that on the UI's thread, a bounded time. With
Textual's own writer thread, over a file whose write the test holds."""

from __future__ import annotations

import asyncio
import contextvars
import io
import threading
from types import SimpleNamespace
from typing import Any

from textual.drivers._writer_thread import WriterThread

from artistree_tui.ui.wire.driver import call_after_written, wait_written, wire_driver


class HeldFile(io.StringIO):
    """A terminal whose writes wait until the test lets them through."""

    def __init__(self) -> None:
        super().__init__()
        self.gate = threading.Event()

    def write(self, text: str) -> int:
        self.gate.wait(10)
        return super().write(text)

    def fileno(self) -> int:
        return 99


class Base:
    """The part of a Textual terminal driver the wire driver builds on: a file, and writes
    handed to an output thread."""

    def __init__(self) -> None:
        self._file: Any = HeldFile()
        self._writer_thread: WriterThread | None = None

    def start(self) -> None:
        self._writer_thread = WriterThread(self._file)
        self._writer_thread.start()

    def write(self, data: str) -> None:
        assert self._writer_thread is not None
        self._writer_thread.write(data)


async def test_the_callback_waits_for_the_frame_to_be_written() -> None:
    driver: Any = wire_driver(Base)()  # type: ignore[arg-type]
    driver.start()
    held: HeldFile = driver._file._file
    app: Any = SimpleNamespace(_driver=driver)
    done = asyncio.Event()
    try:
        driver.write("\x1b[1;1Hframe")
        call_after_written(app, done.set)
        for _ in range(5):  # turns of the loop: nothing written yet, so nothing called
            await asyncio.sleep(0)
        assert not done.is_set()
        held.gate.set()
        await asyncio.wait_for(done.wait(), 10)
        assert held.getvalue().endswith("frame")

        # Everything written already: called on the next turn of the loop.
        later = asyncio.Event()
        call_after_written(app, later.set)
        await asyncio.wait_for(later.wait(), 10)
    finally:
        held.gate.set()
        assert driver._writer_thread is not None
        driver._writer_thread.stop()


async def test_without_a_terminal_driver_it_is_called_soon() -> None:
    done = asyncio.Event()
    call_after_written(SimpleNamespace(_driver=None), done.set)  # type: ignore[arg-type]
    await asyncio.wait_for(done.wait(), 10)


COLOUR: contextvars.ContextVar[str] = contextvars.ContextVar("colour", default="unset")


async def test_the_callback_runs_in_the_context_it_was_asked_from() -> None:
    # Textual keeps the active app and message pump in context variables: a draw scheduled
    # by the output thread must run in the UI's context, not that thread's (empty) one, or a
    # timer it sets never fires.
    driver: Any = wire_driver(Base)()  # type: ignore[arg-type]
    driver.start()
    held: HeldFile = driver._file._file
    app: Any = SimpleNamespace(_driver=driver)
    seen: list[str] = []
    done = asyncio.Event()

    def callback() -> None:
        seen.append(COLOUR.get())
        done.set()

    try:
        COLOUR.set("the UI's")
        driver.write("frame")
        call_after_written(app, callback)
        held.gate.set()  # flushed, and the callback scheduled, by the output thread
        await asyncio.wait_for(done.wait(), 10)
        assert seen == ["the UI's"]
    finally:
        held.gate.set()
        assert driver._writer_thread is not None
        driver._writer_thread.stop()


def test_waiting_for_the_frame_on_the_terminal_is_bounded() -> None:
    # paint_now's wait: until the frame handed over is written, or the time is up (a slow
    # terminal: the UI goes on).
    driver: Any = wire_driver(Base)()  # type: ignore[arg-type]
    driver.start()
    held: HeldFile = driver._file._file
    app: Any = SimpleNamespace(_driver=driver)
    try:
        driver.write("frame one")
        assert not wait_written(app, 0.05)  # held: not written, back after the time
        threading.Timer(0.05, held.gate.set).start()
        assert wait_written(app, 10)  # back once written
        assert held.getvalue().endswith("frame one")
        assert wait_written(app, 0)  # nothing more handed over
    finally:
        held.gate.set()
        assert driver._writer_thread is not None
        driver._writer_thread.stop()
    assert wait_written(SimpleNamespace(_driver=None), 0)  # type: ignore[arg-type]
