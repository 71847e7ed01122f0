"""Retry policy, ``Retry-After`` parsing, the bounded retry loop and the circuit breaker shared
by client and auth.

The policy is *full-jitter exponential backoff*: before try ``n + 1`` the client sleeps a uniform
random time in ``[0, min(max_delay, base_delay * 2 ** (n - 1))]``. Jitter spreads out many
consoles that lost the API at the same moment, so they do not come back in lock-step. When the
server says how long to wait (``Retry-After``, seconds or an HTTP date) that wins over the
backoff, clamped to ``[0, retry_after_cap]`` (60 s) so a hostile or buggy header cannot park the
console for a day.

``max_attempts`` counts *tries*, the first one included: with the default 5 a request is sent at
most 5 times (4 waits) before the typed error is raised, and never waits more than
``retry_budget`` seconds in all (a wait that would go past it ends the request instead).
``sleep``, ``rng`` and ``clock`` are injectable so tests record the requested delays instead
of waiting.

:class:`CircuitBreaker` (one per server a client talks to) stops retry storms: once a request
has given up on retryable failures, the server is presumed down. From then on requests do not
each retry in a burst: **one probe at a time**, a single try, when the backoff schedule says
the next one is due (continuing the policy's exponential schedule from the failures so far,
with equal jitter, at most ``max_delay`` apart); every other request fails at once with the
last failure's error, without touching the network. The first answer closes the breaker.

Progress is reported through an optional callback receiving :class:`ClientEvent` values
("retrying", "ok", "failed"), which the UI turns into "retrying in 3 s (rate limited)" and an
online/offline indicator. A callback that raises is logged and otherwise ignored: a UI bug must
not break the API layer.
"""

from __future__ import annotations

import asyncio
import copy
import logging
import math
import random
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC
from typing import Literal, TypeVar

from artistree_tui.api.errors import (
    ApiError,
    ApiRateLimitedError,
    ApiServerError,
    ApiUnavailableError,
)

logger = logging.getLogger("artistree_tui.api")

T = TypeVar("T")

#: Statuses worth another try: rate limiting and the "gateway/upstream is unwell" family.
#: 500 is *not* here: it usually means a bug the same request will hit again.
RETRY_STATUSES = frozenset({429, 502, 503, 504})

EventKind = Literal["retrying", "ok", "failed"]


@dataclass(frozen=True, slots=True)
class ClientEvent:
    """What the API layer is doing, for the UI's status line.

    ``kind`` is "retrying" (``delay`` seconds until try number ``attempt``), "ok" (a request
    succeeded; ``attempt`` is the try that did) or "failed" (a request raised; ``attempt`` is
    the last try made). ``reason`` is "rate limited", "server error", "offline", or for
    "failed" the raised error's :attr:`ApiError.reason` ("authentication", "not found", ...).
    """

    kind: EventKind
    reason: str = ""
    delay: float | None = None
    attempt: int = 0


EventCallback = Callable[[ClientEvent], None]


def emit(on_event: EventCallback | None, event: ClientEvent) -> None:
    """Deliver ``event``; a failing callback is logged, never propagated."""
    if on_event is None:
        return
    try:
        on_event(event)
    except Exception as exc:
        # No traceback in logs (house rule); the type is enough to find the UI bug.
        logger.error(
            "the on_event callback failed for a %s event (%s)", event.kind, type(exc).__name__
        )


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """How often and how long to retry; see the module docstring for the exact formula."""

    max_attempts: int = 5
    base_delay: float = 0.5
    max_delay: float = 30.0
    retry_after_cap: float = 60.0
    #: The most one request waits between its tries, in all (seconds).
    retry_budget: float = 60.0
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep
    rng: Callable[[], float] = random.random
    clock: Callable[[], float] = time.monotonic

    def __post_init__(self) -> None:
        if self.max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")
        for name in ("base_delay", "max_delay", "retry_after_cap", "retry_budget"):
            value = getattr(self, name)
            if not (math.isfinite(value) and value >= 0):
                raise ValueError(f"{name} must be a finite number >= 0")

    def backoff(self, failures: int) -> float:
        """Full-jitter delay after the ``failures``-th failed try (1-based)."""
        exponent = min(max(failures, 1) - 1, 60)  # 2**60 * anything already exceeds any cap
        ceiling = min(self.max_delay, self.base_delay * (2.0**exponent))
        fraction = min(max(self.rng(), 0.0), 1.0)  # a misbehaving rng cannot escape the bounds
        return fraction * ceiling

    def delay(self, failures: int, retry_after: float | None = None) -> float:
        """The wait before the next try: ``Retry-After`` (clamped) if given, else the backoff."""
        if retry_after is not None and math.isfinite(retry_after):
            return min(max(retry_after, 0.0), self.retry_after_cap)
        return self.backoff(failures)

    def probe_delay(self, failures: int) -> float:
        """The wait before the circuit breaker's next probe after ``failures`` failed tries in
        a row: the backoff ceiling with equal jitter (half fixed: never a probe at once)."""
        exponent = min(max(failures, 1) - 1, 60)
        ceiling = min(self.max_delay, self.base_delay * (2.0**exponent))
        fraction = min(max(self.rng(), 0.0), 1.0)
        return ceiling / 2 + ceiling / 2 * fraction


