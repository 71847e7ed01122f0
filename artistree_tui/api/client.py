"""The async HTTP client of the Artistree orders API.

One long-lived :class:`httpx.AsyncClient` serves every request.
Each try has connect/read/write timeouts plus an overall deadline (``Timeouts.total``) that
also bounds a server dripping a body byte by byte. Connect errors, dropped connections, 429,
502, 503 and 504 are retried per :class:`~artistree_tui.api.retry.RetryPolicy`, behind a
:class:`~artistree_tui.api.retry.CircuitBreaker` (after a request gave up, one probe at a time
on the backoff schedule, not a burst per request); a 401 forces one token refresh and one more
send. A certificate that cannot be verified is said so, and never retried. Everything that
goes wrong ends as an :class:`~artistree_tui.api.errors.ApiError` whose ``str()`` is one line
the UI can show.

Security rules this module keeps:

* the bearer token is only ever sent to ``base_url``'s origin: URLs are built from
  ``base_url`` plus percent-quoted path segments, checked again before sending, and redirects
  are never followed (a 3xx is an error, so an ``Authorization`` header cannot travel along);
* logs (logger ``artistree_tui.api``) hold method, path, status, size and elapsed time, never
  headers, query strings or bodies; error messages quote at most a short, cleaned server phrase
  with the token redacted.

What an answer means (a parsed value, a retry, an error line) is :mod:`.answers`: bodies over
64 KiB are decoded and parsed there in a worker thread (a 1000-order page takes ~68 ms),
because the UI shares this event loop. :meth:`ArtistreeClient.prefetch` starts the first page
before the UI asks for it (:mod:`.prefetch`). TLS contexts come from :mod:`.tls`: shared, and
none is loaded at all for a plain-http API (the loopback demo).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, replace
from types import TracebackType
from typing import Any, TypeVar
from urllib.parse import quote

import httpx

from artistree_tui import __version__
from artistree_tui.api import tls, wire
from artistree_tui.api.answers import parse_order, parse_page, read_answer
from artistree_tui.api.auth import TokenSource
from artistree_tui.api.certificate import CertificateLink, parse_certificate
from artistree_tui.api.errors import (
    ApiAddressError,
    ApiAuthError,
    ApiConfigError,
    ApiNotFoundError,
    ApiRequestError,
    ApiUnavailableError,
)
from artistree_tui.api.models import Order, OrdersPage
from artistree_tui.api.paging import PageIterator
from artistree_tui.api.prefetch import EarlyPage, quiet_task
from artistree_tui.api.redact import install_log_redaction
from artistree_tui.api.retry import (
    CircuitBreaker,
    EventCallback,
    RetryPolicy,
    call_once,
    call_with_retries,
)
from artistree_tui.api.wire import (
    check_url,
    describe,
    is_bearer_token,
    is_loopback,
    origin,
    read_capped,
    read_head,
    transport_failure,
)

logger = logging.getLogger("artistree_tui.api")

__all__ = ["ArtistreeClient", "CertificateLink", "PageIterator", "Timeouts"]

T = TypeVar("T")

AUTH_FAILED = "authentication failed: check client_id/client_secret"


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
        install_log_redaction()  # httpx logs each request's URL (page tokens in the query)
        base = check_url(base_url, "base_url")
        self._origin = origin(base)
        self._root = str(base.copy_with(query=None, fragment=None)).rstrip("/") + "/v1"
        self._where = f"the API at {describe(base)}"
        self._auth = auth
        self._lang = _check_lang(lang)
        self.page_size = page_size
        self._timeouts = timeouts if timeouts is not None else Timeouts()
        self._retry = retry if retry is not None else RetryPolicy()
        self._breaker = CircuitBreaker(self._retry)
        self._on_event = on_event
        self._closed = False
        self._early = EarlyPage()
        loopback = is_loopback(base.host)
        if base.scheme == "http" and not loopback:
            logger.warning("base_url uses plain http: the token travels unencrypted")
        t = self._timeouts
        self._http = httpx.AsyncClient(
            timeout=httpx.Timeout(connect=t.connect, read=t.read, write=t.write, pool=t.pool),
            follow_redirects=False,
            headers={
                "Accept": "application/json",
                # Only what wire.read_capped inflates itself, in bounded steps.
                "Accept-Encoding": wire.ACCEPT_ENCODING,
                "User-Agent": f"artistree-tui/{__version__}",
            },
            transport=transport,
            # A proxy from the environment must not capture loopback traffic (the demo).
            trust_env=not loopback,
            # Shared, and no CA bundle at all for plain http: ~20 ms less per client.
            verify=tls.context_for(base, trust_env=not loopback),
        )
        # One pool for the API and its token server where they can share one: the token
        # request and the first page then share a connection when the hosts are the same.
        share = getattr(auth, "share_pool", None)
        if share is not None:
            share(self._http, scheme=base.scheme, loopback=loopback)

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

    def probe_now(self) -> None:
        """The user asked to try now: a server presumed down (API or token server) is probed
        by the next request, not at the backoff's next turn (see :class:`CircuitBreaker`)."""
        self._breaker.probe_now()
        self._auth.probe_now()

    def next_try_in(self) -> float:
        """Seconds until a request can reach the network again: 0 unless the API or the token
        server is presumed down (then: until its next probe, see :class:`CircuitBreaker`). A
        request sent sooner fails at once without touching the network."""
        return max(self._breaker.wait, self._auth.next_try_in())

    async def aclose(self) -> None:
        """Close the connection pool (and the token source's, if it has one)."""
        if self._closed:
            return
        self._closed = True
        self._early.cancel()
        await self._http.aclose()
        close = getattr(self._auth, "aclose", None)
        if close is not None:
            await close()

    # -- startup ---------------------------------------------------------------------------

    def prefetch(
        self, project_id: str | None = None, *, preview: bool = False, limit: int | None = None
    ) -> None:
        """Start what the console needs first, now, on the running loop, without waiting.

        With ``project_id``: its first page (and the token on the way), kept for the first
        :meth:`list_orders` call asking for the same page (see :mod:`.prefetch`); several
        different first pages may be kept at once. Without: just the token. Failures are not
        raised here; the request that takes the page gets them.
        """
        if self._closed:
            return
        if project_id is None:
            quiet_task(self._auth.get_token())
            return
        key = self._page_key(project_id, preview, limit, None)
        self._early.start(key, self._list(project_id, preview, None, limit, None))

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
        if page_token is None and self._early.pending:
            early = self._early.take(self._page_key(project_id, preview, limit, lang))
            if early is not None:
                return await early
        return await self._list(project_id, preview, page_token, limit, lang)

    def _page_key(
        self, project_id: str, preview: bool, limit: int | None, lang: str | None
    ) -> tuple[str, bool, int, str | None]:
        limit = limit if limit is not None else self.page_size
        return (project_id, preview, limit, _check_lang(lang) or self._lang)

    def _list(
        self,
        project_id: str,
        preview: bool,
        page_token: str | None,
        limit: int | None,
        lang: str | None,
    ) -> Coroutine[Any, Any, OrdersPage]:
        params = {"project_id": project_id, "preview": "true" if preview else "false"}
        if page_token is not None:
            params["page_token"] = page_token
        params["limit"] = str(limit if limit is not None else self.page_size)
        return self._get(
            "/orders",
            params,
            lang=lang,
            parse=parse_page,
            not_found=f"{self._where} has no /v1/orders (HTTP 404): check base_url",
            missing_is_address=True,  # the list is always there: a 404 is a wrong base_url
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

    async def get_order(
        self, order_id: str, *, lang: str | None = None, ahead: bool = False
    ) -> Order:
        """``GET /v1/orders/{order_id}``. ``ahead``: fetched ahead of need (a prefetch), so
        tried once, without retries, events or the circuit breaker (:func:`call_once`)."""
        return await self._get(
            f"/orders/{_segment(order_id)}",
            {},
            lang=lang,
            parse=parse_order,
            not_found="order not found (HTTP 404): it may have been deleted",
            ahead=ahead,
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
        ahead: bool = False,
        missing_is_address: bool = False,
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
            asked = time.time()
            status, body, answer = await self._send(url, params, headers, token)
            if status == 401 and not refreshed:
                refreshed = True  # one refresh per request, across its retries too
                token = await self._new_token(token)
                asked = time.time()
                status, body, answer = await self._send(url, params, headers, token)
            if status == 401:
                raise ApiAuthError(AUTH_FAILED, status=401)
            try:
                read = await read_answer(
                    status,
                    body,
                    answer,
                    parse=parse,
                    not_found=not_found,
                    token=token,
                    where=self._where,
                    max_attempts=self._retry.max_attempts,
                )
            except ApiNotFoundError as error:
                if missing_is_address:
                    raise ApiAddressError(str(error), status=404) from None
                error.asked_at = asked  # a 404 is an answer too: when was it asked?
                raise
            return asked_at(read, asked)

        if ahead:
            return await call_once(attempt, what=f"GET {url.path} ahead", breaker=self._breaker)
        return await call_with_retries(
            attempt, self._retry, self._on_event, what=f"GET {url.path}", breaker=self._breaker
        )

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


# -- helpers -------------------------------------------------------------------------------


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


def asked_at(answer: T, asked: float) -> T:
    """``answer`` stamped with the time its request was sent, if it is an order or a page of
    orders (:data:`~artistree_tui.api.models.ASKED_AT`)."""
    if isinstance(answer, (Order, OrdersPage)):
        return replace(answer, asked_at=asked)
    return answer
