"""A picture fetched ahead (``PreviewPanel.preload``: the order next to the one shown) is ready
to be written: decoded, rendered, and the escape sequence of each of its colours worked out in
the decoding thread (``canvas.warm_styles``), so the frame that paints it after ``j`` only
looks them up (Textual works one out per new style, on the UI thread, as it writes a frame)."""

from __future__ import annotations

from typing import Any

import pytest
from rich.color import ColorSystem
from rich.console import COLOR_SYSTEMS
from textual.strip import Strip

from artistree_tui.api.models import Order
from artistree_tui.demo import DemoServer
from artistree_tui.preview import halfblock
from artistree_tui.ui.preview.panel import PreviewPanel
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


async def test_its_colours_are_worked_out_before_it_is_painted(
    server: DemoServer, orders: list[Order]
) -> None:
    base = make_app(server)
    app = PreloadApp(base.loader, **base.panel_kw)
    async with app.run_test(size=(80, 40)) as pilot:
        panel = app.query_one(PreviewPanel)
        first, ahead = orders[0], orders[1]
        panel.show_order(first)
        await wait_for(pilot, lambda: panel.rendering is not None)
        halfblock.clear_caches()  # its styles are new objects, as for a new picture
        Strip.render_ansi.cache_clear()  # and Textual has worked none of them out
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
