"""When the sync engine does what: the head refresh, the watched project's head, the next page
of a sweep, a new sweep, or a wait (after a failure, or until the next of them is due).

:class:`Schedule` holds the engine's due times, in the engine's monotonic seconds, and the rules
that move them (engine.py's docstring tells them in prose):

- the head is due at once after a (re)load or a :meth:`~Schedule.wake`, then every
  ``refresh_seconds`` after the last one was written (``0``: only when woken);
- the watched project's head is due right after each head refresh, and when a new project is
  watched;
- a new sweep is due at once while none has completed, ``resync_minutes`` after the last one
  ended (``0``: never), or sooner when the head shows the index newly *behind* the API's
  counts: :meth:`~Schedule.behind` brings it to ``catch_up_after`` after the last sweep ended;
- after a failure nothing is asked before the backoff's retry time (``inf``: until woken).

The engine tells it what happened and asks it :meth:`~Schedule.next_step`. No I/O, no asyncio,
no clock of its own (every call takes ``now``), so it is tested on its own (tests/sync).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Literal, Protocol

__all__ = ["Intervals", "Schedule", "Step"]

#: What is due: ``retry`` (waiting out a failure), ``head``, ``watched`` (the watched project's
#: head), ``page`` (the sweep's next page), ``sweep`` (start a new one) or ``idle``.
Step = Literal["retry", "head", "watched", "page", "sweep", "idle"]


class Intervals(Protocol):
    """The settings the schedule follows (the engine's ``SyncSettings``)."""

    @property
    def refresh_seconds(self) -> float: ...

    @property
    def resync_minutes(self) -> float: ...

    @property
    def catch_up_after(self) -> float: ...


class Schedule:
    """The sync engine's due times (see the module docstring). ``intervals()`` gives the
    settings in effect, read at every decision (the console changes ``refresh_seconds``)."""

    def __init__(self, intervals: Callable[[], Intervals]) -> None:
        self._intervals = intervals
        self.head_due = -math.inf
        self.watched_due = math.inf
        self.sweep_due = -math.inf
        self.retry_at = -math.inf
        #: How far behind the API's counts the index still was as the last sweep ended: a
        #: disagreement no walk removes (rows the API counts but never lists) is not walked
        #: for again and again, only one that grew since (see :meth:`behind`).
        self.behind_after_sweep = 0

    def next_step(self, now: float, *, sweeping: bool, watching: bool) -> Step:
        """What is due at ``now`` (``sweeping``: a sweep is under way; ``watching``: a
        project is watched)."""
        if now < self.retry_at:
            return "retry"
        if now >= self.head_due:
            return "head"
        if watching and now >= self.watched_due:
            return "watched"
        if sweeping:
            return "page"
        if now >= self.sweep_due:
            return "sweep"
        return "idle"

    def wait(self, now: float, *, watching: bool) -> float:
        """Seconds from ``now`` until the next thing is due (``inf``: until woken)."""
        if now < self.retry_at:
            return self.retry_at - now
        watched = self.watched_due if watching else math.inf
        return min(self.head_due, self.sweep_due, watched) - now

    def head_is_due(self, now: float) -> bool:
        return now >= self.head_due

    def retry_in(self, now: float) -> float | None:
        """Seconds until the retry after a failure, if one is set and finite."""
        left = self.retry_at - now
        return left if math.isfinite(self.retry_at) else None

    # -- what happened --------------------------------------------------------------------

    def loaded(
        self, now: float, *, sweeping: bool, complete: bool, swept_ago: float | None
    ) -> None:
        """The scope's bookkeeping was read: its head at once; a sweep under way goes on; one
        that never completed starts at once; otherwise the next is ``resync_minutes`` after
        the last one (``swept_ago`` seconds ago)."""
        self.head_due = now
        if sweeping:
            self.sweep_due = math.inf
        elif not complete or swept_ago is None:
            self.sweep_due = now
        else:
            self.sweep_due = self._resweep(now, swept_ago)

    def woken(self) -> None:
        """Try now: the head at once, and no more waiting out a failure."""
        self.retry_at = -math.inf
        self.head_due = -math.inf

    def refresh_changed(self, now: float, seconds: float) -> None:
        """``refresh_seconds`` is now ``seconds``: a shorter interval takes effect at once;
        ``0`` stops the refreshes to come (one already due, by a wake or a start, still runs)."""
        if seconds <= 0:
            if math.isfinite(self.head_due) and self.head_due > now:
                self.head_due = math.inf
        else:
            self.head_due = min(self.head_due, now + seconds)

    def watch_changed(self) -> None:
        """A new project is watched: its head at the next step."""
        self.watched_due = -math.inf

    def watched_read(self) -> None:
        """The watched project's head was asked for: not again before the next head refresh."""
        self.watched_due = math.inf

    def head_done(self, now: float) -> None:
        """The head was written: the next in ``refresh_seconds``; the watched project's now."""
        refresh = self._intervals().refresh_seconds
        self.head_due = now + refresh if refresh > 0 else math.inf
        self.watched_due = -math.inf

    def answered(self) -> None:
        """A request was answered: no failure to wait out."""
        self.retry_at = -math.inf

    def failed(self, now: float, delay: float) -> None:
        """A request gave up: try again ``delay`` seconds from ``now`` (``inf``: when woken)."""
        self.retry_at = now + delay

    def sweep_started(self) -> None:
        self.sweep_due = math.inf

    def sweep_ended(self, now: float) -> None:
        """A sweep ended (complete, broken or given up): the next in ``resync_minutes``."""
        self.sweep_due = self._resweep(now, 0.0)

    def swept_behind(self, behind: int) -> None:
        """The index was still ``behind`` the API's counts as that sweep ended."""
        self.behind_after_sweep = behind

    def behind(self, now: float, behind: int, *, sweeping: bool, swept_ago: float | None) -> None:
        """A head refresh found the index ``behind`` the API's counts: walk the scope again
        ``catch_up_after`` after the last walk (``swept_ago`` seconds ago), not
        ``resync_minutes`` after it (never, if those are 0). Only for a disagreement that grew
        since the last walk ended, and not while one is under way."""
        intervals = self._intervals()
        if behind <= self.behind_after_sweep or sweeping:
            return
        if intervals.resync_minutes <= 0 or swept_ago is None:
            return
        due = now + max(intervals.catch_up_after - swept_ago, 0.0)
        self.sweep_due = min(self.sweep_due, due)

    def _resweep(self, now: float, ago: float) -> float:
        minutes = self._intervals().resync_minutes
        if minutes <= 0:
            return math.inf
        return now + max(minutes * 60.0 - ago, 0.0)
