"""Every in-memory cache of the console is bounded by bytes, from ``memory_cache_mb``.

Over real loopback HTTP against the demo, with its hostile orders (100 KB strings in many
fields: a few of them are megabytes) and 1024×768 previews, the console is given the smallest
budget (16 MiB: 8 for decoded images, 4 for the list's rows, 2 each for renderings and full
orders) and walked through many orders. Each cache then holds at most its share, however many
orders went through it: before, the detail's orders and the renderings were bounded by count
only (64 each, whatever their size), the list's rows by count (3,000) and the decoded images
by 96 MB.

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


def biggest_orders(http: Any, count: int = 100) -> list[str]:
    """Ids of the largest orders of the first page (the hostile ones carry 100 KB strings)."""
    page = http.get("/v1/orders", params={"project_id": "All Projects", "limit": "600"})
    orders = sorted(page.json()["orders"], key=lambda o: -len(json.dumps(o)))
    return [o["order_id"] for o in orders[:count]]


async def test_each_cache_keeps_to_its_share(make_demo: Any, demo_http: Any) -> None:
    demo = make_demo(orders=600, seed=7, faults=FaultConfig(hostile=True))
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
        seen_orders = 0
        for order_id in biggest_orders(demo_http(demo)):  # full orders, through "go to order"
            screen.go_to_order(order_id)
            await wait_for(pilot, partial(shown, detail, order_id))
            seen_orders += approx_bytes(detail.order)
        loader = panel.loader
        assert seen_orders > budget.orders  # more went through than the share holds
        assert detail.cache.total_bytes <= budget.orders or len(detail.cache) == 1
        assert loader.decoded.total_bytes <= budget.decoded or len(loader.decoded) == 1
        assert loader.rendered.total_bytes <= budget.rendered or len(loader.rendered) == 1
        assert len(loader.decoded) >= 1 and len(loader.rendered) >= 1


def test_the_budget_splits_the_setting() -> None:
    budget = MemoryBudget.of(64)
    assert budget.decoded + budget.rendered + budget.orders == 64 * 1024 * 1024
    assert budget.decoded == 32 * 1024 * 1024
