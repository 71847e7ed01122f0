"""Fixtures of the terminal tests: the real console in its own process, on a pseudo-terminal
(tests/support/pty_console.py) or inside tmux.

- ``start_console``: starts ``PtyConsole(argv, env, **options)``; every console it started is
  killed if still running, and its pty closed, at teardown (a failed test leaves no process).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

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
