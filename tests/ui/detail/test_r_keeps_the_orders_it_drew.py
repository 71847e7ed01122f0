"""``r`` asks for the full orders again without dropping the ones the reviewer saw: the drawn
order stays drawn in full, and an order drawn before is drawn again from its cached copy (then
asked for again, and replaced by the fresh answer). With the API down, those copies are all
there is: going back to an order seen a minute ago still shows it in full, not the list's copy
with an error. Over real loopback HTTP, the demo dropping every connection."""

from __future__ import annotations

from typing import Any

from artistree_tui.demo import FaultConfig
from tests.support.app import detail_settled, make_app, wait_for


async def test_r_with_the_api_down_keeps_the_full_orders_seen(make_demo: Any) -> None:
    demo = make_demo(orders=60, seed=7, new_order_every=0)
    app = make_app(demo)
    async with app.run_test(size=(160, 50)) as pilot:
        await detail_settled(pilot)
        detail = app.main_screen.detail
        first = detail.order
        assert first is not None and detail.complete
        await pilot.press("j")
        await wait_for(pilot, lambda: detail.complete and detail.order != first)
        second = detail.order
        assert second is not None

        demo.faults = FaultConfig(rate_drop=1.0)  # the API is down from now on
        await pilot.press("r")
        await pilot.pause()
        assert detail.order == second  # still drawn in full (its refetch fails: said once)

        await pilot.press("k")
        await wait_for(
            pilot, lambda: detail.order is not None and detail.order.order_id == first.order_id
        )
        await pilot.pause()
        assert detail.order == first and detail.complete  # the full copy, not the list's

        demo.faults = FaultConfig()  # back: the order shown is asked again, and replaced
        before = len(demo.recorded(f"/v1/orders/{first.order_id}"))
        await pilot.press("j")
        await wait_for(
            pilot, lambda: detail.order is not None and detail.order.order_id == second.order_id
        )
        await pilot.press("k")
        await wait_for(pilot, lambda: len(demo.recorded(f"/v1/orders/{first.order_id}")) > before)
