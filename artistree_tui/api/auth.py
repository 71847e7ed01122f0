"""Where the API client gets its bearer token: a static token or OAuth2 client credentials.

:class:`ClientCredentials` asks the token server (``grant_type=client_credentials``, form body)
for an access token, caches it and asks again *before* it expires. The refresh margin is 60 s,
or half the lifetime for tokens that live less than two minutes (``refresh_margin``): a
production token (3600 s) is renewed at 3540 s, a 30 s demo token at 15 s, so short test and
demo lifetimes still work without hammering the token server. ``expires_in`` values that make
no sense are clamped (``token_lifetime``): missing or unreadable → 3600 s (the documented
default), more than a day → one day (a revoked token is caught by the 401 path anyway), and
≤ 0 — a token server that misbehaves, which would otherwise make every call fetch a new token
— a fixed :data:`MISBEHAVING_LIFETIME` of 60 s, with one warning per token source saying so.

Concurrent callers share one token request: the first starts it as a task, everyone else awaits
the same task (shielded, so one cancelled caller does not cancel it for the others). Token
server 429/502/503/504 and connection failures are retried with the given RetryPolicy; any
400/401 OAuth error (``invalid_client``, ``unauthorized_client``, ``invalid_grant``, ...) is an
:class:`ApiConfigError` at once. If an *early* refresh fails for an outage while the current
token has not yet expired, the current token is used (with a logged warning) rather than
failing the call.

A :class:`TokenCache` (optional; :class:`artistree_tui.store.TokenCache` keeps one in a 0600
file next to the order index) lets a restart reuse an access token that still has more than
:data:`CACHE_MIN_REMAINING` seconds to live, instead of asking the token server again: it is
read once, before the first token request, written after every new token and cleared by
``invalidate()``; a token saved with another client secret is not reused
(:func:`credentials_fingerprint`). This module does no file I/O itself.

Neither class ever puts a token or secret in a message, log line or ``repr``.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import logging
import math
import re
import time
from collections.abc import Callable
from typing import Any, Protocol, runtime_checkable

import httpx

from artistree_tui.api import tls
from artistree_tui.api.errors import (
    ApiAuthError,
    ApiConfigError,
    ApiError,
    ApiRateLimitedError,
    ApiSchemaError,
    ApiServerError,
    ApiUnavailableError,
)
from artistree_tui.api.retry import (
    CircuitBreaker,
    EventCallback,
    RetryPolicy,
    call_with_retries,
    overload_failure,
    parse_retry_after,
    tries_text,
)
from artistree_tui.api.wire import (
    ACCEPT_ENCODING,
    ERROR_BODY_BYTES,
    check_url,
    describe,
    is_bearer_token,
    is_loopback,
    read_capped,
    read_head,
    transport_failure,
)

logger = logging.getLogger("artistree_tui.api")

#: Assumed lifetime when the token server does not say (Cognito's default).
DEFAULT_EXPIRES_IN = 3600.0
#: Clamps for odd ``expires_in`` values.
MIN_LIFETIME = 1.0
MAX_LIFETIME = 86400.0
#: Lifetime assumed when ``expires_in`` is 0 or negative (the token server misbehaves).
MISBEHAVING_LIFETIME = 60.0
MISBEHAVING_WARNING = (
    "the token server sent expires_in <= 0 (it is misbehaving): each token is used for "
    f"{MISBEHAVING_LIFETIME:.0f} s"
)
#: Renew this long before expiry (less for very short-lived tokens, see refresh_margin).
REFRESH_MARGIN = 60.0
#: Per-try deadline for a token request (the client's retry policy bounds the tries).
TOKEN_DEADLINE = 30.0
#: httpx's timeouts of one token request.
TOKEN_TIMEOUT = httpx.Timeout(10.0, connect=5.0)
#: A token answer is a few hundred bytes; anything beyond this is not a token answer.
TOKEN_BODY_BYTES = 256 * 1024
#: A cached token is reused only with at least this long (seconds) left to live.
CACHE_MIN_REMAINING = 2 * REFRESH_MARGIN

STATIC_AUTH_FAILED = (
    "the API rejected the configured token: get a new token, "
    "or configure client_id/client_secret instead"
)

_OAUTH_CODE = re.compile(r"[a-z_]{1,40}")


@runtime_checkable
class TokenSource(Protocol):
    """Anything that hands out bearer tokens to :class:`~artistree_tui.api.client.ArtistreeClient`.

    ``get_token(force_refresh=True)`` is called once after the API answered 401 to the current
    token: it must return a *different* token or raise an :class:`ApiError` saying what to do.
    ``invalidate()`` drops any cached token so the next call fetches a new one.
    ``probe_now()``: the user asked to try now; a token server presumed down is probed by the
    next request (nothing to do for a source without one). ``next_try_in()``: seconds until
    a token server presumed down may be asked again (0 when it is not, or there is none).
    """

    async def get_token(self, *, force_refresh: bool = False) -> str: ...

    def invalidate(self) -> None: ...

    def probe_now(self) -> None: ...

    def next_try_in(self) -> float: ...


class TokenCache(Protocol):
    """Where :class:`ClientCredentials` keeps its access token between runs.

    ``load(owner)`` returns ``(access_token, expires_at)`` (Unix time) saved for ``owner``
    (:func:`credentials_fingerprint`) or None; ``save`` and ``clear`` must not raise (it is a
    cache: a failure only means a new token request).
    """

    def load(self, owner: str = ...) -> tuple[str, float] | None: ...

    def save(self, token: str, expires_at: float, owner: str = ...) -> None: ...

    def clear(self) -> bool: ...


class StaticToken:
    """A bearer token from the config (``token = ...``); OAuth is skipped entirely.

    It cannot be refreshed: a 401 ends in :class:`ApiAuthError` telling the user to get a new
    token or to configure client credentials.
    """

    __slots__ = ("_token",)

    def __init__(self, token: str) -> None:
        token = token.strip() if isinstance(token, str) else ""
        if not token:
            raise ApiConfigError("the configured API token is empty: set token or client_id")
        if not is_bearer_token(token):
            raise ApiConfigError(
                "the configured API token contains spaces or control characters: "
                "paste it again without them"
            )
        self._token = token

    async def get_token(self, *, force_refresh: bool = False) -> str:
        if force_refresh:
            raise ApiAuthError(STATIC_AUTH_FAILED, status=401)
        return self._token

    def invalidate(self) -> None:
        """Nothing to drop: a static token is all there is."""

    def probe_now(self) -> None:
        """No token server to probe."""

    def next_try_in(self) -> float:
        return 0.0

    def __repr__(self) -> str:
        return "StaticToken(<hidden>)"


def credentials_fingerprint(token_url: str, client_id: str, client_secret: str) -> str:
    """Who a cached token belongs to: an HMAC of the token URL and client id keyed by the
    secret (it tells whether the secret changed, and gives nothing of it away)."""
    message = f"artistree-tui token cache\n{token_url}\n{client_id}".encode()
    key = client_secret.encode("utf-8", "surrogatepass")
    return hmac.new(key, message, hashlib.sha256).hexdigest()[:32]


def token_lifetime(expires_in: Any) -> float:
    """Seconds a fresh token is good for, from a raw ``expires_in`` value (see module doc)."""
    number = _expires_in(expires_in)
    if number is None:
        return DEFAULT_EXPIRES_IN
    if number <= 0:
        return MISBEHAVING_LIFETIME
    return min(max(number, MIN_LIFETIME), MAX_LIFETIME)  # also maps +inf to the bound


def misbehaving_expiry(expires_in: Any) -> bool:
    """Whether ``expires_in`` says a token is dead on arrival (a number ≤ 0)."""
    number = _expires_in(expires_in)
    return number is not None and number <= 0


def _expires_in(value: Any) -> float | None:
    """``value`` as a number (±inf for integers too big for a float), or None."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None
    try:
        number = float(value)
    except OverflowError:  # an integer with hundreds of digits
        return math.inf if isinstance(value, int) and value > 0 else -math.inf
    except ValueError:
        return None
    return None if math.isnan(number) else number


