"""The preview's keys in the console, where the keyboard really is: z zooms and [ ] step
layers from the annotations table and from the detail pane, v hides and shows the panel, the
footer offers each key only where it applies, and one [keymap] entry rebinds every copy."""

from __future__ import annotations

from typing import Any

import pytest
from textual.pilot import Pilot

from artistree_tui.demo import DemoServer
from artistree_tui.preview.colors import glyph
from artistree_tui.ui.app import ConsoleApp
from artistree_tui.ui.preview.panel import SHOWN, PreviewPanel
from tests.support.app import (
    list_loaded,
    make_app,
    notifications,
    screen_text,
    wait_for,
    wait_steady,
)
from tests.support.demo import demo_rows

SIZE = (160, 50)


# One server for the module: its previews are drawn once and then served from its cache.
DEMO = {"orders": 300, "seed": 7}


@pytest.fixture(scope="module")
def page(server: DemoServer) -> list[dict[str, Any]]:
    """The first list page as raw JSON, read independently of the console's parser."""
    return demo_rows(server, limit=200)


def first(page: list[dict[str, Any]], *, annotations: int = 0, layers: int = 0) -> int:
    """The list index of the first order with a preview and at least that many of each."""
    return next(
        index
        for index, order in enumerate(page)
        if order.get("asset_preview_url")
        and len(order.get("annotations") or []) >= annotations
        and len(order.get("layers_info") or []) >= layers
    )


def panel_of(app: ConsoleApp) -> PreviewPanel:
    return app.main_screen.detail.preview_slot.query_one(PreviewPanel)


async def open_order(
    pilot: Pilot[Any], app: ConsoleApp, page: list[dict[str, Any]], i: int
) -> None:
    """Move the list cursor to order ``i`` and wait for its full detail and its preview."""
    await wait_for(pilot, lambda: list_loaded(app))
    await pilot.press("2", *["j"] * i)
    detail, panel = app.main_screen.detail, panel_of(app)
    order_id = page[i]["order_id"]
    await wait_for(pilot, lambda: detail.order_id == order_id and detail.complete)
    await wait_for(pilot, lambda: panel.order is not None and panel.order.order_id == order_id)
    await wait_for(pilot, lambda: panel.status == SHOWN)


def title(panel: PreviewPanel) -> str:
    return "".join(segment.text for segment in panel.render_line(0))


def footer(app: ConsoleApp) -> str:
    return screen_text(app).splitlines()[-1]


async def test_z_zooms_from_the_annotations_table_and_back(
    server: DemoServer, page: list[dict[str, Any]]
) -> None:
    index = first(page, annotations=2)
    app = make_app(server, preview="halfblock")
    async with app.run_test(size=SIZE) as pilot:
        await open_order(pilot, app, page, index)
        panel = panel_of(app)
        await pilot.press("3", "j")  # the annotations table, second annotation
        table = app.main_screen.detail.annotations_table
        assert app.focused is table
        await wait_for(pilot, lambda: panel.selected == 1)
        assert "z Zoom" in footer(app)
        before = panel.rendering
        assert before is not None and not before.zoomed
        await pilot.press("z")
        after = panel.rendering
        assert panel.zoomed and after is not None and after.zoomed
        assert "zoom" in title(panel)
        region = next(r for r in after.regions if r.index == 1).box
        unzoomed = next(r for r in before.regions if r.index == 1).box
        assert region.width > unzoomed.width  # the selected region, bigger
        await pilot.press("z")
        assert not panel.zoomed and panel.rendering is before
        # The pane itself (scrolled to, rather than the table) takes the same key.
        app.main_screen.detail.focus()
        await pilot.press("z")
        assert panel.zoomed


async def test_layer_keys_step_through_layers_with_their_names(
    server: DemoServer, page: list[dict[str, Any]]
) -> None:
    index = first(page, layers=2)
    layers = page[index]["layers_info"]
    app = make_app(server, preview="halfblock")
    async with app.run_test(size=SIZE) as pilot:
        await open_order(pilot, app, page, index)
        panel = panel_of(app)
        await pilot.press("3")
        assert app.main_screen.detail in app.focused.ancestors_with_self  # type: ignore[union-attr]
        assert "] Next layer" in footer(app) and "[ Prev layer" in footer(app)
        await pilot.press("right_square_bracket")
        await wait_for(pilot, lambda: panel.status == SHOWN and panel.layer_index == 1)
        assert title(panel).startswith(f"Layer 1/{len(layers)} · {layers[0]['layer_name']}")
        await pilot.press("left_square_bracket")
        await wait_for(pilot, lambda: panel.status == SHOWN and panel.layer_index == 0)
        assert title(panel).startswith("Preview")