def parse_retry_after(
    value: str | None, now: float | None = None, *, cap: float | None = None
) -> float | None:
    """Seconds to wait from a ``Retry-After`` value, or None if it is absent or unreadable.

    ``value`` is delay-seconds (``"120"``; decimals tolerated) or an HTTP date
    (``"Wed, 21 Oct 2015 07:28:00 GMT"``). ``now`` is the Unix time the date is measured
    from (the response's ``Date`` header is best: it cancels out a skewed local clock);
    default ``time.time()``. The result is never negative; with ``cap`` it is at most ``cap``.
    """
    if value is None:
        return None
    text = value.strip()
    if not text or len(text) > 64:
        return None
    seconds: float | None
    try:
        seconds = float(text)
    except ValueError:
        seconds = None
    if seconds is None:
        from email.utils import parsedate_to_datetime  # rarely needed: not at every start

        try:
            when = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError, OverflowError):
            return None
        if when.tzinfo is None:  # RFC 9110 dates are GMT; a naive one is read as UTC
            when = when.replace(tzinfo=UTC)
        try:
            seconds = when.timestamp() - (time.time() if now is None else now)
        except (OverflowError, OSError, ValueError):
            return None
    if not math.isfinite(seconds):
        return None
    seconds = max(seconds, 0.0)
    return min(seconds, cap) if cap is not None else seconds


class RetryableFailure(Exception):
    """Raised by one try to ask for another; carries the error to raise when none is left.

    ``reason`` is the status-line word ("rate limited", "server error", "offline");
    ``retry_after`` the server's requested wait in seconds, if it sent one.
    """

    def __init__(self, error: ApiError, *, retry_after: float | None = None) -> None:
        super().__init__(error.message)
        self.error = error
        self.retry_after = retry_after

    @property
    def reason(self) -> str:
        return self.error.reason


class CircuitBreaker:
    """Whether a server is presumed down, and who may probe it (see the module docstring).

    One per server (the API, the token server), shared by all the requests to it. Asyncio
    only: used from the event loop the client runs on.
    """

    def __init__(self, policy: RetryPolicy) -> None:
        self.policy = policy
        #: Retryable failures in a row (across requests); 0 when the last try was answered.
        self.failures = 0
        #: Whether requests are held back (a request gave up; nothing answered since).
        self.open = False
        #: Clock time of the next probe, while open.
        self.next_probe_at = float("-inf")
        self._probing = False
        self._last: RetryableFailure | None = None

    def admit(self) -> bool:
        """Before a try: False for a normal try, True when this try is the probe; raises the
        last failure's error when the try must not be made."""
        if not self.open:
            return False
        if self._probing or self.policy.clock() < self.next_probe_at:
            assert self._last is not None
            error = copy.copy(self._last.error)  # a fresh one: no traceback piling up
            error.__traceback__ = None
            raise error
        self._probing = True
        return True

    def answered(self, *, probe: bool) -> None:
        """The server answered (anything but a retryable failure): close."""
        if probe:
            self._probing = False
        self.open, self.failures, self._last = False, 0, None

    def failed(self, failure: RetryableFailure, *, probe: bool, gave_up: bool) -> None:
        """A retryable failure; ``gave_up``: its request has no try left (opens the breaker)."""
        self.failures += 1
        self._last = failure
        if probe:
            self._probing = False
        if probe or gave_up:
            self.open = True
            self.next_probe_at = self.policy.clock() + self.policy.probe_delay(self.failures)

    def probe_now(self) -> None:
        """The user asked to try now (the console's ``r``): the next try is the probe, without
        waiting for the schedule's turn. Still one probe at a time."""
        if self.open and not self._probing:
            self.next_probe_at = float("-inf")

    def released(self, *, probe: bool) -> None:
        """The try was cancelled: let another request probe."""
        if probe:
            self._probing = False

    @property
    def wait(self) -> float:
        """Seconds until the next probe may be made (0 when closed or due)."""
        return max(self.next_probe_at - self.policy.clock(), 0.0) if self.open else 0.0


