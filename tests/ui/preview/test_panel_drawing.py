"""Pilot tests of the PreviewPanel hosted in a small app, loading from the demo server: the
picture, its regions and legend, selection, zoom, layers, colours, bindings, a snapshot.
(Loading, failures and placeholders: test_panel_loading.py.)"""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from textual.message import Message
from textual.pilot import Pilot
from textual.strip import Strip

from artistree_tui.api.models import Layer, Order
from artistree_tui.demo import DemoServer, FaultConfig
from artistree_tui.preview.colors import ANSI16_GREYS, ANSI16_PALETTE, TRUECOLOR_PALETTE
from artistree_tui.preview.halfblock import TOLERANCE
from artistree_tui.ui.preview.panel import SHOWN, PreviewPanel
from tests.support.app import wait_for
from tests.support.preview_panel import (
    PANEL_DEMO,
    colours,
    make_app,
    painted,
    settle,
    text_of,
    two_regions,
    with_layers,
)

DEMO = PANEL_DEMO
pytestmark = pytest.mark.usefixtures("no_faults")


async def test_shows_the_preview_with_title_and_legend(
    server: DemoServer, orders: list[Order]
) -> None:
    order = two_regions(orders[0])
    app = make_app(server)
    async with app.run_test(size=(80, 40)) as pilot:
        panel = app.query_one(PreviewPanel)
        assert panel.status == "no order selected"
        panel.show_order(order)
        await settle(pilot, panel, SHOWN)
        rendering = panel.rendering
        assert rendering is not None
        assert text_of(panel, 0).startswith("Preview")
        assert "1024×768" in text_of(panel, 0)
        assert text_of(panel, 1 + rendering.height).strip().startswith("○ <0.3")
        assert "2 regions" in text_of(panel, 1 + rendering.height)
        # 4:3 kept: width / (2 × rows) ≈ 1024 / 768.
        assert abs(rendering.width / (2 * rendering.height) - 4 / 3) < 0.1
        assert all("▀" in text_of(panel, y) for y in range(1, 1 + rendering.height))
    records = server.recorded("/files")
    assert len(records) == 1 and records[0].had_auth is False
    assert app.statuses[-1] == SHOWN


async def test_the_first_picture_is_rendered_once_at_the_panel_size(
    server: DemoServer, orders: list[Order]
) -> None:
    """The decoding thread renders for the height the panel is about to take (here capped by
    max-height: 60vh of 40 rows); the UI then finds that rendering instead of making another."""
    app = make_app(server)
    async with app.run_test(size=(80, 40)) as pilot:
        panel = app.query_one(PreviewPanel)
        await painted(pilot, panel, two_regions(orders[0]))
        assert panel.size.height == 24 and panel.rendering is not None
        assert panel.rendering.height == 24 - 2  # title and legend
        assert len(app.loader.rendered) == 1


async def test_a_selection_made_while_loading_is_in_the_first_rendering(
    server: DemoServer, orders: list[Order]
) -> None:
    """The detail pane selects the first annotation right after showing an order, before its
    picture has arrived: the decoding thread renders with that selection (the UI finds it,
    nothing is rendered twice) and the panel does not repaint a placeholder meanwhile."""
    app = make_app(server)
    async with app.run_test(size=(80, 40)) as pilot:
        panel = app.query_one(PreviewPanel)
        panel.show_order(two_regions(orders[0]))
        strips = panel._strips
        panel.highlight_annotation(1)
        assert panel._strips is strips  # still loading: nothing repainted
        await settle(pilot, panel, SHOWN)
        await pilot.pause()
        assert panel.selected == 1 and panel.rendering is not None
        assert [key[4] for key in app.loader.rendered._items] == [1]  # (…, selected, …)


RGB = tuple[int, int, int]


class ComparedStrip(Strip):
    """A strip that notes each comparison made with it."""

    def __init__(self, strip: Strip, compared: list[object]) -> None:
        super().__init__(list(strip), strip.cell_length)
        self.compared = compared

    def __eq__(self, other: object) -> bool:
        self.compared.append(other)
        return super().__eq__(other)

    __hash__ = Strip.__hash__


def artwork_or_outline(shown: dict[RGB, int], artwork: dict[RGB, int]) -> bool:
    """Every colour shown is an outline's, exactly, or the artwork's (the wire encoding draws
    a cell in the colour of the one before it when it is within a step of the colour grid:
    halfblock.TOLERANCE, so "the artwork's" is within that step of one of them)."""
    outlines = set(dataclasses.astuple(TRUECOLOR_PALETTE))

    def near(a: RGB, b: RGB) -> bool:
        return max(abs(x - y) for x, y in zip(a, b, strict=True)) <= TOLERANCE

    return all(c in outlines or any(near(c, a) for a in artwork) for c in shown)


