"""An order read back from the local index is the same record as the API's answer it was
written from: a preview row gives the preview fields, a full one (with the full order the
index kept) every field. What ``orders --cached`` and the console's export write."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import httpx

from artistree_tui.api.answers import parse_page
from artistree_tui.demo import DemoServer
from artistree_tui.export.indexed import ROW_FIELDS, index_record, needs_order
from artistree_tui.export.records import NOT_READ, ORDER_FIELDS, PREVIEW_FIELDS, record
from artistree_tui.store import Index


def test_index_rows_give_back_the_apis_records(
    make_demo: Callable[..., DemoServer],
    demo_http: Callable[[DemoServer], httpx.Client],
    tmp_path: Path,
) -> None:
    server = make_demo(orders=120, seed=9, new_order_every=0)
    http = demo_http(server)
    query = {"project_id": "All Projects", "limit": "200"}
    previews = parse_page(http.get("/v1/orders", params={**query, "preview": "true"}).content)
    full = parse_page(http.get("/v1/orders", params={**query, "preview": "false"}).content)
    index = Index(tmp_path / "orders.sqlite3")
    try:
        index.writer().write_page(previews)
        reader = index.reader()
        for preview in previews.previews:
            row = reader.row(preview.order_id)
            assert row is not None and not row.full
            assert index_record(row, PREVIEW_FIELDS) == record(preview, PREVIEW_FIELDS)
            # Full-only fields are unknown (None), whatever is asked, and said to be.
            unknown = index_record(row, ("email", "annotations"))
            assert unknown.pop(NOT_READ) is True
            assert set(unknown.values()) == {None}
        index.writer().write_orders(full.orders)
        for order in full.orders:
            row = reader.row(order.order_id)
            assert row is not None and row.full
            kept = reader.order(order.order_id)
            assert index_record(row, ORDER_FIELDS, kept) == record(order, ORDER_FIELDS)
            # Without the kept order, the row's own full fields still come through.
            own = index_record(row, ROW_FIELDS)
            assert own["email"] == order.email and own["confidence"] == order.confidence
        reader.close()
    finally:
        index.close()
    assert not needs_order(PREVIEW_FIELDS) and needs_order(ORDER_FIELDS)
