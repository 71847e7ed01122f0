"""The index sync's writes of the console's own fetches (``IndexSync.write_orders`` and
``write_page``) keep nothing once written. A Textual worker is a reference cycle (its task's
context holds it) that only the garbage collector frees: orders handed to it as arguments would
live on until a full collection, a page of them at a time."""

from __future__ import annotations

import gc
import sys
from typing import Any

from artistree_tui.ui.live.messages import OrdersWritten
from tests.support.app import SIZE, make_app, sync_done, wait_for
from tests.support.list_pilot import full_orders


async def test_the_orders_written_are_not_kept_by_the_write(make_demo: Any) -> None:
    demo = make_demo(orders=40, seed=7, new_order_every=0)
    app = make_app(demo)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: sync_done(app))
        sync = app.main_screen.sync
        orders = tuple(await full_orders(demo, demo.order_ids()[:3]))
        ids = tuple(order.order_id for order in orders)
        written: list[tuple[str, ...]] = []
        post = sync.post_message

        def spy(message: Any) -> bool:
            if isinstance(message, OrdersWritten):  # the console may write orders of its own
                written.append(message.order_ids)
            return post(message)

        sync.post_message = spy  # type: ignore[method-assign]
        held_before = sys.getrefcount(orders)
        gc.disable()  # a cycle stays as it is: only references that go away count
        try:
            sync.write_orders(orders)
            await wait_for(pilot, lambda: ids in written)
            await wait_for(
                pilot, lambda: all(w.is_finished for w in app.workers if w.group == "index-writes")
            )
            assert sys.getrefcount(orders) == held_before
        finally:
            gc.enable()