async def call_with_retries(
    attempt: Callable[[], Awaitable[T]],
    policy: RetryPolicy,
    on_event: EventCallback | None = None,
    *,
    what: str = "request",
    breaker: CircuitBreaker | None = None,
) -> T:
    """Run ``attempt`` until it returns, raises an ApiError, or ``policy`` runs out of tries
    or of its retry budget.

    ``attempt`` raises :class:`RetryableFailure` for outcomes worth another try. Emits one
    "retrying" event before each wait and exactly one "ok" or "failed" event at the end. With
    a ``breaker`` that is open, only the probe it admits is tried (once); other requests fail
    at once with the last failure's error.
    """
    tries = 0
    waited = 0.0
    while True:
        try:
            probe = breaker.admit() if breaker is not None else False
        except ApiError as error:
            logger.info("%s: not tried, the server is presumed down", what)
            emit(on_event, ClientEvent("failed", error.reason, None, tries))
            raise
        tries += 1
        try:
            result = await attempt()
        except RetryableFailure as failure:
            delay = policy.delay(tries, failure.retry_after)
            last = probe or tries >= policy.max_attempts or waited + delay > policy.retry_budget
            if breaker is not None:
                breaker.failed(failure, probe=probe, gave_up=last)
            if last:
                logger.warning("%s: giving up after %d tries (%s)", what, tries, failure.reason)
                emit(on_event, ClientEvent("failed", failure.reason, None, tries))
                raise failure.error from None
            logger.info(
                "%s: %s, retrying in %.2f s (try %d of %d)",
                what,
                failure.reason,
                delay,
                tries + 1,
                policy.max_attempts,
            )
            emit(on_event, ClientEvent("retrying", failure.reason, delay, tries + 1))
            await policy.sleep(delay)
            waited += delay
            continue
        except ApiError as error:
            if breaker is not None:
                if isinstance(error, ApiUnavailableError):  # not an answer (a timeout, TLS)
                    breaker.released(probe=probe)
                else:
                    breaker.answered(probe=probe)
            emit(on_event, ClientEvent("failed", error.reason, None, tries))
            raise
        except BaseException:
            if breaker is not None:
                breaker.released(probe=probe)
            raise
        if breaker is not None:
            breaker.answered(probe=probe)
        emit(on_event, ClientEvent("ok", "", None, tries))
        return result


async def call_once(
    attempt: Callable[[], Awaitable[T]],
    *,
    what: str = "request",
    breaker: CircuitBreaker | None = None,
) -> T:
    """Run ``attempt`` once, for a request made ahead of need (a prefetch): no retry, no
    event, and the circuit breaker is neither moved nor probed. Nobody sees such a request
    fail, so it must not open the breaker for the requests people do see (they would then
    fail at once with tries they never saw). With the breaker open it is not sent at all."""
    if breaker is not None and breaker.open:
        raise ApiUnavailableError("not sent ahead of need: the server is presumed down")
    try:
        return await attempt()
    except RetryableFailure as failure:
        logger.info("%s: %s (ahead of need: not retried)", what, failure.reason)
        raise failure.error from None


def tries_text(count: int) -> str:
    """``"1 try"`` / ``"5 tries"`` for error messages."""
    return f"{count} try" if count == 1 else f"{count} tries"


def overload_failure(
    status: int, where: str, tries: str, wait: float | None, what: str = "requests"
) -> RetryableFailure | None:
    """The retryable failure for a 429 or a 502/503/504 answer, else None.

    One wording for the API and the token server, so a user reads the same advice wherever
    the service is overloaded; ``retry_after`` carries the server's ``Retry-After``.
    """
    if status == 429:
        limited = ApiRateLimitedError(
            f"{where} is rate limiting {what} (HTTP 429, still after {tries}): "
            "wait a minute and try again",
            retry_after=wait,
        )
        return RetryableFailure(limited, retry_after=wait)
    if status in (502, 503, 504):
        unavailable = ApiServerError(
            f"{where} is unavailable (HTTP {status}, still after {tries}): try again later",
            status=status,
        )
        return RetryableFailure(unavailable, retry_after=wait)
    return None
