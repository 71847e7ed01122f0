"""``IndexSync.writing`` says whether some of the console's own fetches are still on their way
into the index: from ``write_orders`` or ``write_page`` until the write is over, which is when
its :class:`OrdersWritten` is posted. A screenshot, or a test, waiting for the console to
settle waits for it: between the two, the list still shows the ``…`` columns those orders fill
and its view of the index is not out of date yet (one shot of two differed under load)."""

from __future__ import annotations

from typing import Any

from artistree_tui.ui.live.messages import OrdersWritten
from tests.support.app import SIZE, make_app, sync_done, wait_for
from tests.support.list_pilot import full_orders


async def test_a_write_is_under_way_until_its_orders_are_written(make_demo: Any) -> None:
    demo = make_demo(orders=40, seed=7, new_order_every=0)
    app = make_app(demo)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: sync_done(app) and not app.main_screen.sync.writing)
        sync = app.main_screen.sync
        orders = tuple(await full_orders(demo, demo.order_ids()[:3]))
        ids = tuple(order.order_id for order in orders)
        writing_when_posted: list[bool] = []
        post = sync.post_message

        def spy(message: Any) -> bool:
            if isinstance(message, OrdersWritten) and message.order_ids == ids:
                writing_when_posted.append(sync.writing)
            return post(message)

        sync.post_message = spy  # type: ignore[method-assign]
        sync.write_orders(orders)
        assert sync.writing
        await wait_for(pilot, lambda: bool(writing_when_posted))
        assert writing_when_posted == [False]
        assert not sync.writing
