"""No token or secret ever appears in an error message, a repr, an event or a log line (all
loggers captured at DEBUG, httpx and httpcore included), whatever the server does."""

from __future__ import annotations

import logging

import pytest

from artistree_tui.api.auth import ClientCredentials, StaticToken
from artistree_tui.api.errors import ApiError
from artistree_tui.api.models import ALL_PROJECTS
from artistree_tui.demo import DemoServer
from tests.support.api import Recording, api_client, credentials
from tests.support.demo import fetch_token


class SpyTokens:
    """Wraps a token source and remembers every token it handed out."""

    def __init__(self, inner: ClientCredentials | StaticToken) -> None:
        self.inner = inner
        self.seen: set[str] = set()

    async def get_token(self, *, force_refresh: bool = False) -> str:
        token = await self.inner.get_token(force_refresh=force_refresh)
        self.seen.add(token)
        return token

    def invalidate(self) -> None:
        self.inner.invalidate()

    def probe_now(self) -> None:
        self.inner.probe_now()

    def next_try_in(self) -> float:
        return self.inner.next_try_in()

    async def aclose(self) -> None:
        if isinstance(self.inner, ClientCredentials):
            await self.inner.aclose()


def texts_of(error: BaseException | None) -> list[str]:
    if error is None:
        return []
    return [str(error), repr(error), *map(str, error.args), repr(error.__cause__)]


SCENARIOS = [
    ("list", []),
    ("list", ["401"]),
    ("list", ["401", "401"]),
    ("list", ["429"] * 5),
    ("list", ["503", "504"]),
    ("list", ["500"]),
    ("list", ["drop"] * 5),
    ("list", ["malformed-html"]),
    ("list", ["malformed-truncated"]),
    ("order", []),
    ("bad-order", []),
    ("pdf", []),
]


@pytest.mark.parametrize(("call", "script"), SCENARIOS)
async def test_tokens_and_secrets_never_leak(
    demo_server: DemoServer, caplog: pytest.LogCaptureFixture, call: str, script: list[str]
) -> None:
    caplog.set_level(logging.DEBUG)
    rec = Recording()
    creds = credentials(demo_server, rec)
    spy = SpyTokens(creds)
    demo_server.faults.script.extend(script)
    error: ApiError | None = None
    async with api_client(demo_server, rec, spy) as client:
        try:
            if call == "list":
                await client.list_orders(ALL_PROJECTS, limit=3)
            elif call == "order":
                await client.get_order("8c7f4c38-0000-4000-8000-000000000000")
            elif call == "bad-order":
                await client.get_order("../not a uuid")
            else:
                await client.certificate_pdf(demo_server.order_ids()[0])
        except ApiError as caught:
            error = caught
        texts = [*texts_of(error), repr(client), repr(creds), *map(repr, rec.events)]
    assert spy.seen, "the scenario never obtained a token"
    secrets = [*spy.seen, demo_server.client_secret]
    logged = caplog.text
    for secret in secrets:
        assert secret not in logged
        for text in texts:
            assert secret not in text
    assert "authorization" not in logged.lower()  # no request header is ever logged
    assert any(r.name == "artistree_tui.api" for r in caplog.records)  # logs were captured


async def test_a_rejected_static_token_is_not_echoed(
    demo_server: DemoServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    token = fetch_token(demo_server)
    demo_server.revoke_tokens()
    source = StaticToken(token)
    async with api_client(demo_server, Recording(), source) as client:
        with pytest.raises(ApiError) as caught:
            await client.get_order(demo_server.order_ids()[0])
    for text in [*texts_of(caught.value), repr(source), repr(client), caplog.text]:
        assert token not in text


async def test_logged_lines_name_method_path_and_status(
    demo_server: DemoServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="artistree_tui.api")
    async with api_client(demo_server, Recording()) as client:
        await client.list_orders(ALL_PROJECTS, limit=1)
    lines = [r.getMessage() for r in caplog.records if r.name == "artistree_tui.api"]
    assert any(line.startswith("GET /v1/orders -> 200 in ") for line in lines)
    assert any(line.startswith("POST /oauth2/token -> 200 in ") for line in lines)
    assert not any("project_id" in line or "All Projects" in line for line in lines)
