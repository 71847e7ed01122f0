"""A filter that matches nothing while the organization is still being indexed says "so far":
an order not indexed yet may match (a tryout's "/" with the oldest order's id, 15 % into the
walk, read "no order matches" and gave up). Once the walk is over it says "no order matches"."""

from __future__ import annotations

from collections.abc import Callable

from artistree_tui.demo import DemoServer
from artistree_tui.sync import SyncSettings
from artistree_tui.ui.orders.status_words import NO_MATCH, NO_MATCH_YET
from tests.support.app import list_loaded, make_app, screen_text, sync_done, wait_for

#: One page of 1,000 a second: the walk of 3,000 orders takes a few seconds.
SLOW = SyncSettings(rate=1, refresh_seconds=0)


async def test_no_match_says_so_far_until_the_walk_is_over(
    make_demo: Callable[..., DemoServer],
) -> None:
    server = make_demo(orders=3000, seed=7, new_order_every=0)
    app = make_app(server, sync=SLOW)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: list_loaded(app))
        assert not app.main_screen.orders.complete
        await pilot.press("slash", *"zzqx", "enter")
        await wait_for(pilot, lambda: NO_MATCH_YET in screen_text(app))
        await wait_for(pilot, lambda: sync_done(app), limit=60)
        await wait_for(pilot, lambda: NO_MATCH in screen_text(app))
        assert NO_MATCH_YET not in screen_text(app)
