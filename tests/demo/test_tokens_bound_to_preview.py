"""The demo's ``token_bound_to_preview`` fault: a page token issued by a ``preview=true`` page
is refused (400) for a ``preview=false`` page, as an API whose opaque tokens encode ``preview``
would. Off by default: then a token continues the listing whichever kind of page asks."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx

from artistree_tui.demo import DemoServer, FaultConfig

Http = Callable[[DemoServer], httpx.Client]
ALL = "All Projects"


def page(client: httpx.Client, *, preview: bool, token: str | None = None) -> httpx.Response:
    params: dict[str, Any] = {"project_id": ALL, "limit": 5, "preview": str(preview).lower()}
    if token is not None:
        params["page_token"] = token
    return client.get("/v1/orders", params=params)


def ids(response: httpx.Response) -> list[str]:
    assert response.status_code == 200, response.text
    body = response.json()
    return [row["order_id"] for row in body.get("orders") or body["order_previews"]]


def test_tokens_work_across_page_kinds_unless_bound(
    demo_server: DemoServer, demo_http: Http
) -> None:
    client = demo_http(demo_server)
    expected = demo_server.order_ids()[5:10]
    preview_token = page(client, preview=True).json()["next_page_token"]
    full_token = page(client, preview=False).json()["next_page_token"]
    assert preview_token != full_token  # two spellings of the same position, as opaque tokens
    for token in (preview_token, full_token):
        for preview in (True, False):
            assert ids(page(client, preview=preview, token=token)) == expected

    demo_server.faults.token_bound_to_preview = True
    refused = page(client, preview=False, token=preview_token)
    assert refused.status_code == 400 and "page_token" in refused.json()["message"]
    assert ids(page(client, preview=True, token=preview_token)) == expected
    assert ids(page(client, preview=False, token=full_token)) == expected
    assert ids(page(client, preview=True, token=full_token)) == expected


def test_the_switch_parses_from_a_fault_spec() -> None:
    assert FaultConfig.parse("preview-tokens").token_bound_to_preview
    assert FaultConfig.parse("hostile,preview-tokens=on").token_bound_to_preview
    assert not FaultConfig.parse("preview-tokens=off").token_bound_to_preview
    assert not FaultConfig().token_bound_to_preview
    assert "token_bound_to_preview=True" in FaultConfig.parse("preview-tokens").describe()
