"""The detail pane against the demo API: full-order fetch, content of orders with rectangles
and polygons, the annotation cursor message, stale answers, and errors kept to one line."""

from __future__ import annotations

from typing import Any

import pytest
from textual.message import Message
from textual.widgets import Static

from artistree_tui.ui.detail.annotation_table import AnnotationTable
from artistree_tui.ui.detail.messages import AnnotationHighlighted
from artistree_tui.ui.states import state_label
from tests.support.app import SIZE, list_loaded, make_app, notifications, screen_text, wait_for


def first_page(demo: Any, demo_http: Any) -> list[dict[str, Any]]:
    """The first list page as raw JSON, read independently of the console's parser."""
    http = demo_http(demo)
    response = http.get("/v1/orders", params={"project_id": "All Projects", "limit": "200"})
    response.raise_for_status()
    return list(response.json()["orders"])


def selector_types(order: dict[str, Any]) -> set[str]:
    return {a["target"]["selector"]["type"] for a in order.get("annotations") or []}


def section(app: Any, name: str) -> str:
    return str(app.main_screen.detail.section_text(name))


def fmt(value: float) -> str:
    return f"{round(value, 1):g}"


async def move_to(pilot: Any, app: Any, index: int, order_id: str) -> None:
    """Press j ``index`` times in the list, then wait for the full order in the detail."""
    await pilot.press("2", *["j"] * index)
    detail = app.main_screen.detail
    await wait_for(pilot, lambda: detail.order_id == order_id and detail.complete)


async def test_detail_of_an_order_with_rectangles_and_polygons(
    demo_server: Any, demo_http: Any
) -> None:
    orders = first_page(demo_server, demo_http)
    index, raw = next(
        (i, o) for i, o in enumerate(orders) if {"RECTANGLE", "POLYGON"} <= selector_types(o)
    )
    moves: list[Message] = []
    app = make_app(demo_server)
    async with app.run_test(size=SIZE, message_hook=moves.append) as pilot:
        await wait_for(pilot, lambda: list_loaded(app))
        await move_to(pilot, app, index, raw["order_id"])
        # The full order was fetched by id (the list's copy was drawn first).
        fetched = [r.path for r in demo_server.recorded("/v1/orders/")]
        assert f"/v1/orders/{raw['order_id']}" in fetched

        fields = section(app, "fields")
        assert raw["order_id"] in fields
        for key in ("asset_name", "asset_id", "ordered_by", "username", "email"):
            assert raw[key] in fields, key
        project = raw.get("project")
        if project:
            assert project["name"] in fields and project["userRole"] in fields
        # The verdict line: state, confidence and remediation first.
        header = section(app, "header")
        remediation = {0.0: "not set", 0.5: "not recommended", 1.0: "recommended"}
        assert header.startswith(f"{state_label(raw['order_state']).symbol} {raw['order_state']}")
        assert f"remediation {remediation[float(raw['remediation'])]}" in header
        assert "confidence " in header
        assert "Asset modified" in fields  # the file's time, not the order's
        if raw.get("reviewed_by"):
            assert raw["reviewed_by"] in fields
        for tag in raw["tags"]:
            assert tag in fields
        assert raw["order_title"] in section(app, "header")

        detail = app.main_screen.detail
        verdict = section(app, "verdict")
        # Failed analyses first, on the "✗ fail" line; then the passed ones.
        lines = verdict.split("Failed items", 1)[0].split("\n")[1:]
        marks = {"✗": "fail", "✓": "pass"}
        shown = {}
        mark = ""
        for line in lines:
            mark = line[:1] if line[:1] in marks else mark
            for name in line[10:].split(","):
                if name.strip():
                    shown[name.strip()] = marks[mark]
        for analysis in raw["analysis_list"]:
            expected = "pass" if analysis["analysis_passed"] else "fail"
            assert shown[analysis["analysis_type"]] == expected
        if any(not a["analysis_passed"] for a in raw["analysis_list"]):
            assert lines[0].startswith("✗ fail")
        failed = verdict.split("Failed items", 1)[1]
        for item in raw["analysis_failed_items"]:
            assert item in failed
        layers = fields.split("Layers", 1)[1]
        for layer in raw.get("layers_info") or []:
            assert layer["layer_name"] in layers

        table = detail.query_one(AnnotationTable)
        assert table.row_count == len(raw["annotations"])
        keys = [column.key.value for column in table.columns.values()]
        # Every column fits the pane: likelihood and remediation are on screen.
        assert keys[:2] == ["id", "type"] and {"region", "ai", "fix", "body"} <= set(keys)
        assert sum(c.width for c in table.columns.values()) < detail.scrollable_content_region.width
        for row_index, annotation in enumerate(raw["annotations"]):
            row = [cell.plain for cell in table.get_row_at(row_index)]
            cells = dict(zip(keys, row, strict=True))
            selector = annotation["target"]["selector"]
            geometry = selector["geometry"]
            assert cells["id"] == annotation["id"][:8] + "…"
            if selector["type"] == "RECTANGLE":
                x, y, w, h = (round(geometry[k]) for k in ("x", "y", "w", "h"))
                assert cells["type"] == "rect" and cells["region"] == f"{x},{y} {w}×{h}"
            else:
                points = geometry["points"]
                assert cells["type"] == f"poly {len(points)}"
                min_x = round(min(p[0] for p in points))
                min_y = round(min(p[1] for p in points))
                assert cells["region"].startswith(f"{min_x},{min_y} ")
            props = annotation.get("properties") or {}
            assert cells["fix"] == ("✓" if props.get("needs_remediation") else "–")
            likelihood = props.get("ai_likelihood")
            if likelihood is not None:
                assert cells["ai"].endswith("%")

        # Moving through the annotations posts AnnotationHighlighted for the preview.
        moves.clear()
        await pilot.press("3")
        assert app.focused is table
        await pilot.press("j")
        await pilot.pause()
        highlighted = [m for m in moves if isinstance(m, AnnotationHighlighted)]
        assert highlighted and highlighted[-1].order_id == raw["order_id"]
        assert highlighted[-1].index == 1
        selected = section(app, "selected")
        assert raw["annotations"][1]["id"] in selected  # the full id
        words = " ".join(selected.split())
        for body in raw["annotations"][1]["bodies"]:  # every body, whole
            assert " ".join(body["value"].split()) in words


