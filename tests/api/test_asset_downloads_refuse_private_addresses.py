"""Preview and certificate downloads never go to this machine or a private network.

A preview URL comes from the API and may point anywhere; the console used to connect to
``https://127.0.0.1``, ``127.1``, ``2130706433``, ``0x7f.1``, ``::ffff:127.0.0.1``, 10/8,
100.64/10 or fd00::/8 (a blind probe of the reviewer's network). Against a real HTTPS server
on loopback whose certificate the fetcher trusts (so that only the address rules can stop
it), every such spelling is refused before a connection is made, a host name whose first DNS
answer was public but which connects to loopback (DNS rebinding) too, and the demo API's own
loopback origin keeps working when it is trusted explicitly.
"""

from __future__ import annotations

from typing import Any

import pytest

from artistree_tui.api.assets import (
    AssetFetcher,
    AssetRefusedError,
    loopback_http_origins,
)

SPELLINGS = ["127.0.0.1", "127.1", "2130706433", "0x7f.1", "017700000001", "[::ffff:127.0.0.1]"]
PRIVATE = [
    "10.1.2.3",
    "172.16.5.4",
    "192.168.1.1",
    "100.64.0.1",
    "[fd00::1]",
    "[fc00::2]",
    "[::ffff:10.0.0.1]",
    "169.254.1.1",
]


@pytest.mark.parametrize("host", SPELLINGS)
@pytest.mark.parametrize("kind", ["image", "pdf"])
async def test_loopback_however_spelt_is_refused_before_connecting(
    tls_server: Any, host: str, kind: str
) -> None:
    async with AssetFetcher(verify=tls_server.trust(), timeout=5) as fetcher:
        with pytest.raises(AssetRefusedError) as info:
            await fetcher.fetch(f"https://{host}:{tls_server.port}/a.png?sig=abc", kinds=(kind,))
    assert info.value.reason == "refused address"
    assert tls_server.connections == 0
    assert "sig=" not in str(info.value)


@pytest.mark.parametrize("host", PRIVATE)
async def test_private_cgnat_link_local_and_unique_local_are_refused(host: str) -> None:
    async with AssetFetcher(timeout=5) as fetcher:
        with pytest.raises(AssetRefusedError) as info:
            await fetcher.fetch(f"https://{host}/a.png")
    assert info.value.reason == "refused address"


async def test_dns_rebinding_is_caught_when_connecting(
    tls_server: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    fetcher = AssetFetcher(verify=tls_server.trust(), timeout=5)

    async def first_answer(host: str, port: int) -> list[str]:
        return ["93.184.216.34"]  # what a rebinding DNS server says the first time

    monkeypatch.setattr(fetcher, "_resolve", first_answer)
    try:
        with pytest.raises(AssetRefusedError):
            await fetcher.fetch(f"https://localhost:{tls_server.port}/a.png")
    finally:
        await fetcher.aclose()
    assert tls_server.requests == []  # refused before a byte was sent
    assert tls_server.connections == 0


async def test_an_explicitly_trusted_loopback_origin_is_fetched(tls_server: Any) -> None:
    trusted = frozenset({tls_server.origin})
    async with AssetFetcher(allow_http_origins=trusted, verify=tls_server.trust()) as fetcher:
        asset = await fetcher.fetch(f"{tls_server.origin}/a.png?sig=abc")
        assert asset.content_type == "image/png"
        # Only that origin: the same host on another port is refused.
        with pytest.raises(AssetRefusedError):
            await fetcher.fetch(f"https://127.0.0.1:{tls_server.port + 1}/a.png")
    assert tls_server.requests == ["/a.png?sig=abc"]


async def test_the_demo_apis_own_origin_is_the_only_opt_in(demo_server: Any, http: Any) -> None:
    order = http.get(
        f"{demo_server.base_url}/v1/orders",
        params={"project_id": "All Projects", "limit": "1"},
        headers={"Authorization": f"Bearer {demo_token(demo_server, http)}"},
    ).json()["orders"][0]
    origins = loopback_http_origins(demo_server.base_url)
    async with AssetFetcher(allow_http_origins=origins) as fetcher:
        asset = await fetcher.fetch(order["asset_preview_url"])
    assert asset.content_type in ("image/png", "image/jpeg", "image/webp", "image/gif")


def demo_token(server: Any, http: Any) -> str:
    from tests.support.demo import fetch_token

    return fetch_token(server, http)
