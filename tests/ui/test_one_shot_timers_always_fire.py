"""A one-shot timer fires however late its task starts (``artistree_tui/ui/timers.py``).

Textual's ``set_timer`` reads the clock as its task starts and again right after; when more
than its delay passed in between (the thread lost the GIL or the CPU there), the tick counts as
missed and the timer ends without calling back. The clock here jumps 50 ms between those two
reads, as a preemption would. The console's debounces keep "a timer is pending" state, so
every one-shot timer of the UI is :func:`once`: none calls ``set_timer`` itself.
"""

from __future__ import annotations

import asyncio
import re
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from textual import _time
from textual.app import App
from textual.timer import Timer

import artistree_tui.ui
from artistree_tui.ui.timers import once

UI = Path(artistree_tui.ui.__file__).parent


@pytest.fixture
def preempted() -> Iterator[None]:
    """The clock as each timer's task sees it when it is preempted right after its first
    read: from its second read on, 50 ms later (only the reads of Textual's timer loop)."""
    real = _time.get_time
    reads: dict[int, int] = {}

    def jumpy() -> float:
        caller = sys._getframe(1)
        if caller.f_code is not Timer._run.__code__:
            return real()
        timer = id(caller.f_locals["self"])
        reads[timer] = reads.get(timer, 0) + 1
        return real() + (0.05 if reads[timer] >= 2 else 0.0)

    _time.get_time = jumpy
    try:
        yield
    finally:
        _time.get_time = real


async def test_a_timer_whose_task_is_preempted_still_fires(preempted: None) -> None:
    app: App[None] = App()
    fired: list[str] = []
    async with app.run_test() as pilot:
        once(app, 0.01, lambda: fired.append("once"))
        for _ in range(100):  # bounded: the timer is due within 10 ms
            if fired:
                break
            await asyncio.sleep(0.01)
        await pilot.pause()
    assert fired == ["once"]


async def test_the_callback_runs_on_its_owner_and_stop_cancels_it() -> None:
    app: App[None] = App()
    fired: list[str] = []
    async with app.run_test() as pilot:
        stopped = once(app, 0.01, lambda: fired.append("stopped"))
        stopped.stop()
        once(app, 0.02, lambda: fired.append("kept"))
        for _ in range(100):
            if fired:
                break
            await asyncio.sleep(0.01)
        await pilot.pause()
    assert fired == ["kept"]


def test_no_ui_module_calls_set_timer_itself() -> None:
    calls = {
        str(path.relative_to(UI)): line
        for path in UI.rglob("*.py")
        if path.name != "timers.py"
        for line in path.read_text().splitlines()
        if re.search(r"\.set_timer\(", line)
    }
    assert calls == {}
