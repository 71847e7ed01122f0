"""GET /v1/orders against the demo server: every rule of the published list page (the seed)."""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from artistree_tui.demo import DemoServer
from tests.support.demo import list_page

ALL = "All Projects"
PERSONAL = "Personal Certificates"
STAT_KEYS = {
    "total_in_progress",
    "total_certified",
    "total_action_required",
    "total_reviewed",
    "total_failed",
    "total_unsupported",
    "total_orders",
}
STATE_TO_STAT = {
    "In Progress": "total_in_progress",
    "Human Certified": "total_certified",
    "Action Required": "total_action_required",
    "Reviewed": "total_reviewed",
    "Failed": "total_failed",
    "Unsupported File": "total_unsupported",
}
ORDER_KEYS = {
    "order_id",
    "username",
    "email",
    "order_state",
    "order_title",
    "asset_id",
    "asset_name",
    "asset_last_modified_timestamp",
    "ordered_by",
    "creation_time",
    "asset_preview_url",
    "analysis_list",
    "analysis_failed_items",
    "tags",
    "confidence",
    "remediation",
    "annotations",
    "project",
    "reviewed_by",
    "review_timestamp",
    "layers_info",
}
PREVIEW_KEYS = {
    "order_id",
    "order_title",
    "creation_time",
    "order_state",
    "asset_preview_url",
    "project_name",
    "analysis_list",
    "tags",
}

Http = Callable[[DemoServer], httpx.Client]


def all_pages(client: httpx.Client, project_id: str, **params: Any) -> list[dict[str, Any]]:
    pages = [list_page(client, project_id=project_id, **params)]
    while pages[-1]["next_page_token"] is not None:
        token = pages[-1]["next_page_token"]
        pages.append(list_page(client, project_id=project_id, page_token=token, **params))
        assert len(pages) < 100
    return pages


def rows(pages: list[dict[str, Any]], key: str = "orders") -> list[dict[str, Any]]:
    return [row for page in pages for row in page[key]]


def error(response: httpx.Response, status: int) -> str:
    assert response.status_code == status, response.text
    message = response.json()["message"]
    assert isinstance(message, str) and message
    return message


def test_project_id_is_required(demo_server: DemoServer, demo_http: Http) -> None:
    client = demo_http(demo_server)
    assert "project_id" in error(client.get("/v1/orders"), 400)
    assert "project_id" in error(client.get("/v1/orders", params={"project_id": ""}), 400)


def test_all_projects_full_page(demo_server: DemoServer, demo_http: Http) -> None:
    page = list_page(demo_http(demo_server), project_id=ALL)
    assert set(page) == {"order_stats", "project_names", "next_page_token", "orders"}
    assert set(page["order_stats"]) == STAT_KEYS
    assert all(type(v) is int for v in page["order_stats"].values())
    assert page["order_stats"]["total_orders"] == 300
    assert len(page["orders"]) == 200  # the default limit
    assert isinstance(page["next_page_token"], str) and page["next_page_token"]
    for order in page["orders"]:
        assert set(order) == ORDER_KEYS
    names = [p.name for p in demo_server.projects]
    assert page["project_names"] == [PERSONAL, *sorted(names, key=str.casefold)]
    assert len(names) == 6


def test_preview_pages_carry_light_rows_only(demo_server: DemoServer, demo_http: Http) -> None:
    client = demo_http(demo_server)
    full = list_page(client, project_id=ALL, limit=50, preview="false")
    light = list_page(client, project_id=ALL, limit=50, preview="true")
    assert "order_previews" not in full and "orders" not in light
    assert set(light) == {"order_stats", "project_names", "next_page_token", "order_previews"}
    assert light["order_stats"] == full["order_stats"]
    assert light["project_names"] == full["project_names"]
    assert len(light["order_previews"]) == 50
    for row, order in zip(light["order_previews"], full["orders"], strict=True):
        assert set(row) == PREVIEW_KEYS
        for key in ("order_id", "order_title", "creation_time", "order_state", "tags"):
            assert row[key] == order[key]
        assert row["analysis_list"] == order["analysis_list"]
        assert (row["asset_preview_url"] is None) == (order["asset_preview_url"] is None)
        expected = order["project"]["name"] if order["project"] else PERSONAL
        assert row["project_name"] == expected


def test_project_ids_are_uuids_and_names_select_nothing(
    demo_server: DemoServer, demo_http: Http
) -> None:
    client = demo_http(demo_server)
    for project in demo_server.projects:
        assert str(uuid.UUID(project.id)) == project.id != project.name
        page = list_page(client, project_id=project.id, limit=1000)
        assert page["project_names"] == []
        assert page["orders"], project.name
        for order in page["orders"]:
            assert order["project"] == {
                "id": project.id,
                "name": project.name,
                "userRole": project.role,
            }
        by_name = list_page(client, project_id=project.name)
        assert by_name["orders"] == [] and by_name["next_page_token"] is None
        assert set(by_name["order_stats"].values()) == {0}


def test_unknown_project_id_is_an_empty_scope(demo_server: DemoServer, demo_http: Http) -> None:
    page = list_page(demo_http(demo_server), project_id=str(uuid.uuid4()))
    assert page["orders"] == [] and page["project_names"] == []
    assert page["order_stats"]["total_orders"] == 0