async def test_quick_moves_fetch_only_where_the_cursor_rests(
    demo_server: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app(demo_server)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: list_loaded(app))
        detail = app.main_screen.detail
        await wait_for(pilot, lambda: detail.complete)
        demo_server.clear_requests()
        # Each press must come within one burst window of the last however slow the machine
        # is (a loaded CI box can take longer than the default 0.12 s between two presses):
        # widen the window for this burst, restore it afterwards.
        monkeypatch.setattr("artistree_tui.ui.detail.timing.REST", 1.0)
        model = app.main_screen.orders.order_list.model
        await pilot.press("2", "j")
        first = model.highlighted
        await pilot.press("j", "j", "j", "j")
        target = app.main_screen.orders.highlighted_order
        assert target is not None and first is not None
        await wait_for(pilot, lambda: detail.order_id == target.order_id and detail.complete)
        fetched = [r.path for r in demo_server.recorded("/v1/orders/")]
        # The first press was made at rest: its full order is asked at once (the pane cannot
        # know more presses are coming). The rows passed over are not; the one the cursor
        # rests on is, last.
        assert set(fetched) <= {f"/v1/orders/{first.order_id}", f"/v1/orders/{target.order_id}"}
        assert fetched[-1] == f"/v1/orders/{target.order_id}"
        monkeypatch.undo()
        # Back to an order seen before: served from the cache, not fetched again.
        demo_server.clear_requests()
        await pilot.press("k", "j")
        await wait_for(pilot, lambda: detail.order_id == target.order_id and detail.complete)
        await pilot.pause(0.3)  # time for a fetch to be asked for, if one were
        refetched = [r.path for r in demo_server.recorded("/v1/orders/")]
        assert f"/v1/orders/{target.order_id}" not in refetched


async def test_a_failed_detail_fetch_keeps_the_pane_usable(demo_server: Any) -> None:
    app = make_app(demo_server)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: list_loaded(app))
        detail = app.main_screen.detail
        await wait_for(pilot, lambda: detail.complete)
        # The next API request (the detail fetch after j) answers with a malformed body.
        demo_server.faults.script.append("malformed")
        await pilot.press("2", "j")
        status = detail.query_one("#detail-status", Static)
        await wait_for(pilot, lambda: status.has_class("-visible"))
        line = str(status.render())
        assert "\n" not in line and "Could not load" in line
        # The list's copy of the order stays on screen, and the app is still responsive.
        moved_to = app.main_screen.orders.highlighted_order
        assert moved_to is not None and detail.order_id == moved_to.order_id
        assert not detail.complete
        assert moved_to.order_title[:20] in screen_text(app)
        await pilot.press("j")
        await wait_for(pilot, lambda: detail.complete)
        assert not status.has_class("-visible")


async def test_go_to_an_unknown_order_is_one_toast(demo_server: Any) -> None:
    app = make_app(demo_server)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: list_loaded(app))
        shown = app.main_screen.detail.order_id
        app.main_screen.go_to_order("00000000-0000-4000-8000-000000000000")
        await wait_for(pilot, lambda: any("Could not open" in n for n in notifications(app)))
        assert app.main_screen.detail.order_id == shown
        assert app.return_code is None and app.is_running


async def test_the_preview_follows_the_detail_pane(demo_server: Any, demo_http: Any) -> None:
    from artistree_tui.ui.preview.panel import SHOWN, PreviewPanel

    orders = first_page(demo_server, demo_http)
    index, raw = next(
        (i, o)
        for i, o in enumerate(orders)
        if o.get("asset_preview_url") and len(o.get("annotations") or []) >= 2
    )
    app = make_app(demo_server, preview="halfblock")
    async with app.run_test(size=(160, 60)) as pilot:
        await wait_for(pilot, lambda: list_loaded(app))
        detail = app.main_screen.detail
        panel = detail.preview_slot.query_one(PreviewPanel)
        await move_to(pilot, app, index, raw["order_id"])
        await wait_for(pilot, lambda: panel.order is not None and panel.status == SHOWN)
        assert panel.order is not None and panel.order.order_id == raw["order_id"]
        await pilot.press("3", "j")
        await wait_for(pilot, lambda: panel.selected == 1)
