""":class:`ShowTiming` alone (no app): what is drawn and asked for, and when, with a clock
and timers the test moves by hand. The Pilot tests beside it check the same over real HTTP."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from artistree_tui.api.models import Order
from artistree_tui.ui.detail import timing
from artistree_tui.ui.detail.timing import FIRST_DRAW_WAIT, REST, ShowTiming


class Timer:
    def __init__(self, timers: Timers, at: float, callback: Callable[[], object]) -> None:
        self.timers, self.at, self.callback = timers, at, callback

    def stop(self) -> None:  # a fired timer may be stopped too, as Textual's may
        if self in self.timers.pending:
            self.timers.pending.remove(self)


class Timers:
    """Timers fired by hand as the test moves the clock."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.pending: list[Timer] = []

    def set_timer(self, seconds: float, callback: Callable[[], object]) -> Timer:
        timer = Timer(self, self.now + seconds, callback)
        self.pending.append(timer)
        return timer

    def advance(self, seconds: float) -> None:
        self.now += seconds
        for timer in sorted(self.pending, key=lambda t: t.at):
            if timer.at <= self.now and timer in self.pending:
                self.pending.remove(timer)
                timer.callback()


class Pane:
    """What the timing drives: records draws and fetches."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.timers = Timers()
        monkeypatch.setattr(timing, "monotonic", lambda: self.timers.now)
        self.draws: list[tuple[str, bool]] = []
        self.fetches: list[str] = []
        self.cache: dict[str, Order] = {}
        self.shown: str | None = None  # the order the pane shows (draws may be cleared)
        self.timing = ShowTiming(
            draw=self.draw,
            fetch=self.fetches.append,
            cached=self.cache.get,
            drawn=lambda: self.shown is not None,
            set_timer=self.timers.set_timer,
            debounce=0.12,
        )

    def at_rest_on_the_first(self) -> None:
        """The first order shown and fetched, the cursor at rest since; what was recorded
        is forgotten."""
        self.timing.show(order(1))
        self.timers.advance(1.0)
        self.draws.clear()
        self.fetches.clear()

    def draw(self, order: Order, complete: bool) -> None:
        self.draws.append((order.order_id, complete))
        self.shown = order.order_id


def order(n: int) -> Order:
    return Order(order_id=f"00000000-0000-4000-8000-{n:012d}")


def test_the_first_order_is_drawn_from_the_lists_copy_at_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    pane = Pane(monkeypatch)
    first = order(1)
    assert pane.timing.show(first)
    assert pane.draws == [(first.order_id, False)] and pane.fetches == []
    pane.timers.advance(0.2)
    assert pane.fetches == [first.order_id]


def test_at_rest_the_full_order_is_drawn_alone_when_it_comes_in_time(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    pane = Pane(monkeypatch)
    pane.at_rest_on_the_first()
    second = order(2)
    assert pane.timing.show(second)
    assert pane.fetches[-1] == second.order_id and pane.draws == []  # asked at once
    assert pane.timing.loaded(second)
    assert pane.draws == [(second.order_id, True)]
    pane.timers.advance(1.0)
    assert pane.draws == [(second.order_id, True)]  # nothing more


def test_at_rest_a_late_full_order_comes_over_the_lists_copy(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    pane = Pane(monkeypatch)
    pane.at_rest_on_the_first()
    second = order(2)
    pane.timing.show(second)
    pane.timers.advance(FIRST_DRAW_WAIT)
    assert pane.draws == [(second.order_id, False)]
    assert not pane.timing.loaded(second)  # not awaited any more: the pane draws it itself


def test_a_burst_draws_and_asks_only_where_the_cursor_rests(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    pane = Pane(monkeypatch)
    pane.at_rest_on_the_first()
    burst = [order(n) for n in range(2, 8)]
    at_rest = []
    for shown in burst:
        at_rest.append(pane.timing.show(shown))
        pane.timers.advance(REST / 4)
    assert at_rest == [True] + [False] * 5
    assert pane.timing.pending
    pane.timers.advance(REST)
    last = burst[-1].order_id
    assert pane.draws == [(last, False)]  # the list's copy at once after a burst
    pane.timers.advance(0.2)
    assert pane.fetches == [burst[0].order_id, last]  # the first press was made at rest
    assert not pane.timing.pending


def test_a_failed_fetch_draws_the_lists_copy_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    pane = Pane(monkeypatch)
    pane.at_rest_on_the_first()
    second = order(2)
    pane.timing.show(second)
    pane.timing.failed(second.order_id)
    assert pane.draws[-1] == (second.order_id, False) and not pane.timing.pending


def test_a_cached_full_order_is_drawn_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    pane = Pane(monkeypatch)
    pane.at_rest_on_the_first()
    second = order(2)
    pane.cache[second.order_id] = second
    pane.fetches.clear()
    pane.timing.show(second)
    assert pane.draws[-1] == (second.order_id, True) and pane.fetches == []


def test_a_cached_order_at_rest_may_be_held_for_the_callers_draw(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The screen paints the picture of an order fetched ahead first, and has the pane draw it
    # after that frame: full_at_once says whether show() would draw it at once; hold() keeps
    # it pending (y and c act on the list's order) until that show().
    pane = Pane(monkeypatch)
    pane.at_rest_on_the_first()
    second, third = order(2), order(3)
    pane.cache[second.order_id] = second
    assert pane.timing.full_at_once(third.order_id) is None  # not cached
    assert pane.timing.full_at_once(second.order_id) is second
    pane.timing.hold(second)
    assert pane.timing.pending and pane.draws == []
    pane.timing.show(second)
    assert pane.draws == [(second.order_id, True)] and not pane.timing.pending
    # Right after a show, the cursor is moving: nothing is drawn at once.
    pane.cache[third.order_id] = third
    assert pane.timing.full_at_once(third.order_id) is None
    pane.timers.advance(REST)
    assert pane.timing.full_at_once(third.order_id) is third
