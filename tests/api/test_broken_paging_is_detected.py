"""Every walk through ``next_page_token``s stops when the API's paging is broken.

Over real loopback HTTP, the demo's ``paging`` fault breaks paging past the last page
(``cycle``: the first page's next token again; ``endless``: new tokens and empty pages
forever; ``repeat``: new tokens serving the first page again). The API's page iterator and
project discovery used to loop on these (only a token equal to the last one stopped them) and
to yield the same orders twice; now they stop within a few pages with a plain reason and each
order comes once. :class:`PagingGuard`'s own rules are checked on made-up pages too.
"""

from __future__ import annotations

from typing import Any

import pytest

from artistree_tui.api.auth import ClientCredentials
from artistree_tui.api.client import ArtistreeClient
from artistree_tui.api.models import ALL_PROJECTS
from artistree_tui.api.paging_guard import BROKEN, PagingBrokenError, PagingGuard, row_margin
from artistree_tui.api.projects import discover_project_ids
from artistree_tui.demo import FaultConfig

ORDERS = 1000
MODES = ["cycle", "endless", "repeat"]


def client_of(demo: Any) -> ArtistreeClient:
    auth = ClientCredentials(demo.token_url, demo.client_id, demo.client_secret)
    return ArtistreeClient(demo.base_url, auth)


def list_requests(demo: Any) -> int:
    return len([r for r in demo.recorded("/v1/orders") if r.path == "/v1/orders"])


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("preview", [False, True])
async def test_the_page_iterator_stops_and_yields_each_order_once(
    make_demo: Any, mode: str, preview: bool
) -> None:
    demo = make_demo(orders=ORDERS, seed=3, faults=FaultConfig(paging=mode))
    async with client_of(demo) as client:
        walk = client.iter_pages(ALL_PROJECTS, limit=200, preview=preview)
        ids = [row.order_id async for page in walk for row in (page.orders or page.previews)]
    assert sorted(ids) == sorted(demo.order_ids())  # every order, once
    assert walk.finished and walk.broken is not None and walk.broken.startswith(BROKEN)
    assert walk.pages <= 5 + 3  # five real pages, then a few to see it is broken
    assert list_requests(demo) == walk.pages


@pytest.mark.parametrize("mode", MODES)
async def test_project_discovery_stops_and_says_why(make_demo: Any, mode: str) -> None:
    demo = make_demo(orders=ORDERS, seed=3, faults=FaultConfig(paging=mode))
    async with client_of(demo) as client:

        async def fetch(token: str | None, limit: int) -> Any:
            return await client.list_orders(ALL_PROJECTS, page_token=token, limit=limit)

        with pytest.raises(PagingBrokenError) as info:
            # A name no order carries: discovery walks to the end, and past it.
            await discover_project_ids(
                fetch, lambda: (), lambda page: None, names=["No Such Project"], limit=200
            )
    assert str(info.value).startswith(BROKEN)
    assert list_requests(demo) <= 5 + 3


async def test_a_healthy_walk_is_not_called_broken(make_demo: Any) -> None:
    demo = make_demo(orders=ORDERS, seed=3)
    async with client_of(demo) as client:
        walk = client.iter_pages(ALL_PROJECTS, limit=300)
        count = sum([len(page.orders) async for page in walk])
    assert count == ORDERS and walk.broken is None and walk.duplicates == 0


def test_guard_rules_on_made_up_pages() -> None:
    # A token seen anywhere before, not only the last one.
    guard = PagingGuard()
    assert not guard.check(["a", "b"], "t1").stop
    assert not guard.check(["c", "d"], "t2").stop
    assert guard.check(["e"], "t1").broken == f"{BROKEN}: a page token came back after 3 pages"
    # Empty pages that never end.
    guard = PagingGuard(max_empty_pages=3)
    assert not guard.check(["a"], "t1").stop
    assert not guard.check([], "t2").stop and not guard.check([], "t3").stop
    assert "3 empty pages" in (guard.check([], "t4").broken or "")
    # More rows than total_orders by the margin, even when ids are not remembered.
    guard = PagingGuard(remember=0)
    total, page = 1000, [f"o{i}" for i in range(100)]
    token = 0
    while not guard.check(page, f"t{token}", total=total).stop:
        token += 1
        assert guard.rows_read <= total + row_margin(total)
    assert "rows read for 1,000 orders" in (guard.broken or "")
    # Duplicates inside a page with new rows are dropped, not fatal.
    guard = PagingGuard()
    guard.check(["a", "b"], "t1")
    verdict = guard.check(["b", "c", "c"], "t2")
    assert verdict.fresh == (1,) and verdict.duplicates == 2 and not verdict.stop
    # The last page (no next token) never stops anything: the walk ends anyway.
    assert not guard.check(["a"], None).stop
