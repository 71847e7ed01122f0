"""The demo's generated data: a realistic, self-consistent mix, deterministic from the seed,
served for a million orders without building them."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest

from artistree_tui.demo import DemoServer
from tests.support.demo import list_page, page_orders

Http = Callable[[DemoServer], httpx.Client]
WIDTH, HEIGHT = 1024, 768
FINAL_STATES = {"Human Certified", "Action Required", "Reviewed", "Failed", "Unsupported File"}


@pytest.fixture(scope="module")
def sample() -> list[dict[str, Any]]:
    """1000 full orders of a 2000-order demo (built once for the module's checks)."""
    with DemoServer(orders=2000, seed=11) as server, httpx.Client(base_url=server.base_url) as c:
        form = {
            "grant_type": "client_credentials",
            "client_id": server.client_id,
            "client_secret": server.client_secret,
        }
        token = c.post("/oauth2/token", data=form).json()["access_token"]
        c.headers["Authorization"] = f"Bearer {token}"
        orders: list[dict[str, Any]] = list_page(c, limit=1000)["orders"]
        return orders


def test_state_mix_is_realistic(sample: list[dict[str, Any]]) -> None:
    states = Counter(o["order_state"] for o in sample)
    assert set(states) == FINAL_STATES | {"In Progress"}
    assert (states["Human Certified"] + states["Reviewed"]) / len(sample) > 0.5
    for rare in ("Action Required", "Failed", "Unsupported File", "In Progress"):
        assert 0 < states[rare] / len(sample) < 0.25


def test_people_projects_files_and_tags(sample: list[dict[str, Any]]) -> None:
    projects = {o["project"]["id"]: o["project"] for o in sample if o["project"]}
    assert len(projects) == 6
    assert all(p["name"] and p["userRole"] for p in projects.values())
    assert len({p["userRole"] for p in projects.values()}) >= 3
    assert 0.08 < sum(o["project"] is None for o in sample) / len(sample) < 0.25
    extensions = Counter(o["asset_name"].rsplit(".", 1)[1] for o in sample)
    assert {"png", "psd", "jpg", "tiff"} <= set(extensions)
    differs = sum(o["ordered_by"] != o["username"] for o in sample) / len(sample)
    assert 0.1 < differs < 0.5
    for order in sample:
        assert order["username"] and order["email"].count("@") == 1
        assert order["email"].startswith(order["username"] + "@")
        assert order["order_title"] and order["asset_id"] != order["order_id"]
        assert all(isinstance(tag, str) and tag for tag in order["tags"])
    assert {len(o["tags"]) for o in sample} >= {0, 1, 2}


def test_timestamps(sample: list[dict[str, Any]]) -> None:
    for order in sample:
        created = datetime.fromisoformat(order["creation_time"])
        assert created.tzinfo is not None
        modified = order["asset_last_modified_timestamp"]
        assert isinstance(modified, str) and modified.isdigit()
        assert int(modified) <= created.timestamp()
        reviewed = order["order_state"] == "Reviewed"
        assert (order["reviewed_by"] is not None) == reviewed
        assert (order["review_timestamp"] is not None) == reviewed
        if reviewed:
            assert datetime.fromisoformat(order["review_timestamp"]) > created


def test_scores_analyses_and_failed_items(sample: list[dict[str, Any]]) -> None:
    for order in sample:
        assert 0.0 <= order["confidence"] <= 1.0
        assert order["remediation"] in (0.0, 0.5, 1.0)
        analyses = order["analysis_list"]
        failed = [a for a in analyses if not a["analysis_passed"]]
        assert bool(failed) == bool(order["analysis_failed_items"])
        if order["order_state"] == "Human Certified":
            assert analyses and not failed
        if order["order_state"] in ("In Progress", "Unsupported File"):
            assert analyses == [] and order["annotations"] == []
        if order["order_state"] in ("Action Required", "Failed"):
            assert failed
        if order["layers_info"]:
            assert order["asset_name"].endswith(".psd")
            names = {layer["layer_name"] for layer in order["layers_info"]}
            assert set(order["analysis_failed_items"]) <= names
        if order["order_state"] == "Unsupported File":
            assert order["asset_preview_url"] is None
        if order["order_state"] == "Human Certified":
            assert order["asset_preview_url"]
    types = {a["analysis_type"] for o in sample for a in o["analysis_list"]}
    assert len(types) >= 6


def test_annotations_are_consistent(sample: list[dict[str, Any]]) -> None:
    kinds: Counter[str] = Counter()
    scales = Counter()
    without_properties = 0
    for order in sample:
        assert 0 <= len(order["annotations"]) <= 8
        for annotation in order["annotations"]:
            selector = annotation["target"]["selector"]
            geometry = selector["geometry"]
            kinds[selector["type"]] += 1
            assert annotation["target"]["annotation"] == annotation["id"]
            assert annotation["bodies"]
            for body in annotation["bodies"]:
                assert body["value"].strip() and body["annotation"] == annotation["id"]
            bounds = geometry["bounds"]
            box = (bounds["minX"], bounds["minY"], bounds["maxX"], bounds["maxY"])
            if selector["type"] == "RECTANGLE":
                x, y, w, h = (geometry[k] for k in "xywh")
                assert w > 0 and h > 0 and box == (x, y, x + w, y + h)
            else:
                points = geometry["points"]
                assert len(points) >= 3
                xs, ys = [p[0] for p in points], [p[1] for p in points]
                assert box == (min(xs), min(ys), max(xs), max(ys))
            assert 0 <= box[0] < box[2] <= WIDTH and 0 <= box[1] < box[3] <= HEIGHT
            properties = annotation.get("properties")
            if properties is None:
                without_properties += 1
                continue
            assert isinstance(properties["needs_remediation"], bool)
            likelihood = properties["ai_likelihood"]
            assert 0 <= likelihood <= 100
            scales["percent" if likelihood > 1 else "ratio"] += 1
    assert kinds["RECTANGLE"] > 0 and kinds["POLYGON"] > 0
    assert scales["ratio"] > 4 * scales["percent"] > 0
    assert without_properties > 0  # "properties is missing in older answers"


def _portable(value: Any) -> Any:
    """The order with presigned URLs reduced to their path (origin and expiry vary)."""
    if isinstance(value, dict):
        return {k: _portable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_portable(v) for v in value]
    if isinstance(value, str) and value.startswith("http://"):
        return urlsplit(value).path
    return value


def test_same_seed_same_data_other_seed_other_data(
    make_demo: Callable[..., DemoServer], demo_http: Http
) -> None:
    pages = [
        [_portable(o) for o in page_orders(demo_http(make_demo(orders=200, seed=seed)), 100)]
        for seed in (5, 5, 6)
    ]
    for one, two in zip(pages[0], pages[1], strict=True):
        assert one == two, one["order_id"]
    assert sum(a == b for a, b in zip(pages[0], pages[2], strict=True)) == 0
    assert {o["order_id"] for o in pages[0]}.isdisjoint(o["order_id"] for o in pages[2])


def test_a_million_orders(make_demo: Callable[..., DemoServer], demo_http: Http) -> None:
    server = make_demo(orders=1_000_000, seed=2)
    client = demo_http(server)
    first = list_page(client, limit=200)
    assert first["order_stats"]["total_orders"] == 1_000_000
    assert sum(first["order_stats"].values()) == 2_000_000
    assert len(first["orders"]) == 200 and first["next_page_token"]
    deep_id = server.order_id(1234)
    deep = client.get(f"/v1/orders/{deep_id}")
    assert deep.status_code == 200 and deep.json()["order_id"] == deep_id
    assert deep.json()["creation_time"] < first["orders"][-1]["creation_time"]
    assert client.get(f"/v1/orders/{server.order_id(1_000_000)}").status_code == 404
    project = server.projects[-1].id
    scoped = client.get("/v1/orders", params={"project_id": project, "preview": "true"}).json()
    assert len(scoped["order_previews"]) == 200
    assert 0 < scoped["order_stats"]["total_orders"] < 1_000_000
