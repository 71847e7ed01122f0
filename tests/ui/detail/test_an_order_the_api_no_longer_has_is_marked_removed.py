"""An order whose full copy the API answers 404 for (deleted since the index listed it) is
marked removed in the index at once, not at the next complete re-sweep (15 min): the list
draws it removed and the counts leave it out. Over real loopback HTTP against the demo, which
removes the order; the index is real SQLite (memory). The mark carries when the 404 was asked
for, so an answer asked after it brings the order back (tests/store/test_a_late_answer_…)."""

from __future__ import annotations

import time
from typing import Any

from textual.widgets import Static

from artistree_tui.ui.stats.bar import StatsBar
from tests.support.app import cursor_shown, list_loaded, make_app, wait_for


async def test_a_404_marks_the_order_removed_at_once(make_demo: Any) -> None:
    demo = make_demo(orders=60, seed=7, new_order_every=0)
    app = make_app(demo)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: list_loaded(app))
        screen = app.main_screen
        model = screen.orders.order_list.model
        victim = model.row(2)
        assert victim is not None and victim.gone is None
        bar = screen.query_one(StatsBar)
        await wait_for(pilot, lambda: bar.counts is not None and bar.counts.total == 60)
        marks: list[tuple[str, float | None]] = []
        mark_gone = screen.sync.mark_gone

        def spy(order_id: str, asked_at: float | None = None) -> None:
            marks.append((order_id, asked_at))
            mark_gone(order_id, asked_at)

        screen.sync.mark_gone = spy  # type: ignore[method-assign]
        demo.remove_order(victim.order_id)
        before = time.time()
        await pilot.press("j", "j")
        assert (await cursor_shown(pilot, app)).order_id == victim.order_id
        status = screen.detail.query_one("#detail-status", Static)
        await wait_for(pilot, lambda: "not found" in str(status.render()))
        await wait_for(
            pilot,
            lambda: (row := model.row(2)) is not None and row.gone is not None,
            state=lambda: model.row(2),
        )
        assert model.row(2).order_id == victim.order_id  # type: ignore[union-attr]  # kept
        [(marked, asked)] = marks
        assert marked == victim.order_id
        assert asked is not None and before <= asked <= time.time()
        await wait_for(pilot, lambda: bar.counts is not None and bar.counts.total == 59)
        assert demo.stats()["total_orders"] == 59
