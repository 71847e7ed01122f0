"""Unit tests of the live refresh's small parts: the connection state fed by client events,
the reconnection backoff, the status line's words, the marks, and the event relay's hop onto
the UI loop from another thread."""

from __future__ import annotations

import asyncio
import threading
from datetime import datetime
from typing import Any

from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip

from artistree_tui.api.models import Order
from artistree_tui.api.retry import ClientEvent
from artistree_tui.ui.live.connection import (
    ClientEventRelay,
    ConnectionState,
    Link,
    recovery_delay,
)
from artistree_tui.ui.live.status_line import StatusInfo, connection_text, status_text
from artistree_tui.ui.orders.marks import CHANGED, NEW, LiveMarks, marked_strip
from artistree_tui.ui.orders.merge import MergeResult

NOW = datetime(2026, 3, 2, 14, 2, 31).astimezone()


def feed(state: ConnectionState, *events: ClientEvent, mono: float = 100.0) -> list[Link | None]:
    return [state.observe(event, mono=mono, now=NOW) for event in events]


def test_retrying_then_ok_is_online_again() -> None:
    state = ConnectionState()
    assert feed(state, ClientEvent("retrying", "rate limited", 3.0, 2)) == [Link.RETRYING]
    assert state.retry_at == 103.0 and state.reason == "rate limited"
    assert feed(state, ClientEvent("ok")) == [Link.ONLINE]
    assert state.since is None and state.retry_at is None


def test_giving_up_is_offline_since_the_first_failure() -> None:
    state = ConnectionState()
    feed(state, ClientEvent("failed", "offline", None, 5))
    assert state.link is Link.OFFLINE and state.since == NOW and state.down
    later = datetime(2026, 3, 2, 15, 0).astimezone()
    state.observe(ClientEvent("failed", "server error"), mono=200.0, now=later)
    assert state.since == NOW and state.reason == "server error"  # the outage goes on
    # A retry while offline keeps "offline since" and shows when the next try is.
    assert feed(state, ClientEvent("retrying", "offline", 2.0, 2)) == [None]
    assert state.link is Link.OFFLINE and state.retry_at == 102.0


def test_rejected_credentials_are_not_undone_by_a_retry() -> None:
    state = ConnectionState()
    assert feed(state, ClientEvent("failed", "configuration")) == [Link.REJECTED]
    assert feed(state, ClientEvent("retrying", "server error", 1.0, 2)) == [None]
    assert feed(state, ClientEvent("failed", "authentication")) == [None]  # no second message
    assert state.link is Link.REJECTED
    assert feed(state, ClientEvent("ok")) == [Link.ONLINE]


def test_a_refused_request_proves_the_server_is_reachable() -> None:
    state = ConnectionState()
    assert feed(state, ClientEvent("failed", "not found")) == [Link.ONLINE]
    feed(state, ClientEvent("failed", "offline"))
    assert feed(state, ClientEvent("failed", "malformed response")) == [None]  # still down


def test_recovery_backoff_doubles_with_jitter_and_caps() -> None:
    low = [recovery_delay(n, base=2.0, rng=lambda: 0.0) for n in range(1, 9)]
    high = [recovery_delay(n, base=2.0, rng=lambda: 1.0) for n in range(1, 9)]
    assert low == [1.0, 2.0, 4.0, 8.0, 16.0, 30.0, 30.0, 30.0]
    assert high == [2.0, 4.0, 8.0, 16.0, 32.0, 60.0, 60.0, 60.0]
    assert recovery_delay(10_000, base=2.0, rng=lambda: 5.0) == 60.0  # a bad rng is clamped


