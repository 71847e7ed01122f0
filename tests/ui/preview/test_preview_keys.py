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


async def test_in_a_short_pane_the_picture_sits_beside_the_verdict_and_annotations(
    server: DemoServer, page: list[dict[str, Any]]
) -> None:
    """At 120×40 the detail pane is ~14 rows: one under the other, the picture would be below
    the fold. Beside the verdict it is on screen whole with the analyses and the annotations,
    as tall as the pane, and moving through the annotations keeps all of them in view."""
    index = first(page, annotations=3)
    app = make_app(server, preview="halfblock")
    async with app.run_test(size=(120, 40)) as pilot:
        await open_order(pilot, app, page, index)
        panel, pane = panel_of(app), app.main_screen.detail
        assert pane.beside
        verdict = pane.query_one("#detail-verdict")
        assert panel.region.x > verdict.region.right  # beside, not below
        assert panel.region.y == verdict.region.y

        def seen() -> bool:
            """The cursor row, the whole picture and the verdict's first line in view."""
            view = pane.scrollable_content_region
            return (
                row_visible(app)
                and view.contains_region(panel.region)
                and view.y <= verdict.region.y < view.bottom
            )

        assert seen()
        await pilot.press("3")
        await wait_for(pilot, seen)
        await pilot.press("j", "j")
        await wait_for(pilot, lambda: panel.selected == 2 and seen())
        await pilot.press("k", "k")
        await wait_for(pilot, lambda: panel.selected == 0 and seen())


async def test_v_keeps_the_annotations_in_view(
    server: DemoServer, page: list[dict[str, Any]]
) -> None:
    """Down the annotations of a short pane, hiding the picture gives its room to the text
    (the preview no longer sits beside it, the text is wrapped wider) and must keep the
    annotations' heading and the selected row in view; showing it again puts it back beside
    them, the row still in view."""
    index = first(page, annotations=7)
    app = make_app(server, preview="halfblock")
    async with app.run_test(size=(120, 40)) as pilot:
        await open_order(pilot, app, page, index)
        panel, pane = panel_of(app), app.main_screen.detail
        table = pane.annotations_table
        heading = pane.query_one("#detail-annotations-title")

        def in_view() -> bool:
            view = pane.scrollable_content_region
            return row_visible(app) and view.y <= heading.region.y < view.bottom

        await pilot.press("3", *["j"] * 6)
        await wait_for(pilot, lambda: panel.selected == 6 and in_view())
        assert pane.beside
        width = table.size.width
        await pilot.press("v")
        await wait_for(pilot, lambda: not panel.display and not pane.beside)
        await wait_steady(pilot, lambda: in_view() and table.size.width > width)
        await pilot.press("v")
        await wait_for(pilot, lambda: panel.display and panel.status == SHOWN and pane.beside)
        await wait_steady(pilot, in_view)
        view = pane.scrollable_content_region
        assert view.y <= panel.region.y < view.bottom


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


async def test_v_below_the_picture_keeps_what_was_read_on_its_line(
    server: DemoServer, page: list[dict[str, Any]]
) -> None:
    """At 160×26 the detail is too narrow for the picture beside the text: it sits below the
    annotations. Reading the metadata below it, hiding the picture must not scroll the text
    away: what was at the top of the view stays there; showing it again, likewise."""
    index = first(page, annotations=1)
    app = make_app(server, preview="halfblock")
    async with app.run_test(size=(160, 26)) as pilot:
        await open_order(pilot, app, page, index)
        panel, pane = panel_of(app), app.main_screen.detail
        assert not pane.beside
        fields = pane.query_one("#detail-fields")
        block = pane.query_one("#detail-main")  # the annotations, then the picture
        assert fields.virtual_region.y > block.virtual_region.bottom  # the metadata is below
        pane.scroll_to(y=fields.virtual_region.y, animate=False, immediate=True)
        await wait_for(pilot, lambda: pane.scroll_y >= block.virtual_region.bottom)
        top = fields.region.y

        def fields_on_top() -> bool:
            return fields.region.y == top

        await pilot.press("v")
        await wait_for(pilot, lambda: not panel.display)
        await wait_steady(pilot, fields_on_top)
        await pilot.press("v")
        await wait_for(pilot, lambda: panel.display and panel.status == SHOWN)
        await wait_steady(pilot, fields_on_top)
