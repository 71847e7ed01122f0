"""The demo's OAuth2 client-credentials token endpoint (Cognito-like)."""

from __future__ import annotations

import base64
from collections.abc import Callable

import httpx
import pytest

from artistree_tui.demo import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, DemoServer


def form(**overrides: str) -> dict[str, str]:
    body = {
        "grant_type": "client_credentials",
        "client_id": DEMO_CLIENT_ID,
        "client_secret": DEMO_CLIENT_SECRET,
    }
    body.update(overrides)
    return {k: v for k, v in body.items() if v != "<omit>"}


def basic(client_id: str, secret: str) -> dict[str, str]:
    pair = base64.b64encode(f"{client_id}:{secret}".encode()).decode()
    return {"Authorization": f"Basic {pair}"}


def test_form_credentials_get_a_bearer_token(demo_server: DemoServer, http: httpx.Client) -> None:
    assert (demo_server.client_id, demo_server.client_secret) == (
        DEMO_CLIENT_ID,
        DEMO_CLIENT_SECRET,
    )
    response = http.post(demo_server.token_url, data=form())
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"access_token", "token_type", "expires_in"}
    assert body["token_type"] == "Bearer" and body["expires_in"] == 3600
    assert isinstance(body["access_token"], str) and len(body["access_token"]) > 20
    assert response.headers["cache-control"] == "no-store"
    assert demo_server.token_requests == 1
    orders = http.get(
        demo_server.base_url + "/v1/orders",
        params={"project_id": "All Projects", "limit": 1},
        headers={"Authorization": f"Bearer {body['access_token']}"},
    )
    assert orders.status_code == 200


def test_http_basic_credentials_work_too(demo_server: DemoServer, http: httpx.Client) -> None:
    response = http.post(
        demo_server.token_url,
        data={"grant_type": "client_credentials"},
        headers=basic(DEMO_CLIENT_ID, DEMO_CLIENT_SECRET),
    )
    assert response.status_code == 200 and response.json()["token_type"] == "Bearer"
    assert demo_server.recorded("/oauth2/token")[-1].had_auth


@pytest.mark.parametrize(
    ("data", "headers"),
    [
        (form(client_secret="wrong"), {}),
        (form(client_id="someone-else"), {}),
        (form(client_secret="<omit>"), {}),
        ({"grant_type": "client_credentials"}, basic(DEMO_CLIENT_ID, "wrong")),
        ({"grant_type": "client_credentials"}, {"Authorization": "Basic !!!notbase64"}),
    ],
)
def test_bad_credentials_are_invalid_client(
    demo_server: DemoServer, data: dict[str, str], headers: dict[str, str], http: httpx.Client
) -> None:
    response = http.post(demo_server.token_url, data=data, headers=headers)
    assert response.status_code == 400
    assert response.json() == {"error": "invalid_client"}


def test_other_grants_are_unsupported(demo_server: DemoServer, http: httpx.Client) -> None:
    response = http.post(demo_server.token_url, data=form(grant_type="password"))
    assert response.status_code == 400
    assert response.json() == {"error": "unsupported_grant_type"}
    missing = http.post(demo_server.token_url, data=form(grant_type="<omit>"))
    assert missing.json() == {"error": "invalid_request"}


def test_token_endpoint_wants_a_form_post(demo_server: DemoServer, http: httpx.Client) -> None:
    as_json = http.post(demo_server.token_url, json=form())
    assert as_json.status_code == 400 and as_json.json() == {"error": "invalid_request"}
    assert http.get(demo_server.token_url).status_code == 405


def test_token_ttl_fault_shortens_expires_in(demo_server: DemoServer, http: httpx.Client) -> None:
    demo_server.faults.token_ttl = 5
    body = http.post(demo_server.token_url, data=form()).json()
    assert body["expires_in"] == 5
    headers = {"Authorization": f"Bearer {body['access_token']}"}
    url = demo_server.base_url + "/v1/orders?project_id=All+Projects&limit=1"
    assert http.get(url, headers=headers).status_code == 200
    demo_server.advance(5)
    assert http.get(url, headers=headers).status_code == 401


def test_constructor_token_ttl(make_demo: Callable[..., DemoServer], http: httpx.Client) -> None:
    server = make_demo(orders=10, token_ttl=120)
    assert http.post(server.token_url, data=form()).json()["expires_in"] == 120


def test_scripted_token_failures_hit_only_the_token_endpoint(
    demo_server: DemoServer, http: httpx.Client
) -> None:
    demo_server.faults.script.extend(["token:503", "token:invalid_client", "token:429"])
    assert http.post(demo_server.token_url, data=form()).status_code == 503
    assert http.post(demo_server.token_url, data=form()).json() == {"error": "invalid_client"}
    limited = http.post(demo_server.token_url, data=form())
    assert limited.status_code == 429 and limited.headers["retry-after"] == "1"
    assert http.post(demo_server.token_url, data=form()).status_code == 200
    assert demo_server.token_requests == 4
