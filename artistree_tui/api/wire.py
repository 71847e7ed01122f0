"""HTTP plumbing shared by the API client and the OAuth token source.

Everything here exists to keep responses and transport failures from leaking into the UI as
anything but one safe line: bodies are read with a size cap, transport exceptions are mapped to
typed :mod:`~artistree_tui.api.errors` (never ``str(exc)``, which may hold a URL or worse), and
a server's error text is reduced to a short, printable, token-free phrase.
"""

from __future__ import annotations

import json
import math
import ssl
from typing import Any

import httpx

from artistree_tui.api.errors import (
    ApiCertificateError,
    ApiConfigError,
    ApiError,
    ApiSchemaError,
    ApiUnavailableError,
)
from artistree_tui.api.retry import RetryableFailure

# Re-exported: the client and the token source import it from here.
from artistree_tui.hosts import is_loopback as is_loopback

#: Largest body accepted from the API. A 1000-order page is a few MB; anything far beyond is
#: hostile or broken and would only eat the reviewer's memory.
MAX_BODY_BYTES = 64 * 1024 * 1024
#: Of an error body only the start is read, to find a short message in it.
ERROR_BODY_BYTES = 16 * 1024
#: Longest server message quoted in an error line.
MESSAGE_LIMIT = 120


async def read_capped(response: httpx.Response, limit: int) -> bytes | None:
    """Read a streamed body up to ``limit`` bytes; None when it is longer than that."""
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        return None
    chunks: list[bytes] = []
    size = 0
    async for chunk in response.aiter_bytes():
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
    return b"".join(chunks)


async def read_head(response: httpx.Response, limit: int = ERROR_BODY_BYTES) -> bytes:
    """The first ``limit`` bytes of a streamed body (the rest is left unread)."""
    chunks: list[bytes] = []
    size = 0
    async for chunk in response.aiter_bytes():
        chunks.append(chunk)
        size += len(chunk)
        if size >= limit:
            break
    return b"".join(chunks)[:limit]


def short_text(value: str, limit: int = MESSAGE_LIMIT, *, hide: tuple[str, ...] = ()) -> str:
    """``value`` as one short printable line: control, format and separator characters go,
    runs of spaces collapse, ``hide`` strings (tokens, secrets) are redacted, length capped."""
    for secret in hide:
        if secret:
            value = value.replace(secret, "[redacted]")
    # isprintable() is False for Cc/Cf/Cs/Co/Cn and Z* except space: escapes, bidi overrides,
    # zero-width characters, line separators all go.
    text = "".join(ch if ch.isprintable() else " " for ch in value[: limit * 4])
    text = " ".join(text.split())
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return text


def server_message(body: bytes, *, hide: tuple[str, ...] = ()) -> str:
    """A short message from a JSON error body (``message``, ``error_description``, ``error``,
    ``detail``), or "" — never the raw body."""
    try:
        data: Any = json.loads(body.decode("utf-8", errors="replace"), parse_constant=str)
    except (ValueError, RecursionError):
        return ""
    if not isinstance(data, dict):
        return ""
    for key in ("message", "error_description", "error", "detail", "Message"):
        value = data.get(key)
        if isinstance(value, str) and value.strip():
            return short_text(value, hide=hide)
    return ""


def is_bearer_token(token: str) -> bool:
    """Can ``token`` go into an ``Authorization: Bearer`` header as it is? (RFC 6750 b64token,
    loosened to any visible ASCII; never whitespace or control characters.)"""
    return 0 < len(token) <= 16384 and all("!" <= ch <= "~" for ch in token)


def finite_number(value: Any) -> float | None:
    """A finite float from a JSON number or numeric string; None for anything else."""
    if isinstance(value, bool) or value is None:
        return None
    try:
        number = float(value) if isinstance(value, int | float | str) else None
    except (ValueError, OverflowError):
        return None
    if number is None or not math.isfinite(number):
        return None
    return number


def origin(url: httpx.URL) -> tuple[str, str, int | None]:
    """(scheme, host, port) with the default port made explicit, for same-origin checks."""
    default = {"http": 80, "https": 443}.get(url.scheme)
    return (url.scheme, url.host, url.port or default)


def transport_failure(exc: Exception, *, where: str) -> ApiError | RetryableFailure:
    """Map a transport-level exception to a typed error, or a RetryableFailure wrapping one.

    Connect errors, dropped connections and protocol garbage from the peer are worth another
    try (GETs are idempotent; a token request just yields another token). A read timeout or the
    overall deadline is not: the server is up but too slow, and retrying would multiply the
    wait. Configuration-shaped failures (bad URL scheme, an unsendable header) are ApiConfigError.
    A certificate that does not verify is :class:`ApiCertificateError`, not retried: it says
    so instead of "check the network", and the next try would fail the same way.
    """
    if isinstance(exc, httpx.UnsupportedProtocol | httpx.LocalProtocolError):
        return ApiConfigError(f"cannot send a request to {where}: check the URL in your config")
    if certificate_failure(exc):
        return ApiCertificateError(
            f"the certificate of {where} could not be verified: check the URL in your config, "
            "or the certificate authorities this machine trusts (SSL_CERT_FILE)"
        )
    if isinstance(exc, httpx.ConnectTimeout):
        return RetryableFailure(
            ApiUnavailableError(f"cannot reach {where} (connection timed out): check the network")
        )
    if isinstance(exc, httpx.ConnectError | httpx.ProxyError):
        return RetryableFailure(
            ApiUnavailableError(f"cannot reach {where} (connection failed): check the network")
        )
    if isinstance(
        exc, httpx.ReadError | httpx.WriteError | httpx.RemoteProtocolError | httpx.CloseError
    ):
        return RetryableFailure(
            ApiUnavailableError(f"the connection to {where} dropped: check the network")
        )
    if isinstance(exc, httpx.ReadTimeout | httpx.WriteTimeout | TimeoutError):
        return ApiUnavailableError(
            f"{where} did not answer in time: try again (the server may be overloaded)"
        )
    if isinstance(exc, httpx.PoolTimeout):
        return ApiUnavailableError(f"too many requests to {where} at once: try again")
    if isinstance(exc, httpx.DecodingError):
        return ApiSchemaError(f"malformed response from {where}: the body could not be decoded")
    return ApiUnavailableError(f"request to {where} failed ({type(exc).__name__}): try again")


def certificate_failure(exc: BaseException) -> bool:
    """Whether ``exc`` (an httpx error) comes from a TLS certificate that did not verify."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, ssl.SSLCertVerificationError):
            return True
        if "CERTIFICATE_VERIFY_FAILED" in str(current):  # httpcore re-raises it as text
            return True
        current = current.__cause__ or current.__context__
    return False


def describe(url: httpx.URL) -> str:
    """``host[:port]`` for messages: never the path, query or any user info."""
    host = url.host or "the API"
    return f"{host}:{url.port}" if url.port else host


def check_url(url: str, name: str) -> httpx.URL:
    """``url`` parsed, or ApiConfigError naming the config key ``name``."""
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, TypeError):
        raise ApiConfigError(f"{name} is not a valid URL: check it in your config") from None
    if parsed.scheme not in ("http", "https") or not parsed.host:
        raise ApiConfigError(f"{name} must be an http(s) URL with a host: check your config")
    if parsed.userinfo:
        raise ApiConfigError(f"{name} must not contain a user name or password: remove it")
    return parsed
