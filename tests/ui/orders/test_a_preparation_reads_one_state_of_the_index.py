"""A view is prepared from one state of the index, whatever the sync writes meanwhile.

The list's preparation reads a view's count, the position of the order under the cursor and
the rows around it. Two orders written on top between the position and the rows (the sync
reading the head) would draw the new rows under a cursor two rows off its order. Here the
real sync's index file takes that write exactly there (the writer commits on its own
connection while the preparation reads), and the prepared cursor must still be on its order;
the view then says it is stale, and the next preparation finds the order two rows down.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from artistree_tui.api.models import ALL_PROJECTS, OrdersPage
from artistree_tui.demo import DemoServer
from artistree_tui.store import Index
from artistree_tui.store.views import View
from artistree_tui.ui.orders.source import BLOCK, Prepared, Query, Want, block_of, prepare
from tests.support.list_pilot import client_of
from tests.support.live import advance_uploads

KEPT = 3  # the cursor's row before the write


async def head_page(demo: DemoServer) -> OrdersPage:
    client = client_of(demo)
    try:
        return await client.list_orders(ALL_PROJECTS, preview=True, limit=10)
    finally:
        await client.aclose()


def under_cursor(prepared: Prepared) -> str:
    return prepared.blocks[block_of(prepared.cursor)][prepared.cursor % BLOCK].order_id


async def test_orders_written_on_top_mid_preparation_do_not_move_the_cursor_off_its_order(
    make_demo: Callable[..., DemoServer],
    index_of: Callable[[DemoServer], Awaitable[Index]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    demo = make_demo(orders=300, seed=7, new_order_every=30)
    index = await index_of(demo)
    reader = index.reader()
    kept = reader.view(Query().spec()).rows(0, KEPT + 1)[KEPT].order_id
    advance_uploads(demo, 2, every=30)
    head = await head_page(demo)
    assert head.previews[KEPT + 2].order_id == kept  # two new orders on top
    writer = index.writer()
    position_of = View.position_of

    def position_then_write(view: View, order_id: str) -> Any:
        position = position_of(view, order_id)
        writer.write_page(head, mark_new=True)  # the sync's head refresh lands right here
        return position

    monkeypatch.setattr(View, "position_of", position_then_write)
    prepared = prepare(reader, Query(), Want(keep_id=kept), generation=1, slot=0, since=0)
    assert prepared.error is None and prepared.view is not None
    assert (prepared.cursor, prepared.count, under_cursor(prepared)) == (KEPT, 300, kept)
    assert prepared.view.stale  # the list prepares it again
    monkeypatch.setattr(View, "position_of", position_of)
    again = prepare(reader, Query(), Want(keep_id=kept), generation=2, slot=0, since=0)
    assert (again.cursor, again.count, under_cursor(again)) == (KEPT + 2, 302, kept)
    reader.close()
    writer.close()
