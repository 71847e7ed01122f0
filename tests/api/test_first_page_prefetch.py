"""The first page asked for early (``ArtistreeClient.prefetch``), over real loopback HTTP.

At startup the console starts its first page while the screen is still being built; the
order list's own request then takes that answer instead of asking again. These tests pin down
when a prefetched page is handed out (once, to the same request, while fresh), that failures
reach the caller who takes it and nobody else, and that the console's first page costs one
request whether or not it was prefetched.
"""

from __future__ import annotations

import asyncio
import gc
from typing import Any

import pytest

from artistree_tui.api.errors import ApiRequestError, ApiServerError
from artistree_tui.api.models import ALL_PROJECTS
from artistree_tui.api.prefetch import FRESH_SECONDS, EarlyPage
from artistree_tui.demo import DemoServer
from tests.support.api import Recording, api_client
from tests.support.app import order_requests


async def prefetch_done(client: Any) -> None:
    """Wait until the prefetched requests (if any) have finished."""
    tasks = client._early.tasks()
    if tasks:
        await asyncio.wait(tasks)


async def test_the_prefetched_page_is_the_answer_to_the_same_request(
    demo_server: DemoServer,
) -> None:
    async with api_client(demo_server, Recording(), page_size=7) as client:
        client.prefetch(ALL_PROJECTS)
        await prefetch_done(client)
        assert len(order_requests(demo_server)) == 1  # already asked, before anyone wanted it
        page = await client.list_orders(ALL_PROJECTS)
        assert order_requests(demo_server)[0].query["limit"] == "7"
        assert len(order_requests(demo_server)) == 1  # ... and not asked again
        again = await client.list_orders(ALL_PROJECTS)  # handed out once only
    assert len(order_requests(demo_server)) == 2
    assert page.row_count == 7 and [o.order_id for o in page.orders] == [
        o.order_id for o in again.orders
    ]


@pytest.mark.parametrize(
    "request_kwargs",
    [
        {"limit": 3},
        {"preview": True},
        {"page_token": "x"},
        {"lang": "fr"},
    ],
)
async def test_a_different_request_goes_to_the_network_and_leaves_it_kept(
    demo_server: DemoServer, request_kwargs: dict[str, Any]
) -> None:
    async with api_client(demo_server, Recording()) as client:
        client.prefetch(ALL_PROJECTS, limit=5)
        await prefetch_done(client)
        if "page_token" in request_kwargs:
            with pytest.raises(ApiRequestError):  # the demo refuses a made-up token
                await client.list_orders(ALL_PROJECTS, **request_kwargs)
        else:
            await client.list_orders(ALL_PROJECTS, **request_kwargs)
        assert len(order_requests(demo_server)) == 2
        kept = await client.list_orders(ALL_PROJECTS, limit=5)  # the kept one, still fresh
    assert kept.row_count == 5
    assert len(order_requests(demo_server)) == 2


async def test_two_different_first_pages_are_kept_and_handed_out_each_once(
    demo_server: DemoServer,
) -> None:
    async with api_client(demo_server, Recording(), page_size=7) as client:
        client.prefetch(ALL_PROJECTS, preview=True, limit=4)
        client.prefetch(ALL_PROJECTS)  # the second does not replace the first
        await prefetch_done(client)
        assert len(order_requests(demo_server)) == 2
        head = await client.list_orders(ALL_PROJECTS, preview=True, limit=4)
        full = await client.list_orders(ALL_PROJECTS)
        assert len(order_requests(demo_server)) == 2  # both were taken from the kept ones
        await client.list_orders(ALL_PROJECTS, preview=True, limit=4)
    assert len(order_requests(demo_server)) == 3  # ... once each
    assert (head.row_count, full.row_count) == (4, 7)
    assert [p.order_id for p in head.previews] == [o.order_id for o in full.orders[:4]]


async def test_a_failed_prefetch_fails_the_request_that_takes_it(
    demo_server: DemoServer,
) -> None:
    demo_server.faults.script.append("500")  # a final answer, not retried
    async with api_client(demo_server, Recording()) as client:
        client.prefetch(ALL_PROJECTS)
        await prefetch_done(client)
        with pytest.raises(ApiServerError):
            await client.list_orders(ALL_PROJECTS)
        page = await client.list_orders(ALL_PROJECTS)  # the next one asks again
    assert page.row_count > 0
    assert [r.status for r in order_requests(demo_server)] == [500, 200]


async def test_a_failure_nobody_takes_is_not_reported(demo_server: DemoServer) -> None:
    reports: list[dict[str, Any]] = []
    loop = asyncio.get_running_loop()
    loop.set_exception_handler(lambda _loop, context: reports.append(context))
    try:
        demo_server.faults.script.append("500")
        async with api_client(demo_server, Recording()) as client:
            client.prefetch(ALL_PROJECTS)
            await prefetch_done(client)
        gc.collect()  # an unretrieved task exception is reported when the task is collected
        await asyncio.sleep(0)
    finally:
        loop.set_exception_handler(None)
    assert [r.status for r in order_requests(demo_server)] == [500]
    assert reports == []


async def test_closing_cancels_a_prefetch_in_flight(demo_server: DemoServer) -> None:
    demo_server.faults.latency_ms = 2000
    client = api_client(demo_server, Recording())
    client.prefetch(ALL_PROJECTS)
    [task] = client._early.tasks()
    await asyncio.sleep(0.05)
    await client.aclose()
    await asyncio.wait({task})
    assert task.cancelled()


async def test_without_a_project_only_the_token_is_fetched(demo_server: DemoServer) -> None:
    async with api_client(demo_server, Recording()) as client:
        client.prefetch()
        for _ in range(200):
            if demo_server.token_requests:
                break
            await asyncio.sleep(0.01)
        assert demo_server.token_requests == 1 and order_requests(demo_server) == []
        await client.list_orders(ALL_PROJECTS, limit=2)
    assert demo_server.token_requests == 1  # the list request used the prefetched token


async def test_a_stale_page_is_dropped() -> None:
    now = [100.0]
    early = EarlyPage(clock=lambda: now[0])
    started = asyncio.Event()

    async def fetch() -> Any:
        started.set()
        await asyncio.sleep(3600)

    early.start("key", fetch())
    await started.wait()
    [task] = early.tasks()
    assert early.take("other") is None and early.pending  # not for that request: kept
    now[0] += FRESH_SECONDS + 1
    assert early.take("key") is None and not early.pending  # too old: dropped ...
    await asyncio.wait({task})
    assert task.cancelled()  # ... and no longer fetched
