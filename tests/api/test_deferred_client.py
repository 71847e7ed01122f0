"""The client of a start from the index (api/deferred.py): nothing reaches the network, and the
real client is not even built, until ``connect()``; then every call goes to it, and a first page
asked for meanwhile is fetched once. Closed before it was let in, its callers get an ApiError."""

from __future__ import annotations

import asyncio

import pytest

from artistree_tui.api.client import ArtistreeClient
from artistree_tui.api.deferred import DeferredClient
from artistree_tui.api.errors import ApiUnavailableError
from artistree_tui.api.models import ALL_PROJECTS
from artistree_tui.demo import DemoServer
from tests.support.api import Recording, api_client
from tests.support.app import order_requests


def deferred(server: DemoServer, built: list[ArtistreeClient]) -> DeferredClient:
    def build() -> ArtistreeClient:
        client = api_client(server, Recording(), page_size=9)
        built.append(client)
        return client

    return DeferredClient(build, base_url=server.base_url, page_size=9)


async def test_requests_wait_for_connect_then_go_to_the_real_client(
    demo_server: DemoServer,
) -> None:
    built: list[ArtistreeClient] = []
    client = deferred(demo_server, built)
    client.prefetch(ALL_PROJECTS, preview=True, limit=4)  # kept until connected
    waiting = asyncio.ensure_future(client.list_orders(ALL_PROJECTS, preview=True, limit=4))
    for _ in range(20):
        await asyncio.sleep(0)
    assert not waiting.done() and built == [] and demo_server.recorded("/") == []
    assert client.base_url == f"{demo_server.base_url}/v1"
    client.connect()
    page = await waiting
    assert page.row_count == 4 and client.connected and len(built) == 1
    assert len(order_requests(demo_server)) == 1  # the prefetched page was the answer
    order = await client.get_order(page.previews[0].order_id)
    assert order.order_id == page.previews[0].order_id
    pages = [p async for p in client.iter_pages(ALL_PROJECTS, preview=True, limit=100)]
    assert sum(p.row_count for p in pages) == 300
    await client.aclose()


async def test_closed_before_it_was_let_in_its_callers_get_an_api_error(
    demo_server: DemoServer,
) -> None:
    built: list[ArtistreeClient] = []
    client = deferred(demo_server, built)
    waiting = asyncio.ensure_future(client.list_orders(ALL_PROJECTS))
    await asyncio.sleep(0)
    await client.aclose()
    with pytest.raises(ApiUnavailableError):
        await waiting
    client.connect()  # too late: nothing is built
    assert built == [] and demo_server.recorded("/") == []
