"""The sync's schedule on its own: what is due when (the head, the watched project's head, the
sweep, a new sweep, the wait after a failure), in the engine's monotonic seconds. The engine's
tests run it against the demo API; these walk its rules one by one, at chosen times."""

from __future__ import annotations

import math
from dataclasses import dataclass

from artistree_tui.sync.schedule import Schedule


@dataclass
class Intervals:
    refresh_seconds: float = 30.0
    resync_minutes: float = 15.0
    catch_up_after: float = 120.0


def schedule(**intervals: float) -> tuple[Schedule, Intervals]:
    settings = Intervals(**intervals)
    return Schedule(lambda: settings), settings


def test_a_start_refreshes_the_head_then_sweeps_an_index_never_swept_whole() -> None:
    due, _ = schedule()
    due.loaded(100.0, sweeping=False, complete=False, swept_ago=None)
    assert due.next_step(100.0, sweeping=False, watching=False) == "head"
    due.head_done(100.5)
    assert due.next_step(100.5, sweeping=False, watching=False) == "sweep"
    due.sweep_started()
    assert due.next_step(100.6, sweeping=True, watching=False) == "page"
    assert due.next_step(130.5, sweeping=True, watching=False) == "head"  # between pages


def test_a_sweep_under_way_goes_on_after_a_restart() -> None:
    due, _ = schedule()
    due.loaded(5.0, sweeping=True, complete=True, swept_ago=10.0)
    due.head_done(5.0)
    assert due.next_step(5.1, sweeping=True, watching=False) == "page"
    assert due.sweep_due == math.inf


def test_the_head_is_refreshed_every_refresh_seconds_or_only_when_woken() -> None:
    due, settings = schedule(refresh_seconds=30.0)
    due.loaded(0.0, sweeping=False, complete=True, swept_ago=0.0)
    due.head_done(1.0)
    assert due.next_step(30.9, sweeping=False, watching=False) == "idle"
    assert math.isclose(due.wait(30.9, watching=False), 0.1)
    assert due.next_step(31.0, sweeping=False, watching=False) == "head"
    settings.refresh_seconds = 0.0
    due.head_done(31.0)
    assert due.next_step(800.0, sweeping=False, watching=False) == "idle"
    due.woken()  # the r key
    assert due.next_step(800.0, sweeping=False, watching=False) == "head"


def test_a_shorter_refresh_takes_effect_at_once_and_off_keeps_one_already_due() -> None:
    due, _ = schedule(refresh_seconds=300.0)
    due.loaded(0.0, sweeping=False, complete=True, swept_ago=0.0)
    due.head_done(0.0)
    due.refresh_changed(10.0, 5.0)
    assert due.head_due == 15.0
    due.refresh_changed(12.0, 0.0)  # auto-refresh off: no more refreshes to come
    assert due.head_due == math.inf
    due.woken()
    due.refresh_changed(13.0, 0.0)  # but the one the r key asked for still runs
    assert due.next_step(13.0, sweeping=False, watching=False) == "head"


def test_the_watched_project_s_head_comes_right_after_each_head_refresh() -> None:
    due, _ = schedule()
    due.loaded(0.0, sweeping=False, complete=True, swept_ago=0.0)
    due.head_done(0.0)
    assert due.next_step(0.1, sweeping=False, watching=True) == "watched"
    assert due.next_step(0.1, sweeping=False, watching=False) == "idle"  # nothing watched
    due.watched_read()
    assert due.next_step(0.2, sweeping=False, watching=True) == "idle"
    due.watch_changed()  # another project opened: its head at once
    assert due.next_step(0.3, sweeping=False, watching=True) == "watched"
    assert due.wait(0.3, watching=True) < 0  # a wait computed now does not sleep


def test_after_a_failure_nothing_is_asked_until_the_retry_time_or_a_wake() -> None:
    due, _ = schedule()
    due.loaded(0.0, sweeping=True, complete=False, swept_ago=None)
    due.failed(1.0, 4.0)
    assert due.next_step(4.9, sweeping=True, watching=True) == "retry"
    assert math.isclose(due.wait(4.9, watching=True), 0.1)
    assert due.retry_in(2.0) == 3.0
    assert due.next_step(5.0, sweeping=True, watching=False) == "head"
    due.failed(6.0, math.inf)  # bad credentials: until woken
    assert due.retry_in(6.0) is None
    assert due.next_step(1e9, sweeping=True, watching=False) == "retry"
    due.woken()
    assert due.next_step(1e9, sweeping=True, watching=False) == "head"
    due.failed(7.0, 3.0)
    due.answered()
    assert due.retry_in(7.0) is None


def test_a_new_sweep_comes_resync_minutes_after_the_last_ended_or_never() -> None:
    due, settings = schedule(resync_minutes=15.0)
    due.sweep_ended(100.0)
    assert due.sweep_due == 100.0 + 900.0
    due.loaded(200.0, sweeping=False, complete=True, swept_ago=600.0)  # a restart
    assert due.sweep_due == 200.0 + 300.0
    due.loaded(200.0, sweeping=False, complete=True, swept_ago=5_000.0)
    assert due.sweep_due == 200.0  # overdue: at once
    settings.resync_minutes = 0.0
    due.sweep_ended(300.0)
    assert due.sweep_due == math.inf
    due.loaded(400.0, sweeping=False, complete=True, swept_ago=5_000.0)
    assert due.sweep_due == math.inf
    due.loaded(400.0, sweeping=False, complete=False, swept_ago=5_000.0)
    assert due.sweep_due == 400.0  # never complete: whatever resync_minutes says


def test_an_index_behind_the_api_is_walked_again_soon_once_per_new_disagreement() -> None:
    due, settings = schedule(resync_minutes=15.0, catch_up_after=120.0)
    due.sweep_ended(1000.0)
    due.swept_behind(2)  # two rows the API counts but never lists
    due.behind(1030.0, 2, sweeping=False, swept_ago=30.0)
    assert due.sweep_due == 1900.0  # the same disagreement: no walk for it
    due.behind(1030.0, 5, sweeping=True, swept_ago=30.0)
    assert due.sweep_due == 1900.0  # a walk is under way
    due.behind(1030.0, 5, sweeping=False, swept_ago=30.0)
    assert due.sweep_due == 1120.0  # 120 s after the last walk ended
    due.behind(1300.0, 5, sweeping=False, swept_ago=300.0)
    assert due.sweep_due == 1120.0  # never later than already due
    due.sweep_ended(1200.0)
    due.behind(1300.0, 6, sweeping=False, swept_ago=None)
    assert due.sweep_due == 2100.0  # no walk on record: nothing to count from
    settings.resync_minutes = 0.0
    due.behind(1300.0, 9, sweeping=False, swept_ago=100.0)
    assert due.sweep_due == 2100.0  # re-sweeps are off
