"""The token server and the API share the client's one connection pool where they can.

At startup the token request and the first page go one after the other; on a second TCP
connection the page pays one more round trip (and on https a TLS handshake) for nothing. So the
token source uses the API client's pool when the two can share it (the same scheme, both on
loopback or neither): on one host, the token and the first page come on one connection. A token
server the pool cannot serve (another scheme) keeps a client of its own.
"""

from __future__ import annotations

from artistree_tui.api.auth import ClientCredentials
from artistree_tui.api.models import ALL_PROJECTS
from artistree_tui.config import Settings
from artistree_tui.connect import build_client
from artistree_tui.demo import DemoServer


def settings_for(server: DemoServer, **extra: object) -> Settings:
    values: dict[str, object] = {
        "base_url": server.base_url,
        "token_url": server.token_url,
        "client_id": server.client_id,
        "client_secret": server.client_secret,
        "store": "memory",
    }
    values.update(extra)
    return Settings(**values)  # type: ignore[arg-type]


async def test_the_token_and_the_first_page_come_on_one_connection(
    demo_server: DemoServer,
) -> None:
    async with build_client(settings_for(demo_server)) as client:
        page = await client.list_orders(ALL_PROJECTS, preview=True, limit=5)
        await client.list_orders(ALL_PROJECTS, limit=3)
    assert page.row_count == 5
    records = demo_server.recorded("/")
    assert [r.path for r in records] == ["/oauth2/token", "/v1/orders", "/v1/orders"]
    assert {r.connection for r in records} == {1}
    assert demo_server.connections == 1


async def test_another_host_of_the_same_kind_shares_the_pool_on_its_own_connection(
    demo_server: DemoServer,
) -> None:
    # "localhost" and "127.0.0.1" are two origins on loopback: one pool, a connection each.
    token_url = demo_server.token_url.replace("127.0.0.1", "localhost")
    async with build_client(settings_for(demo_server, token_url=token_url)) as client:
        auth = client._auth
        assert isinstance(auth, ClientCredentials)
        assert auth._http is client._http
        await client.list_orders(ALL_PROJECTS, preview=True, limit=5)
    token, page = demo_server.recorded("/")
    assert token.path == "/oauth2/token" and page.path == "/v1/orders"
    assert token.connection != page.connection


async def test_a_token_server_of_another_scheme_gets_a_client_of_its_own(
    demo_server: DemoServer,
) -> None:
    token_url = demo_server.token_url.replace("http://", "https://")
    client = build_client(settings_for(demo_server, token_url=token_url))
    auth = client._auth
    assert isinstance(auth, ClientCredentials)
    assert auth._http is None  # made on first use, with its own TLS settings
    await client.aclose()
