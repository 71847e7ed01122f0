"""The connection status the console shows, fed by the API client's :class:`ClientEvent`\\ s.

:class:`ConnectionState` (pure Python) turns the client's events into one of: *online*;
*retrying* (the client waits ``delay`` seconds before its next try, with the reason: rate
limited, server error, offline); *offline since HH:MM* (a request gave up after its retries);
*rejected* (the credentials stopped working: ``invalid_client``, a second 401); *answering with
errors* (the API answers, but with bodies that do not parse or refusals: until a request
succeeds, nothing on screen is current, whatever "online" would suggest). Events from
concurrent requests interleave; the latest one wins, except that an outage keeps the time it
started until a request succeeds.

:class:`ClientEventRelay` is the ``on_event`` callback handed to ``build_client``. The client
may call it from any thread (today: the UI loop; a token refresh in a worker thread
tomorrow), so it hands each event to the UI loop with ``call_soon_threadsafe`` as a message.

:func:`recovery_delay` is the backoff of the console's own reconnection attempts while offline
(the client's retries are per request; these re-read the list until it answers again).
"""

from __future__ import annotations

import asyncio
import contextlib
import random
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from typing import Any, Protocol

from artistree_tui.api.retry import ClientEvent

#: Reasons of a "failed" event that mean the API is out of reach (not: refused this request).
OUTAGE_REASONS = frozenset({"offline", "server error", "rate limited", "certificate"})
#: Reasons of a "failed" event that mean the API answers, but not with what was asked: a body
#: that does not parse, a request refused. (Not "not found": one order can be gone.)
ANSWER_ERRORS = frozenset({"malformed response", "request refused"})
#: Reasons of a "failed" event that mean the credentials no longer work.
CREDENTIAL_REASONS = frozenset({"configuration", "authentication"})
#: Upper bound of the wait between reconnection attempts, in seconds.
RECOVERY_CAP = 60.0


class Link(Enum):
    """Where the connection stands."""

    UNKNOWN = "unknown"  # nothing has been asked yet
    ONLINE = "online"
    ERRORS = "errors"  # it answers, but with answers the client cannot use
    RETRYING = "retrying"
    OFFLINE = "offline"
    REJECTED = "rejected"


@dataclass(slots=True)
class ConnectionState:
    """The latest word on the connection (see the module docstring).

    ``retry_at`` is a monotonic time (when the client tries again); ``since`` the local wall
    time the outage or rejection began (None while online).
    """

    link: Link = Link.UNKNOWN
    reason: str = ""
    retry_at: float | None = None
    since: datetime | None = None

    @property
    def healthy(self) -> bool:
        """Requests are answered (or nothing says otherwise)."""
        return self.link in (Link.ONLINE, Link.UNKNOWN)

    @property
    def down(self) -> bool:
        """The last request gave up: the data on screen may be stale."""
        return self.link in (Link.OFFLINE, Link.REJECTED)

    def observe(self, event: ClientEvent, *, mono: float, now: datetime) -> Link | None:
        """Take one event; returns the new link when it changed (else None)."""
        before = self.link
        if event.kind == "ok":
            self.link, self.reason, self.retry_at, self.since = Link.ONLINE, "", None, None
        elif event.kind == "retrying":
            if self.link is Link.REJECTED:
                return None  # a retry of another request does not undo a rejection
            self.reason = event.reason
            self.retry_at = mono + (event.delay or 0.0)
            if self.link is not Link.OFFLINE:
                self.link = Link.RETRYING
        elif event.reason in CREDENTIAL_REASONS:
            if self.link is not Link.REJECTED:
                self.since = now
            self.link, self.reason, self.retry_at = Link.REJECTED, event.reason, None
        elif event.reason in OUTAGE_REASONS:
            self.since = self.since or now  # an outage that goes on keeps its start
            self.link, self.reason, self.retry_at = Link.OFFLINE, event.reason, None
        elif event.reason in ANSWER_ERRORS:
            if self.down:  # an outage or a rejection says more; the next success ends it
                return None
            if self.link is not Link.ERRORS:
                self.since = now
            self.link, self.reason, self.retry_at = Link.ERRORS, event.reason, None
        else:
            # Refused, not found, malformed: the server answered, so it is reachable.
            if self.link in (Link.UNKNOWN, Link.RETRYING):
                self.link, self.reason, self.retry_at, self.since = Link.ONLINE, "", None, None
        return self.link if self.link is not before else None


def recovery_delay(
    failures: int,
    *,
    base: float,
    cap: float = RECOVERY_CAP,
    rng: Callable[[], float] = random.random,
) -> float:
    """Seconds before reconnection attempt ``failures + 1``: exponential from ``base``, capped
    at ``cap``, with "equal jitter" (half fixed, half random) so many consoles that lost the
    API together do not come back in lock-step, yet none retries at once."""
    ceiling = min(cap, base * 2.0 ** min(max(failures - 1, 0), 30))
    return ceiling / 2 + ceiling / 2 * min(max(rng(), 0.0), 1.0)


class _Target(Protocol):
    def post_message(self, message: Any) -> bool: ...


MessageFactory = Callable[[ClientEvent], object]


class ClientEventRelay:
    """The client's ``on_event``: forwards events to a bound node on its event loop.

    Events before :meth:`bind` (none in practice: nothing is fetched before the screen is
    mounted) are kept, a few, and delivered on bind.
    """

    def __init__(self) -> None:
        self._target: _Target | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._make: MessageFactory | None = None
        self._early: deque[ClientEvent] = deque(maxlen=8)

    def bind(self, target: _Target, make: MessageFactory) -> None:
        """Deliver events to ``target`` as ``make(event)``, on the running loop (call from it)."""
        self._loop = asyncio.get_running_loop()
        self._target, self._make = target, make
        while self._early:
            self(self._early.popleft())

    def unbind(self) -> None:
        self._target = self._make = self._loop = None

    def __call__(self, event: ClientEvent) -> None:
        target, make, loop = self._target, self._make, self._loop
        if target is None or make is None or loop is None:
            self._early.append(event)
            return
        # A closed loop means the console is gone: nobody to tell.
        with contextlib.suppress(RuntimeError):
            loop.call_soon_threadsafe(target.post_message, make(event))
