"""The API client's endpoints against the demo server over real loopback HTTP: paging, preview
modes, query parameters, single orders, certificate links and malformed bodies."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from artistree_tui.api import wire
from artistree_tui.api.errors import (
    ApiNotFoundError,
    ApiRequestError,
    ApiSchemaError,
    ApiUnavailableError,
)
from artistree_tui.api.models import ALL_PROJECTS, PERSONAL_CERTIFICATES
from artistree_tui.demo import DemoServer
from tests.support.api import Recording, api_client, statuses

MakeDemo = Callable[..., DemoServer]


async def test_paging_all_projects_with_limit_1000_yields_every_order_once(
    make_demo: MakeDemo,
) -> None:
    server = make_demo(orders=2300, seed=3)
    rec = Recording()
    async with api_client(server, rec) as client:
        pages = client.iter_pages(ALL_PROJECTS, limit=1000)
        ids = [o.order_id async for page in pages for o in page.orders]
    assert ids == server.order_ids(ALL_PROJECTS)  # every order, once, in the server's order
    assert len(ids) == len(set(ids)) == 2300
    assert pages.pages == 3 and pages.finished and not pages.repeated_token
    queries = [r.query for r in server.recorded()]
    assert [q["limit"] for q in queries] == ["1000"] * 3
    assert "page_token" not in queries[0]
    assert all(q.get("page_token") for q in queries[1:])
    assert len({q["page_token"] for q in queries[1:]}) == 2


@pytest.mark.parametrize("limit", [1000, 17])
async def test_paging_one_project_yields_exactly_its_orders(
    demo_server: DemoServer, limit: int
) -> None:
    project = demo_server.projects[0]
    rec = Recording()
    async with api_client(demo_server, rec) as client:
        pages = client.iter_pages(project.id, limit=limit)
        orders = [o async for page in pages for o in page.orders]
    expected = demo_server.order_ids(project.id)
    assert [o.order_id for o in orders] == expected
    assert len(expected) > 2 * 17  # so that limit=17 really takes several pages
    assert pages.pages == -(-len(expected) // limit)
    assert {o.project.id for o in orders if o.project} == {project.id}
    assert all(q["project_id"] == project.id for q in (r.query for r in demo_server.recorded()))


async def test_personal_certificates_have_no_project(demo_server: DemoServer) -> None:
    async with api_client(demo_server, Recording()) as client:
        orders = [o async for p in client.iter_pages(PERSONAL_CERTIFICATES) for o in p.orders]
    assert [o.order_id for o in orders] == demo_server.order_ids(PERSONAL_CERTIFICATES)
    assert orders and all(o.project is None for o in orders)


async def test_preview_and_full_pages_list_the_same_orders(demo_server: DemoServer) -> None:
    async with api_client(demo_server, Recording()) as client:
        full = await client.list_orders(ALL_PROJECTS, limit=25)
        light = await client.list_orders(ALL_PROJECTS, preview=True, limit=25)
    assert full.orders and not full.previews
    assert light.previews and not light.orders
    assert [p.order_id for p in light.previews] == [o.order_id for o in full.orders]
    assert [p.order_state for p in light.previews] == [o.order_state for o in full.orders]
    assert [p.project_name for p in light.previews] == [o.project_name for o in full.orders]
    assert [r.query["preview"] for r in demo_server.recorded()] == ["false", "true"]
    # project_names and stats come with both kinds of page
    assert full.project_names == light.project_names
    assert full.project_names[0] == PERSONAL_CERTIFICATES
    assert full.stats == light.stats
    assert full.stats.total == len(demo_server.order_ids())


async def test_list_orders_sends_the_contract_parameters(demo_server: DemoServer) -> None:
    async with api_client(demo_server, Recording(), page_size=40, lang="fr") as client:
        first = await client.list_orders(ALL_PROJECTS)
        await client.list_orders(ALL_PROJECTS, page_token=first.next_page_token, limit=7)
    one, two = (r.query for r in demo_server.recorded())
    assert one == {"project_id": ALL_PROJECTS, "preview": "false", "limit": "40"}
    assert two == {
        "project_id": ALL_PROJECTS,
        "preview": "false",
        "page_token": first.next_page_token,
        "limit": "7",
    }
    assert len(first.orders) == 40
    assert all(r.had_auth for r in demo_server.recorded())


async def test_resuming_from_next_page_token_continues_the_walk(demo_server: DemoServer) -> None:
    async with api_client(demo_server, Recording()) as client:
        walk = client.iter_pages(ALL_PROJECTS, limit=50)
        first = await walk.__anext__()
        resumed = client.iter_pages(ALL_PROJECTS, limit=50, page_token=walk.next_page_token)
        rest = [o.order_id async for page in resumed for o in page.orders]
    assert [o.order_id for o in first.orders] + rest == demo_server.order_ids()


async def test_get_order_matches_the_list(demo_server: DemoServer) -> None:
    async with api_client(demo_server, Recording()) as client:
        page = await client.list_orders(ALL_PROJECTS, limit=5)
        for listed in page.orders:
            single = await client.get_order(listed.order_id)
            assert single == listed


@pytest.mark.parametrize(
    ("order_id", "error"),
    [
        ("8c7f4c38-0000-4000-8000-000000000000", ApiNotFoundError),  # well-formed, unknown
        ("not-a-uuid", ApiRequestError),  # the server answers 4xx for a malformed id
        ("a/../../oauth2/token", ApiNotFoundError),  # stays one segment: no route matches it
    ],
)
async def test_get_order_errors(demo_server: DemoServer, order_id: str, error: type) -> None:
    async with api_client(demo_server, Recording()) as client:
        with pytest.raises(error) as caught:
            await client.get_order(order_id)
    assert "\n" not in str(caught.value)
    assert statuses(demo_server) in ([404], [400])
    assert [r.method for r in demo_server.recorded("/oauth2")] == ["POST"]  # the token only


async def test_certificate_link_for_a_certified_order(make_demo: MakeDemo) -> None:
    server = make_demo(orders=300, seed=7, url_ttl=600)
    certified = next(i for i in server.order_ids() if server.order_state(i) == "Human Certified")
    other = next(i for i in server.order_ids() if server.order_state(i) == "In Progress")
    async with api_client(server, Recording()) as client:
        link = await client.certificate_pdf(certified)
        with pytest.raises(ApiRequestError) as caught:
            await client.certificate_pdf(other)
    assert link.url.startswith(server.base_url + "/files/")
    assert link.expires_in == 600
    assert "Human Certified" in str(caught.value)  # the server's short reason is kept
    async with httpx.AsyncClient() as plain:  # presigned: no Authorization needed
        pdf = await plain.get(link.url)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


@pytest.mark.parametrize("kind", ["malformed-truncated", "malformed-html", "malformed-shape"])
async def test_malformed_bodies_are_schema_errors_and_not_retried(
    demo_server: DemoServer, kind: str
) -> None:
    rec = Recording()
    async with api_client(demo_server, rec) as client:
        demo_server.faults.script.extend([kind, kind])
        with pytest.raises(ApiSchemaError) as caught:
            await client.list_orders(ALL_PROJECTS, limit=5)
        order_id = demo_server.order_ids()[0]
        with pytest.raises(ApiSchemaError):
            await client.get_order(order_id)
    assert str(caught.value).startswith("malformed response")
    assert statuses(demo_server) == [200, 200]
    assert rec.sleep.delays == []
    assert rec.events[-1].kind == "failed" and rec.events[-1].reason == "malformed response"


async def test_nan_and_infinity_in_a_body_become_absent_values(demo_server: DemoServer) -> None:
    async with api_client(demo_server, Recording()) as client:
        demo_server.faults.script.append("malformed-nan")
        page = await client.list_orders(ALL_PROJECTS, limit=10)
    assert page.stats.certified == 0 and page.stats.total == 0
    assert all(o.confidence is None and o.remediation is None for o in page.orders)
    for order in page.orders:
        for annotation in order.annotations:
            assert annotation.ai_likelihood is None
            assert annotation.geometry.bounds is None


async def test_big_pages_are_parsed_off_the_event_loop(
    make_demo: MakeDemo, monkeypatch: pytest.MonkeyPatch
) -> None:
    server = make_demo(orders=1200, seed=5)
    offloaded: list[str] = []
    real_to_thread = asyncio.to_thread

    async def spy(func: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Any:
        offloaded.append(getattr(func, "__name__", "?"))
        return await real_to_thread(func, *args, **kwargs)

    monkeypatch.setattr(asyncio, "to_thread", spy)
    async with api_client(server, Recording()) as client:
        small = await client.list_orders(ALL_PROJECTS, limit=3)
        assert offloaded == []
        big = await client.list_orders(ALL_PROJECTS, limit=1000)
    assert offloaded == ["parse_page"]
    assert small.row_count == 3 and big.row_count == 1000


async def test_an_oversized_body_is_refused_unread(
    demo_server: DemoServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(wire, "MAX_BODY_BYTES", 2000)
    async with api_client(demo_server, Recording()) as client:
        assert (await client.list_orders(ALL_PROJECTS, limit=1)).row_count == 1
        with pytest.raises(ApiSchemaError) as caught:
            await client.list_orders(ALL_PROJECTS, limit=50)
    assert str(caught.value) == "malformed response: the body is larger than 2000 bytes"


async def test_ok_events_and_a_closed_client(demo_server: DemoServer) -> None:
    rec = Recording()
    client = api_client(demo_server, rec)
    await client.list_orders(ALL_PROJECTS, limit=1)
    assert ("ok", "") in rec.kinds()
    await client.aclose()
    await client.aclose()  # twice is fine
    with pytest.raises(ApiUnavailableError):
        await client.list_orders(ALL_PROJECTS, limit=1)
