"""Helpers for the PreviewPanel Pilot tests (no tests here): the demo's orders, orders with
known regions, a bare app hosting one panel, waiting for a status, and reading the panel's
lines and colours back."""

from __future__ import annotations

import dataclasses
from typing import Any

from textual.app import App, ComposeResult
from textual.pilot import Pilot

from artistree_tui.api.assets import AssetFetcher
from artistree_tui.api.models import Order
from artistree_tui.api.parse import parse_order
from artistree_tui.demo import DemoServer
from artistree_tui.preview.loader import PreviewLoader
from artistree_tui.ui.preview.panel import SHOWN, PreviewPanel
from tests.support.annotations import rect
from tests.support.app import wait_for
from tests.support.demo import demo_rows

RGB = tuple[int, int, int]


#: The demo every preview panel test module starts (each its own: the ``server`` fixture).
PANEL_DEMO = {"orders": 80, "seed": 9}


def demo_orders(server: DemoServer) -> list[Order]:
    """The demo's first 80 orders that have a preview, read over its API."""
    parsed = [parse_order(row) for row in demo_rows(server, limit=80)]
    return [o for o in parsed if o is not None and o.asset_preview_url]


def with_layers(orders: list[Order]) -> Order:
    return next(o for o in orders if len(o.layers) >= 2)


def two_regions(order: Order) -> Order:
    """The order with two known regions: 0 = high (red) on the left, 1 = low (green) right."""
    return dataclasses.replace(
        order,
        annotations=(rect(100, 200, 300, 300, 0.9), rect(600, 200, 300, 300, 0.1)),
    )


class PreviewApp(App[None]):
    """A bare host for one PreviewPanel; records the messages the panel posts."""

    def __init__(self, loader: PreviewLoader, **panel: Any) -> None:
        super().__init__()
        self.loader = loader
        self.panel_kw = panel
        self.expired: list[str] = []
        self.statuses: list[str] = []

    def compose(self) -> ComposeResult:
        yield PreviewPanel(self.loader, id="preview", **self.panel_kw)

    def on_preview_panel_url_expired(self, message: PreviewPanel.UrlExpired) -> None:
        self.expired.append(message.order_id)

    def on_preview_panel_status_changed(self, message: PreviewPanel.StatusChanged) -> None:
        self.statuses.append(message.status)


def make_app(server: DemoServer, *, timeout: float = 15.0, **panel: Any) -> PreviewApp:
    """The panel on ``server``'s files. ``timeout``: the fetcher's deadline, generous so that
    a loaded CI machine never turns a slow answer into "timed out" (the test of the slow
    fault passes a short one)."""
    fetcher = AssetFetcher(allow_http_origins=frozenset({server.base_url}), timeout=timeout)
    panel.setdefault("color_mode", "truecolor")
    return PreviewApp(PreviewLoader(fetcher), **panel)


async def settle(pilot: Pilot[Any], panel: PreviewPanel, *statuses: str) -> None:
    """Wait (bounded) until the panel reaches one of ``statuses`` (after handling what is
    queued: a status set by an earlier order must not count)."""
    await pilot.pause()
    await wait_for(pilot, lambda: panel.status in statuses, limit=20, state=lambda: panel.status)


async def painted(pilot: Pilot[Any], panel: PreviewPanel, order: Order) -> None:
    """Show ``order`` and wait until its picture is painted and the panel at rest."""
    panel.show_order(order)
    await settle(pilot, panel, SHOWN)
    await pilot.pause()


def colours(panel: PreviewPanel) -> dict[RGB, int]:
    """How many cell halves of each RGB colour the panel's picture shows: ``▀`` is its
    foreground over its background, ``▄`` the other way round, a space its background twice
    (halfblock.compact_lines draws with all three)."""
    counts: dict[RGB, int] = {}
    rendering = panel.rendering
    if rendering is None:
        return counts
    for line in rendering.lines:
        for segment in line:
            style = segment.style
            glyphs = set(segment.text)
            if style is None or not glyphs or not glyphs <= {"▀", "▄", " "}:
                continue  # the region tags (symbols) are not picture
            fg, bg = style.color, style.bgcolor
            halves = [bg, bg] if glyphs == {" "} else [fg, bg]
            for color in halves:
                if color is not None and color.triplet is not None:
                    r, g, b = color.triplet
                    counts[(r, g, b)] = counts.get((r, g, b), 0) + len(segment.text)
    return counts


def text_of(panel: PreviewPanel, y: int) -> str:
    return "".join(segment.text for segment in panel.render_line(y))
