"""The few client behaviours the demo server cannot provoke, over httpx.MockTransport.

The demo speaks the contract faithfully, so it never repeats a ``next_page_token``, never
redirects, does not report request headers, sends no odd certificate bodies or 4xx texts and
only ``invalid_client`` as an OAuth refusal; these tests script exactly those answers.
Everything else is tested against the real demo server in the other tests of this folder.
"""

from __future__ import annotations

import json
import logging

import httpx
import pytest

from artistree_tui.api.auth import ClientCredentials, StaticToken
from artistree_tui.api.client import ArtistreeClient
from artistree_tui.api.errors import ApiConfigError, ApiRequestError, ApiSchemaError
from artistree_tui.api.retry import RetryPolicy

BASE = "http://api.test"
TOKEN = "tok-3f9a1c"


def page(token: str | None, *rows: object) -> httpx.Response:
    body = {"order_stats": {"total_orders": 9}, "orders": list(rows), "next_page_token": token}
    return httpx.Response(200, json=body)


def client_for(handler: object, **kwargs: object) -> ArtistreeClient:
    return ArtistreeClient(
        BASE,
        StaticToken(TOKEN),
        transport=httpx.MockTransport(handler),  # type: ignore[arg-type]
        retry=RetryPolicy(sleep=_no_sleep),
        **kwargs,  # type: ignore[arg-type]
    )


async def _no_sleep(_delay: float) -> None:
    return None


async def test_a_repeated_next_page_token_stops_paging(caplog: pytest.LogCaptureFixture) -> None:
    # A → B → A would loop forever; the walk must stop after the page that repeats a token.
    answers = {None: page("A", {"order_id": "1"}), "A": page("B", {"order_id": "2"})}
    answers["B"] = page("A", {"order_id": "3"}, "junk")
    seen: list[str | None] = []

    def handler(request: httpx.Request) -> httpx.Response:
        token = request.url.params.get("page_token")
        seen.append(token)
        return answers[token]

    async with client_for(handler) as client:
        pages = client.iter_pages("p1", limit=2)
        ids = [o.order_id async for p in pages for o in p.orders]
    assert ids == ["1", "2", "3"]
    assert seen == [None, "A", "B"]
    assert pages.repeated_token is True
    assert pages.finished is True and pages.next_page_token is None
    assert pages.pages == 3 and pages.skipped == 1
    assert "a page token came back" in caplog.text


async def test_normal_paging_does_not_report_a_repeat() -> None:
    answers = {None: page("A", {"order_id": "1"}), "A": page(None, {"order_id": "2"})}

    def handler(request: httpx.Request) -> httpx.Response:
        return answers[request.url.params.get("page_token")]

    async with client_for(handler) as client:
        pages = client.iter_pages("p1")
        assert [p.row_count async for p in pages] == [1, 1]
    assert pages.repeated_token is False


async def test_a_token_equal_to_the_starting_token_is_a_repeat() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return page("START", {"order_id": "1"})

    async with client_for(handler) as client:
        pages = client.iter_pages("p1", page_token="START")
        assert [p.row_count async for p in pages] == [1]
    assert pages.repeated_token is True


async def test_a_redirect_is_an_error_and_is_not_followed() -> None:
    hosts: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        hosts.append(request.url.host)
        return httpx.Response(302, headers={"Location": "https://evil.example/steal"})

    async with client_for(handler) as client:
        with pytest.raises(ApiConfigError) as caught:
            await client.get_order("8c7f4c38-0000-4000-8000-000000000000")
    assert hosts == ["api.test"]
    assert "redirect" in str(caught.value) and "evil" not in str(caught.value)


async def test_headers_sent_lang_and_authorization_only_to_the_base_origin() -> None:
    requests: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        requests.append(request)
        if request.url.path.startswith("/v1/orders/pdf/"):
            body = {"url": "https://files.other.example/c.pdf?X-Sig=abc", "expiresIn": 60}
            return httpx.Response(200, json=body)
        return page(None)

    async with client_for(handler, lang="fr") as client:
        await client.list_orders("p1")
        await client.list_orders("p1", lang="de-DE")
        link = await client.certificate_pdf("a/../b")
    assert [r.headers.get("lang") for r in requests] == ["fr", "de-DE", "fr"]
    assert all(r.headers["authorization"] == f"Bearer {TOKEN}" for r in requests)
    assert {r.url.host for r in requests} == {"api.test"}
    # The untrusted id stays one path segment under /v1/orders/pdf/.
    assert requests[2].url.raw_path == b"/v1/orders/pdf/a%2F..%2Fb"
    assert link.url.startswith("https://files.other.example/")
    assert "X-Sig" not in repr(link)


