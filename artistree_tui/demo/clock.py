"""The demo clock: the one notion of "now" the demo server uses.

Everything that changes over time in the demo (In Progress orders completing, new orders
appearing, access tokens and presigned URLs expiring) reads this clock, never ``time.time()``
directly, so tests can jump forward with :meth:`DemoClock.advance` instead of sleeping. The
clock also moves with real time, so a console left open against the demo sees it live.

It starts at a fixed instant (:data:`DEMO_EPOCH`) unless told otherwise: the data's
timestamps are then the same on every run, which snapshot tests rely on.
"""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime

#: Default start of the demo clock: 2026-03-02 09:00:00 UTC (a Monday morning).
DEMO_EPOCH = datetime(2026, 3, 2, 9, 0, 0, tzinfo=UTC).timestamp()


class DemoClock:
    """Unix seconds on the demo timeline: ``epoch`` + real time elapsed + time advanced."""

    def __init__(self, epoch: float | None = None) -> None:
        self.epoch = DEMO_EPOCH if epoch is None else float(epoch)
        self._started = time.monotonic()
        self._advanced = 0.0
        self._held: float | None = None  # the real time elapsed when held (see hold)
        self._lock = threading.Lock()

    def now(self) -> float:
        """The current demo time in Unix seconds."""
        with self._lock:
            elapsed = self._held if self._held is not None else time.monotonic() - self._started
            return self.epoch + elapsed + self._advanced

    def hold(self) -> None:
        """Stop real time from moving the clock: from now on only :meth:`advance` does (a
        test that compares the console with the server's truth must not race the clock)."""
        with self._lock:
            if self._held is None:
                self._held = time.monotonic() - self._started

    def advance(self, seconds: float) -> None:
        """Move the clock forward (negative values are refused: time does not run back)."""
        if seconds < 0:
            raise ValueError("the demo clock only moves forward")
        with self._lock:
            self._advanced += seconds


def iso8601(unix_seconds: float) -> str:
    """``2026-03-02T08:41:13.123Z``: ISO 8601 in UTC with milliseconds, as APIs commonly send."""
    moment = datetime.fromtimestamp(unix_seconds, tz=UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"
