"""Once a new view's first rows are posted, its worker goes on to build the view's anchors
(so a jump far down or the position of an order costs ~1 ms at a million orders); it stops
when the view is no longer the one wanted."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest

from artistree_tui.demo import DemoServer
from artistree_tui.store import Index, ViewSpec, plans, views
from artistree_tui.ui.orders import source
from tests.support.app import wait_for
from tests.support.list_pilot import ListApp, settle

IndexOf = Callable[[DemoServer], Awaitable[Index]]


async def test_a_new_view_gets_every_anchor_from_its_worker(
    make_demo: Callable[..., DemoServer], index_of: IndexOf, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(views, "ANCHOR_EVERY", 16)  # 300 orders: 18 anchors
    monkeypatch.setattr(plans, "SMALL_LIMIT", 0)  # every view is walked, none materialized
    server = make_demo(orders=300, seed=5)
    app = ListApp(await index_of(server))
    async with app.run_test(size=(120, 24)) as pilot:
        await settle(pilot, app)
        await pilot.press("<")  # by title: a view prepared in a worker
        await settle(pilot, app)
        view = app.order_list.model.window.view
        assert view is not None and view.spec.sort == "title"
        await wait_for(pilot, lambda: view._anchors_done, state=lambda: len(view._anchors))
        assert len(view._anchors) == 300 // 16


async def test_building_stops_when_the_view_is_no_longer_wanted_or_closed(
    make_demo: Callable[..., DemoServer], index_of: IndexOf, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(views, "ANCHOR_EVERY", 16)
    monkeypatch.setattr(plans, "SMALL_LIMIT", 0)
    index = await index_of(make_demo(orders=300, seed=5))
    reader = index.reader()
    view = reader.view(ViewSpec.of(sort="title"))
    assert source.build_anchors(view, lambda: False) is False
    assert view._anchors == []
    view.close()
    assert source.build_anchors(view, lambda: True) is False  # closed: no error, no anchors
    again = reader.view(ViewSpec.of(sort="title"))
    assert source.build_anchors(again, lambda: True) is True
    assert len(again._anchors) == 300 // 16
    reader.close()
