"""The hang-up guard on its own (the pty tests run it in the real console): the signal
handler, the terminal probe, the watchdog, the hard-exit deadline, and the app's ``panic``."""

from __future__ import annotations

import asyncio
import os
import pty
import signal
from typing import Any

from rich.text import Text

from artistree_tui.ui.live.hangup import HANGUP_EXIT, HangupGuard, terminal_alive
from tests.support.app import list_loaded, make_app, wait_for


class FakeApp:
    def __init__(self) -> None:
        self.exits: list[tuple[object, int]] = []

    def exit(self, result: object, return_code: int) -> None:
        self.exits.append((result, return_code))


async def until(predicate: Any, limit: float = 15.0) -> None:
    """Let the loop run until ``predicate()`` (a bound for the test, not a timing check)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + limit
    while not predicate():
        assert loop.time() < deadline, "condition not met"
        await asyncio.sleep(0.01)


def test_a_hung_up_pty_fails_the_probe() -> None:
    master, slave = pty.openpty()
    try:
        assert terminal_alive(slave)
        os.close(master)
        assert not terminal_alive(slave)
    finally:
        os.close(slave)
    read_end, write_end = os.pipe()
    assert not terminal_alive(read_end)  # not a terminal at all
    os.close(read_end)
    os.close(write_end)


async def test_sighup_asks_the_app_to_exit_once_then_ends_the_process_after_the_grace() -> None:
    app, hard = FakeApp(), []
    read_end, write_end = os.pipe()  # not a tty: no watchdog
    previous = signal.signal(signal.SIGHUP, signal.SIG_IGN)  # what a nohup parent leaves
    try:
        guard = HangupGuard(
            app, asyncio.get_running_loop(), fd=read_end, grace=0.05, exit_hard=hard.append
        )
        with guard:
            assert signal.getsignal(signal.SIGHUP) not in (signal.SIG_IGN, signal.SIG_DFL)
            os.kill(os.getpid(), signal.SIGHUP)
            await until(lambda: app.exits)
            guard.hang_up("again")  # a second hang-up changes nothing
            await until(lambda: hard)
        assert signal.getsignal(signal.SIGHUP) == signal.SIG_IGN  # restored
    finally:
        signal.signal(signal.SIGHUP, previous)
        os.close(read_end)
        os.close(write_end)
    assert app.exits == [(None, HANGUP_EXIT)]
    assert hard == [HANGUP_EXIT]
    assert guard.reason == "hang-up signal"


async def test_the_watchdog_notices_a_terminal_gone_without_a_signal() -> None:
    app, hard = FakeApp(), []
    master, slave = pty.openpty()
    try:
        guard = HangupGuard(
            app,
            asyncio.get_running_loop(),
            fd=slave,
            grace=60,
            poll_interval=0.02,
            exit_hard=hard.append,
        )
        with guard:
            await asyncio.sleep(0.1)
            assert app.exits == []  # a live terminal is left alone
            os.close(master)
            master = -1
            await until(lambda: app.exits)
    finally:
        if master >= 0:
            os.close(master)
        os.close(slave)
    assert guard.reason == "terminal gone"
    assert app.exits == [(None, HANGUP_EXIT)]
    assert hard == []  # the deadline (60 s here) has not come


async def test_panic_prints_one_line_instead_of_its_renderables(demo_server: Any) -> None:
    app = make_app(demo_server)
    async with app.run_test() as pilot:
        await wait_for(pilot, lambda: list_loaded(app))
        app.panic(Text("Traceback with token=demo.SECRET"))
    assert app.fatal_error == "artistree-tui stopped: reading from the terminal failed"
    assert app.return_code == 1
    assert not app._exit_renderables