async def test_highlight_dims_the_others_without_downloading_again(
    server: DemoServer, orders: list[Order]
) -> None:
    high, low = TRUECOLOR_PALETTE.high, TRUECOLOR_PALETTE.low
    app = make_app(server)
    async with app.run_test(size=(80, 40)) as pilot:
        panel = app.query_one(PreviewPanel)
        # Baseline: the artwork alone uses none of the outline colours.
        panel.show_order(dataclasses.replace(orders[0], annotations=()))
        await settle(pilot, panel, SHOWN)
        plain = colours(panel)
        assert not {high, low} & set(plain)

        panel.show_order(two_regions(orders[0]))
        await pilot.pause()
        both = colours(panel)
        assert both.get(high, 0) > 0 and both.get(low, 0) > 0

        # Selected: a thicker outline. The other one is dimmed by dotting its outline, in
        # its own colour (the legend's), so fewer of its pixels show but none change hue.
        panel.highlight_annotation(0)
        await pilot.pause()
        first = colours(panel)
        assert first.get(high, 0) > both[high]
        assert 0 < first.get(low, 0) < both[low]
        assert artwork_or_outline(first, plain)

        panel.highlight_annotation(1)
        await pilot.pause()
        second = colours(panel)
        assert 0 < second.get(high, 0) < both[high]
        assert second.get(low, 0) > both[low]
        assert artwork_or_outline(second, plain)

        panel.highlight_annotation(None)
        await pilot.pause()
        assert colours(panel) == both
        panel.highlight_annotation(7)  # out of range: no selection, no error
        assert panel.selected is None
    assert len(server.recorded("/files")) == 1  # one download for all of it


async def test_zoom_in_on_the_selected_region_and_back(
    server: DemoServer, orders: list[Order]
) -> None:
    app = make_app(server)
    async with app.run_test(size=(80, 40)) as pilot:
        panel = app.query_one(PreviewPanel)
        panel.show_order(two_regions(orders[0]))
        await settle(pilot, panel, SHOWN)
        assert panel.toggle_zoom() is False  # nothing selected yet
        assert "select an annotation" in text_of(panel, 0)
        panel.highlight_annotation(0)
        await pilot.pause()
        before = [text_of(panel, y) for y in range(panel.size.height)]
        before_region = panel.rendering.regions[0].box  # type: ignore[union-attr]
        assert panel.toggle_zoom() is True
        await pilot.pause()
        assert panel.rendering is not None and panel.rendering.zoomed
        assert "zoom" in text_of(panel, 0)
        zoomed_region = next(r for r in panel.rendering.regions if r.index == 0).box
        # 300 px of a 768 px high image + 25 % margins a side: about 1.7× bigger.
        assert zoomed_region.width > 1.5 * before_region.width
        assert panel.toggle_zoom() is False
        await pilot.pause()
        assert [text_of(panel, y) for y in range(panel.size.height)] == before
        # The key does the same.
        panel.focus()
        await pilot.press("z")
        assert panel.zoomed and panel.rendering.zoomed
        await pilot.press("z")
        assert not panel.zoomed


async def test_step_through_layers_with_names(server: DemoServer, orders: list[Order]) -> None:
    order = with_layers(orders)
    app = make_app(server)
    async with app.run_test(size=(80, 40)) as pilot:
        panel = app.query_one(PreviewPanel)
        panel.show_order(order)
        await settle(pilot, panel, SHOWN)
        assert f"{len(order.layers)} layers" in text_of(panel, 0)
        panel.focus()
        await pilot.press("right_square_bracket")
        await settle(pilot, panel, SHOWN)
        title = text_of(panel, 0)
        assert title.startswith(f"Layer 1/{len(order.layers)} · {order.layers[0].name}")
        assert panel.rendering is not None  # a layer has no regions: no legend line
        assert not any("<0.3" in text_of(panel, y) for y in range(panel.size.height))
        panel.next_layer()
        await settle(pilot, panel, SHOWN)
        assert text_of(panel, 0).startswith(f"Layer 2/{len(order.layers)}")
        await pilot.press("left_square_bracket")
        await pilot.press("left_square_bracket")
        await settle(pilot, panel, SHOWN)
        assert text_of(panel, 0).startswith("Preview")
        panel.previous_layer()  # wraps around to the last layer
        await settle(pilot, panel, SHOWN)
        assert text_of(panel, 0).startswith(f"Layer {len(order.layers)}/")


async def test_a_layer_that_is_not_an_image_shows_a_placeholder(
    server: DemoServer, orders: list[Order]
) -> None:
    order = with_layers(orders)
    app = make_app(server)
    async with app.run_test(size=(80, 40)) as pilot:
        panel = app.query_one(PreviewPanel)
        panel.show_order(order)
        await settle(pilot, panel, SHOWN)
        server.faults = FaultConfig(image="wrong-type")
        panel.next_layer()
        await settle(pilot, panel, "refused: not an image")
        assert any("refused: not an image" in text_of(panel, y) for y in range(panel.size.height))
        panel.previous_layer()  # the preview is still in memory: shown at once
        assert panel.status == SHOWN


