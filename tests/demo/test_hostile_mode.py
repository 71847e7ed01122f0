"""The ``hostile`` fault mode: user-controlled strings carrying markup and terminal escapes."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import httpx

from artistree_tui.demo import DemoServer, FaultConfig
from artistree_tui.demo.hostile import HUGE, PAYLOADS
from tests.support.demo import list_page

Http = Callable[[DemoServer], httpx.Client]


def strings_by_field(order: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """(field, value) for every user-controlled string of a full order."""
    for key in ("order_title", "username", "email", "ordered_by", "asset_name", "reviewed_by"):
        if isinstance(order.get(key), str):
            yield key, order[key]
    for tag in order["tags"]:
        yield "tags", tag
    for item in order["analysis_failed_items"]:
        yield "analysis_failed_items", item
    for layer in order["layers_info"]:
        yield "layer_name", layer["layer_name"]
    for annotation in order["annotations"]:
        for body in annotation["bodies"]:
            yield "annotation_body", body["value"]
    if order["project"]:
        yield "project_name", order["project"]["name"]


def test_hostile_orders_carry_every_payload_in_every_field(
    make_demo: Callable[..., DemoServer], demo_http: Http
) -> None:
    server = make_demo(orders=2000, faults=FaultConfig(hostile=True))
    orders = list_page(demo_http(server), limit=400)["orders"]
    seen_payloads: set[str] = set()
    poisoned_fields: set[str] = set()
    for order in orders:
        for name, value in strings_by_field(order):
            for payload in PAYLOADS:
                if payload in value:
                    seen_payloads.add(payload)
                    poisoned_fields.add(name)
    assert seen_payloads == set(PAYLOADS)
    assert poisoned_fields == {
        "order_title",
        "username",
        "email",
        "ordered_by",
        "asset_name",
        "reviewed_by",
        "tags",
        "analysis_failed_items",
        "layer_name",
        "annotation_body",
    }
    # The newest order is always hostile, so it is on the console's first screen.
    assert any(p in orders[0]["order_title"] for p in PAYLOADS)
    # A deterministic subset, not every order.
    hostile = [o for o in orders if any(p in o["order_title"] for p in PAYLOADS)]
    assert 0.05 < len(hostile) / len(orders) < 0.35
    assert any(len(o["order_title"]) >= len(HUGE) for o in orders)


def test_hostile_project_name_and_previews(demo_server: DemoServer, demo_http: Http) -> None:
    client = demo_http(demo_server)
    clean_names = [p.name for p in demo_server.projects]
    demo_server.faults.hostile = True
    names = list_page(client)["project_names"]
    poisoned = [n for n in names if "\x1b" in n]
    assert len(poisoned) == 1 and poisoned[0] in [p.name for p in demo_server.projects]
    assert poisoned[0] not in clean_names
    preview = list_page(client, preview="true", limit=1)["order_previews"][0]
    assert any(p in preview["order_title"] for p in PAYLOADS)


def test_hostile_subset_is_stable_and_off_by_default(
    demo_server: DemoServer, demo_http: Http
) -> None:
    client = demo_http(demo_server)
    calm = list_page(client, limit=150)["orders"]
    for order in calm:
        for name, value in strings_by_field(order):
            # Only annotation bodies may hold a line feed; nothing else is a control character.
            allowed = value.replace("\n", "") if name == "annotation_body" else value
            assert allowed.isprintable(), (name, value)
    demo_server.faults.hostile = True
    first, second = list_page(client, limit=150)["orders"], list_page(client, limit=150)["orders"]
    titles = [o["order_title"] for o in first]
    assert titles == [o["order_title"] for o in second]
    changed = [a for a, b in zip(calm, first, strict=True) if a["order_title"] != b["order_title"]]
    assert changed and len(changed) < len(calm)
