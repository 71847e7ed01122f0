"""Fixtures of the main screen's tests.

- ``frozen``: local time pinned to UTC and the list's and the status line's "now" frozen at
  the demo's epoch, so a snapshot of the screen is the same on every run and machine.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest

from artistree_tui.demo import DEMO_EPOCH
from artistree_tui.ui.live import refresher as live
from artistree_tui.ui.orders import order_list


class FrozenDatetime(datetime):
    """``datetime.now()`` pinned to the demo epoch (the list shows "today" relative to it)."""

    @classmethod
    def now(cls, tz: Any = None) -> FrozenDatetime:  # type: ignore[override]
        frozen = cls.fromtimestamp(DEMO_EPOCH, tz=UTC)
        return frozen.astimezone(tz) if tz is not None else frozen


@pytest.fixture
def frozen(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    monkeypatch.setattr(order_list, "datetime", FrozenDatetime)
    monkeypatch.setattr(live, "datetime", FrozenDatetime)  # "offline since HH:MM"
    # "refreshed HH:MM:SS" and "as of HH:MM": times the index recorded, shown as the epoch.
    monkeypatch.setattr(live, "local_time", lambda unix: FrozenDatetime.now().astimezone())
    yield
    monkeypatch.undo()
    time.tzset()