@pytest.mark.parametrize(
    "body",
    [
        {"expiresIn": 60},
        {"url": "javascript:alert(1)", "expiresIn": 60},
        {"url": "file:///etc/passwd"},
        {"url": "https://x.example/a b.pdf"},
        {"url": 12},
        ["https://x.example/c.pdf"],
    ],
)
async def test_certificate_without_a_usable_url_is_a_schema_error(body: object) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=json.dumps(body).encode())

    async with client_for(handler) as client:
        with pytest.raises(ApiSchemaError):
            await client.certificate_pdf("x")


@pytest.mark.parametrize(
    ("expires", "expected"),
    [(None, None), ("soon", None), (-5, None), (900, 900), (900.7, 900), (10**12, 7 * 86400)],
)
async def test_certificate_expires_in_is_tolerant(expires: object, expected: int | None) -> None:
    body: dict[str, object] = {"url": "https://x.example/c.pdf"}
    if expires is not None:
        body["expiresIn"] = expires

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json=body)

    async with client_for(handler) as client:
        link = await client.certificate_pdf("x")
    assert link.expires_in == expected


@pytest.mark.parametrize("bad", ["", ".", "..", "\ud800"])
async def test_order_ids_that_would_change_the_path_are_refused(bad: str) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise AssertionError("nothing may be sent")

    async with client_for(handler) as client:
        with pytest.raises(ApiRequestError):
            await client.get_order(bad)


async def test_server_error_text_is_cleaned_and_the_token_redacted(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    hostile = f"bad \x1b]52;c;AAAA\x07 token {TOKEN} \u202e" + "x" * 5000

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(400, json={"message": hostile})

    async with client_for(handler) as client:
        with pytest.raises(ApiRequestError) as caught:
            await client.list_orders("p1")
    message = str(caught.value)
    assert message.startswith("the API refused the request (HTTP 400): bad")
    assert TOKEN not in message and "[redacted]" in message
    assert "\x1b" not in message and "\u202e" not in message and "\n" not in message
    assert len(message) < 200
    assert TOKEN not in caplog.text


@pytest.mark.parametrize(
    ("base_url", "lang"),
    [
        ("api.example.com", None),  # no scheme
        ("ftp://api.example.com", None),
        ("https://user:pw@api.example.com", None),
        ("https://api.example.com", "fr\r\nX-Injected: 1"),
        ("https://api.example.com", "x" * 200),
    ],
)
def test_bad_settings_are_config_errors(base_url: str, lang: str | None) -> None:
    with pytest.raises(ApiConfigError) as caught:
        ArtistreeClient(base_url, StaticToken(TOKEN), lang=lang)
    assert "\n" not in str(caught.value) and "pw" not in str(caught.value)


async def test_bad_lang_per_call_is_a_config_error_and_nothing_is_sent() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise AssertionError("nothing may be sent")

    async with client_for(handler) as client:
        with pytest.raises(ApiConfigError):
            await client.list_orders("p1", lang="en\x00")


@pytest.mark.parametrize(
    ("status", "body", "error", "expected"),
    [
        (400, {"error": "unauthorized_client"}, ApiConfigError, "(unauthorized_client)"),
        (400, {"error": "invalid_grant"}, ApiConfigError, "(invalid_grant)"),
        (401, {"message": "nope"}, ApiConfigError, "(HTTP 401)"),
        (400, {"error": "<script>"}, ApiConfigError, "HTTP 400"),  # not an OAuth code: not quoted
        (302, {}, ApiConfigError, "redirects are not followed"),
        (404, {}, ApiConfigError, "check token_url"),
        (200, {"access_token": "has space", "expires_in": 60}, ApiSchemaError, "access_token"),
        (200, {"expires_in": 60}, ApiSchemaError, "access_token"),
    ],
)
async def test_token_server_refusals_the_demo_cannot_produce(
    status: int, body: dict[str, str], error: type, expected: str
) -> None:
    sent: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(status, json=body, headers={"Location": "https://evil.example/"})

    async with httpx.AsyncClient(transport=httpx.MockTransport(handler)) as http:
        creds = ClientCredentials(
            "https://auth.test/oauth2/token",
            "cid",
            "the-secret",
            http=http,
            retry=RetryPolicy(sleep=_no_sleep),
        )
        with pytest.raises(error) as caught:
            await creds.get_token()
    assert expected in str(caught.value)
    assert "the-secret" not in str(caught.value) and "<script>" not in str(caught.value)
    assert len(sent) == 1  # never retried
    assert sent[0].url.host == "auth.test"
    form = dict(httpx.QueryParams(sent[0].content.decode()))
    assert form == {
        "grant_type": "client_credentials",
        "client_id": "cid",
        "client_secret": "the-secret",
    }
    assert sent[0].headers["content-type"] == "application/x-www-form-urlencoded"
