"""The panel hands the compositor its strips as they are (``strips.render_plain_lines``) while
Textual's styles pass would change nothing in them, so a picture made ready in the decoding
thread stays ready. The lines are the very lines Textual's pass makes, for any part of the
panel asked, focused or not; a style that would change them (a tint, padding, a border,
opacity) sends them through Textual's pass."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import pytest
from rich.segment import Segment
from textual.geometry import Region
from textual.pilot import Pilot
from textual.strip import Strip

from artistree_tui.api.models import Order
from artistree_tui.demo import DemoServer
from artistree_tui.ui.preview.panel import PreviewPanel
from artistree_tui.ui.preview.strips import plain, render_plain_lines
from tests.support.app import wait_for
from tests.support.preview_panel import PANEL_DEMO, make_app

DEMO = PANEL_DEMO
pytestmark = pytest.mark.usefixtures("no_faults")


def segments(strips: list[Strip]) -> list[list[Segment]]:
    return [list(strip) for strip in strips]


def textual_lines(panel: PreviewPanel, crop: Region) -> list[Strip]:
    """The lines as Textual's styles pass makes them, from nothing cached."""
    panel._styles_cache.clear()
    return panel._styles_cache.render_widget(panel, crop)


def crops(panel: PreviewPanel) -> list[Region]:
    width, height = panel.size
    return [
        Region(0, 0, width, height),
        Region(0, 2, width, 5),
        Region(3, 1, width - 7, height - 2),
        Region(0, height - 3, 10, 3),
    ]


@asynccontextmanager
async def showing(
    server: DemoServer, order: Order
) -> AsyncIterator[tuple[Pilot[None], Any, PreviewPanel]]:
    """A panel showing ``order``'s picture (drawn): ``(pilot, app, panel)``."""
    app = make_app(server)
    async with app.run_test(size=(80, 40)) as pilot:
        panel = app.query_one(PreviewPanel)
        panel.show_order(order)
        await wait_for(pilot, lambda: panel.rendering is not None and panel.order == order)
        yield pilot, app, panel


async def test_the_lines_are_those_of_textuals_styles_pass(
    server: DemoServer, orders: list[Order]
) -> None:
    async with showing(server, orders[0]) as (pilot, app, panel):
        for focused in (False, True):
            app.set_focus(panel if focused else None)
            await pilot.pause()
            assert plain(panel)
            for crop in crops(panel):
                assert segments(panel.render_lines(crop)) == segments(textual_lines(panel, crop))


@pytest.mark.parametrize(
    "rule",
    [
        ("tint", "red 40%"),
        ("padding", (1, 2)),
        ("border", ("round", "white")),
        ("outline", ("solid", "green")),
        ("opacity", 0.5),
        ("text_opacity", 0.5),
    ],
)
async def test_a_style_that_changes_them_goes_through_textuals_pass(
    server: DemoServer, orders: list[Order], rule: tuple[str, Any]
) -> None:
    async with showing(server, orders[0]) as (pilot, _app, panel):
        name, value = rule
        setattr(panel.styles, name, value)
        await pilot.pause()
        assert not plain(panel)
        for crop in crops(panel):
            assert segments(panel.render_lines(crop)) == segments(textual_lines(panel, crop))


async def test_a_line_of_another_width_goes_through_textuals_pass(
    server: DemoServer, orders: list[Order]
) -> None:
    """Mid-resize, a strip may not be the panel's width yet: Textual pads or cuts it."""
    async with showing(server, orders[0]) as (_pilot, _app, panel):
        width, height = panel.size
        narrow = [Strip.blank(width - 1)] * height
        assert render_plain_lines(panel, Region(0, 0, width, height), narrow) is None
        assert render_plain_lines(panel, Region(0, 0, width, height), panel._strips)
