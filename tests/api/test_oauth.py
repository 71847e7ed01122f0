"""OAuth against the demo token endpoint over real loopback HTTP: one shared token request,
refresh before expiry, refresh after a 401, config errors that are never retried."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import pytest

from artistree_tui.api.auth import ClientCredentials, StaticToken
from artistree_tui.api.client import AUTH_FAILED
from artistree_tui.api.errors import (
    ApiAuthError,
    ApiConfigError,
    ApiSchemaError,
    ApiServerError,
    ApiUnavailableError,
)
from artistree_tui.api.models import ALL_PROJECTS
from artistree_tui.demo import DemoServer
from tests.support.api import Recording, api_client, closed_port, credentials, statuses
from tests.support.demo import fetch_token

MakeDemo = Callable[..., DemoServer]


async def test_twenty_concurrent_calls_share_one_token_request(demo_server: DemoServer) -> None:
    async with api_client(demo_server, Recording()) as client:
        pages = await asyncio.gather(
            *(client.list_orders(ALL_PROJECTS, limit=2) for _ in range(20))
        )
    assert demo_server.token_requests == 1
    assert len(pages) == 20 and all(p.row_count == 2 for p in pages)
    assert statuses(demo_server) == [200] * 20


async def test_twenty_concurrent_401s_share_one_refresh(demo_server: DemoServer) -> None:
    async with api_client(demo_server, Recording()) as client:
        await client.list_orders(ALL_PROJECTS, limit=1)
        demo_server.revoke_tokens()
        demo_server.clear_requests()
        pages = await asyncio.gather(
            *(client.list_orders(ALL_PROJECTS, limit=1) for _ in range(20))
        )
    assert len(pages) == 20
    assert demo_server.token_requests == 2  # the first token, then exactly one refresh
    assert sorted(statuses(demo_server)) == [200] * 20 + [401] * 20


@pytest.mark.parametrize(("ttl", "refresh_at"), [(3600, 3540), (600, 540), (30, 15)])
async def test_token_is_refreshed_before_it_expires(
    make_demo: MakeDemo, ttl: int, refresh_at: float
) -> None:
    server = make_demo(orders=50, seed=2, token_ttl=ttl)
    rec = Recording()
    creds = credentials(server, rec)
    async with api_client(server, rec, creds) as client:
        await client.list_orders(ALL_PROJECTS, limit=1)
        first = await creds.get_token()
        # Just before the refresh point: the cached token is still used.
        step = refresh_at - 0.5
        rec.clock.advance(step)
        server.advance(step)
        await client.list_orders(ALL_PROJECTS, limit=1)
        assert server.token_requests == 1
        # Just past it: a new token is fetched *before* the old one expires.
        rec.clock.advance(1.0)
        server.advance(1.0)
        await client.list_orders(ALL_PROJECTS, limit=1)
        assert server.token_requests == 2
        assert await creds.get_token() != first
    assert statuses(server) == [200, 200, 200]  # never a 401 on the way
    # Not vacuous: the old token really dies at its expiry on the server.
    server.advance(ttl - refresh_at)
    async with api_client(server, Recording(), StaticToken(first)) as stale:
        with pytest.raises(ApiAuthError):
            await stale.list_orders(ALL_PROJECTS, limit=1)


async def test_an_early_refresh_during_a_token_server_outage_keeps_the_valid_token(
    make_demo: MakeDemo,
) -> None:
    server = make_demo(orders=50, seed=2, token_ttl=600)
    rec = Recording()
    creds = credentials(server, rec, max_attempts=2)
    async with api_client(server, rec, creds, policy={"max_attempts": 2}) as client:
        await client.list_orders(ALL_PROJECTS, limit=1)
        rec.clock.advance(550)  # past the refresh point (540), before expiry (600)
        server.advance(550)
        server.faults.script.extend(["token:503", "token:503"])
        page = await client.list_orders(ALL_PROJECTS, limit=1)  # served with the old token
        assert page.row_count == 1
        assert server.token_requests == 3  # the first token, then two failed refresh tries
        # Once past the real expiry there is nothing to fall back on: the error surfaces. The
        # refresh gave up, so the token server is presumed down: one probe, one try.
        rec.clock.advance(60)
        server.advance(60)
        server.faults.script.append("token:503")
        with pytest.raises(ApiServerError):
            await client.list_orders(ALL_PROJECTS, limit=1)
        assert server.token_requests == 4
        # And when the token server is back, the next probe fetches a new token.
        rec.clock.advance(30)
        assert (await client.list_orders(ALL_PROJECTS, limit=1)).row_count == 1
    assert server.token_requests == 5
    assert statuses(server) == [200, 200, 200]


async def test_short_token_ttl_from_the_fault_config(make_demo: MakeDemo) -> None:
    server = make_demo(orders=50, seed=2)
    server.faults.token_ttl = 4
    rec = Recording()
    async with api_client(server, rec) as client:
        for _ in range(4):  # each step passes the 2 s refresh point of a 4 s token
            await client.list_orders(ALL_PROJECTS, limit=1)
            rec.clock.advance(2.5)
            server.advance(2.5)
    assert server.token_requests == 4
    assert 401 not in statuses(server)


@pytest.mark.parametrize("force", ["script", "revoke"])
async def test_a_401_refreshes_once_and_retries(demo_server: DemoServer, force: str) -> None:
    rec = Recording()
    async with api_client(demo_server, rec) as client:
        await client.list_orders(ALL_PROJECTS, limit=1)
        if force == "script":
            demo_server.faults.script.append("401")
        else:
            demo_server.revoke_tokens()
        page = await client.list_orders(ALL_PROJECTS, limit=3)
    assert page.row_count == 3
    assert statuses(demo_server) == [200, 401, 200]
    assert demo_server.token_requests == 2
    assert rec.sleep.delays == []  # a refresh is not a backoff


async def test_still_401_after_the_refresh_is_an_auth_error(demo_server: DemoServer) -> None:
    rec = Recording()
    async with api_client(demo_server, rec) as client:
        demo_server.faults.script.extend(["401", "401", "401"])
        with pytest.raises(ApiAuthError) as caught:
            await client.list_orders(ALL_PROJECTS, limit=1)
    assert str(caught.value) == AUTH_FAILED
    assert statuses(demo_server) == [401, 401]  # one retry only
    assert demo_server.token_requests == 2
    assert rec.events[-1].kind == "failed" and rec.events[-1].reason == "authentication"


async def test_static_token_works_and_a_rejected_one_says_what_to_do(
    demo_server: DemoServer,
) -> None:
    good = fetch_token(demo_server)
    async with api_client(demo_server, Recording(), StaticToken(good)) as client:
        assert (await client.list_orders(ALL_PROJECTS, limit=2)).row_count == 2
        demo_server.revoke_tokens()
        with pytest.raises(ApiAuthError) as caught:
            await client.list_orders(ALL_PROJECTS, limit=2)
    message = str(caught.value)
    assert "get a new token" in message and "client_id/client_secret" in message
    assert good not in message
    assert statuses(demo_server) == [200, 401]
    assert demo_server.token_requests == 1  # only fetch_token's: the client never asks


@pytest.mark.parametrize("how", ["wrong-secret", "scripted"])
async def test_invalid_client_is_a_config_error_never_retried(
    demo_server: DemoServer, how: str
) -> None:
    rec = Recording()
    secret = "wrong-secret-value" if how == "wrong-secret" else None
    if how == "scripted":
        demo_server.faults.script.append("token:invalid_client")
    creds = credentials(demo_server, rec, secret=secret)
    async with api_client(demo_server, rec, creds) as client:
        results = await asyncio.gather(
            *(client.list_orders(ALL_PROJECTS, limit=1) for _ in range(5)),
            return_exceptions=True,
        )
    assert all(isinstance(r, ApiConfigError) for r in results)
    message = str(results[0])
    assert message == (
        "the token server rejected client_id/client_secret (invalid_client): "
        "check them in your config"
    )
    assert "wrong-secret-value" not in message
    assert demo_server.token_requests == 1  # five callers, one request, no retry
    assert rec.sleep.delays == []
    assert demo_server.recorded() == []  # no API call without a token


async def test_token_server_outages_are_retried(demo_server: DemoServer) -> None:
    rec = Recording()
    demo_server.faults.script.extend(["token:503", "token:drop", "token:429", "token:502"])
    async with api_client(demo_server, rec) as client:
        page = await client.list_orders(ALL_PROJECTS, limit=1)
    assert page.row_count == 1
    assert demo_server.token_requests == 5
    assert rec.sleep.delays == [0.5, 1.0, 1.0, 4.0]  # backoff, backoff, Retry-After: 1, backoff
    assert [e.reason for e in rec.events if e.kind == "retrying"] == [
        "server error",
        "offline",
        "rate limited",
        "server error",
    ]


@pytest.mark.parametrize(
    ("entries", "error", "requests"),
    [
        (["token:500"], ApiServerError, 1),  # a bug, not an outage: no retry
        (["token:malformed"], ApiSchemaError, 1),  # a 200 HTML page instead of JSON
        (["token:503"] * 3, ApiServerError, 3),  # bounded: max_attempts=3 here
    ],
)
async def test_token_server_failures_end_in_typed_errors(
    demo_server: DemoServer, entries: list[str], error: type, requests: int
) -> None:
    rec = Recording()
    demo_server.faults.script.extend(entries)
    async with api_client(demo_server, rec, policy={"max_attempts": 3}) as client:
        with pytest.raises(error):
            await client.list_orders(ALL_PROJECTS, limit=1)
        assert demo_server.token_requests == requests
        if requests > 1:
            # The request gave up: until the next probe is due, calls fail without a try.
            with pytest.raises(error):
                await client.list_orders(ALL_PROJECTS, limit=1)
            assert demo_server.token_requests == requests
            rec.clock.advance(30)
        # Nothing else sticks: the next call asks again and succeeds.
        assert (await client.list_orders(ALL_PROJECTS, limit=1)).row_count == 1


async def test_unreachable_token_server(demo_server: DemoServer) -> None:
    rec = Recording()
    creds = ClientCredentials(
        f"http://127.0.0.1:{closed_port()}/oauth2/token",
        demo_server.client_id,
        demo_server.client_secret,
        retry=rec.policy(max_attempts=3),
        on_event=rec.events.append,
    )
    async with api_client(demo_server, rec, creds) as client:
        with pytest.raises(ApiUnavailableError) as caught:
            await client.list_orders(ALL_PROJECTS, limit=1)
    assert "token server" in str(caught.value) and "check the network" in str(caught.value)
    assert rec.kinds().count(("retrying", "offline")) == 2
    assert rec.sleep.delays == [0.5, 1.0]
