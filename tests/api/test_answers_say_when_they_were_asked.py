"""Orders and pages the client returns carry the time their request was sent
(``asked_at``): of the tries a request took, the one that was answered. The order index uses it
to keep the newer of two answers about one order (tests/store/test_a_late_answer_…)."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest

from artistree_tui.api.auth import StaticToken
from artistree_tui.api.client import ArtistreeClient
from artistree_tui.api.errors import ApiNotFoundError
from artistree_tui.api.models import ALL_PROJECTS
from artistree_tui.api.retry import RetryPolicy
from artistree_tui.demo import DemoServer
from tests.support.demo import fetch_token

MakeDemo = Callable[..., DemoServer]


async def test_a_page_and_an_order_carry_when_they_were_asked(demo_server: DemoServer) -> None:
    token = StaticToken(fetch_token(demo_server))
    async with ArtistreeClient(demo_server.base_url, token) as client:
        before = time.time()
        page = await client.list_orders(ALL_PROJECTS, preview=True, limit=5)
        between = time.time()
        order = await client.get_order(page.previews[0].order_id)
        after = time.time()
    assert page.asked_at is not None and before <= page.asked_at <= between
    assert order.asked_at is not None and between <= order.asked_at <= after


async def test_after_retries_it_is_the_answered_try(demo_server: DemoServer) -> None:
    failed_at: list[float] = []

    async def sleep(delay: float) -> None:  # no real wait: when the retry was decided
        failed_at.append(time.time())

    token = StaticToken(fetch_token(demo_server))
    demo_server.faults.script.extend(["503", "502"])
    retry = RetryPolicy(sleep=sleep, rng=lambda: 0.0)
    async with ArtistreeClient(demo_server.base_url, token, retry=retry) as client:
        page = await client.list_orders(ALL_PROJECTS, preview=True, limit=5)
        after = time.time()
    assert len(failed_at) == 2
    assert page.asked_at is not None and failed_at[1] <= page.asked_at <= after


async def test_answers_equal_whenever_they_were_asked(demo_server: DemoServer) -> None:
    token = StaticToken(fetch_token(demo_server))
    async with ArtistreeClient(demo_server.base_url, token) as client:
        page = await client.list_orders(ALL_PROJECTS, preview=True, limit=1)
        first = await client.get_order(page.previews[0].order_id)
        second = await client.get_order(page.previews[0].order_id)
    assert first.asked_at != second.asked_at
    assert first == second  # the same order: when it was asked is not part of it


async def test_a_404_says_when_it_was_asked(demo_server: DemoServer) -> None:
    """A "not found" is an answer about an order too: the index weighs it against others."""
    failed_at: list[float] = []

    async def sleep(delay: float) -> None:  # no real wait: when the retry was decided
        failed_at.append(time.time())

    token = StaticToken(fetch_token(demo_server))
    victim = demo_server.order_ids()[3]
    demo_server.remove_order(victim)
    demo_server.faults.script.append("503")  # the first try fails: the answered one counts
    retry = RetryPolicy(sleep=sleep, rng=lambda: 0.0)
    async with ArtistreeClient(demo_server.base_url, token, retry=retry) as client:
        with pytest.raises(ApiNotFoundError) as caught:
            await client.get_order(victim)
        after = time.time()
    asked = caught.value.asked_at
    assert len(failed_at) == 1
    assert asked is not None and failed_at[0] <= asked <= after
