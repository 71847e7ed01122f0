"""TLS contexts: one CA bundle load per process, none at all for the plain-http demo.

Every httpx client used to load the CA bundle (~20 ms of CPU each, three of them at startup).
These tests pin down that the console's clients share one verifying context, that clients of a
plain-http API (the loopback demo) never load it, and that the context they get instead trusts
nothing: pointed at TLS, it would refuse every certificate.
"""

from __future__ import annotations

import ssl
from collections.abc import Callable

import httpx
import pytest

from artistree_tui.api import tls
from artistree_tui.api.assets import AssetFetcher, AssetUnavailableError
from artistree_tui.api.auth import ClientCredentials, StaticToken
from artistree_tui.api.client import ArtistreeClient
from artistree_tui.api.models import ALL_PROJECTS
from artistree_tui.demo import DemoServer

#: Every way of loading trust anchors into an ``ssl.SSLContext`` ends in one of these: httpx's
#: transport building its own context (``verify=True``), ``ssl.create_default_context``, certifi.
LOADS = ("load_verify_locations", "load_default_certs", "set_default_verify_paths")


@pytest.fixture
def no_ca_bundle(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Make loading a CA bundle fail loudly, whoever loads it; returns what was attempted.

    Patched where the loading really happens (the SSLContext methods), not at a factory a
    caller may have imported by name (httpx's transport imports ``create_ssl_context`` so);
    and ``tls.verifying_context`` too, since its context is cached after the first load."""
    attempts: list[str] = []

    def refusing(name: str) -> Callable[..., None]:
        def refuse(*_args: object, **_kwargs: object) -> None:
            attempts.append(name)
            raise AssertionError(f"the CA bundle was loaded ({name})")

        return refuse

    for name in LOADS:
        monkeypatch.setattr(ssl.SSLContext, name, refusing(name))
    monkeypatch.setattr(tls, "verifying_context", refusing("tls.verifying_context"))
    return attempts


def ssl_context_of(http: httpx.AsyncClient) -> ssl.SSLContext:
    """The context an httpx client's connections are really opened with (its transport's
    connection pool holds it)."""
    context = http._transport._pool._ssl_context  # type: ignore[attr-defined]
    assert isinstance(context, ssl.SSLContext)
    return context


def test_the_plain_http_context_trusts_nothing_and_still_verifies() -> None:
    context = tls.plain_http_context()
    assert context.verify_mode == ssl.CERT_REQUIRED and context.check_hostname
    assert context.cert_store_stats()["x509_ca"] == 0  # no anchors: every chain is refused
    chosen = tls.context_for(httpx.URL("http://127.0.0.1:8000"), trust_env=True)
    assert chosen.verify_mode == ssl.CERT_REQUIRED and chosen.cert_store_stats()["x509_ca"] == 0


def test_the_verifying_context_is_loaded_once_per_trust_setting() -> None:
    first = tls.verifying_context(trust_env=False)
    assert first.verify_mode == ssl.CERT_REQUIRED and first.check_hostname
    assert first.cert_store_stats()["x509_ca"] > 0
    assert tls.verifying_context(trust_env=False) is first
    assert tls.context_for(httpx.URL("https://api.example"), trust_env=False) is first
    assert tls.verifying_context(trust_env=True) is tls.verifying_context(trust_env=True)


async def test_clients_of_the_plain_http_demo_never_load_the_bundle(
    demo_server: DemoServer, no_ca_bundle: list[str]
) -> None:
    auth = ClientCredentials(
        demo_server.token_url, demo_server.client_id, demo_server.client_secret
    )
    async with ArtistreeClient(demo_server.base_url, auth) as client:
        page = await client.list_orders(ALL_PROJECTS, limit=3)
    assert page.row_count == 3
    assert no_ca_bundle == []


def test_the_guard_sees_a_bundle_loaded_by_httpx_itself(no_ca_bundle: list[str]) -> None:
    # What a client built with httpx's default (verify=True) does: the guard must notice.
    with pytest.raises(AssertionError, match="CA bundle was loaded"):
        httpx.AsyncHTTPTransport()
    assert no_ca_bundle


async def test_an_https_api_client_gets_the_shared_context(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    shared = tls.plain_http_context()  # any context: the point is that it is the same one
    asked: list[bool] = []

    def verifying(*, trust_env: bool = True) -> ssl.SSLContext:
        asked.append(trust_env)
        return shared

    monkeypatch.setattr(tls, "verifying_context", verifying)
    first = ArtistreeClient("https://api.example", StaticToken("t"))
    second = ArtistreeClient("https://api.example", StaticToken("t"))
    tokens = ClientCredentials("https://auth.example/oauth2/token", "id", "secret")
    try:
        # The very context handed out is the one their connections use.
        assert ssl_context_of(first._http) is shared
        assert ssl_context_of(second._http) is shared
        assert ssl_context_of(tokens._client()) is shared
    finally:
        await first.aclose()
        await second.aclose()
        await tokens.aclose()
    assert asked == [True, True, True]


async def test_the_asset_fetcher_loads_the_bundle_for_its_first_https_download_only(
    demo_server: DemoServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[bool] = []
    real = tls.verifying_context

    def verifying(*, trust_env: bool = True) -> ssl.SSLContext:
        asked.append(trust_env)
        return real(trust_env=trust_env)

    monkeypatch.setattr(tls, "verifying_context", verifying)
    port = demo_server.base_url.rsplit(":", 1)[1]
    # The https origin is trusted too: a loopback address is refused otherwise (issue 13).
    trusted = frozenset({demo_server.base_url, f"https://127.0.0.1:{port}"})
    async with AssetFetcher(allow_http_origins=trusted) as fetcher:
        assert fetcher._http is None  # nothing is built before the first download
        with pytest.raises(AssetUnavailableError):  # plain http: no bundle needed
            await fetcher.fetch(f"{demo_server.base_url}/files/previews/missing.png")
        assert asked == []
        with pytest.raises(AssetUnavailableError):  # https (here: no TLS server) needs it
            await fetcher.fetch(f"https://127.0.0.1:{port}/x.png")
        assert asked == [False]  # the fetcher's own setting: nothing from the environment


async def test_a_closed_fetcher_does_not_come_back_to_life() -> None:
    fetcher = AssetFetcher(allow_http_origins=frozenset({"http://127.0.0.1:9"}))
    await fetcher.aclose()
    with pytest.raises(AssetUnavailableError):
        await fetcher.fetch("http://127.0.0.1:9/x.png")
    assert fetcher._http is None
