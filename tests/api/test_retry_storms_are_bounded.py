"""Retries cannot turn into a storm, nor into an endless wait, nor hide a bad certificate.

Over real loopback HTTP against the demo's fault injection (and a real HTTPS server with a
certificate nobody trusts); only waiting is faked, with a recorded ``sleep`` that moves the
client's clock.

- ``Retry-After: 999999`` is honoured up to 60 s, and one request waits 60 s at most in all;
- after a request gave up, ten minutes of 503 get one probe at a time on the backoff
  schedule, not a burst of five tries per attempt, and concurrent requests do not probe
  together; the first answer closes the breaker;
- a certificate that does not verify is said so, and tried once.

Helpers come from the ``tests/support/api.py``.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from artistree_tui.api.assets import AssetFetcher, AssetUnavailableError
from artistree_tui.api.auth import ClientCredentials, StaticToken
from artistree_tui.api.client import ArtistreeClient
from artistree_tui.api.errors import ApiCertificateError, ApiError, ApiServerError
from artistree_tui.api.models import ALL_PROJECTS
from artistree_tui.api.retry import ClientEvent, RetryPolicy
from tests.support.api import Recording, api_client


def api_requests(demo: Any) -> int:
    return len(demo.recorded("/v1/orders"))


async def test_retry_after_is_capped_at_60_s_and_the_budget_ends_the_request(
    demo_server: Any,
) -> None:
    rec = Recording()
    demo_server.faults.retry_after = "999999"
    demo_server.faults.script.extend(["429"] * 5)
    async with api_client(demo_server, rec) as client:
        with pytest.raises(ApiError):
            await client.list_orders(ALL_PROJECTS, limit=1)
    assert rec.sleep.delays == [60.0]  # capped; a second wait would pass the 60 s budget
    assert RetryPolicy().retry_after_cap == 60.0


async def test_ten_minutes_of_503_get_one_probe_at_a_time(make_demo: Any) -> None:
    demo = make_demo(orders=50, seed=5)
    rec = Recording()
    async with api_client(demo, rec, StaticToken(_token(demo))) as client:
        demo.faults.script.extend(["503"] * 100_000)  # every API request fails, for good
        with pytest.raises(ApiServerError):
            await client.list_orders(ALL_PROJECTS, limit=1)
        assert api_requests(demo) == 5  # the first request's own bounded retries
        # The console keeps asking (its recovery loop, the detail pane, a refresh key)
        # every 2 s for ten minutes, sometimes three requests at once.
        started = rec.clock.now
        while rec.clock.now - started < 600:
            results = await asyncio.gather(
                *(client.list_orders(ALL_PROJECTS, limit=1) for _ in range(3)),
                return_exceptions=True,
            )
            assert all(isinstance(r, ApiServerError) for r in results)
            rec.clock.advance(2.0)
        probes = api_requests(demo) - 5
        # Probes come on the backoff schedule (8 s, 16 s, then every 30 s): about 20, never
        # the 300 x 3 x 5 tries a burst per call would make.
        assert 10 <= probes <= 600 / 15 + 2
        # The service comes back: the next due probe answers, and the breaker closes.
        demo.faults.script.clear()
        rec.clock.advance(30.0)
        page = await client.list_orders(ALL_PROJECTS, limit=1)
        assert page.row_count == 1
        before = api_requests(demo)
        await asyncio.gather(*(client.list_orders(ALL_PROJECTS, limit=1) for _ in range(3)))
        assert api_requests(demo) == before + 3


async def test_concurrent_requests_never_probe_together(make_demo: Any) -> None:
    demo = make_demo(orders=50, seed=5)
    rec = Recording()
    async with api_client(demo, rec, StaticToken(_token(demo))) as client:
        demo.faults.script.extend(["503"] * 5)
        with pytest.raises(ApiServerError):
            await client.list_orders(ALL_PROJECTS, limit=1)
        assert api_requests(demo) == 5
        demo.faults.latency_ms = 200  # the probe is in flight while the others ask
        rec.clock.advance(30.0)
        results = await asyncio.gather(
            *(client.list_orders(ALL_PROJECTS, limit=1) for _ in range(5)),
            return_exceptions=True,
        )
    assert api_requests(demo) == 6  # one probe, answered; the four others were not sent
    assert sum(not isinstance(r, BaseException) for r in results) == 1
    assert all(isinstance(r, ApiServerError) for r in results if isinstance(r, BaseException))


async def test_an_unverifiable_certificate_is_said_so_and_tried_once(tls_server: Any) -> None:
    events: list[ClientEvent] = []
    async with ArtistreeClient(
        tls_server.origin, StaticToken("t"), on_event=events.append
    ) as client:
        with pytest.raises(ApiCertificateError) as info:
            await client.list_orders(ALL_PROJECTS, limit=1)
    message = str(info.value)
    assert "certificate" in message and "could not be verified" in message
    assert "check the network" not in message
    assert tls_server.connections == 1
    assert [e.kind for e in events] == ["failed"] and events[0].reason == "certificate"


async def test_the_token_server_and_asset_downloads_say_so_too(tls_server: Any) -> None:
    creds = ClientCredentials(f"{tls_server.origin}/oauth2/token", "id", "secret")
    with pytest.raises(ApiCertificateError):
        await creds.get_token()
    await creds.aclose()
    assert tls_server.connections == 1
    trusted = frozenset({tls_server.origin})  # the address is allowed; the certificate is not
    async with AssetFetcher(allow_http_origins=trusted) as fetcher:
        with pytest.raises(AssetUnavailableError) as info:
            await fetcher.fetch(f"{tls_server.origin}/a.png")
    assert info.value.reason == "bad certificate"


def _token(demo: Any) -> str:
    import httpx

    from tests.support.demo import TLS, fetch_token

    with httpx.Client(verify=TLS) as http:
        return fetch_token(demo, http)
