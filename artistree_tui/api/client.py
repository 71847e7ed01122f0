"""The async HTTP client of the Artistree orders API.

One long-lived :class:`httpx.AsyncClient` (creating one costs ~31 ms) serves every request.
Each try has connect/read/write timeouts plus an overall deadline (``Timeouts.total``) that
also bounds a server dripping a body byte by byte. Connect errors, dropped connections, 429,
502, 503 and 504 are retried per :class:`~artistree_tui.api.retry.RetryPolicy`; a 401 forces
one token refresh and one more send. Everything that goes wrong ends as an
:class:`~artistree_tui.api.errors.ApiError` whose ``str()`` is one line the UI can show.

Security rules this module keeps:

* the bearer token is only ever sent to ``base_url``'s origin: URLs are built from
  ``base_url`` plus percent-quoted path segments, checked again before sending, and redirects
  are never followed (a 3xx is an error, so an ``Authorization`` header cannot travel along);
* logs (logger ``artistree_tui.api``) hold method, path, status, size and elapsed time, never
  headers, query strings or bodies; error messages quote at most a short, cleaned server phrase
  with the token redacted.

Bodies over 64 KiB are decoded and parsed in a worker thread (a 1000-order page takes ~68 ms),
because the UI shares this event loop.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC
from email.utils import parsedate_to_datetime
from types import TracebackType
from typing import TypeVar
from urllib.parse import quote

import httpx

from artistree_tui import __version__
from artistree_tui.api import wire
from artistree_tui.api.auth import TokenSource
from artistree_tui.api.certificate import CertificateLink, parse_certificate
from artistree_tui.api.errors import (
    ApiAuthError,
    ApiConfigError,
    ApiError,
    ApiNotFoundError,
    ApiRateLimitedError,
    ApiRequestError,
    ApiSchemaError,
    ApiServerError,
    ApiUnavailableError,
)
from artistree_tui.api.models import Order, OrdersPage
from artistree_tui.api.paging import PageIterator
from artistree_tui.api.parse import decode_json, parse_order_body, parse_orders_page
from artistree_tui.api.retry import (
    EventCallback,
    RetryableFailure,
    RetryPolicy,
    call_with_retries,
    parse_retry_after,
    tries_text,
)
from artistree_tui.api.wire import (
    check_url,
    describe,
    is_bearer_token,
    is_loopback,
    origin,
    read_capped,
    read_head,
    server_message,
    transport_failure,
)

logger = logging.getLogger("artistree_tui.api")

__all__ = ["ArtistreeClient", "CertificateLink", "PageIterator", "Timeouts"]

T = TypeVar("T")

AUTH_FAILED = "authentication failed: check client_id/client_secret"
#: Bodies larger than this are parsed off the event loop.
PARSE_OFF_LOOP_BYTES = 64 * 1024


@dataclass(frozen=True, slots=True)
class Timeouts:
    """Seconds allowed per try: ``connect``/``read``/``write``/``pool`` are httpx's, ``total``
    is the overall deadline of one try (connect, send, headers and the whole body)."""

    connect: float = 5.0
    read: float = 20.0
    write: float = 10.0
    pool: float = 10.0
    total: float = 45.0


class ArtistreeClient:
    """Async client of ``GET /v1/orders``, ``/v1/orders/{id}`` and ``/v1/orders/pdf/{id}``.

    ``base_url`` is the API root (``/v1`` is appended). ``lang`` is the default ``lang`` header,
    ``page_size`` the default ``limit``. ``timeouts``/``retry`` default to :class:`Timeouts` and
    :class:`RetryPolicy`; ``on_event`` receives :class:`~artistree_tui.api.retry.ClientEvent`
    values. ``transport`` swaps the httpx transport (tests only). Use as ``async with`` or call
    :meth:`aclose`; closing also closes ``auth`` if it has an ``aclose``.
    """

    def __init__(
        self,
        base_url: str,
        auth: TokenSource,
        *,
        lang: str | None = None,
        page_size: int = 200,
        timeouts: Timeouts | None = None,
        retry: RetryPolicy | None = None,
        on_event: EventCallback | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        base = check_url(base_url, "base_url")
        self._origin = origin(base)
        self._root = str(base.copy_with(query=None, fragment=None)).rstrip("/") + "/v1"
        self._where = f"the API at {describe(base)}"
        self._auth = auth
        self._lang = _check_lang(lang)
        self.page_size = page_size
        self._timeouts = timeouts if timeouts is not None else Timeouts()
        self._retry = retry if retry is not None else RetryPolicy()
        self._on_event = on_event
        self._closed = False
        loopback = is_loopback(base.host)
        if base.scheme == "http" and not loopback:
            logger.warning("base_url uses plain http: the token travels unencrypted")
        t = self._timeouts
        self._http = httpx.AsyncClient(
            timeout=httpx.Timeout(connect=t.connect, read=t.read, write=t.write, pool=t.pool),
            follow_redirects=False,
            headers={"Accept": "application/json", "User-Agent": f"artistree-tui/{__version__}"},
            transport=transport,
            # A proxy from the environment must not capture loopback traffic (the demo).
            trust_env=not loopback,
        )

    def __repr__(self) -> str:
        return f"ArtistreeClient({self._root!r})"

    @property
    def base_url(self) -> str:
        """The API root this client talks to (with ``/v1``)."""
        return self._root

    async def __aenter__(self) -> ArtistreeClient:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close the connection pool (and the token source's, if it has one)."""
        if self._closed:
            return
        self._closed = True
        await self._http.aclose()
        close = getattr(self._auth, "aclose", None)
        if close is not None:
            await close()

    # -- endpoints -------------------------------------------------------------------------

    async def list_orders(
        self,
        project_id: str,
        *,
        preview: bool = False,
        page_token: str | None = None,
        limit: int | None = None,
        lang: str | None = None,
    ) -> OrdersPage:
        """One page of ``GET /v1/orders`` (``limit`` defaults to ``page_size``)."""
        params = {"project_id": project_id, "preview": "true" if preview else "false"}
        if page_token is not None:
            params["page_token"] = page_token
        params["limit"] = str(limit if limit is not None else self.page_size)
        return await self._get(
            "/orders",
            params,
            lang=lang,
            parse=_parse_page,
            not_found=f"{self._where} has no /v1/orders (HTTP 404): check base_url",
        )

    def iter_pages(
        self,
        project_id: str,
        *,
        preview: bool = False,
        limit: int | None = None,
        page_token: str | None = None,
        lang: str | None = None,
    ) -> PageIterator:
        """An async iterator over every page from ``page_token`` on; see :class:`PageIterator`."""
        return PageIterator(
            self, project_id, preview=preview, limit=limit, page_token=page_token, lang=lang
        )

    async def get_order(self, order_id: str, *, lang: str | None = None) -> Order:
        """``GET /v1/orders/{order_id}``."""
        return await self._get(
            f"/orders/{_segment(order_id)}",
            {},
            lang=lang,
            parse=_parse_order,
            not_found="order not found (HTTP 404): it may have been deleted",
        )

    async def certificate_pdf(self, order_id: str) -> CertificateLink:
        """``GET /v1/orders/pdf/{order_id}``: the presigned URL of the certificate PDF."""
        return await self._get(
            f"/orders/pdf/{_segment(order_id)}",
            {},
            lang=None,
            parse=parse_certificate,
            not_found="no certificate for this order (HTTP 404)",
        )

    # -- the request machinery -------------------------------------------------------------

    async def _get(
        self,
        path: str,
        params: dict[str, str],
        *,
        lang: str | None,
        parse: Callable[[bytes], T],
        not_found: str,
    ) -> T:
        if self._closed:
            raise ApiUnavailableError("the API client is closed: restart the console")
        url = httpx.URL(self._root + path)
        if origin(url) != self._origin:  # cannot happen with quoted segments; cheap to be sure
            raise ApiConfigError("refusing to send the token to another address")
        effective_lang = _check_lang(lang) or self._lang
        headers = {"lang": effective_lang} if effective_lang else {}
        refreshed = False

        async def attempt() -> T:
            nonlocal refreshed
            token = await self._auth.get_token()
            status, body, answer = await self._send(url, params, headers, token)
            if status == 401 and not refreshed:
                refreshed = True  # one refresh per request, across its retries too
                token = await self._new_token(token)
                status, body, answer = await self._send(url, params, headers, token)
            if status == 401:
                raise ApiAuthError(AUTH_FAILED, status=401)
            return await self._finish(status, body, answer, parse, not_found, token)

        return await call_with_retries(attempt, self._retry, self._on_event, what=f"GET {url.path}")

    async def _new_token(self, rejected: str) -> str:
        # Another request may already have replaced the rejected token: use that one rather
        # than asking again (20 concurrent 401s must not cause 20 token requests).
        current = await self._auth.get_token()
        if current != rejected:
            return current
        return await self._auth.get_token(force_refresh=True)

    async def _send(
        self, url: httpx.URL, params: dict[str, str], headers: dict[str, str], token: str
    ) -> tuple[int, bytes | None, httpx.Headers]:
        if not is_bearer_token(token):  # httpx would echo an illegal header value in its error
            raise ApiAuthError("the token source returned an unusable token: check your config")
        started = time.perf_counter()
        try:
            async with (
                asyncio.timeout(self._timeouts.total),
                self._http.stream(
                    "GET",
                    url,
                    params=params,
                    headers={**headers, "Authorization": f"Bearer {token}"},
                ) as response,
            ):
                status = response.status_code
                if 200 <= status < 300:
                    body = await read_capped(response, wire.MAX_BODY_BYTES)
                else:
                    body = await read_head(response)
                answer = response.headers
        except (httpx.HTTPError, TimeoutError) as exc:
            logger.debug(
                "GET %s failed: %s after %.1f ms",
                url.path,
                type(exc).__name__,
                (time.perf_counter() - started) * 1000,
            )
            raise transport_failure(exc, where=self._where) from None
        logger.debug(
            "GET %s -> %d in %.1f ms (%s bytes)",
            url.path,
            status,
            (time.perf_counter() - started) * 1000,
            "over-limit" if body is None else len(body),
        )
        return status, body, answer

    async def _finish(
        self,
        status: int,
        body: bytes | None,
        answer: httpx.Headers,
        parse: Callable[[bytes], T],
        not_found: str,
        token: str,
    ) -> T:
        if 200 <= status < 300:
            if body is None:
                limit = wire.MAX_BODY_BYTES
                size = f"{limit >> 20} MB" if limit >= 1 << 20 else f"{limit} bytes"
                raise ApiSchemaError(f"malformed response: the body is larger than {size}")
            try:
                if len(body) > PARSE_OFF_LOOP_BYTES:
                    return await asyncio.to_thread(parse, body)
                return parse(body)
            except ApiError:
                raise
            except Exception as exc:  # the parser is meant to be total; a bug must not escape
                logger.error("unexpected %s parsing a %d-byte body", type(exc).__name__, len(body))
                raise ApiSchemaError("malformed response: the body could not be read") from None
        tries = tries_text(self._retry.max_attempts)
        wait = parse_retry_after(answer.get("retry-after"), _server_now(answer))
        if status == 429:
            raise RetryableFailure(
                ApiRateLimitedError(
                    f"{self._where} is rate limiting requests (HTTP 429, still after {tries}): "
                    "wait a minute and try again",
                    retry_after=wait,
                ),
                retry_after=wait,
            )
        if status in (502, 503, 504):
            raise RetryableFailure(
                ApiServerError(
                    f"{self._where} is unavailable (HTTP {status}, still after {tries}): "
                    "try again later",
                    status=status,
                ),
                retry_after=wait,
            )
        said = server_message(body or b"", hide=(token,))
        suffix = f": {said}" if said else ""
        if 300 <= status < 400:
            raise ApiConfigError(
                f"{self._where} redirected (HTTP {status}): check base_url "
                "(redirects are not followed, so the token is never sent elsewhere)",
                status=status,
            )
        if status == 404:
            raise ApiNotFoundError(not_found, status=404)  # ours says more than "Not Found"
        if status == 403:
            raise ApiRequestError(f"access denied (HTTP 403){suffix}", status=403)
        if 400 <= status < 500:
            raise ApiRequestError(
                f"the API refused the request (HTTP {status}){suffix}", status=status
            )
        raise ApiServerError(
            f"{self._where} failed (HTTP {status}): try again later", status=status
        )