async def test_hostile_layer_names_are_shown_literally(
    server: DemoServer, orders: list[Order]
) -> None:
    base = with_layers(orders)
    evil = "[@click=app.quit]x[/]\x1b]52;c;SGVsbG8=\x07\u202e"
    order = dataclasses.replace(base, layers=(Layer(name=evil, url=base.layers[0].url),))
    app = make_app(server)
    async with app.run_test(size=(100, 40)) as pilot:
        panel = app.query_one(PreviewPanel)
        panel.show_order(order)
        await settle(pilot, panel, SHOWN)
        panel.next_layer()
        await settle(pilot, panel, SHOWN)
        title = text_of(panel, 0)
        assert "[@click=app.quit]x[/]" in title
        assert "\x1b" not in title and "\x07" not in title and "\u202e" not in title
        assert app.is_running


async def test_sixteen_colour_mode_uses_ansi_colours_only(
    server: DemoServer, orders: list[Order]
) -> None:
    app = make_app(server, color_mode="16")
    async with app.run_test(size=(80, 40)) as pilot:
        panel = app.query_one(PreviewPanel)
        panel.show_order(two_regions(orders[0]))
        await settle(pilot, panel, SHOWN)
        panel.highlight_annotation(0)
        await pilot.pause()
        used = set(colours(panel))
        allowed = set(ANSI16_GREYS) | {
            ANSI16_PALETTE.high,
            ANSI16_PALETTE.low,
            ANSI16_PALETTE.remediation,
        }
        assert used <= allowed
        assert ANSI16_PALETTE.high in used and ANSI16_PALETTE.low in used


def test_bindings_have_ids() -> None:
    ids = {b.id: b.key for b in PreviewPanel.BINDINGS if not isinstance(b, tuple)}
    assert ids == {
        "preview.zoom": "z",
        "preview.layer_prev": "left_square_bracket",
        "preview.layer_next": "right_square_bracket",
    }


def test_messages_are_public_message_types() -> None:
    assert issubclass(PreviewPanel.UrlExpired, Message)
    assert issubclass(PreviewPanel.StatusChanged, Message)


def test_snapshot_of_a_preview_with_a_selected_region(
    snap_compare: Any, server: DemoServer, orders: list[Order]
) -> None:
    """The panel alone (the console's own snapshots show it inside the detail pane): an order
    with several regions, the second selected and the others dimmed. Deterministic: the
    demo's fixed seed draws the same artwork every run."""
    order = next(o for o in orders if len(o.annotations) >= 3)
    app = make_app(server)

    async def run_before(pilot: Pilot[None]) -> None:
        panel = app.query_one(PreviewPanel)
        panel.show_order(order)
        await settle(pilot, panel, SHOWN)
        panel.highlight_annotation(1)
        await pilot.pause()

    assert snap_compare(app, terminal_size=(80, 30), run_before=run_before)


async def test_a_picture_repaints_as_many_lines_as_change(
    server: DemoServer, orders: list[Order]
) -> None:
    """Another region selected on the same picture repaints the lines whose outlines changed
    (over SSH each line is ~1 KB); another picture repaints the panel at once, without
    comparing its lines first (every one changes, and ``j`` waits for that frame)."""
    app = make_app(server)
    async with app.run_test(size=(80, 40)) as pilot:
        panel = app.query_one(PreviewPanel)
        await painted(pilot, panel, two_regions(orders[0]))
        repaints: list[tuple[Any, ...]] = []
        refresh = panel.refresh

        def spy(*regions: Any, **kwargs: Any) -> Any:
            repaints.append(regions)
            return refresh(*regions, **kwargs)

        panel.refresh = spy  # type: ignore[method-assign]
        order = panel.order
        assert order is not None
        panel.show_order(dataclasses.replace(order))  # an equal copy (after r): as it was
        await pilot.pause()
        assert repaints == []
        panel.highlight_annotation(1)
        await wait_for(pilot, lambda: panel.selected == 1 and bool(repaints))
        rendering = panel.rendering
        assert rendering is not None
        assert all(len(regions) == 1 and regions[0].height == 1 for regions in repaints)
        assert 0 < len(repaints) < rendering.height
        repaints.clear()
        compared: list[object] = []
        strips = panel._strips
        panel._strips = [ComparedStrip(strip, compared) for strip in strips]
        panel.show_order(two_regions(orders[1]))
        await settle(pilot, panel, SHOWN)
        await wait_for(pilot, lambda: () in repaints)  # the whole panel
        assert compared == []
