"""The connection state fed by the API client's events, the reconnection backoff, and the event
relay's hop onto the UI loop from another thread."""

from __future__ import annotations

import asyncio
import threading
from datetime import datetime
from typing import Any

from artistree_tui.api.retry import ClientEvent
from artistree_tui.ui.live.connection import (
    ClientEventRelay,
    ConnectionState,
    Link,
    recovery_delay,
)

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


def test_answers_that_do_not_parse_are_errors_not_online() -> None:
    """``--demo-faults malformed=1``: every answer arrives and none can be used. The server
    is reachable, but "online" would say all is well: it is answering with errors, until a
    request succeeds."""
    state = ConnectionState()
    assert feed(state, ClientEvent("failed", "malformed response")) == [Link.ERRORS]
    assert state.since == NOW and state.reason == "malformed response" and not state.down
    assert feed(state, ClientEvent("failed", "malformed response")) == [None]
    assert feed(state, ClientEvent("failed", "request refused")) == [None]
    assert feed(state, ClientEvent("ok")) == [Link.ONLINE]
    assert feed(state, ClientEvent("failed", "configuration")) == [Link.REJECTED]
    assert feed(state, ClientEvent("failed", "malformed response")) == [None]  # says more


def test_recovery_backoff_doubles_with_jitter_and_caps() -> None:
    low = [recovery_delay(n, base=2.0, rng=lambda: 0.0) for n in range(1, 9)]
    high = [recovery_delay(n, base=2.0, rng=lambda: 1.0) for n in range(1, 9)]
    assert low == [1.0, 2.0, 4.0, 8.0, 16.0, 30.0, 30.0, 30.0]
    assert high == [2.0, 4.0, 8.0, 16.0, 32.0, 60.0, 60.0, 60.0]
    assert recovery_delay(10_000, base=2.0, rng=lambda: 5.0) == 60.0  # a bad rng is clamped


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
