"""Fixtures of the terminal tests: the real console in its own process, on a pseudo-terminal
(tests/support/pty_console.py) or inside tmux.

- ``start_console``: starts ``PtyConsole(argv, env, **options)``; every console it started is
  killed if still running, and its pty closed, at teardown (a failed test leaves no process).
- ``standalone_api``: starts ``artistree-tui demo-server`` (its own process) with ``orders``
  and ``seed``, no new orders arriving; stopped at teardown.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.support.processes import StandaloneDemo
from tests.support.pty_console import PtyConsole


@pytest.fixture
def start_console() -> Iterator[Callable[..., PtyConsole]]:
    consoles: list[PtyConsole] = []

    def start(*args: Any, **options: Any) -> PtyConsole:
        console = PtyConsole(*args, **options)
        consoles.append(console)
        return console

    try:
        yield start
    finally:
        for console in consoles:
            console.close()


@pytest.fixture
def standalone_api(tmp_path: Path) -> Iterator[Callable[[int, int], StandaloneDemo]]:
    with contextlib.ExitStack() as servers:

        def start(orders: int, seed: int) -> StandaloneDemo:
            argv = ("--orders", str(orders), "--new-order-every", "0", "--seed", str(seed))
            return servers.enter_context(StandaloneDemo(tmp_path, *argv))

        yield start
