"""A prefetch that fails is silent, so it must not decide the fate of the order the user then
opens: over real loopback HTTP against the demo, 503s answer the third order's prefetch; it is
tried once (never retried), shows nothing, and the prefetch moves on (it is finished, not stuck
on that order); the API is healthy again; ``j`` onto that order loads it. (Retried like a
shown order's fetch, its give-up opened the client's circuit breaker, and ``j`` showed
"unavailable (HTTP 503, still after 5 tries)" without sending a request.)"""

from __future__ import annotations

from collections import deque
from typing import Any

from artistree_tui.demo import FaultConfig
from tests.support.app import cursor_shown, wait_for

from .test_next_order_fetched_ahead_at_rest import at_rest_on_the_first, order_fetches


def prefetching(app: Any) -> bool:
    workers = app.main_screen.detail.workers
    return any(w.group == "detail-prefetch" and not w.is_finished for w in workers)


async def test_a_failed_prefetch_does_not_fail_the_order_opened_next(make_demo: Any) -> None:
    async with at_rest_on_the_first(make_demo) as (demo, app, pilot, orders):
        _first, second, third = orders
        screen = app.main_screen
        demo.faults = FaultConfig(script=deque(["503"] * 5))  # the next five requests
        await pilot.press("j")  # the second: cached; the third is fetched ahead, and fails
        assert (await cursor_shown(pilot, app)).order_id == second.order_id
        await wait_for(pilot, lambda: order_fetches(demo, third) >= 1)
        await wait_for(pilot, lambda: not prefetching(app), limit=60)
        assert screen.detail.cache.get(third.order_id) is None  # it did fail
        assert order_fetches(demo, third) == 1  # ahead of need: one try, no retry
        assert screen.prefetch.finished  # it moved on past the failed neighbour
        status = screen.detail.query_one("#detail-status")
        assert not status.has_class("-visible")  # nothing shown for it
        demo.faults = FaultConfig()  # the API answers again
        await pilot.press("j")
        assert (await cursor_shown(pilot, app)).order_id == third.order_id
        await wait_for(
            pilot,
            lambda: screen.detail.complete or status.has_class("-visible"),
            limit=30,
        )
        assert screen.detail.complete, str(status.render())
