"""Pilot tests of the PreviewPanel's loading: hostile previews and missing ones show a
reason, an expired link asks for one refetch, quick moves cancel stale loads, the panel
hides and shows, follows the detail pane's messages and re-renders on resize."""

from __future__ import annotations

import dataclasses

import pytest
from PIL import Image

from artistree_tui.api.models import Order
from artistree_tui.demo import DemoServer, FaultConfig
from artistree_tui.preview.cache import asset_key
from artistree_tui.preview.decode import DecodedImage
from artistree_tui.ui.detail.messages import AnnotationHighlighted, OrderShown
from artistree_tui.ui.preview.panel import EXPIRED, EXPIRED_REFRESHING, SHOWN, PreviewPanel
from tests.support.preview_panel import (
    PANEL_DEMO,
    make_app,
    settle,
    text_of,
    two_regions,
)

DEMO = PANEL_DEMO
pytestmark = pytest.mark.usefixtures("no_faults")


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
    # The slow image trickles for a minute: a short deadline makes it time out quickly.
    app = make_app(server, timeout=1.0) if fault == "slow" else make_app(server)
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