def test_personal_certificates_are_orders_without_project(
    demo_server: DemoServer, demo_http: Http
) -> None:
    client = demo_http(demo_server)
    page = list_page(client, project_id=PERSONAL, limit=1000)
    assert page["project_names"] == []
    assert page["orders"] and all(order["project"] is None for order in page["orders"])
    everything = list_page(client, project_id=ALL, limit=1000)["orders"]
    personal = [o["order_id"] for o in everything if o["project"] is None]
    assert [o["order_id"] for o in page["orders"]] == personal
    assert page["order_stats"]["total_orders"] == len(personal)
    assert 0.05 < len(personal) / len(everything) < 0.3


@pytest.mark.parametrize("limit", ["0", "1001", "-1", "abc", "1.5", "99999999999", "1e3"])
def test_limit_out_of_range_or_not_an_integer_is_a_400(
    demo_server: DemoServer, demo_http: Http, limit: str
) -> None:
    response = demo_http(demo_server).get("/v1/orders", params={"project_id": ALL, "limit": limit})
    assert "limit" in error(response, 400)


def test_limit_bounds_are_accepted(make_demo: Callable[..., DemoServer], demo_http: Http) -> None:
    client = demo_http(make_demo(orders=1200))
    assert len(list_page(client, project_id=ALL, limit=1)["orders"]) == 1
    assert (
        len(list_page(client, project_id=ALL, limit=1000, preview="true")["order_previews"]) == 1000
    )
    assert len(list_page(client, project_id=ALL)["orders"]) == 200


def test_invalid_preview_value_is_a_400(demo_server: DemoServer, demo_http: Http) -> None:
    response = demo_http(demo_server).get(
        "/v1/orders", params={"project_id": ALL, "preview": "maybe"}
    )
    assert "preview" in error(response, 400)


def test_paging_each_scope_to_the_end_yields_every_order_once(
    make_demo: Callable[..., DemoServer], demo_http: Http
) -> None:
    server = make_demo(orders=5000, seed=3)
    client = demo_http(server)
    biggest = server.projects[0].id  # the largest project: more than 1000 orders
    for scope in (biggest, PERSONAL):
        pages = all_pages(client, scope, limit=1000, preview="true")
        ids = [row["order_id"] for row in rows(pages, "order_previews")]
        assert len(ids) == len(set(ids))
        assert ids == server.order_ids(scope)
        assert pages[-1]["next_page_token"] is None and pages[-1]["order_previews"]
        assert all(p["order_stats"]["total_orders"] == len(ids) for p in pages)
        assert len(pages) == (2 if scope == biggest else 1)


def test_stats_are_totals_of_the_scope(demo_server: DemoServer, demo_http: Http) -> None:
    client = demo_http(demo_server)
    for scope in (ALL, PERSONAL, *(p.id for p in demo_server.projects)):
        pages = all_pages(client, scope, limit=100)
        counts = Counter(STATE_TO_STAT[o["order_state"]] for o in rows(pages))
        expected = {key: counts.get(key, 0) for key in STAT_KEYS - {"total_orders"}}
        expected["total_orders"] = len(rows(pages))
        for page in pages:  # totals on every page, not per-page counts
            assert page["order_stats"] == expected
        assert demo_server.stats(scope) == expected


def test_orders_come_newest_first(demo_server: DemoServer, demo_http: Http) -> None:
    times = [o["creation_time"] for o in rows(all_pages(demo_http(demo_server), ALL, limit=70))]
    assert len(times) == 300
    assert times == sorted(times, reverse=True) and len(set(times)) == len(times)


def test_full_last_page_has_no_next_token(demo_server: DemoServer, demo_http: Http) -> None:
    page = list_page(demo_http(demo_server), project_id=ALL, limit=300)
    assert len(page["orders"]) == 300 and page["next_page_token"] is None


def test_page_tokens_are_opaque_and_verified(
    make_demo: Callable[..., DemoServer], demo_http: Http
) -> None:
    server, twin = make_demo(orders=300, seed=7), make_demo(orders=300, seed=7)
    client, twin_client = demo_http(server), demo_http(twin)
    token = list_page(client, project_id=ALL, limit=10)["next_page_token"]
    foreign = list_page(twin_client, project_id=ALL, limit=10)["next_page_token"]
    tampered = token[:-3] + ("AAA" if token[-3:] != "AAA" else "BBB")
    for bad in (tampered, foreign, "not-a-token", "e30", "%%%"):
        response = client.get("/v1/orders", params={"project_id": ALL, "page_token": bad})
        assert "page_token" in error(response, 400)
    other_scope = server.projects[0].id
    response = client.get("/v1/orders", params={"project_id": other_scope, "page_token": token})
    assert "page_token" in error(response, 400)
    # The genuine token continues where the first page stopped.
    first = [o["order_id"] for o in list_page(client, project_id=ALL, limit=20)["orders"]]
    second = list_page(client, project_id=ALL, limit=10, page_token=token)["orders"]
    assert [o["order_id"] for o in second] == first[10:]


def test_lang_header_is_accepted(demo_server: DemoServer, demo_http: Http) -> None:
    client = demo_http(demo_server)
    plain = client.get("/v1/orders", params={"project_id": ALL, "limit": 5})
    french = client.get(
        "/v1/orders", params={"project_id": ALL, "limit": 5}, headers={"lang": "fr"}
    )
    assert french.status_code == 200
    assert french.headers.get("content-language") == "fr"
    ids = [o["order_id"] for o in french.json()["orders"]]
    assert ids == [o["order_id"] for o in plain.json()["orders"]]
