"""``G`` against a server whose paging is broken ends, shows each order once, and says so.

The demo's ``paging`` fault breaks the list's paging past the last page, over real loopback
HTTP: ``cycle`` hands out the second page's token again, ``endless`` new tokens with empty
pages forever, ``repeat`` new tokens that serve the first page again. ``G`` used to walk
such a server forever (about 17 requests a second) and show 1,200 rows for 1,000 orders. Now
the walk ends within a few pages past the end, the list holds exactly the server's orders, and
the status line and a toast say the API's paging looks broken.

Helpers come from the flat ``tests/list_pilot_support.py``.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from artistree_tui.api.paging_guard import BROKEN
from artistree_tui.demo import DemoServer, FaultConfig
from tests.support.list_pilot import Clients, ListApp, fetcher_of, list_requests, settle

ORDERS = 1000


@pytest.mark.parametrize("mode", ["cycle", "endless", "repeat"])
async def test_G_on_broken_paging_ends_without_duplicates_and_says_why(
    make_demo: Callable[..., DemoServer], client_for: Clients, mode: str
) -> None:
    server = make_demo(orders=ORDERS, seed=6, faults=FaultConfig(paging=mode))
    app = ListApp(fetcher_of(client_for(server)), page_size=100, max_rows=2000)
    async with app.run_test(size=(100, 20)) as pilot:
        await settle(pilot, app)
        await pilot.press("G")
        await settle(pilot, app)
        model = app.pane.order_list.model
        assert not model.walking and model.complete
        assert model.total == ORDERS  # not 1,200: each order once
        held = [order.order_id for segment in model.segments for order in (segment.rows or ())]
        assert len(held) == len(set(held))
        assert model.paging_broken is not None and model.paging_broken.startswith(BROKEN)
        assert "paging looks broken" in str(app.pane.status_text())
        assert any(BROKEN in n.message for n in app._notifications)
        # A healthy walk of 1,000 orders takes 2-3 pages; a few more show the breakage.
        assert len(list_requests(server)) <= 10
        # Nothing more is asked once it has stopped.
        before = len(list_requests(server))
        await pilot.press("G")
        await settle(pilot, app)
        assert len(list_requests(server)) == before


async def test_a_healthy_server_is_never_called_broken(
    make_demo: Callable[..., DemoServer], client_for: Clients
) -> None:
    server = make_demo(orders=2500, seed=6, new_order_every=0)
    app = ListApp(fetcher_of(client_for(server)), page_size=100, max_rows=1000)
    async with app.run_test(size=(100, 20)) as pilot:
        await settle(pilot, app)
        await pilot.press("G")
        await settle(pilot, app)
        model = app.pane.order_list.model
        assert model.complete and model.total == 2500
        assert model.paging_broken is None
        assert "broken" not in str(app.pane.status_text())
