"""What the sync is doing, as a plain value: :class:`SyncProgress`, and the rate meter.

The UI posts it as a message (status line: ``indexed 34,000 / 100,000 · about 2 min left``;
stats bar: ``180 Action Required so far · sync 78 %``); the CLI prints :meth:`describe`.
Every count that is not complete says so: ``complete`` is False until the scope has been
swept to the end once.
"""

from __future__ import annotations

import time
from collections import deque
from dataclasses import dataclass, field
from typing import Literal

from artistree_tui.store.rows import ALL, Scope, StateCounts

Phase = Literal["starting", "refreshing", "sweeping", "idle", "offline", "paused", "stopped"]


@dataclass(frozen=True, slots=True)
class SyncProgress:
    """A snapshot of the sync of one scope.

    ``indexed``: the scope's orders in the index (gone ones left out); ``total``: the API's
    ``total_orders`` from the last page read (None before any). ``pages``/``swept``: pages
    and rows read by the current sweep (the last one when idle). ``rate``: orders per second
    over the last pages; ``eta``: seconds left in the current sweep (None when unknown or
    idle). ``complete``: the scope has been swept to the end at least once (so the counts are
    the whole scope); ``last_sweep``: how the last sweep ended ("complete", "broken" or None
    if none ended yet); ``swept_at``/``refreshed_at``: wall times (Unix) of the last
    complete sweep and of the last first-page refresh. ``counts``: orders per state in the
    index. ``problem``: why the last sweep stopped early; ``error``: the last request's
    failure while ``phase`` is "offline" or "stopped", with ``retry_in`` seconds to the next
    try. ``gone``: orders the last complete sweep marked gone.
    """

    scope: Scope = ALL
    phase: Phase = "starting"
    indexed: int = 0
    total: int | None = None
    pages: int = 0
    swept: int = 0
    rate: float | None = None
    eta: float | None = None
    complete: bool = False
    last_sweep: Literal["complete", "broken"] | None = None
    swept_at: float | None = None
    refreshed_at: float | None = None
    counts: StateCounts = field(default_factory=StateCounts)
    problem: str | None = None
    error: str | None = None
    retry_in: float | None = None
    gone: int = 0

    @property
    def refused(self) -> bool:
        """Stopped on the API's answer (credentials, ``base_url``, a missing endpoint), not
        on an outage nor on an unexpected error of ours."""
        error = self.error
        return (
            self.phase == "stopped"
            and error is not None
            and not error.startswith("unexpected error")
        )

    @property
    def fraction(self) -> float | None:
        """How far the current sweep is (0–1), or None when not sweeping / no total."""
        if self.phase != "sweeping" or not self.total:
            return None
        return min(self.swept / self.total, 1.0)

    def describe(self) -> str:
        """One line for a status line or the CLI (plain text, no API strings in it)."""
        total = f" / {self.total:,}" if self.total is not None else ""
        parts = [f"indexed {self.indexed:,}{total}"]
        fraction = self.fraction
        if fraction is not None and self.complete:
            # Swept whole before: a re-sweep of an index that has every order.
            parts = [f"{self.indexed:,} orders indexed", f"re-sweep {fraction:.0%}"]
        elif fraction is not None:
            parts.append(f"sync {fraction:.0%}")
        if fraction is not None:
            if self.eta is not None:
                parts.append(f"about {duration(self.eta)} left")
        elif self.complete and self.swept_at is not None:
            parts.append("complete as of " + time.strftime("%H:%M", time.localtime(self.swept_at)))
        elif not self.complete:
            parts.append("incomplete")
        if self.complete and self.counts.behind:
            parts.append(f"{self.counts.behind:,} behind the API's counts")
        if self.phase == "offline" and self.error:
            retry = f" · next try in {self.retry_in:.0f} s" if self.retry_in else ""
            parts.append(f"paused: {self.error}{retry}")
        elif self.phase == "stopped" and self.error:
            parts.append(f"stopped: {self.error}")
        if self.problem:
            parts.append(self.problem)
        return " · ".join(parts)


def duration(seconds: float) -> str:
    """``40 s``, ``3 min``, ``1.5 h``: a remaining time, rounded."""
    if seconds < 90:
        return f"{max(seconds, 1):.0f} s"
    if seconds < 90 * 60:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"


class RateMeter:
    """Orders per second over the last few pages of a sweep."""

    def __init__(self, window: int = 10) -> None:
        self._points: deque[tuple[float, int]] = deque(maxlen=window + 1)

    def reset(self) -> None:
        self._points.clear()

    def add(self, at: float, rows_total: int) -> None:
        self._points.append((at, rows_total))

    @property
    def rate(self) -> float | None:
        if len(self._points) < 2:
            return None
        (t0, r0), (t1, r1) = self._points[0], self._points[-1]
        if t1 <= t0:
            return None
        return (r1 - r0) / (t1 - t0)
