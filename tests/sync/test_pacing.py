"""The sync's pacing: at most ``sync_rate`` requests per second, a capped backoff after a
request gave up, and the server's Retry-After honoured (up to 60 s)."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Callable

import pytest

from artistree_tui.demo import DemoServer, FaultConfig
from artistree_tui.sync import Backoff, RateLimit

from .conftest import Run


class FakeTime:
    def __init__(self) -> None:
        self.now = 100.0
        self.slept: list[float] = []

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


async def test_requests_are_spaced_by_the_rate() -> None:
    fake = FakeTime()
    limit = RateLimit(4.0, clock=fake.clock, sleep=fake.sleep)
    starts = []
    for _ in range(9):
        await limit.wait()
        starts.append(fake.now)
        fake.now += 0.05  # each request takes 50 ms
    gaps = [b - a for a, b in itertools.pairwise(starts)]
    assert gaps == pytest.approx([0.25] * 8)
    fake.now += 10  # idle for a while: no burst of catch-up requests afterwards
    await limit.wait()
    await limit.wait()
    assert fake.slept[-1] == pytest.approx(0.25)


async def test_concurrent_callers_take_separate_slots() -> None:
    fake = FakeTime()
    limit = RateLimit(2.0, clock=fake.clock, sleep=fake.sleep)
    started: list[float] = []

    async def request() -> None:
        await limit.wait()
        started.append(fake.now)

    await asyncio.gather(request(), request(), request())  # e.g. the head and a read-ahead
    assert sorted(started) == pytest.approx([100.0, 100.5, 101.0])


async def test_no_rate_means_no_wait() -> None:
    fake = FakeTime()
    for rate in (0.0, float("inf")):
        limit = RateLimit(rate, clock=fake.clock, sleep=fake.sleep)
        for _ in range(5):
            await limit.wait()
    assert fake.slept == []


def test_the_backoff_doubles_up_to_its_cap_and_resets() -> None:
    top = Backoff(2.0, 60.0, rng=lambda: 1.0)
    assert [top.next_delay() for _ in range(8)] == [2, 4, 8, 16, 32, 60, 60, 60]
    bottom = Backoff(2.0, 60.0, rng=lambda: 0.0)
    assert [bottom.next_delay() for _ in range(3)] == [1, 2, 4]  # half of it is jitter
    top.reset()
    assert top.next_delay() == 2


def test_retry_after_is_honoured_up_to_a_minute() -> None:
    backoff = Backoff(2.0, 30.0, rng=lambda: 0.0)
    assert backoff.next_delay(at_least=45.0) == 45.0  # longer than the backoff's own cap
    assert backoff.next_delay(at_least=999_999.0) == 60.0
    assert backoff.next_delay(at_least=-5.0) == 4.0


async def test_the_engine_waits_out_the_servers_retry_after(
    make_demo: Callable[..., DemoServer], syncing: Callable[..., Run]
) -> None:
    server = make_demo(orders=6000, seed=1, new_order_every=0, faults=FaultConfig())
    run = syncing(server, backoff_base=0.01, backoff_cap=0.02)

    def limit() -> None:
        server.faults.retry_after = "1"
        server.faults.rate_429 = 1.0

    run.at_page(1, limit).start()
    limited = await run.until(lambda p: p.phase == "offline")
    assert limited.error is not None and "rate limiting" in limited.error
    assert limited.retry_in is not None and limited.retry_in > 0.5  # not the 20 ms backoff
    server.faults.rate_429 = 0.0
    done = await run.until(lambda p: p.last_sweep == "complete")
    assert done.indexed == 6000
    times = [r.time for r in server.recorded() if r.path == "/v1/orders"]
    statuses = [r.status for r in server.recorded() if r.path == "/v1/orders"]
    last_429 = max(i for i, s in enumerate(statuses) if s == 429)
    assert times[last_429 + 1] - times[last_429] >= 0.9  # waited at least Retry-After