async def test_footer_offers_only_the_keys_that_apply(
    server: DemoServer, page: list[dict[str, Any]]
) -> None:
    index = next(
        i
        for i, order in enumerate(page)
        if order.get("asset_preview_url")
        and not order.get("layers_info")
        and order.get("annotations")
    )
    app = make_app(server, preview="halfblock")
    async with app.run_test(size=SIZE) as pilot:
        await open_order(pilot, app, page, index)
        await pilot.press("3")
        keys = footer(app)
        assert "z Zoom" in keys and "v Preview" in keys
        assert "Next layer" not in keys  # no layers on this order
        await pilot.press("v")  # hidden: its zoom key no longer applies
        await pilot.pause()
        keys = footer(app)
        assert "Zoom" not in keys and "v Preview" in keys


async def test_v_hides_and_shows_the_panel(server: DemoServer, page: list[dict[str, Any]]) -> None:
    index = first(page, annotations=1)
    app = make_app(server, preview="halfblock")
    async with app.run_test(size=SIZE) as pilot:
        await open_order(pilot, app, page, index)
        panel = panel_of(app)
        assert panel.display and panel.region.height > 3
        await pilot.press("v")  # from the list: a key of the screen
        await pilot.pause()
        assert not panel.display and panel.region.height == 0
        shown = panel.order
        assert shown is not None
        detail = app.main_screen.detail
        files = len(server.recorded("/files/"))  # the module's server: earlier tests' too
        await pilot.press("j")  # moving on while hidden loads nothing
        await wait_for(pilot, lambda: detail.order_id != shown.order_id and detail.complete)
        await wait_for(pilot, lambda: panel.order is not None and panel.order is not shown)
        assert panel.order.order_id == detail.order_id  # it follows the pane...
        assert panel.status == SHOWN  # ...but loads nothing
        assert not [r for r in server.recorded("/files/")[files:] if detail.order_id in r.path]
        await pilot.press("v")
        await wait_for(pilot, lambda: panel.display and panel.status == SHOWN)
        assert panel.order is not None
        assert panel.order.order_id == app.main_screen.detail.order_id
        assert panel.region.height > 3


async def test_v_with_the_preview_off_says_so(server: DemoServer) -> None:
    app = make_app(server, preview="off")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: list_loaded(app))
        assert not app.main_screen.query(PreviewPanel)
        assert "Preview" not in footer(app)
        await pilot.press("v")
        await wait_for(pilot, lambda: any("preview is off" in n for n in notifications(app)))


async def test_one_keymap_entry_rebinds_every_copy(
    server: DemoServer, page: list[dict[str, Any]]
) -> None:
    index = first(page, annotations=2)
    keymap = {"preview.zoom": "x", "preview.toggle": "V"}
    app = make_app(server, preview="halfblock", keymap=keymap)
    async with app.run_test(size=SIZE) as pilot:
        await open_order(pilot, app, page, index)
        panel = panel_of(app)
        await pilot.press("3", "j")
        await wait_for(pilot, lambda: panel.selected == 1)
        await pilot.press("z")
        assert not panel.zoomed
        await pilot.press("x")  # on the table
        assert panel.zoomed
        app.main_screen.detail.focus()
        await pilot.press("x")  # on the pane
        assert not panel.zoomed
        panel.focus()
        await pilot.press("x")  # on the panel itself
        assert panel.zoomed
        await pilot.press("v")
        assert panel.display
        await pilot.press("V")
        assert not panel.display
        assert not any("[keymap]" in n for n in notifications(app))


def row_visible(app: ConsoleApp) -> bool:
    """Whether the annotations table's cursor row is inside the detail pane's view."""
    pane = app.main_screen.detail
    table = pane.annotations_table
    view = pane.scrollable_content_region
    row_y = table.region.y + table.header_height + table.cursor_row - round(table.scroll_y)
    return view.y <= row_y < view.bottom


