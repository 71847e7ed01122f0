"""Beside or below: the pane decides where the preview goes from the rows its view has, less
its docked header, whose height follows the width (one line from ``HEADER_ONE_LINE`` cells
up, two below). The decision must count the header as it is about to be drawn at the new
width, not as it was: a pane narrowed from one-line to two-line header, at the one height
where that row tips the balance, put the preview below and only the next draw put it back
beside (the preview jumped sides when moving to the next order)."""

from __future__ import annotations

from typing import Any

from artistree_tui.preview import layout
from artistree_tui.ui.detail import sections
from artistree_tui.ui.detail.drawing import BESIDE_MIN_WIDTH, STACKED_ROWS, beside_widths
from tests.support.app import list_loaded, make_app, wait_for

WIDE, NARROW = 240, 210  # terminal widths: the pane's text is 92 and 79 cells wide there


async def settle(pilot: Any, app: Any, size: tuple[int, int]) -> None:
    await pilot.resize_terminal(*size)
    pane = app.main_screen.detail
    await wait_for(
        pilot, lambda: pane.size.width and pane.drawing.drawn_layout[0] == pane.text_width()
    )
    await pilot.pause()


async def test_a_narrowed_pane_counts_its_two_line_header(demo_server: Any) -> None:
    app = make_app(demo_server, preview="halfblock")
    async with app.run_test(size=(WIDE, 60)) as pilot:
        await wait_for(pilot, lambda: list_loaded(app))
        await pilot.press("j")
        pane = app.main_screen.detail
        await wait_for(pilot, lambda: pane.complete)
        # Where the tipping height is at the narrow width (the header two lines there).
        await settle(pilot, app, (NARROW, 60))
        width = pane.text_width()
        assert BESIDE_MIN_WIDTH <= width < sections.HEADER_ONE_LINE
        tipping = STACKED_ROWS + layout.natural_height(width, None, legend=True)
        height = 60 + (tipping - 1) - pane.view_height  # the view one row short of it: beside
        # Wide (a one-line header), then narrowed at that height.
        await settle(pilot, app, (WIDE, height))
        assert sections.header_lines(pane.text_width()) == 1
        await settle(pilot, app, (NARROW, height))
        assert pane.view_height == tipping - 1
        assert beside_widths(width, pane.view_height) is not None
        assert pane.beside  # was below: the decision counted the header's old single line
