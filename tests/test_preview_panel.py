"""Pilot tests of the PreviewPanel hosted in a small app, loading from the demo server."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from PIL import Image
from textual.app import App, ComposeResult
from textual.message import Message
from textual.pilot import Pilot

from artistree_tui.api.assets import AssetFetcher
from artistree_tui.api.models import Annotation, Geometry, Layer, Order
from artistree_tui.api.parse import parse_order
from artistree_tui.demo import DemoServer, FaultConfig
from artistree_tui.preview.cache import asset_key
from artistree_tui.preview.colors import ANSI16_GREYS, ANSI16_PALETTE, TRUECOLOR_PALETTE
from artistree_tui.preview.decode import DecodedImage
from artistree_tui.preview.loader import PreviewLoader
from artistree_tui.ui.messages import AnnotationHighlighted, OrderShown
from artistree_tui.ui.preview_panel import EXPIRED, EXPIRED_REFRESHING, SHOWN, PreviewPanel

RGB = tuple[int, int, int]


@pytest.fixture(scope="module")
def server() -> Iterator[DemoServer]:
    with DemoServer(orders=80, seed=9) as demo:
        yield demo


@pytest.fixture(autouse=True)
def no_faults(server: DemoServer) -> None:
    server.faults = FaultConfig()
    server.clear_requests()


@pytest.fixture(scope="module")
def orders(server: DemoServer) -> list[Order]:
    token = httpx.post(
        server.token_url,
        data={
            "grant_type": "client_credentials",
            "client_id": server.client_id,
            "client_secret": server.client_secret,
        },
    ).json()["access_token"]
    rows = httpx.get(
        f"{server.base_url}/v1/orders",
        params={"project_id": "All Projects", "limit": "80"},
        headers={"Authorization": f"Bearer {token}"},
    ).json()["orders"]
    parsed = [parse_order(row) for row in rows]
    return [o for o in parsed if o is not None and o.asset_preview_url]


def with_layers(orders: list[Order]) -> Order:
    return next(o for o in orders if len(o.layers) >= 2)


def rect(x: float, y: float, w: float, h: float, likelihood: float, **kw: Any) -> Annotation:
    geometry = Geometry(x=x, y=y, w=w, h=h)
    return Annotation(selector_type="RECTANGLE", geometry=geometry, ai_likelihood=likelihood, **kw)


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


def make_app(server: DemoServer, **panel: Any) -> PreviewApp:
    fetcher = AssetFetcher(allow_http_origins=frozenset({server.base_url}), timeout=1.0)
    panel.setdefault("color_mode", "truecolor")
    return PreviewApp(PreviewLoader(fetcher), **panel)


async def settle(pilot: Pilot[None], panel: PreviewPanel, *statuses: str) -> None:
    """Wait (bounded) until the panel reaches one of ``statuses``."""
    for _ in range(300):
        await pilot.pause(0.01)
        if panel.status in statuses:
            await pilot.pause()
            return
    raise AssertionError(f"panel stuck in {panel.status!r}")


def colours(panel: PreviewPanel) -> dict[RGB, int]:
    """How many cell halves of each RGB colour the panel's rendered lines contain."""
    counts: dict[RGB, int] = {}
    for y in range(panel.size.height):
        for segment in panel.render_line(y):
            style = segment.style
            if style is None or not segment.text or set(segment.text) != {"▀"}:
                continue  # titles, legend and padding are not picture
            for color in (style.color, style.bgcolor):
                if color is not None and color.triplet is not None:
                    rgb = tuple(color.triplet)
                    counts[rgb] = counts.get(rgb, 0) + len(segment.text)  # type: ignore[index]
    return counts


def text_of(panel: PreviewPanel, y: int) -> str:
    return "".join(segment.text for segment in panel.render_line(y))


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
        assert text_of(panel, 1 + rendering.height).strip().startswith("■ <0.3")
        assert "2 regions" in text_of(panel, 1 + rendering.height)
        # 4:3 kept: width / (2 × rows) ≈ 1024 / 768.
        assert abs(rendering.width / (2 * rendering.height) - 4 / 3) < 0.1
        assert all("▀" in text_of(panel, y) for y in range(1, 1 + rendering.height))
    records = server.recorded("/files")
    assert len(records) == 1 and records[0].had_auth is False
    assert app.statuses[-1] == SHOWN


async def test_highlight_dims_the_others_without_downloading_again(
    server: DemoServer, orders: list[Order]
) -> None:
    high, low = TRUECOLOR_PALETTE.high, TRUECOLOR_PALETTE.low
    high_dim, low_dim = TRUECOLOR_PALETTE.high_dim, TRUECOLOR_PALETTE.low_dim
    app = make_app(server)
    async with app.run_test(size=(80, 40)) as pilot:
        panel = app.query_one(PreviewPanel)
        # Baseline: the artwork alone uses none of the outline colours.
        panel.show_order(dataclasses.replace(orders[0], annotations=()))
        await settle(pilot, panel, SHOWN)
        plain = colours(panel)
        assert not {high, low, high_dim, low_dim} & set(plain)

        panel.show_order(two_regions(orders[0]))
        await pilot.pause()
        both = colours(panel)
        assert both.get(high, 0) > 0 and both.get(low, 0) > 0
        assert high_dim not in both and low_dim not in both

        panel.highlight_annotation(0)
        await pilot.pause()
        first = colours(panel)
        assert first.get(high, 0) > both[high]  # thicker outline for the selected one
        assert low not in first and first.get(low_dim, 0) > 0

        panel.highlight_annotation(1)
        await pilot.pause()
        second = colours(panel)
        assert high not in second and second.get(high_dim, 0) > 0
        assert second.get(low, 0) > both[low]

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
        assert panel.zoomed and panel.rendering.zoomed  # type: ignore[union-attr]
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
        assert panel.rendering is not None and panel.rendering.legend is None
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


