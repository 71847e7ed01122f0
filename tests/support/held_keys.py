"""Helpers for tests that hold a key (no tests here): which rows the cursor passed over, and
where the loaded machine itself kept it long enough to count as a rest.

A held key is posted at the repeat rate, but a loaded CI box can stall the console between
two repeats for longer than a rest; the console then rightly loads that row as a stop. These
tests record when the screen saw each move and leave such rows out of "passed over".
"""

from __future__ import annotations

import itertools
import time
from typing import Any

import pytest


def moves_seen(app: Any, monkeypatch: pytest.MonkeyPatch) -> list[tuple[float, int]]:
    """Record each cursor move the main screen hands its prefetch: ``(monotonic time, row)``
    (every highlight goes there, whether fetching ahead is on or not)."""
    screen = app.main_screen
    seen: list[tuple[float, int]] = []
    moved = screen.prefetch.moved

    def record(position: int | None) -> None:
        if position is not None:
            seen.append((time.monotonic(), position))
        moved(position)

    monkeypatch.setattr(screen.prefetch, "moved", record)
    return seen


def stalls(moves: list[tuple[float, int]], rest: float) -> list[int]:
    """Rows the cursor stayed on for at least ``rest`` seconds before the next move."""
    return [row for (at, row), (then, _) in itertools.pairwise(moves) if then - at >= rest]