async def test_in_a_short_pane_the_picture_shows_whole_above_the_annotations(
    server: DemoServer, page: list[dict[str, Any]]
) -> None:
    """At 120×40 the detail pane is ~17 rows: the panel is sized to fit with room for the
    annotations below it, and focusing or moving through them keeps both in view."""
    index = first(page, annotations=3)
    app = make_app(server, preview="halfblock")
    async with app.run_test(size=(120, 40)) as pilot:
        await open_order(pilot, app, page, index)
        panel, pane = panel_of(app), app.main_screen.detail
        assert panel.region.height <= pane.scrollable_content_region.height - 5

        def seen(hidden: int) -> bool:
            """The cursor row in view, and the picture with at most ``hidden`` rows above."""
            view = pane.scrollable_content_region
            return row_visible(app) and view.y - hidden <= panel.region.y < view.bottom

        await pilot.press("3")
        await wait_for(pilot, lambda: seen(0))
        # Row 3 of the table is 18 rows below the picture's top, the pane shows 17: the
        # row wins, the picture's title gives way.
        await pilot.press("j", "j")
        await wait_for(pilot, lambda: panel.selected == 2 and seen(1))
        await pilot.press("k", "k")
        await wait_for(pilot, lambda: panel.selected == 0 and seen(0))


async def test_v_keeps_the_annotations_in_view(
    server: DemoServer, page: list[dict[str, Any]]
) -> None:
    """Far down the annotations of a short pane (the picture's top scrolled away), hiding the
    picture must not leave the pane scrolled past the annotations' heading, and showing it
    again keeps the heading and the selected row in view, with the picture right above."""
    index = first(page, annotations=7)
    app = make_app(server, preview="halfblock")
    async with app.run_test(size=(120, 40)) as pilot:
        await open_order(pilot, app, page, index)
        panel, pane = panel_of(app), app.main_screen.detail
        heading = pane.query_one("#detail-annotations-title")

        def in_view() -> bool:
            view = pane.scrollable_content_region
            return row_visible(app) and view.y <= heading.region.y < view.bottom

        await pilot.press("3", *["j"] * 6)
        await wait_for(pilot, lambda: panel.selected == 6 and row_visible(app))
        assert pane.scroll_y > panel.virtual_region.y  # the picture's top is out of view
        await pilot.press("v")
        await wait_for(pilot, lambda: not panel.display and in_view())
        await wait_steady(pilot, in_view)  # and it stays there
        await pilot.press("v")
        await wait_for(pilot, lambda: panel.display and panel.status == SHOWN and in_view())
        await wait_steady(pilot, in_view)
        view = pane.scrollable_content_region
        assert in_view() and view.y <= panel.region.bottom - 1 < view.bottom


async def test_regions_and_legend_read_without_colour(
    server: DemoServer, page: list[dict[str, Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Under NO_COLOR (Textual greys every colour out) each region still says its band: its
    corner carries the band's symbol, the legend keys the same symbols in words, and the
    selected region's symbol is in reverse video (an attribute, not a colour)."""
    monkeypatch.setenv("NO_COLOR", "1")
    index = first(page, annotations=3)
    app = make_app(server, preview="halfblock")
    async with app.run_test(size=SIZE) as pilot:
        assert app.no_color
        await open_order(pilot, app, page, index)
        panel = panel_of(app)
        await wait_for(pilot, lambda: panel.selected == 0 and panel.rendering is not None)
        await pilot.pause()
        rendering = panel.rendering
        assert rendering is not None and len(rendering.regions) >= 3
        strips = [panel.render_line(y) for y in range(panel.size.height)]
        lines = ["".join(segment.text for segment in strip) for strip in strips]
        assert any(line.strip() and line.strip() in screen_text(app) for line in lines[1:])
        legend = next(line for line in lines if "○ <0.3" in line)
        assert "○ <0.3  ◐ <0.7  ● ≥0.7" in legend and "! remediate" in legend
        picture = "".join(line for line in lines if "▀" in line)
        for symbol, wanted in (("○", 0.0), ("◐", 0.5), ("●", 0.9)):
            drawn = [r for r in rendering.regions if glyph(r.likelihood) == glyph(wanted)]
            assert picture.count(symbol) == len(drawn), symbol
        assert picture.count("!") == sum(r.needs_remediation for r in rendering.regions)
        reversed_cells = {
            segment.text
            for strip in strips
            for segment in strip
            if segment.style is not None and segment.style.reverse and segment.text in "○◐●?"
        }
        selected = next(r for r in rendering.regions if r.index == 0)
        assert reversed_cells == {glyph(selected.likelihood)}
