"""``n`` past the last new-or-changed row goes to the first, and ``N`` before the first to the
last, like vim's search, with a short notice that it wrapped; with no marked row at all the
cursor stays and the toast says there is none."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from artistree_tui.demo import DemoServer
from artistree_tui.store import Index
from tests.support.list_pilot import ListApp, running_list, running_orders_change, settle, shown

IndexOf = Callable[[DemoServer], Awaitable[Index]]


def toasts(app: ListApp) -> list[str]:
    return [n.message for n in app._notifications]


async def press_and_show(pilot: Any, app: ListApp, key: str) -> None:
    app.clear_notifications()
    await pilot.press(key)
    await shown(pilot, app)


async def test_n_and_N_wrap_around(make_demo: Callable[..., DemoServer], index_of: IndexOf) -> None:
    server = make_demo(orders=300, seed=7, new_order_every=0)
    index = await index_of(server)
    async with running_list(index) as (pilot, app):
        model = app.order_list.model
        positions = await running_orders_change(pilot, app, server, index)
        assert len(positions) >= 2

        await press_and_show(pilot, app, "G")  # the last row: every marked row is above
        assert model.cursor >= positions[-1]
        if model.cursor == positions[-1]:
            await press_and_show(pilot, app, "k")
        await press_and_show(pilot, app, "n")  # none below: back to the first
        assert model.cursor == positions[0]
        assert any("wrapped" in t.lower() and "first" in t for t in toasts(app)), toasts(app)

        await press_and_show(pilot, app, "N")  # none above the first: round to the last
        assert model.cursor == positions[-1]
        assert any("wrapped" in t.lower() and "last" in t for t in toasts(app)), toasts(app)

        await press_and_show(pilot, app, "N")  # an ordinary step: no notice
        assert model.cursor == positions[-2]
        assert not any("wrapped" in t.lower() for t in toasts(app)), toasts(app)

        await pilot.press("x")  # no marked row at all: it stays, and says there is none
        await settle(pilot, app)
        assert model.marked == 0
        here = model.cursor
        await press_and_show(pilot, app, "n")
        assert model.cursor == here
        said = toasts(app)
        assert any("No new or changed row" in t for t in said), said
        assert not any("wrapped" in t.lower() for t in said), said
