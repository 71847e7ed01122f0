"""A picture fetched ahead (``PreviewPanel.preload``: the order next to the one shown) is ready
to be written: decoded, rendered, and in the decoding thread (``canvas.warm_styles``) the escape
sequence of each of its colours worked out and the minimizer taught them and the changes between
neighbouring runs, so the frame that paints it after ``j`` only looks them up (Textual works
one sequence out per new style, on the UI thread, as it writes a frame; the minimizer parses
each new sequence and change in the output thread before the frame leaves)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import pytest
from rich.color import ColorSystem
from rich.console import COLOR_SYSTEMS
from textual.geometry import Region
from textual.pilot import Pilot
from textual.strip import Strip

from artistree_tui.api.models import Order
from artistree_tui.demo import DemoServer
from artistree_tui.preview import halfblock
from artistree_tui.ui.preview.panel import PreviewPanel
from artistree_tui.ui.wire import minimize
from tests.support.app import wait_for
from tests.support.preview_panel import PANEL_DEMO, PreviewApp, make_app

DEMO = PANEL_DEMO
pytestmark = pytest.mark.usefixtures("no_faults")


class PreloadApp(PreviewApp):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.preloaded: list[str] = []

    def on_preview_panel_preloaded(self, message: PreviewPanel.Preloaded) -> None:
        self.preloaded.append(message.order_id)


@asynccontextmanager
async def showing_the_first(
    server: DemoServer, orders: list[Order]
) -> AsyncIterator[tuple[Pilot[None], PreloadApp, PreviewPanel]]:
    """The panel showing the first order's picture (drawn): ``(pilot, app, panel)``."""
    base = make_app(server)
    app = PreloadApp(base.loader, **base.panel_kw)
    async with app.run_test(size=(80, 40)) as pilot:
        panel = app.query_one(PreviewPanel)
        panel.show_order(orders[0])
        await wait_for(pilot, lambda: panel.rendering is not None)
        yield pilot, app, panel


async def test_its_colours_are_worked_out_before_it_is_painted(
    server: DemoServer, orders: list[Order], monkeypatch: pytest.MonkeyPatch
) -> None:
    async with showing_the_first(server, orders) as (pilot, app, panel):
        ahead = orders[1]
        halfblock.clear_caches()  # its styles are new objects, as for a new picture
        Strip.render_ansi.cache_clear()  # and Textual has worked none of them out
        minimize._styles.clear()  # nor has the minimizer
        minimize._transitions.clear()
        assert panel.preload(ahead)
        await wait_for(pilot, lambda: ahead.order_id in app.preloaded)

        panel.show_order(ahead, selected=0 if ahead.annotations else None)
        await wait_for(pilot, lambda: panel.rendering is not None and panel.order == ahead)
        rendering = panel.rendering
        assert rendering is not None
        styles = {seg.style for line in rendering.lines for seg in line if seg.style is not None}
        assert len(styles) > 20
        # As Textual writes a frame: in the console's colour system (truecolor if unnamed).
        system = COLOR_SYSTEMS.get(app.console.color_system or "", ColorSystem.TRUECOLOR)
        before = Strip.render_ansi.cache_info()
        for style in styles:
            Strip.render_ansi(style, system)
        after = Strip.render_ansi.cache_info()
        assert after.misses == before.misses
        assert after.hits - before.hits == len(styles)

        # The frame as Textual writes it, minimized: nothing of the picture is new to it.
        parsed: list[str] = []
        changes: list[object] = []
        parse, change = minimize._parse, minimize._transition
        monkeypatch.setattr(minimize, "_parse", lambda p: parsed.append(p) or parse(p))
        monkeypatch.setattr(
            minimize, "_transition", lambda a, b: changes.append((a, b)) or change(a, b)
        )
        frame = "".join(strip.render(app.console) for strip in panel._strips)
        assert minimize.minimize(frame)
        picture = [sequence for sequence in parsed if sequence in {s._ansi for s in styles}]
        assert picture == []
        # Only where a line's picture starts (from the panel's margin), nothing inside it.
        assert len(changes) <= 2 * rendering.height


async def test_its_lines_are_written_out_before_it_is_painted(
    server: DemoServer, orders: list[Order], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The decoding thread also made its lines into the strips the panel paints, passed them
    through the app's line filters and wrote their escape sequences: the frame that paints it
    writes none of its picture's runs again."""
    async with showing_the_first(server, orders) as (pilot, app, panel):
        ahead = orders[1]
        assert panel.preload(ahead)
        await wait_for(pilot, lambda: ahead.order_id in app.preloaded)

        written: list[str] = []
        render_style = Strip.render_style

        def counted(style: Any, text: str, color_system: ColorSystem) -> str:
            written.append(text)
            return render_style(style, text, color_system)

        monkeypatch.setattr(Strip, "render_style", counted)
        panel.show_order(ahead, selected=0 if ahead.annotations else None)
        await wait_for(pilot, lambda: panel.rendering is not None and panel.order == ahead)
        rendering = panel.rendering
        assert rendering is not None
        width, height = panel.size
        # As the compositor asks the panel for its lines and writes them.
        lines = panel.render_lines(Region(0, 0, width, height))
        written.clear()
        for line in lines[1 : 1 + rendering.height]:  # the picture (row 0 is its title)
            assert line.render(app.console)
        assert written == []
