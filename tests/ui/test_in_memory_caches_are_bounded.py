"""Every in-memory cache of the console is bounded by bytes, from ``memory_cache_mb``.

Over real loopback HTTP against the demo, with its hostile orders (100 KB strings in many
fields) and 1024×768 previews, the console is given the smallest budget (16 MiB: 8 for decoded
images, 4 each for renderings and full orders) and walked through previews and through more
large orders than the detail's share holds. Each cache then holds at most its share.

The orders walked are all large (the ~100 KB hostile ones) and fewer than the cache's count
bound (64), so that only the byte bound can keep the cache within its share: walked through
the 100 largest orders (as this test once was), the count bound alone kept it there (the
last 64 were mostly small ones), and the test passed with the byte bound broken. Most of them
are fetched through the pane's fetch ahead (``DetailPane.prefetch``, the path the screen's
prefetch takes, into the same cache) rather than drawn: drawing 100 KB strings is what made
this test take 50 s, and the cache sees the same orders either way.

Helpers come from the ``tests/support/app.py``.
"""

from __future__ import annotations

import json
from functools import partial
from typing import Any

from artistree_tui.api.sizes import approx_bytes
from artistree_tui.config.settings import MemoryBudget
from artistree_tui.demo import FaultConfig
from artistree_tui.ui.preview.panel import LOADING, PreviewPanel
from tests.support.app import cursor_shown, list_loaded, make_app, wait_for

MB = 16


def shown(detail: Any, order_id: str) -> bool:
    return bool(detail.order_id == order_id and detail.complete)


def cached(detail: Any, order_id: str) -> bool:
    return detail.cache.get(order_id) is not None


def biggest_orders(http: Any, count: int) -> list[str]:
    """Ids of the ``count`` largest orders of the first page (the hostile ones carry 100 KB
    strings), largest first."""
    page = http.get("/v1/orders", params={"project_id": "All Projects", "limit": "1000"})
    orders = sorted(page.json()["orders"], key=lambda o: -len(json.dumps(o)))
    return [o["order_id"] for o in orders[:count]]


async def test_each_cache_keeps_to_its_share(make_demo: Any, demo_http: Any) -> None:
    demo = make_demo(orders=1200, seed=7, faults=FaultConfig(hostile=True))
    budget = MemoryBudget.of(MB)
    app = make_app(demo, preview="halfblock", memory_cache_mb=MB)
    async with app.run_test(size=(170, 50)) as pilot:
        await wait_for(pilot, lambda: list_loaded(app))
        screen = app.main_screen
        detail, panel = screen.detail, screen.query_one(PreviewPanel)
        for _ in range(8):  # previews: decoded and rendered
            await pilot.press("j")
            await cursor_shown(pilot, app)
            await wait_for(pilot, lambda: detail.complete and panel.status != LOADING)
        largest = biggest_orders(demo_http(demo), 60)  # fewer than the count bound (64)
        seen_orders = 0
        for order_id in largest[:4]:  # shown, through "go to order"
            screen.go_to_order(order_id)
            await wait_for(pilot, partial(shown, detail, order_id))
            seen_orders += approx_bytes(detail.order)
        for order_id in largest[4:]:  # fetched ahead, into the same cache
            assert detail.prefetch(order_id)
            await wait_for(pilot, partial(cached, detail, order_id))
            seen_orders += approx_bytes(detail.cache.get(order_id))
        loader = panel.loader
        assert seen_orders > 1.2 * budget.orders  # more went through than the share holds
        assert detail.cache.total_bytes <= budget.orders
        assert 1 < len(detail.cache) < len(largest)
        assert loader.decoded.total_bytes <= budget.decoded or len(loader.decoded) == 1
        assert loader.rendered.total_bytes <= budget.rendered or len(loader.rendered) == 1
        assert len(loader.decoded) >= 1 and len(loader.rendered) >= 1


def test_the_budget_splits_the_setting() -> None:
    budget = MemoryBudget.of(64)
    assert budget.decoded + budget.rendered + budget.orders == 64 * 1024 * 1024
    assert budget.decoded == 32 * 1024 * 1024
