"""Sorted by confidence, the list holds still while the reviewer reads it. Orders without a
known score sort last, and reading one in the detail learns its score: written at once, the
order would jump up the list and the cursor with it, so ``G`` could never stay on the last row
(a tryout: ``G`` on 50,152 orders landed on row 63, the next ``G`` on row 322). The full
orders the detail reads are kept back while that sorted list is on screen, and take their
places at ``r`` or when the list changes (another sort, a filter). The console over real
loopback HTTP against the demo API; the index is real SQLite (memory)."""

from __future__ import annotations

from typing import Any

from artistree_tui.ui.app import ConsoleApp
from artistree_tui.ui.orders.model import ListModel
from tests.support.app import cursor_shown, make_app, settled, wait_for


async def sorted_by_confidence(pilot: Any, app: ConsoleApp, *, descending: bool) -> ListModel:
    """Once the organization is indexed and discovery's full pages are in, the list sorted
    by confidence; its model."""
    await wait_for(pilot, lambda: settled(app))
    order_list = app.main_screen.orders.order_list
    order_list.set_sort("confidence", descending)
    model = order_list.model
    await wait_for(pilot, lambda: model.ready and model.query.sort == "confidence")
    return model


async def test_g_stays_on_the_last_row_while_its_score_comes_in(make_demo: Any) -> None:
    demo = make_demo(orders=1500, seed=12, new_order_every=0)
    app = make_app(demo)
    async with app.run_test(size=(120, 40)) as pilot:
        model = await sorted_by_confidence(pilot, app, descending=True)
        screen = app.main_screen
        scored = model.scored  # the newest orders' full pages were read (discovery)
        assert scored is not None and 0 < scored < model.count
        assert f"({scored:,} with a score)" in str(screen.orders.status_text())
        await pilot.press("G")
        last = await cursor_shown(pilot, app)
        tail = model.highlighted
        assert model.cursor == model.count - 1
        assert tail is not None and not tail.full and tail.confidence is None  # not read yet
        await wait_for(pilot, lambda: screen.detail.complete)  # its full order, its score
        assert screen.detail.order is not None and screen.detail.order.confidence
        await wait_for(pilot, lambda: screen.sync.held >= 1)
        await pilot.pause()
        row = model.highlighted
        assert row is not None and row.order_id == last.order_id  # the cursor stayed put
        assert model.cursor == model.count - 1

        await pilot.press("r")  # the scores read meanwhile take their places
        await wait_for(  # (the neighbours the detail reads ahead there are kept back again)
            pilot,
            lambda: (
                (now := model.highlighted) is not None
                and now.order_id == last.order_id
                and now.full
                and now.confidence is not None
            ),
            state=lambda: (screen.sync.held, model.cursor, model.highlighted),
        )
        assert model.cursor < model.count - 1  # it moved up to its score, the cursor with it


async def test_reads_in_another_sort_are_written_at_once(make_demo: Any) -> None:
    demo = make_demo(orders=120, seed=12, new_order_every=0)
    app = make_app(demo)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: settled(app))
        screen = app.main_screen
        model = screen.orders.order_list.model
        await pilot.press("G")  # newest first: the oldest order, not read yet
        last = await cursor_shown(pilot, app)
        await wait_for(
            pilot,
            lambda: (
                (row := model.highlighted) is not None
                and row.order_id == last.order_id
                and row.full
            ),
        )
        assert screen.sync.held == 0


async def test_what_was_kept_back_is_written_when_the_list_changes(make_demo: Any) -> None:
    demo = make_demo(orders=1500, seed=12, new_order_every=0)
    app = make_app(demo)
    async with app.run_test(size=(120, 40)) as pilot:
        model = await sorted_by_confidence(pilot, app, descending=False)
        screen, order_list = app.main_screen, app.main_screen.orders.order_list
        await pilot.press("G")
        last = await cursor_shown(pilot, app)
        await wait_for(pilot, lambda: screen.sync.held >= 1)
        order_list.set_sort("created", True)  # another list: the scores go in
        await wait_for(
            pilot,
            lambda: (
                screen.sync.held == 0
                and (row := model.highlighted) is not None
                and row.order_id == last.order_id
                and row.full
            ),
            state=lambda: (screen.sync.held, model.highlighted),
        )
