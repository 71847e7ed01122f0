"""The screenshot script (``python -m artistree_tui.screenshots``): it runs, writes every SVG,
each shows what its name promises, and a second run gives the same bytes.

What each picture should contain is read from the demo API itself (the first order's title,
the stats of the same seed), not written down here.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from artistree_tui import screenshots
from artistree_tui.api.models import ALL_PROJECTS, OrdersPage
from artistree_tui.api.parse import decode_json, parse_orders_page
from artistree_tui.demo import DEMO_EPOCH, DemoServer

TEXT = re.compile(r"<text\b[^>]*>(.*?)</text>", re.DOTALL)


def svg_text(svg: str) -> str:
    """The terminal text of a Rich SVG export: its <text> runs in order, unescaped."""
    return html.unescape("".join(TEXT.findall(svg))).replace("\xa0", " ")


@pytest.fixture
def truth(
    make_demo: Callable[..., DemoServer], demo_http: Callable[[DemoServer], httpx.Client]
) -> OrdersPage:
    """The first page of the screenshots' data, from a demo API with the same seed and epoch."""
    server = make_demo(orders=screenshots.ORDERS, seed=screenshots.SEED, epoch=DEMO_EPOCH)
    response = demo_http(server).get("/v1/orders", params={"project_id": ALL_PROJECTS})
    response.raise_for_status()
    return parse_orders_page(decode_json(response.content))


def test_screenshots_are_written_show_the_console_and_repeat(
    tmp_path: Path, truth: OrdersPage
) -> None:
    paths = screenshots.capture(tmp_path / "shots")

    names = [shot.name for shot in screenshots.SHOTS]
    assert [p.name for p in paths] == [f"{name}.svg" for name in names]
    assert {"main", "detail", "help", "small"} <= set(names)
    texts = {}
    for path in paths:
        svg = path.read_text(encoding="utf-8")
        assert svg.startswith("<svg") and svg.rstrip().endswith("</svg>")
        assert len(svg) > 20_000, f"{path.name} looks empty"
        texts[path.stem] = svg_text(svg)

    title = truth.orders[0].order_title
    total = truth.stats.total
    assert title and total
    for name in ("main", "small"):
        assert title[:16] in texts[name]  # the highlighted first row (cut on 80 columns)
        assert f"{total:,} orders" in texts[name]  # the list's status line
        assert "All Projects" in texts[name]
    # The stats bar: the compact form on 120 columns.
    assert f"Σ {total:,}" in texts["main"]  # separators, as the list writes them
    # The detail shot: a Failed order's verdict first (state, confidence, remediation; the
    # failing analyses and the failed items), the preview beside it with its legend, the
    # annotations (likelihood and remediation columns), one of them selected and shown whole.
    assert "✗ Failed · confidence " in texts["detail"]
    for expected in ("Analyses · ", "✗ fail ", "Failed items", "state ✗ failed"):
        assert expected in texts["detail"]
    for expected in ("Preview", "remediate", "Annotations", "AI", "fix"):
        assert expected in texts["detail"]
    for expected in ("Selected", "Geometry"):
        assert expected in texts["detail"]
    # The help screen lists the keys of the focused pane and how to close it.
    for expected in ("Keys", "[list.down]", "Filter", "to close"):
        assert expected in texts["help"]
    assert "Keys" not in texts["main"]
    assert f"filter “{screenshots.FILTER_TEXT}”" in texts["filter"]

    # A second run writes the very same bytes (checked on one shot, to keep the suite fast).
    again = screenshots.capture(tmp_path / "again", ["main"])
    assert again[0].read_bytes() == (tmp_path / "shots" / "main.svg").read_bytes()


def test_unknown_screenshot_name_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown screenshot"):
        screenshots.capture(tmp_path, ["nope"])
    assert not any(tmp_path.iterdir())
