"""Orders that move on the demo clock: In Progress orders completing, new orders arriving,
and paging that stays exact while they do."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable

import httpx
import pytest

from artistree_tui.demo import DemoServer
from artistree_tui.demo.clock import DemoClock
from tests.support.demo import list_page

Http = Callable[[DemoServer], httpx.Client]
ALL = "All Projects"


def test_clock_moves_forward_only() -> None:
    clock = DemoClock(epoch=1000.0)
    before = clock.now()
    clock.advance(60)
    assert clock.now() >= before + 60
    with pytest.raises(ValueError):
        clock.advance(-1)


def test_a_held_clock_moves_only_when_advanced() -> None:
    clock = DemoClock(epoch=1000.0)
    clock.hold()
    held = clock.now()
    start = time.monotonic()
    while time.monotonic() - start < 0.05:
        pass  # real time passes: 50 ms, which a running clock would show
    assert clock.now() == held
    clock.advance(60)
    assert clock.now() == held + 60


def test_in_progress_orders_reach_a_final_state(demo_server: DemoServer, demo_http: Http) -> None:
    client = demo_http(demo_server)
    before = list_page(client, limit=300)
    moving = [o for o in before["orders"] if o["order_state"] == "In Progress"]
    assert moving and before["order_stats"]["total_in_progress"] == len(moving)
    # Some of the newest tenth are still being analysed, among finished ones.
    newest = {o["order_id"] for o in before["orders"][:30]}
    assert {o["order_id"] for o in moving} < newest
    assert all(o["annotations"] == [] and o["analysis_list"] == [] for o in moving)
    demo_server.advance(1100)
    after = list_page(client, limit=300)
    assert after["order_stats"]["total_in_progress"] == 0
    assert [o["order_id"] for o in after["orders"]] == [o["order_id"] for o in before["orders"]]
    finished = {o["order_id"]: o for o in after["orders"]}
    assert {finished[o["order_id"]]["order_state"] for o in moving} <= {
        "Human Certified",
        "Action Required",
        "Failed",
        "Unsupported File",
    }
    assert any(finished[o["order_id"]]["analysis_list"] for o in moving)
    for order in moving:
        assert (
            demo_server.order_state(order["order_id"]) == finished[order["order_id"]]["order_state"]
        )
    # The other orders did not move.
    moved = {o["order_id"] for o in moving}
    for old in before["orders"]:
        if old["order_id"] not in moved:
            assert old["order_state"] == finished[old["order_id"]]["order_state"]
            assert old["annotations"] == finished[old["order_id"]]["annotations"]


def test_new_orders_appear_in_progress_and_complete(
    make_demo: Callable[..., DemoServer], demo_http: Http
) -> None:
    server = make_demo(orders=100, new_order_every=10.0)
    client = demo_http(server)
    newest_before = list_page(client, limit=1)["orders"][0]
    server.advance(35)
    fresh = list_page(client, limit=4)
    assert fresh["order_stats"]["total_orders"] == 103
    arrivals = fresh["orders"][:3]
    assert all(o["order_state"] == "In Progress" for o in arrivals)
    assert fresh["orders"][3]["order_id"] == newest_before["order_id"]
    assert all(o["creation_time"] > newest_before["creation_time"] for o in arrivals)
    one = client.get(f"/v1/orders/{arrivals[0]['order_id']}")
    assert one.status_code == 200 and one.json()["order_state"] == "In Progress"
    server.advance(3000)  # 300 more arrivals; all but the last minutes' have completed
    later = list_page(client, limit=400)
    assert later["order_stats"]["total_orders"] == 403
    arrived = later["orders"][:303]
    states = Counter(o["order_state"] for o in arrived)
    assert states["Action Required"] > 0  # something for a watching console to announce
    assert 0 < states["In Progress"] < 100


def test_paging_is_stable_while_orders_arrive(
    make_demo: Callable[..., DemoServer], demo_http: Http
) -> None:
    server = make_demo(orders=500, new_order_every=5.0)
    client = demo_http(server)
    truth = server.order_ids()
    seen: list[str] = []
    token = None
    while True:
        params = {"limit": 120, "preview": "true"}
        if token:
            params["page_token"] = token
        body = list_page(client, **params)
        seen += [row["order_id"] for row in body["order_previews"]]
        token = body["next_page_token"]
        server.advance(50)  # ten new orders between pages
        if token is None:
            break
    assert seen == truth  # nothing skipped, nothing repeated
    assert len(server.order_ids()) == len(truth) + 50
    top = list_page(client, limit=60)["orders"]
    assert [o["order_id"] for o in top[50:]] == truth[:10]


def test_stats_follow_the_clock(make_demo: Callable[..., DemoServer], demo_http: Http) -> None:
    server = make_demo(orders=300, new_order_every=20.0)
    client = demo_http(server)
    server.advance(100)
    for scope in (ALL, "Personal Certificates", server.projects[0].id):
        stats = client.get("/v1/orders", params={"project_id": scope, "limit": 1}).json()
        assert stats["order_stats"] == server.stats(scope)
    assert server.stats()["total_orders"] == 305
