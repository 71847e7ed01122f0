"""The detail pane composes only what its empty state shows (the header line): its sections,
the annotations table and the preview slot are mounted with the first order drawn. Whatever
asks for them before that gets an answer (nothing selected, the pane to focus), or builds them
(the table, the slot); a widget held for the slot goes into it when it is built.
"""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import Static

from artistree_tui.api.models import Order
from artistree_tui.ui.detail.annotation_table import AnnotationTable
from artistree_tui.ui.detail.pane import PREVIEW_SLOT_ID, DetailPane
from tests.support.app import wait_for

SECTIONS = ("#detail-main", "#detail-verdict", "#detail-selected", "#detail-fields")


def order(n: int) -> Order:
    return Order(order_id=f"00000000-0000-4000-8000-{n:012d}", order_title=f"row {n}")


async def fetch(order_id: str) -> Order:
    return Order(order_id=order_id, order_title="full", failed_items=("ok",))


class PaneApp(App[None]):
    def compose(self) -> ComposeResult:
        yield DetailPane(fetch, debounce=0.01, id="detail")

    @property
    def pane(self) -> DetailPane:
        return self.query_one(DetailPane)


def built(pane: DetailPane) -> list[str]:
    return [selector for selector in SECTIONS if pane.query(selector)]


async def test_the_empty_pane_has_its_header_alone_and_answers_for_the_rest() -> None:
    app = PaneApp()
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        pane = app.pane
        assert built(pane) == [] and not pane.query(AnnotationTable)
        assert not pane.query(f"#{PREVIEW_SLOT_ID}")
        assert pane.section_text("header") == "No order selected."
        assert pane.section_text("verdict") == ""
        assert pane.selected_annotation is None
        assert pane.focus_target() is pane
        assert not pane.beside
        assert built(pane) == []  # none of these built anything


async def test_the_first_order_drawn_builds_the_sections_and_fills_them() -> None:
    app = PaneApp()
    async with app.run_test(size=(100, 40)) as pilot:
        pane = app.pane
        held = Static("the preview", id="held")
        pane.hold_preview(lambda: held)
        await pilot.pause()
        assert not held.is_attached  # held until the slot exists
        pane.show(order(1))
        assert built(pane) == list(SECTIONS)  # at once, for whoever asks next
        await wait_for(pilot, lambda: pane.complete and held.is_mounted)
        assert held.parent is pane.preview_slot
        assert "full" in pane.section_text("header")
        assert pane.annotations_table.is_mounted
        pane.show_none("No orders.")  # empty again: the sections stay, hidden
        await pilot.pause()
        assert built(pane) == list(SECTIONS) and pane.has_class("-empty")
        assert pane.section_text("header") == "No orders."


async def test_the_table_asked_for_first_is_built_on_demand() -> None:
    app = PaneApp()
    async with app.run_test(size=(100, 40)) as pilot:
        pane = app.pane
        await pilot.pause()
        table = pane.annotations_table
        assert table.row_count == 0 and pane.preview_slot is not None
        await wait_for(pilot, lambda: table.is_mounted)
        pane.show(order(2))
        await wait_for(pilot, lambda: pane.complete)
        assert pane.annotations_table is table  # built once
        assert pane.section_text("fields") != ""
