"""The PreviewPanel mounted in the detail pane's preview slot, fed by the real API client:
it follows the pane's order and annotation cursor, and the expired-URL refetch round trip
works the way the app is meant to wire it (one refetch, then a clear placeholder)."""

from __future__ import annotations

from textual.app import App, ComposeResult

from artistree_tui.api.assets import AssetFetcher
from artistree_tui.api.auth import ClientCredentials
from artistree_tui.api.client import ArtistreeClient
from artistree_tui.api.models import Order
from artistree_tui.demo import DemoServer, FaultConfig
from artistree_tui.preview.loader import PreviewLoader
from artistree_tui.ui.detail.pane import DetailPane
from artistree_tui.ui.preview.panel import EXPIRED, SHOWN, PreviewPanel
from tests.support.app import wait_for
from tests.support.preview_panel import settle

DEMO = {"orders": 60, "seed": 2}


class DetailApp(App[None]):
    """The detail pane with a preview in its slot, wired like the console should be."""

    def __init__(self, server: DemoServer) -> None:
        super().__init__()
        auth = ClientCredentials(server.token_url, server.client_id, server.client_secret)
        self.client = ArtistreeClient(server.base_url, auth)
        # A generous timeout: a loaded CI machine must not turn a slow answer into "timed out".
        fetcher = AssetFetcher(allow_http_origins=frozenset({server.base_url}), timeout=15)
        self.loader = PreviewLoader(fetcher)

    def compose(self) -> ComposeResult:
        yield DetailPane(self.client.get_order, debounce=0.01, id="detail")

    async def on_mount(self) -> None:
        detail = self.query_one(DetailPane)
        await detail.preview_slot.mount(PreviewPanel(self.loader, color_mode="truecolor"))

    def on_preview_panel_url_expired(self, message: PreviewPanel.UrlExpired) -> None:
        # What the console's main screen does: fetch the order again; the pane then
        # announces the fresh order and the panel retries with its new URL.
        self.query_one(DetailPane).refetch(message.order_id)

    async def on_unmount(self) -> None:
        await self.client.aclose()
        await self.loader.aclose()


async def first_orders(server: DemoServer) -> list[Order]:
    auth = ClientCredentials(server.token_url, server.client_id, server.client_secret)
    async with ArtistreeClient(server.base_url, auth) as client:
        page = await client.list_orders("All Projects", limit=60)
    return [o for o in page.orders if o.asset_preview_url and len(o.annotations) >= 2]


async def test_panel_follows_the_detail_pane(server: DemoServer) -> None:
    server.faults = FaultConfig()
    order = (await first_orders(server))[0]
    app = DetailApp(server)
    async with app.run_test(size=(100, 60)) as pilot:
        detail = app.query_one(DetailPane)
        panel = app.query_one(PreviewPanel)
        server.clear_requests()
        detail.show(order)
        await settle(pilot, panel, SHOWN)
        assert panel.order is not None and panel.order.order_id == order.order_id
        # The pane's full fetch lands and is announced again: same asset, nothing reloaded
        # (a reload would show "loading" at once) and not downloaded twice.
        await wait_for(pilot, lambda: detail.complete)
        await pilot.pause()
        assert panel.status == SHOWN and panel.order is not None
        assert len(server.recorded("/files")) == 1
        table = detail.annotations_table
        table.focus()
        await pilot.pause()
        await pilot.press("j")
        await pilot.pause()
        assert panel.selected == table.cursor_row == 1


async def test_expired_url_is_refetched_once_through_the_pane(server: DemoServer) -> None:
    order = (await first_orders(server))[1]
    app = DetailApp(server)
    async with app.run_test(size=(100, 60)) as pilot:
        detail = app.query_one(DetailPane)
        panel = app.query_one(PreviewPanel)
        await pilot.pause()
        server.faults = FaultConfig(image="expired")
        server.clear_requests()
        detail.show_full(order)  # no background fetch of its own
        await settle(pilot, panel, EXPIRED)
        order_fetches = [r for r in server.recorded("/v1/orders/") if order.order_id in r.path]
        assert len(order_fetches) == 1  # one refetch for a fresh URL, no loop
        assert [r.status for r in server.recorded("/files")] == [403, 403]
        server.faults = FaultConfig()
