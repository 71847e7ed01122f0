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
import zlib
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


#: Content codings the clients ask for (``Accept-Encoding``) and can inflate themselves.
ACCEPT_ENCODING = "gzip, deflate"
#: The most one inflating step may produce: what a refused body costs beyond the cap.
INFLATE_STEP = 256 * 1024


class _Identity:
    unconsumed_tail = b""

    def decompress(self, data: bytes, max_length: int = 0) -> bytes:
        return data

    def flush(self) -> bytes:
        return b""


class _Deflate:
    """``deflate`` as servers send it: zlib-wrapped, or raw (some send that)."""

    def __init__(self) -> None:
        self._inner: Any = None
        self.unconsumed_tail = b""

    def decompress(self, data: bytes, max_length: int = 0) -> bytes:
        if self._inner is None:
            wrapped = len(data) >= 2 and data[0] & 0x0F == 8 and (data[0] * 256 + data[1]) % 31 == 0
            self._inner = zlib.decompressobj(zlib.MAX_WBITS if wrapped else -zlib.MAX_WBITS)
        out: bytes = self._inner.decompress(data, max_length)
        self.unconsumed_tail = self._inner.unconsumed_tail
        return out

    def flush(self) -> bytes:
        return self._inner.flush() if self._inner is not None else b""


def _inflater(encoding: str) -> Any:
    """A decoder with zlib's ``decompress(data, max_length)`` for a Content-Encoding, or None
    for one the clients never ask for (then the body is refused, not trusted)."""
    codings = [c.strip().lower() for c in encoding.split(",") if c.strip()]
    if not codings or codings == ["identity"]:
        return _Identity()
    if codings == ["gzip"] or codings == ["x-gzip"]:
        return zlib.decompressobj(16 + zlib.MAX_WBITS)
    if codings == ["deflate"]:
        return _Deflate()
    return None


async def read_capped(response: httpx.Response, limit: int) -> bytes | None:
    """Read a streamed body up to ``limit`` bytes *after* inflating it; None when it is
    longer than that, or coded in a way the client did not ask for.

    The body is inflated here, in steps of at most :data:`INFLATE_STEP`, from the raw bytes
    (httpx would inflate each network chunk whole: 64 KB of gzip can be 64 MB): a body that
    inflates past ``limit`` is refused as soon as it does, holding at most ``limit`` plus one
    step, never the whole of it.
    """
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        return None
    return await _read_inflated(response, limit, refuse_over=True)


async def read_head(response: httpx.Response, limit: int = ERROR_BODY_BYTES) -> bytes:
    """The first ``limit`` bytes of a streamed body, inflated (the rest is left unread)."""
    head = await _read_inflated(response, limit, refuse_over=False)
    return head if head is not None else b""


async def _read_inflated(
    response: httpx.Response, limit: int, *, refuse_over: bool
) -> bytes | None:
    if response.is_stream_consumed:
        # Already read whole by whoever built it (an in-memory test transport): only the cap.
        content = response.content
        if len(content) > limit:
            return None if refuse_over else content[:limit]
        return content
    inflater = _inflater(response.headers.get("content-encoding", ""))
    if inflater is None:
        return None
    out = bytearray()
    done = False
    try:
        async for raw in response.aiter_raw():
            data = raw
            while data:
                room = limit - len(out) + 1  # one byte more than allowed says "too long"
                out += inflater.decompress(data, min(room, INFLATE_STEP))
                data = inflater.unconsumed_tail
                if len(out) > limit:
                    done = True
                    break
            if done:
                break
        else:
            out += inflater.flush()
    except zlib.error:
        raise httpx.DecodingError("the body could not be inflated") from None
    if len(out) > limit:
        if refuse_over:
            return None
        del out[limit:]
    return bytes(out)


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
