"""GET /v1/orders/{id} and GET /v1/orders/pdf/{id}, and the certificate PDF file."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest

from artistree_tui.demo import DemoServer
from tests.support.demo import page_orders

Http = Callable[[DemoServer], httpx.Client]


def without_signatures(value: Any) -> Any:
    """The order with presigned URLs cut at the query (their expiry moves with the clock)."""
    if isinstance(value, dict):
        return {k: without_signatures(v) for k, v in value.items()}
    if isinstance(value, list):
        return [without_signatures(v) for v in value]
    if isinstance(value, str) and "?expires=" in value:
        return value.split("?", 1)[0]
    return value


def test_one_order_equals_its_list_row(demo_server: DemoServer, demo_http: Http) -> None:
    client = demo_http(demo_server)
    for order in page_orders(client)[::37]:
        response = client.get(f"/v1/orders/{order['order_id']}", params={"download": "false"})
        assert response.status_code == 200
        assert without_signatures(response.json()) == without_signatures(order)


@pytest.mark.parametrize(
    "bad_id",
    [
        "abc",
        "12345678-1234-1234-1234-12345678901",  # 35 characters
        "zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz",
        "123456781234123412341234567890123456",  # 36 characters, no dashes
        "{12345678-1234-4234-8234-1234567890}",
    ],
)
def test_malformed_order_id_is_a_400(demo_server: DemoServer, demo_http: Http, bad_id: str) -> None:
    client = demo_http(demo_server)
    for path in (f"/v1/orders/{bad_id}", f"/v1/orders/pdf/{bad_id}"):
        response = client.get(path)
        assert response.status_code == 400, path
        assert "UUID" in response.json()["message"]


def test_unknown_order_is_a_404(make_demo: Callable[..., DemoServer], demo_http: Http) -> None:
    server, other = make_demo(orders=50, seed=1), make_demo(orders=50, seed=2)
    client = demo_http(server)
    foreign = page_orders(demo_http(other), 1)[0]["order_id"]  # same shape, other seed
    for unknown in (str(uuid.uuid4()), foreign):
        for path in (f"/v1/orders/{unknown}", f"/v1/orders/pdf/{unknown}"):
            response = client.get(path)
            assert response.status_code == 404
            assert response.json()["message"]


def test_every_v1_request_needs_a_valid_bearer_token(
    demo_server: DemoServer, http: httpx.Client
) -> None:
    order_id = demo_server.order_ids()[0]
    paths = ["/v1/orders?project_id=All+Projects", f"/v1/orders/{order_id}"]
    paths.append(f"/v1/orders/pdf/{order_id}")
    for headers in ({}, {"Authorization": "Bearer nope"}, {"Authorization": "Basic eDp5"}):
        for path in paths:
            response = http.get(demo_server.base_url + path, headers=headers)
            assert response.status_code == 401
            assert response.json() == {"message": "Unauthorized"}


def test_expired_and_revoked_tokens_are_refused(demo_server: DemoServer, demo_http: Http) -> None:
    demo_server.faults.token_ttl = 60
    client = demo_http(demo_server)
    params = {"project_id": "All Projects", "limit": 1}
    assert client.get("/v1/orders", params=params).status_code == 200
    demo_server.advance(61)
    assert client.get("/v1/orders", params=params).status_code == 401
    fresh = demo_http(demo_server)
    assert fresh.get("/v1/orders", params=params).status_code == 200
    demo_server.revoke_tokens()
    assert fresh.get("/v1/orders", params=params).status_code == 401


def _by_state(orders: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    for order in orders:
        found.setdefault(order["order_state"], order)
    return found


def test_certificate_link_and_pdf(
    demo_server: DemoServer, demo_http: Http, http: httpx.Client
) -> None:
    client = demo_http(demo_server)
    certified = _by_state(page_orders(client))["Human Certified"]
    link = client.get(f"/v1/orders/pdf/{certified['order_id']}")
    assert link.status_code == 200
    body = link.json()
    assert set(body) == {"url", "expiresIn"}
    assert type(body["expiresIn"]) is int and body["expiresIn"] > 0
    url = urlsplit(body["url"])
    assert f"{url.scheme}://{url.netloc}" == demo_server.base_url
    assert url.path == f"/files/certificates/{certified['order_id']}.pdf"
    demo_server.clear_requests()
    pdf = http.get(body["url"])  # a plain GET: no Authorization header
    assert pdf.status_code == 200
    assert pdf.headers["content-type"] == "application/pdf"
    data = pdf.content
    assert data.startswith(b"%PDF-1.") and data.rstrip().endswith(b"%%EOF")
    title = certified["order_title"].encode("latin-1", "replace")
    assert b"(" + title.replace(b"(", b"\\(").replace(b")", b"\\)") + b")" in data
    _assert_xref_is_consistent(data)
    assert [r.had_auth for r in demo_server.recorded("/files/")] == [False]


def _assert_xref_is_consistent(data: bytes) -> None:
    startxref = int(re.search(rb"startxref\n(\d+)\n%%EOF", data).group(1))  # type: ignore[union-attr]
    assert data[startxref:].startswith(b"xref\n")
    count = int(re.match(rb"xref\n0 (\d+)\n", data[startxref:]).group(1))  # type: ignore[union-attr]
    entries = re.findall(rb"(\d{10}) 00000 n \n", data[startxref:])
    assert len(entries) == count - 1
    for number, offset in enumerate(entries, start=1):
        assert data[int(offset) :].startswith(b"%d 0 obj\n" % number)


def test_no_certificate_for_other_states(demo_server: DemoServer, demo_http: Http) -> None:
    client = demo_http(demo_server)
    found = _by_state(page_orders(client))
    assert set(found) == {
        "In Progress",
        "Human Certified",
        "Action Required",
        "Reviewed",
        "Failed",
        "Unsupported File",
    }
    for state, order in found.items():
        if state == "Human Certified":
            continue
        response = client.get(f"/v1/orders/pdf/{order['order_id']}")
        assert 400 <= response.status_code < 500
        assert state in response.json()["message"]


def test_certificate_link_expires(
    demo_server: DemoServer, demo_http: Http, http: httpx.Client
) -> None:
    client = demo_http(demo_server)
    certified = _by_state(page_orders(client))["Human Certified"]
    body = client.get(f"/v1/orders/pdf/{certified['order_id']}").json()
    demo_server.advance(body["expiresIn"] + 1)
    expired = http.get(body["url"])
    assert expired.status_code == 403
    assert b"<Code>AccessDenied</Code>" in expired.content and b"expired" in expired.content
    forged = http.get(body["url"].replace("sig=", "sig=0"))
    assert forged.status_code == 403
