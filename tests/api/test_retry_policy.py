"""Unit tests of the retry policy: Retry-After parsing, backoff bounds, the bounded retry loop."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest

from artistree_tui.api.errors import ApiNotFoundError, ApiRateLimitedError, ApiServerError
from artistree_tui.api.retry import (
    ClientEvent,
    RetryableFailure,
    RetryPolicy,
    call_with_retries,
    parse_retry_after,
)
from tests.support.api import Recorder

NOW = datetime(2025, 3, 1, 12, 0, 0, tzinfo=UTC).timestamp()


def http_date(offset: float) -> str:
    return format_datetime(datetime.fromtimestamp(NOW + offset, tz=UTC), usegmt=True)


# -- parse_retry_after ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("0", 0.0),
        ("1", 1.0),
        ("  7 ", 7.0),
        ("2.5", 2.5),
        ("120", 120.0),
        ("-5", 0.0),  # negative: do not wait, never a negative sleep
    ],
)
def test_retry_after_seconds(value: str, expected: float) -> None:
    assert parse_retry_after(value, NOW) == expected


@pytest.mark.parametrize("offset", [0.0, 1.0, 30.0, 3600.0])
def test_retry_after_http_date_measured_from_now(offset: float) -> None:
    assert parse_retry_after(http_date(offset), NOW) == pytest.approx(offset)


def test_retry_after_date_in_the_past_is_zero() -> None:
    assert parse_retry_after(http_date(-90), NOW) == 0.0


def test_retry_after_obsolete_date_formats() -> None:
    when = datetime.fromtimestamp(NOW + 10, tz=UTC)
    rfc850 = when.strftime("%A, %d-%b-%y %H:%M:%S GMT")
    assert parse_retry_after(rfc850, NOW) == pytest.approx(10.0)


@pytest.mark.parametrize(
    "value",
    [None, "", "   ", "soon", "NaN", "nan", "inf", "-inf", "1e999", "Wed, 99 Foo 2015", "9" * 100],
)
def test_retry_after_unreadable_is_none(value: str | None) -> None:
    assert parse_retry_after(value, NOW) is None


def test_retry_after_cap() -> None:
    assert parse_retry_after("86400", NOW, cap=120.0) == 120.0
    assert parse_retry_after(http_date(86400), NOW, cap=120.0) == 120.0
    assert parse_retry_after("3", NOW, cap=120.0) == 3.0


# -- RetryPolicy ----------------------------------------------------------------------------


@pytest.mark.parametrize("seed", [0, 1, 2, 42, 1234])
def test_backoff_is_full_jitter_within_bounds(seed: int) -> None:
    policy = RetryPolicy(base_delay=0.5, max_delay=30.0, rng=random.Random(seed).random)
    for failures in range(1, 40):
        ceiling = min(30.0, 0.5 * 2 ** (failures - 1))
        delay = policy.backoff(failures)
        assert 0.0 <= delay <= ceiling


def test_backoff_uses_the_rng_fraction_of_the_ceiling() -> None:
    assert RetryPolicy(rng=lambda: 1.0).backoff(1) == 0.5
    assert RetryPolicy(rng=lambda: 1.0).backoff(3) == 2.0
    assert RetryPolicy(rng=lambda: 1.0).backoff(30) == 30.0  # max_delay caps the growth
    assert RetryPolicy(rng=lambda: 0.25).backoff(4) == 1.0
    assert RetryPolicy(rng=lambda: 0.0).backoff(4) == 0.0


def test_backoff_spreads_with_jitter() -> None:
    policy = RetryPolicy(rng=random.Random(3).random)
    delays = {round(policy.backoff(5), 6) for _ in range(20)}
    assert len(delays) > 10  # not lock-step


def test_backoff_survives_a_misbehaving_rng() -> None:
    assert RetryPolicy(rng=lambda: 7.0).backoff(2) == 1.0
    assert RetryPolicy(rng=lambda: -1.0).backoff(2) == 0.0


def test_delay_prefers_retry_after_and_clamps_it() -> None:
    policy = RetryPolicy(retry_after_cap=120.0, rng=lambda: 1.0)
    assert policy.delay(1, 3.0) == 3.0
    assert policy.delay(1, 0.0) == 0.0
    assert policy.delay(1, 9999.0) == 120.0
    assert policy.delay(1, -4.0) == 0.0
    assert policy.delay(2, None) == 1.0  # no header: the backoff
    assert policy.delay(2, float("nan")) == 1.0


@pytest.mark.parametrize(
    "kwargs",
    [
        {"max_attempts": 0},
        {"base_delay": -1.0},
        {"max_delay": float("inf")},
        {"retry_after_cap": float("nan")},
    ],
)
def test_policy_rejects_nonsense(kwargs: dict[str, float]) -> None:
    with pytest.raises(ValueError):
        RetryPolicy(**kwargs)  # type: ignore[arg-type]


# -- call_with_retries ----------------------------------------------------------------------


def _rate_limited(wait: float | None) -> RetryableFailure:
    return RetryableFailure(
        ApiRateLimitedError("still limited", retry_after=wait), retry_after=wait
    )


async def test_retries_until_success_and_reports_events() -> None:
    outcomes: list[object] = [_rate_limited(4.0), RetryableFailure(ApiServerError("503")), "done"]
    sleep = Recorder()
    events: list[ClientEvent] = []

    async def attempt() -> str:
        outcome = outcomes.pop(0)
        if isinstance(outcome, Exception):
            raise outcome
        assert isinstance(outcome, str)
        return outcome

    policy = RetryPolicy(sleep=sleep, rng=lambda: 0.5)
    assert await call_with_retries(attempt, policy, events.append) == "done"
    assert sleep.delays == [4.0, 0.5]  # Retry-After, then half of the 2nd backoff ceiling (1.0)
    assert events == [
        ClientEvent("retrying", "rate limited", 4.0, 2),
        ClientEvent("retrying", "server error", 0.5, 3),
        ClientEvent("ok", "", None, 3),
    ]


@pytest.mark.parametrize("max_attempts", [1, 3, 5])
async def test_gives_up_after_max_attempts_with_the_typed_error(max_attempts: int) -> None:
    sleep = Recorder()
    events: list[ClientEvent] = []
    tries = 0

    async def attempt() -> None:
        nonlocal tries
        tries += 1
        raise _rate_limited(None)

    policy = RetryPolicy(max_attempts=max_attempts, sleep=sleep, rng=lambda: 1.0)
    with pytest.raises(ApiRateLimitedError):
        await call_with_retries(attempt, policy, events.append)
    assert tries == max_attempts
    assert sleep.delays == [min(30.0, 0.5 * 2**i) for i in range(max_attempts - 1)]
    assert events[-1] == ClientEvent("failed", "rate limited", None, max_attempts)
    assert [e.kind for e in events[:-1]] == ["retrying"] * (max_attempts - 1)


async def test_non_retryable_errors_fail_at_once() -> None:
    sleep = Recorder()
    events: list[ClientEvent] = []

    async def attempt() -> None:
        raise ApiNotFoundError("gone", status=404)

    with pytest.raises(ApiNotFoundError):
        await call_with_retries(attempt, RetryPolicy(sleep=sleep), events.append)
    assert sleep.delays == []
    assert events == [ClientEvent("failed", "not found", None, 1)]


async def test_a_failing_event_callback_does_not_break_requests(
    caplog: pytest.LogCaptureFixture,
) -> None:
    def broken(_event: ClientEvent) -> None:
        raise RuntimeError("ui bug")

    async def attempt() -> int:
        return 7

    assert await call_with_retries(attempt, RetryPolicy(), broken) == 7
    assert "on_event callback failed" in caplog.text


def test_retry_after_date_uses_the_given_now_not_the_local_clock() -> None:
    later = NOW + timedelta(days=400).total_seconds()
    assert parse_retry_after(http_date(60), later) == 0.0
    assert parse_retry_after(http_date(60), NOW) == pytest.approx(60.0)