def test_status_words_for_each_state() -> None:
    info = StatusInfo(auto=True, interval=30.0, last_refresh=NOW)
    info.connection.observe(ClientEvent("ok"), mono=0, now=NOW)
    assert status_text(info, 0).plain == "● online · refreshed 14:02:31 · auto-refresh every 30 s"
    info.connection.observe(ClientEvent("retrying", "rate limited", 3.0, 2), mono=10, now=NOW)
    assert connection_text(info, 10).plain == "↻ retrying in 3 s (rate limited)"
    assert connection_text(info, 14).plain == "↻ retrying now (rate limited)"
    info.connection.observe(ClientEvent("failed", "server error"), mono=20, now=NOW)
    info.next_probe, info.stale, info.auto = 60.0, True, False
    line = status_text(info, 20).plain
    assert line.startswith("✗ offline since 14:02 (server error) · next try in 40 s")
    assert "⚠ stale data" in line and "auto-refresh off" in line
    info.connection.observe(ClientEvent("failed", "configuration"), mono=30, now=NOW)
    assert "credentials rejected since 14:02" in connection_text(info, 30).plain


def test_status_shows_marks_and_long_intervals() -> None:
    info = StatusInfo(auto=True, interval=120.0, new=3, changed=1)
    line = status_text(info, 0).plain
    assert "auto-refresh every 2 min" in line and "+3 new  *1 changed" in line
    assert "not refreshed yet" in line


def result(
    new: tuple[str, ...] = (), changed: tuple[str, ...] = (), removed: set[str] | None = None
) -> MergeResult:
    return MergeResult(
        new=tuple(Order(order_id=i) for i in new),
        changed=tuple(Order(order_id=i) for i in changed),
        removed=frozenset(removed or ()),
    )


def test_marks_until_seen_and_new_stays_new() -> None:
    marks = LiveMarks()
    assert marks.apply(result(new=("a", "b"), changed=("c",)), highlighted="x")
    assert (marks.get("a"), marks.get("c"), marks.get("x")) == (NEW, CHANGED, "")
    marks.apply(result(changed=("a",)), highlighted="x")
    assert marks.get("a") == NEW and marks.counts() == (2, 1)
    assert marks.seen("a") and marks.get("a") == ""
    assert not marks.seen("zzz")
    marks.apply(result(removed={"b"}), highlighted=None)
    assert marks.get("b") == "" and len(marks) == 1


def test_a_mark_under_the_cursor_goes_when_the_cursor_leaves() -> None:
    marks = LiveMarks()
    marks.apply(result(changed=("here",)), highlighted="here")
    assert marks.get("here") == CHANGED
    assert marks.seen("elsewhere") and marks.get("here") == ""


def test_marks_are_bounded() -> None:
    marks = LiveMarks(limit=10)
    marks.apply(result(new=tuple(f"o{i}" for i in range(25))), highlighted=None)
    assert len(marks) == 10 and marks.get("o24") == NEW and marks.get("o0") == ""


def test_marked_strip_puts_the_mark_in_the_second_gutter_cell() -> None:
    base = Style(bgcolor="blue")
    strip = Strip([Segment("› ", base), Segment("Title", base)])
    marked = marked_strip(strip, "+")
    assert "".join(s.text for s in marked) == "›+Title"
    assert marked.cell_length == strip.cell_length
    assert all(s.style is not None and s.style.bgcolor == base.bgcolor for s in marked)
    assert marked_strip(strip, "") is strip


async def test_relay_delivers_events_from_another_thread_on_the_loop() -> None:
    received: list[tuple[Any, int]] = []
    loop_thread = threading.get_ident()

    class Target:
        def post_message(self, message: Any) -> bool:
            received.append((message, threading.get_ident()))
            return True

    relay = ClientEventRelay()
    relay(ClientEvent("retrying", "offline", 1.0, 2))  # before bind: kept
    relay.bind(Target(), lambda event: ("msg", event.kind))
    thread = threading.Thread(target=relay, args=(ClientEvent("ok"),))
    thread.start()
    thread.join()
    for _ in range(500):
        if len(received) == 2:
            break
        await asyncio.sleep(0.01)
    assert [m for m, _ in received] == [("msg", "retrying"), ("msg", "ok")]
    assert all(ident == loop_thread for _, ident in received)
    relay.unbind()
    relay(ClientEvent("ok"))  # unbound: kept for a later bind, not delivered
    assert len(received) == 2