# -- helpers -------------------------------------------------------------------------------


def _parse_page(body: bytes) -> OrdersPage:
    return parse_orders_page(decode_json(body))


def _parse_order(body: bytes) -> Order:
    return parse_order_body(decode_json(body))


def _segment(order_id: str) -> str:
    """``order_id`` as one percent-quoted path segment (ids are untrusted text)."""
    if not isinstance(order_id, str) or order_id.strip(".") == "":
        raise ApiRequestError("not a valid order id")  # "", "." and ".." would change the path
    try:
        return quote(order_id, safe="")
    except UnicodeEncodeError:  # lone surrogates
        raise ApiRequestError("not a valid order id") from None


def _check_lang(lang: str | None) -> str | None:
    if lang is None or lang == "":
        return None
    if len(lang) > 35 or any(not ("!" <= ch <= "~") for ch in lang):
        raise ApiConfigError("lang must be a short language tag such as en or fr-FR")
    return lang


def _server_now(headers: httpx.Headers) -> float | None:
    """The response's ``Date`` as Unix time, so an HTTP-date Retry-After ignores local skew."""
    value = headers.get("date")
    if not value:
        return None
    try:
        when = parsedate_to_datetime(value)
        return (when if when.tzinfo else when.replace(tzinfo=UTC)).timestamp()
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