@pytest.mark.parametrize(
    "fault,status",
    [
        ("bomb", "refused: image too big to decode"),
        ("truncated", "truncated image"),
        ("svg", "refused: not an image"),
        ("oversized", "refused: too large"),
        ("slow", "timed out"),
    ],
)
async def test_hostile_previews_show_a_reason(
    server: DemoServer, orders: list[Order], fault: str, status: str
) -> None:
    server.faults = FaultConfig(image=fault)
    app = make_app(server)
    async with app.run_test(size=(80, 30)) as pilot:
        panel = app.query_one(PreviewPanel)
        panel.show_order(orders[1])
        await settle(pilot, panel, status)
        lines = [text_of(panel, y) for y in range(panel.size.height)]
        assert any(status in line for line in lines)
        assert panel.rendering is None


async def test_no_preview_url_is_a_placeholder(server: DemoServer, orders: list[Order]) -> None:
    app = make_app(server)
    async with app.run_test(size=(80, 30)) as pilot:
        panel = app.query_one(PreviewPanel)
        panel.show_order(dataclasses.replace(orders[0], asset_preview_url=None))
        await pilot.pause()
        assert panel.status == "no preview"
        assert any("no preview" in text_of(panel, y) for y in range(panel.size.height))
    assert server.recorded("/files") == []


async def test_expired_url_asks_for_one_refetch(server: DemoServer, orders: list[Order]) -> None:
    order = orders[2]
    server.faults = FaultConfig(image="expired")
    app = make_app(server)
    async with app.run_test(size=(80, 30)) as pilot:
        panel = app.query_one(PreviewPanel)
        panel.show_order(order)
        await settle(pilot, panel, EXPIRED_REFRESHING)
        assert app.expired == [order.order_id]
        assert any("expired link — refreshing…" in text_of(panel, y) for y in range(30))
        # The app refetched the order; the fresh URL has expired too: no second request.
        panel.show_order(order)
        await settle(pilot, panel, EXPIRED)
        assert app.expired == [order.order_id]
        # Later the storage answers again: the same order loads, and may ask again next time.
        server.faults = FaultConfig()
        panel.show_order(order)
        await settle(pilot, panel, SHOWN)
        assert panel.rendering is not None


async def test_moving_quickly_cancels_stale_loads_and_drops_stale_results(
    server: DemoServer, orders: list[Order]
) -> None:
    app = make_app(server)
    async with app.run_test(size=(80, 30)) as pilot:
        panel = app.query_one(PreviewPanel)
        for order in orders[3:9]:
            panel.show_order(order)  # like holding j through the list
        last = orders[8]
        await settle(pilot, panel, SHOWN)
        assert panel.order is last
        assert panel._request is not None and panel._request[0] == last.order_id
        fetched = [r.path for r in server.recorded("/files")]
        assert fetched[-1].endswith(f"{last.order_id}.png")
        assert len(fetched) < 6  # the ones skipped over were never downloaded
        # A late result for an order no longer shown is dropped.
        shown = panel.rendering
        stale = (orders[3].order_id, 0, asset_key(orders[3].asset_preview_url or ""))
        other = DecodedImage(Image.new("RGB", (10, 10), (255, 0, 0)), (10, 10), "PNG")
        panel.post_message(PreviewPanel._Loaded(stale, other))
        await pilot.pause()
        assert panel.order is last and panel.rendering is shown
        assert panel._decoded is not other and "1024×768" in text_of(panel, 0)


async def test_renderer_off_starts_hidden_and_toggle_loads(
    server: DemoServer, orders: list[Order]
) -> None:
    app = make_app(server, renderer="off")
    async with app.run_test(size=(80, 30)) as pilot:
        panel = app.query_one(PreviewPanel)
        assert panel.display is False
        panel.show_order(orders[0])
        await pilot.pause()
        assert server.recorded("/files") == []
        panel.toggle()
        await settle(pilot, panel, SHOWN)
        assert panel.display is True
        panel.toggle()
        assert panel.display is False


async def test_follows_the_detail_pane_messages(server: DemoServer, orders: list[Order]) -> None:
    order = two_regions(orders[0])
    app = make_app(server)
    async with app.run_test(size=(80, 40)) as pilot:
        panel = app.query_one(PreviewPanel)
        panel.post_message(OrderShown(order, complete=False))
        await settle(pilot, panel, SHOWN)
        assert panel.order is order
        panel.post_message(AnnotationHighlighted(order.order_id, 1))
        await pilot.pause()
        assert panel.selected == 1
        panel.post_message(AnnotationHighlighted("another-order", 0))
        await pilot.pause()
        assert panel.selected == 1


async def test_re_renders_on_resize(server: DemoServer, orders: list[Order]) -> None:
    app = make_app(server)
    async with app.run_test(size=(60, 40)) as pilot:
        panel = app.query_one(PreviewPanel)
        panel.show_order(orders[0])
        await settle(pilot, panel, SHOWN)
        narrow = panel.rendering
        await pilot.resize_terminal(120, 60)
        await pilot.pause()
        await pilot.pause()
        assert panel.rendering is not None and narrow is not None
        assert panel.rendering.width > narrow.width
        await pilot.resize_terminal(8, 5)  # tiny: no crash
        await pilot.pause()
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
            ANSI16_PALETTE.low_dim,
            ANSI16_PALETTE.remediation,
        }
        assert used <= allowed
        assert ANSI16_PALETTE.high in used and ANSI16_PALETTE.low_dim in used


def test_bindings_have_ids() -> None:
    ids = {b.id: b.key for b in PreviewPanel.BINDINGS if not isinstance(b, tuple)}  # type: ignore[union-attr]
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
