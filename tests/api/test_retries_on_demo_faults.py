"""Retries against the demo server's injected faults: backoff, Retry-After, bounded tries and
the typed errors at the end. No real waiting: the client's sleep is a recorder."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import pytest

from artistree_tui.api.auth import StaticToken
from artistree_tui.api.client import ArtistreeClient, Timeouts
from artistree_tui.api.errors import (
    ApiRateLimitedError,
    ApiServerError,
    ApiUnavailableError,
)
from artistree_tui.api.models import ALL_PROJECTS
from artistree_tui.api.retry import ClientEvent, RetryPolicy
from artistree_tui.demo import DemoServer, FaultConfig
from tests.support.api import Recording, api_client, closed_port, statuses
from tests.support.demo import fetch_token

MakeDemo = Callable[..., DemoServer]


async def test_429_honours_retry_after_seconds(demo_server: DemoServer) -> None:
    rec = Recording()
    demo_server.faults.retry_after = "7"
    demo_server.faults.script.extend(["429", "429"])
    async with api_client(demo_server, rec) as client:
        page = await client.list_orders(ALL_PROJECTS, limit=2)
    assert page.row_count == 2
    assert rec.sleep.delays == [7.0, 7.0]
    assert statuses(demo_server) == [429, 429, 200]
    assert rec.events == [
        ClientEvent("ok", "", None, 1),  # the token request
        ClientEvent("retrying", "rate limited", 7.0, 2),
        ClientEvent("retrying", "rate limited", 7.0, 3),
        ClientEvent("ok", "", None, 3),
    ]


async def test_429_honours_an_http_date_retry_after(demo_server: DemoServer) -> None:
    rec = Recording()
    demo_server.faults.script.append("429-date")  # a date one second ahead of the Date header
    async with api_client(demo_server, rec) as client:
        await client.list_orders(ALL_PROJECTS, limit=1)
    # Both headers have 1 s resolution: 1.0, or 0.0 if a second boundary fell in between.
    # The backoff (rng=1.0) would have been 0.5, so either value proves the date was used.
    assert rec.sleep.delays in ([1.0], [0.0])


async def test_retry_after_is_clamped_to_the_cap(demo_server: DemoServer) -> None:
    rec = Recording()
    demo_server.faults.retry_after = "86400"
    demo_server.faults.script.append("429")
    async with api_client(demo_server, rec, policy={"retry_after_cap": 9.0}) as client:
        await client.list_orders(ALL_PROJECTS, limit=1)
    assert rec.sleep.delays == [9.0]


@pytest.mark.parametrize(
    ("entries", "reasons"),
    [
        (["429-no-retry-after"] * 3, ["rate limited"] * 3),
        (["502", "503", "504"], ["server error"] * 3),
        (["drop", "drop", "503"], ["offline", "offline", "server error"]),
    ],
)
async def test_exponential_backoff_without_retry_after(
    demo_server: DemoServer, entries: list[str], reasons: list[str]
) -> None:
    rec = Recording()
    demo_server.faults.script.extend(entries)
    async with api_client(demo_server, rec) as client:
        page = await client.list_orders(ALL_PROJECTS, limit=1)
    assert page.row_count == 1
    assert rec.sleep.delays == [0.5, 1.0, 2.0]  # rng=1.0: the full-jitter ceilings
    assert [e.reason for e in rec.events if e.kind == "retrying"] == reasons
    assert rec.events[-1] == ClientEvent("ok", "", None, 4)


async def test_jittered_delays_stay_within_the_ceilings(demo_server: DemoServer) -> None:
    rec = Recording()
    demo_server.faults.script.extend(["503"] * 4)
    async with api_client(demo_server, rec, policy={"rng": lambda: 0.3}) as client:
        await client.list_orders(ALL_PROJECTS, limit=1)
    assert rec.sleep.delays == pytest.approx([0.15, 0.3, 0.6, 1.2])


@pytest.mark.parametrize(
    ("entry", "error", "reason"),
    [
        ("429", ApiRateLimitedError, "rate limited"),
        ("503", ApiServerError, "server error"),
        ("504", ApiServerError, "server error"),
        ("drop", ApiUnavailableError, "offline"),
    ],
)
async def test_bounded_retries_end_in_a_typed_error(
    demo_server: DemoServer, entry: str, error: type, reason: str
) -> None:
    rec = Recording()
    demo_server.faults.script.extend([entry] * 6)
    async with api_client(demo_server, rec) as client:
        with pytest.raises(error) as caught:
            await client.list_orders(ALL_PROJECTS, limit=1)
        assert len(demo_server.recorded()) == 5  # max_attempts=5 tries, then give up
        assert len(rec.sleep.delays) == 4
        assert rec.events[-1] == ClientEvent("failed", reason, None, 5)
        message = str(caught.value)
        assert "\n" not in message and len(message) < 160
        assert caught.value.reason == reason
        # The sixth scripted fault is still there: the client stopped asking.
        assert list(demo_server.faults.script) == [entry]


async def test_rate_limited_error_carries_the_last_retry_after(demo_server: DemoServer) -> None:
    demo_server.faults.retry_after = "3"
    demo_server.faults.script.extend(["429"] * 2)
    async with api_client(demo_server, Recording(), policy={"max_attempts": 2}) as client:
        with pytest.raises(ApiRateLimitedError) as caught:
            await client.list_orders(ALL_PROJECTS, limit=1)
    assert caught.value.retry_after == 3.0
    assert "HTTP 429" in str(caught.value)


async def test_500_is_not_retried(demo_server: DemoServer) -> None:
    rec = Recording()
    demo_server.faults.script.append("500")
    async with api_client(demo_server, rec) as client:
        with pytest.raises(ApiServerError) as caught:
            await client.list_orders(ALL_PROJECTS, limit=1)
    assert caught.value.status == 500
    assert statuses(demo_server) == [500]
    assert rec.sleep.delays == []


async def test_connection_refused_is_offline_after_bounded_tries() -> None:
    rec = Recording()
    client = ArtistreeClient(
        f"http://127.0.0.1:{closed_port()}",
        StaticToken("unused-token"),
        retry=rec.policy(max_attempts=4),
        on_event=rec.events.append,
    )
    async with client:
        with pytest.raises(ApiUnavailableError) as caught:
            await client.list_orders(ALL_PROJECTS)
    assert "check the network" in str(caught.value)
    assert rec.kinds() == [("retrying", "offline")] * 3 + [("failed", "offline")]
    assert rec.sleep.delays == [0.5, 1.0, 2.0]


@pytest.mark.parametrize("timeouts", [Timeouts(total=0.2), Timeouts(read=0.2)])
async def test_a_server_too_slow_for_the_deadline_is_not_retried(
    demo_server: DemoServer, timeouts: Timeouts
) -> None:
    rec = Recording()
    auth = StaticToken(fetch_token(demo_server))
    demo_server.faults.latency_ms = 1500
    async with api_client(demo_server, rec, auth, timeouts=timeouts) as client:
        with pytest.raises(ApiUnavailableError) as caught:
            await client.list_orders(ALL_PROJECTS, limit=1)
    assert "did not answer in time" in str(caught.value)
    assert rec.sleep.delays == []
    assert rec.kinds() == [("failed", "offline")]


async def test_paging_survives_random_faults(make_demo: MakeDemo) -> None:
    # (no rate_5xx: it includes 500, which is deliberately not retried)
    faults = FaultConfig(rate_429=0.2, rate_drop=0.15, retry_after="1")
    faults.script.extend(["401"])
    server = make_demo(orders=400, seed=11, faults=faults)
    rec = Recording()
    async with api_client(server, rec, policy={"max_attempts": 12}) as client:
        ids = [
            o.order_id async for p in client.iter_pages(ALL_PROJECTS, limit=60) for o in p.orders
        ]
    assert ids == server.order_ids()
    assert set(statuses(server)) > {200}  # faults really happened
    assert any(e.kind == "retrying" for e in rec.events)


async def test_cancelling_during_a_backoff_propagates_cancellation(
    demo_server: DemoServer,
) -> None:
    waiting = asyncio.Event()

    async def forever(_delay: float) -> None:
        waiting.set()
        await asyncio.Event().wait()

    demo_server.faults.script.append("503")
    client = ArtistreeClient(
        demo_server.base_url,
        StaticToken(fetch_token(demo_server)),
        retry=RetryPolicy(sleep=forever),
    )
    async with client:
        task = asyncio.create_task(client.list_orders(ALL_PROJECTS, limit=1))
        await asyncio.wait_for(waiting.wait(), timeout=10)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        # The client is still usable afterwards.
        assert (await client.list_orders(ALL_PROJECTS, limit=1)).row_count == 1
