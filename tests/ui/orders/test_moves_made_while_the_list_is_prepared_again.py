"""Keys typed on the rows shown while the same list is being prepared again (the sidebar
re-opened the project, the index changed under it) stay on the order they reached, even when
the new preparation has new orders above it. A new query (a filter typed, ``esc``) is
different: there the moves are typed ahead into the new view (``test_filter_typed_ahead``).

The preparation is held at a gate so the test decides when it runs: after the moves and
after the sync has written two new orders into the real SQLite index.
"""

from __future__ import annotations

import threading
from collections.abc import Awaitable, Callable

from artistree_tui.demo import DemoServer
from artistree_tui.store import Index
from artistree_tui.ui.orders.source import Prepared
from tests.support.app import wait_for
from tests.support.list_pilot import ListApp, settle, sweep
from tests.support.live import advance_uploads

IndexOf = Callable[[DemoServer], Awaitable[Index]]


async def test_moves_on_the_rows_shown_stay_on_their_order_when_new_orders_come_above(
    make_demo: Callable[..., DemoServer], index_of: IndexOf
) -> None:
    server = make_demo(orders=300, seed=5, new_order_every=30)
    server.hold_clock()
    index = await index_of(server)
    app = ListApp(index)
    async with app.run_test(size=(120, 24)) as pilot:
        await settle(pilot, app)
        model = app.order_list.model
        gate = threading.Event()
        run = model.run

        def gated(request: object) -> Prepared:
            gate.wait(20)
            return run(request)  # type: ignore[arg-type]

        model.run = gated  # type: ignore[method-assign]
        advance_uploads(server, 2, every=30)
        await sweep(server, index)  # two new orders above the rows on screen
        app.pane.show_scope(model.query.scope)  # the same list asked for again
        assert model.pending is not None
        await pilot.press("j", "j", "j")
        kept = model.highlighted
        assert kept is not None and model.cursor == 3
        gate.set()
        await wait_for(pilot, lambda: model.pending is None and model.count == 302)
        await settle(pilot, app)
        assert model.highlighted is not None
        assert (model.highlighted.order_id, model.cursor) == (kept.order_id, 5)


async def test_asked_again_only_once_so_a_held_key_cannot_keep_the_list_from_landing(
    make_demo: Callable[..., DemoServer], index_of: IndexOf
) -> None:
    server = make_demo(orders=300, seed=5)
    index = await index_of(server)
    app = ListApp(index)
    async with app.run_test(size=(120, 24)) as pilot:
        await settle(pilot, app)
        model = app.order_list.model
        gates = [threading.Event(), threading.Event()]
        asked: list[bool] = []
        run = model.run

        def gated(request: object) -> Prepared:
            asked.append(request.again)  # type: ignore[attr-defined]
            gates[min(len(asked), 2) - 1].wait(20)
            return run(request)  # type: ignore[arg-type]

        model.run = gated  # type: ignore[method-assign]
        await sweep(server, index)  # the index written again under the rows on screen
        app.pane.show_scope(model.query.scope)  # the same list asked for again
        await pilot.press("j", "j")
        gates[0].set()  # prepared: the cursor moved meanwhile, so it is asked again...
        await wait_for(pilot, lambda: len(asked) == 2)
        kept = model.highlighted
        assert kept is not None and asked == [False, True]
        await pilot.press("j")  # ...and the key is still held while that one is prepared
        gates[1].set()
        await wait_for(pilot, lambda: model.pending is None)
        await settle(pilot, app)
        assert len(asked) == 2  # it landed: not asked a third time
        assert model.cursor == 3 and model.row(2) is not None
        assert model.row(2).order_id == kept.order_id  # type: ignore[union-attr]