def refresh_margin(lifetime: float) -> float:
    """How long before expiry to renew: 60 s, or half the lifetime when it is under 2 min."""
    return min(REFRESH_MARGIN, lifetime / 2.0)


class ClientCredentials:
    """OAuth2 client-credentials token source with caching and early refresh.

    ``http`` is an httpx.AsyncClient to use (not closed by :meth:`aclose`); without one, the
    API client's pool is used where it can be (:meth:`share_pool`), else a client is created
    on first use and closed by :meth:`aclose`. ``clock`` is a monotonic
    clock (injectable for tests). ``retry``/``on_event`` make token-server 429/5xx/connect
    failures retry like API calls; pass the client's own policy to share it. ``cache`` keeps
    the token between runs (see the module docstring); ``wall_clock`` is Unix time for it.
    """

    def __init__(
        self,
        token_url: str,
        client_id: str,
        client_secret: str,
        *,
        http: httpx.AsyncClient | None = None,
        clock: Callable[[], float] = time.monotonic,
        retry: RetryPolicy | None = None,
        on_event: EventCallback | None = None,
        cache: TokenCache | None = None,
        wall_clock: Callable[[], float] = time.time,
    ) -> None:
        self._url = check_url(token_url, "token_url")
        if not client_id or not client_secret:
            raise ApiConfigError("client_id and client_secret must both be set: check your config")
        self._client_id = client_id
        self._secret = client_secret
        self._http = http
        self._owns_http = http is None
        self._clock = clock
        self._retry = retry if retry is not None else RetryPolicy()
        self._breaker = CircuitBreaker(self._retry)  # the token server's own
        self._on_event = on_event
        self._token: str | None = None
        self._refresh_at = float("-inf")
        self._expires_at = float("-inf")
        self._inflight: asyncio.Task[str] | None = None
        self._closed = False
        self._cache = cache
        self._cache_checked = cache is None
        self._owner = credentials_fingerprint(str(self._url), client_id, client_secret)
        self._wall = wall_clock
        self._warned = False  # the misbehaving-expiry warning is said once

    def probe_now(self) -> None:
        """The user asked to try now: the token server, if presumed down, is probed next."""
        self._breaker.probe_now()

    def next_try_in(self) -> float:
        """Seconds until the token server, if presumed down, is probed (see CircuitBreaker)."""
        return self._breaker.wait

    def __repr__(self) -> str:
        return (
            f"ClientCredentials(token_url={str(self._url)!r}, "
            f"client_id={self._client_id!r}, client_secret=<hidden>)"
        )

    @property
    def refresh_at(self) -> float:
        """Clock time at which the cached token will be renewed (-inf when there is none)."""
        return self._refresh_at

    def _fresh(self) -> bool:
        return self._token is not None and self._clock() < self._refresh_at

    async def get_token(self, *, force_refresh: bool = False) -> str:
        """The cached token, or a new one when it is due, missing or ``force_refresh``."""
        if self._closed:
            raise ApiUnavailableError("the API client is closed: restart the console")
        if not force_refresh and (self._fresh() or self._from_cache()):
            assert self._token is not None
            return self._token
        task = self._inflight
        if task is None:
            task = asyncio.get_running_loop().create_task(self._fetch())
            self._inflight = task
            task.add_done_callback(self._fetch_done)
        try:
            # shield: a caller cancelled while waiting must not cancel the request others await.
            return await asyncio.shield(task)
        except (ApiUnavailableError, ApiServerError, ApiRateLimitedError):
            # An early refresh that failed for an outage must not break calls while the
            # current token still has time left; a 401 (force_refresh) cannot use it though.
            if not force_refresh and self._token is not None and self._clock() < self._expires_at:
                logger.warning("token refresh failed: using the current token until it expires")
                return self._token
            raise

    def _fetch_done(self, task: asyncio.Task[str]) -> None:
        if self._inflight is task:
            self._inflight = None
        if not task.cancelled():
            task.exception()  # mark retrieved even if every waiter was cancelled

    def invalidate(self) -> None:
        """Forget the cached token; the next get_token() asks the token server."""
        self._token = None
        self._refresh_at = self._expires_at = float("-inf")
        self._cache_checked = True
        if self._cache is not None:
            self._cache.clear()

    def _from_cache(self) -> bool:
        """Adopt the token cache's entry if it has enough time left (read once)."""
        if self._cache_checked or self._cache is None:
            return False
        self._cache_checked = True
        entry = self._cache.load(self._owner)
        if entry is None:
            return False
        token, expires_at = entry
        left = expires_at - self._wall()
        if left < CACHE_MIN_REMAINING or not is_bearer_token(token):
            return False
        now = self._clock()
        self._token = token
        self._expires_at = now + left
        self._refresh_at = now + left - REFRESH_MARGIN
        return True

    async def aclose(self) -> None:
        """Cancel a pending token request and close the HTTP client this object created."""
        self._closed = True
        if self._inflight is not None:
            self._inflight.cancel()
        if self._owns_http and self._http is not None:
            await self._http.aclose()
            self._http = None

    def share_pool(self, http: httpx.AsyncClient, *, scheme: str, loopback: bool) -> bool:
        """Use the API client's connection pool ``http`` (not closed by :meth:`aclose`) when
        the token server can share it: the same scheme, and loopback (no proxy, the demo) or
        not as the API is, so the pool's proxy and TLS settings hold for both. True if taken."""
        if self._http is not None or self._url.scheme != scheme:
            return False
        if is_loopback(self._url.host) != loopback:
            return False
        self._http, self._owns_http = http, False
        return True

    def _client(self) -> httpx.AsyncClient:
        if self._http is None:
            trust_env = not is_loopback(self._url.host)  # no proxy for the local demo
            self._http = httpx.AsyncClient(
                timeout=TOKEN_TIMEOUT,
                follow_redirects=False,  # a redirect would carry the secret along
                headers={"Accept-Encoding": ACCEPT_ENCODING},  # what read_capped inflates
                trust_env=trust_env,
                verify=tls.context_for(self._url, trust_env=trust_env),  # shared CA bundle
            )
        return self._http

    async def _fetch(self) -> str:
        http = self._client()
        where = f"the token server {describe(self._url)}"

        async def attempt() -> str:
            sent_at = self._clock()
            started = time.perf_counter()
            try:
                async with (
                    asyncio.timeout(TOKEN_DEADLINE),
                    http.stream(
                        "POST",
                        self._url,
                        timeout=TOKEN_TIMEOUT,  # the pool may be the API's, with its own
                        data={
                            "grant_type": "client_credentials",
                            "client_id": self._client_id,
                            "client_secret": self._secret,
                        },
                        headers={"Accept": "application/json"},
                    ) as response,
                ):
                    status = response.status_code
                    ok = 200 <= status < 300
                    body = (
                        await read_capped(response, TOKEN_BODY_BYTES)
                        if ok
                        else await read_head(response, ERROR_BODY_BYTES)
                    )
                    headers = response.headers
            except (httpx.HTTPError, TimeoutError) as exc:
                raise transport_failure(exc, where=where) from None
            logger.debug(
                "POST %s -> %d in %.1f ms",
                self._url.path,
                status,
                (time.perf_counter() - started) * 1000,
            )
            return self._accept(status, body, headers, sent_at, where)

        return await call_with_retries(
            attempt, self._retry, self._on_event, what="token request", breaker=self._breaker
        )

    def _accept(
        self, status: int, body: bytes | None, headers: httpx.Headers, sent_at: float, where: str
    ) -> str:
        tries = tries_text(self._retry.max_attempts)
        if 200 <= status < 300:
            data = _json_object(body)
            token = data.get("access_token")
            if not isinstance(token, str) or not is_bearer_token(token):
                raise ApiSchemaError(f"malformed response: {where} sent no usable access_token")
            expires_in = data.get("expires_in")
            lifetime = token_lifetime(expires_in)
            if misbehaving_expiry(expires_in) and not self._warned:
                self._warned = True
                logger.warning(MISBEHAVING_WARNING)
            self._token = token
            # Measured from when the request was *sent*: the server's clock started earlier
            # than our receipt, never later.
            self._refresh_at = sent_at + lifetime - refresh_margin(lifetime)
            self._expires_at = sent_at + lifetime
            self._cache_checked = True
            if self._cache is not None:
                sent_wall = self._wall() - (self._clock() - sent_at)
                self._cache.save(token, sent_wall + lifetime, self._owner)
            return token
        wait = parse_retry_after(headers.get("retry-after"))
        overloaded = overload_failure(status, where, tries, wait, what="token requests")
        if overloaded is not None:
            raise overloaded
        if status >= 500:
            raise ApiServerError(f"{where} failed (HTTP {status}): try again later", status=status)
        raise _refusal(status, body, where)


def _json_object(body: bytes | None) -> dict[str, Any]:
    if body is None:
        return {}
    try:
        data = json.loads(body, parse_constant=lambda _name: None)
    except (ValueError, RecursionError):
        return {}
    return data if isinstance(data, dict) else {}


def _refusal(status: int, body: bytes | None, where: str) -> ApiError:
    """The ApiConfigError for a token server that said no (3xx/4xx): never retried."""
    code = _json_object(body).get("error")
    code = code if isinstance(code, str) and _OAUTH_CODE.fullmatch(code) else None
    if status in (400, 401) and (code is not None or status == 401):
        detail = code or f"HTTP {status}"
        return ApiConfigError(
            f"the token server rejected client_id/client_secret ({detail}): "
            "check them in your config",
            status=status,
        )
    if 300 <= status < 400:
        return ApiConfigError(
            f"{where} redirected (HTTP {status}): check token_url (redirects are not followed)",
            status=status,
        )
    if status in (404, 405):
        return ApiConfigError(
            f"{where} answered HTTP {status}: check token_url in your config", status=status
        )
    return ApiConfigError(
        f"{where} refused the token request (HTTP {status}): "
        "check token_url, client_id and client_secret in your config",
        status=status,
    )
