"""Safe download of presigned asset URLs (preview images, layer images, certificate PDFs).

Asset URLs come from the API but point anywhere: an uploader cannot choose them today, yet a
compromised or buggy service could hand out ``http://169.254.169.254/...`` or a 4 GB file. So
the :class:`AssetFetcher` trusts nothing about the URL or the answer:

- its own ``httpx.AsyncClient``, which never carries the API's Authorization header (nor
  cookies, nor proxy/netrc settings from the environment);
- https only, except origins the caller trusts explicitly (the demo API's loopback origin);
- never an address that is not globally routable — loopback, private, carrier-grade NAT,
  link-local, unique-local, cloud metadata — however it is spelt (``127.1``, ``2130706433``,
  ``0x7f.1``, ``::ffff:127.0.0.1``), except a trusted origin: the host is resolved and
  *every* address is checked before asking, then again by the connection itself
  (:mod:`.guarded_net`: resolved, checked, connected to the checked address, the socket's
  peer checked before a byte is sent), so DNS rebinding cannot turn a check into a probe;
- redirects are followed by hand (at most a few), each hop checked like the first URL;
- a size cap checked against ``Content-Length`` before reading and while streaming;
- a content-type allowlist and a magic-bytes check per kind (``image``: PNG, JPEG, GIF, WebP;
  ``pdf``: ``%PDF-``);
- connect/read timeouts plus one overall deadline (a server trickling bytes cannot hang us);
- 403 (how presigned URLs say "expired") becomes :class:`AssetExpiredError`.

Error messages never contain the URL: its query string is a signature.
This module does not import Textual.
"""

from __future__ import annotations

import asyncio
import ssl
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from urllib.parse import urljoin

import httpx

from artistree_tui.api import tls
from artistree_tui.api.asset_urls import (
    METADATA_HOSTS,
    forbidden_address,
    loopback_http_origins,
    origin_of,
    trusted_address,
)
from artistree_tui.api.errors import ApiError
from artistree_tui.api.guarded_net import GuardedBackend, guarded_transport, system_resolve
from artistree_tui.api.redact import install_log_redaction
from artistree_tui.api.wire import certificate_failure

__all__ = [
    "DEFAULT_MAX_BYTES",
    "DEFAULT_TIMEOUT",
    "Asset",
    "AssetError",
    "AssetExpiredError",
    "AssetFetcher",
    "AssetRefusedError",
    "AssetTimeoutError",
    "AssetTooLargeError",
    "AssetTypeError",
    "AssetUnavailableError",
    "forbidden_address",
    "loopback_http_origins",
    "origin_of",
    "sniff_content_type",
]

DEFAULT_MAX_BYTES = 16 * 1024 * 1024
DEFAULT_TIMEOUT = 20.0
MAX_REDIRECTS = 3

#: Content types accepted per kind, and what the first bytes must be.
_KIND_TYPES: dict[str, frozenset[str]] = {
    "image": frozenset({"image/png", "image/jpeg", "image/gif", "image/webp"}),
    "pdf": frozenset({"application/pdf"}),
}
# Object stores serve files uploaded without a type as one of these: the magic bytes decide.
_GENERIC_TYPES = frozenset({"", "application/octet-stream", "binary/octet-stream"})
_KIND_NAMES = {"image": "an image", "pdf": "a PDF"}

_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
    (b"%PDF-", "application/pdf"),
)


def sniff_content_type(data: bytes) -> str | None:
    """The content type the first bytes announce (PNG, JPEG, GIF, WebP, PDF), else None."""
    for magic, content_type in _SIGNATURES:
        if data.startswith(magic):
            return content_type
    if len(data) >= 12 and data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    return None


@dataclass(frozen=True, slots=True)
class Asset:
    """Downloaded bytes and their type (from the magic bytes, e.g. ``image/png``)."""

    content: bytes
    content_type: str


class AssetError(ApiError):
    """An asset could not be fetched; ``reason`` is a short text for a placeholder."""

    reason = "unavailable"

    def __init__(
        self, message: str, *, reason: str | None = None, status: int | None = None
    ) -> None:
        super().__init__(message, status=status)
        if reason is not None:
            self.reason = reason


class AssetRefusedError(AssetError):
    """The URL is not allowed: not https, a forbidden address, a bad redirect."""

    reason = "refused address"


class AssetTooLargeError(AssetError):
    """The answer is bigger than the size cap."""

    reason = "too large"


class AssetTypeError(AssetError):
    """The answer is not of an allowed kind (by content type or magic bytes)."""

    reason = "not an image"


class AssetExpiredError(AssetError):
    """HTTP 403: the presigned URL has expired; fetch the order again for a fresh one."""

    reason = "expired link"


class AssetTimeoutError(AssetError):
    """The download did not finish within the deadline."""

    reason = "timed out"


class AssetUnavailableError(AssetError):
    """The server could not be reached or answered with an error other than 403."""

    reason = "unavailable"


class AssetFetcher:
    """Downloads presigned asset URLs under the rules in the module docstring.

    One instance per app; :meth:`aclose` (or ``async with``) closes its HTTP client.
    ``allow_http_origins`` holds the origins it trusts, like ``"http://127.0.0.1:8080"`` (the
    demo API's own): they may be fetched over plain http and from a loopback or private
    address (compare with :func:`origin_of`). ``verify`` replaces the shared verifying TLS
    context (tests: a local certificate authority).
    """

    def __init__(
        self,
        *,
        allow_http_origins: frozenset[str] = frozenset(),
        max_bytes: int = DEFAULT_MAX_BYTES,
        timeout: float = DEFAULT_TIMEOUT,
        verify: ssl.SSLContext | None = None,
    ) -> None:
        install_log_redaction()  # httpx logs each request's URL: never its signature
        self.allow_http_origins = frozenset(origin_of(o) for o in allow_http_origins)
        self._verify = verify
        self.max_bytes = max_bytes
        self.timeout = timeout
        # Created on the first download: the console builds a fetcher at startup, and the
        # first preview is only asked for once the first orders are on the screen.
        self._http: httpx.AsyncClient | None = None
        self._closed = False

    @property
    def _client(self) -> httpx.AsyncClient:
        if self._http is None:
            if self._closed:
                raise AssetUnavailableError("The downloader is closed.")
            step = min(self.timeout, 10.0)
            backend = GuardedBackend(
                trusted=[_host_port(o) for o in self.allow_http_origins],
                refused=AssetRefusedError,
            )
            self._http = httpx.AsyncClient(
                # trust_env=False: no proxy variables, no netrc credentials, nothing implicit.
                trust_env=False,
                follow_redirects=False,
                timeout=httpx.Timeout(step, connect=min(self.timeout, 5.0)),
                headers={"Accept-Encoding": "identity", "User-Agent": "artistree-tui"},
                event_hooks={"request": [_strip_credentials]},
                # Plain http (allowed origins only: the loopback demo) loads no CA bundle; https
                # gets the shared verifying context, on the first https download.
                verify=tls.plain_http_context(),
                mounts={
                    "http://": guarded_transport(backend, verify=tls.plain_http_context()),
                    "https://": tls.HttpsOnDemand(
                        trust_env=False,
                        verify=self._verify,
                        build=lambda context: guarded_transport(backend, verify=context),
                    ),
                },
            )
        return self._http

    async def __aenter__(self) -> AssetFetcher:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        self._closed = True
        if self._http is not None:
            await self._http.aclose()

    async def fetch(
        self,
        url: str,
        *,
        kinds: Iterable[str] = ("image",),
        max_bytes: int | None = None,
        sink: Callable[[bytes], object] | None = None,
    ) -> Asset:
        """Download ``url`` and return its bytes; raise an :class:`AssetError` otherwise.

        ``kinds`` names what is acceptable: ``"image"`` and/or ``"pdf"``. ``max_bytes``
        overrides the instance cap for this call (a PDF may be bigger than a preview).
        ``sink``, if given, receives the body's chunks as they arrive — only once its first
        bytes have passed the type check, and never more than the cap — so a decoder can
        start before the download ends; the returned asset still holds the whole body.
        """
        kinds = tuple(kinds)
        unknown = [k for k in kinds if k not in _KIND_TYPES]
        if unknown or not kinds:
            raise ValueError(f"unknown asset kinds: {unknown or kinds}")
        cap = self.max_bytes if max_bytes is None else max_bytes
        try:
            async with asyncio.timeout(self.timeout):
                return await self._fetch(url, kinds, cap, sink)
        except TimeoutError:
            raise AssetTimeoutError("The download timed out.") from None
        except httpx.TimeoutException:
            raise AssetTimeoutError("The download timed out.") from None
        except httpx.HTTPError as exc:
            if certificate_failure(exc):
                raise AssetUnavailableError(
                    "The file server's certificate could not be verified.",
                    reason="bad certificate",
                ) from None
            raise AssetUnavailableError(
                "The file server could not be reached.", reason="unreachable"
            ) from None

    async def _fetch(
        self,
        url: str,
        kinds: tuple[str, ...],
        cap: int,
        sink: Callable[[bytes], object] | None,
    ) -> Asset:
        current = await self._checked_url(url)
        for _hop in range(MAX_REDIRECTS + 1):
            async with self._client.stream("GET", current) as response:
                await self._check_peer(response)
                if response.is_redirect and "location" in response.headers:
                    target = urljoin(str(current), response.headers["location"])
                    current = await self._checked_url(target)
                    continue
                _check_status(response)
                _check_declared(response, kinds, cap)  # headers only pre-filter ...
                body = await _read_capped(response, kinds, cap, sink)
                sniffed = sniff_content_type(body)  # ... the bytes are the authority
                if sniffed is None or not _kind_allows(kinds, sniffed):
                    raise _type_error(kinds)
                return Asset(content=body, content_type=sniffed)
        raise AssetRefusedError("The file link redirected too many times.", reason="redirected")

    async def _checked_url(self, raw: str) -> httpx.URL:
        try:
            url = httpx.URL(raw)
        except (httpx.InvalidURL, TypeError, ValueError):
            raise AssetRefusedError(
                "The file link is not a valid URL.", reason="bad link"
            ) from None
        if url.scheme not in ("http", "https") or not url.host:
            raise AssetRefusedError("The file link is not a web address.", reason="bad link")
        if url.userinfo:
            raise AssetRefusedError("The file link carries credentials.", reason="bad link")
        trusted = origin_of(url) in self.allow_http_origins
        if url.scheme == "http" and not trusted:
            raise AssetRefusedError("The file link is not https.", reason="insecure link")
        host = url.host.lower().rstrip(".")
        if host in METADATA_HOSTS:
            raise AssetRefusedError("The file link points at a metadata service.")
        for address in await self._resolve(host, url.port or 443):
            # The demo API's own origin may be on this machine (that is the point), only there.
            if forbidden_address(address) and not (trusted and trusted_address(address)):
                raise AssetRefusedError("The file link points at a forbidden address.")
        return url

    async def _resolve(self, host: str, port: int) -> list[str]:
        """Every address ``host`` resolves to (a numeric host, however spelt, to itself)."""
        try:
            return await system_resolve(host, port)
        except OSError:
            raise AssetUnavailableError(
                "The file server's name could not be resolved.", reason="unreachable"
            ) from None

    async def _check_peer(self, response: httpx.Response) -> None:
        # The connection checked its peer before sending (guarded_net); checked once more
        # here, failing closed, in case a transport ever comes without that backend.
        stream = response.extensions.get("network_stream")
        peer = stream.get_extra_info("server_addr") if stream is not None else None
        if not peer:
            raise AssetRefusedError("The file server's address is unknown.")
        address = str(peer[0])
        trusted = origin_of(response.url) in self.allow_http_origins
        if forbidden_address(address) and not (trusted and trusted_address(address)):
            raise AssetRefusedError("The file server is at a forbidden address.")


async def _strip_credentials(request: httpx.Request) -> None:
    """Request hook: whatever happens upstream, no credential header leaves this client."""
    for name in ("authorization", "proxy-authorization", "cookie"):
        if name in request.headers:
            del request.headers[name]


def _host_port(origin: str) -> tuple[str, int]:
    """``("127.0.0.1", 8080)`` from ``"http://127.0.0.1:8080"`` (see :func:`origin_of`)."""
    url = httpx.URL(origin)
    return url.host.lower(), url.port or {"http": 80, "https": 443}.get(url.scheme, 0)


def _check_status(response: httpx.Response) -> None:
    status = response.status_code
    if status == 200:
        return
    if status == 403:
        raise AssetExpiredError("The file link has expired.", status=status)
    if status == 404:
        raise AssetUnavailableError("The file was not found.", reason="not found", status=status)
    if status >= 500:
        raise AssetUnavailableError(
            f"The file server failed (HTTP {status}).", reason="server error", status=status
        )
    raise AssetUnavailableError(
        f"The file server refused the download (HTTP {status}).",
        reason=f"HTTP {status}",
        status=status,
    )


def _check_declared(response: httpx.Response, kinds: tuple[str, ...], cap: int) -> None:
    """Pre-filter on headers, before a single body byte is read."""
    declared = response.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    if declared not in _GENERIC_TYPES and not _kind_allows(kinds, declared):
        raise _type_error(kinds)
    length = response.headers.get("content-length")
    if length is not None:
        try:
            size = int(length)
        except ValueError:
            raise AssetUnavailableError(
                "The file server sent a bad length.", reason="bad answer"
            ) from None
        if size > cap:
            raise AssetTooLargeError(f"The file is too large ({size} bytes, limit {cap}).")


async def _read_capped(
    response: httpx.Response,
    kinds: tuple[str, ...],
    cap: int,
    sink: Callable[[bytes], object] | None = None,
) -> bytes:
    chunks: list[bytes] = []
    total = 0
    checked = False
    # The chunks as they come off the socket (no re-chunking: one copy less).
    async for chunk in response.aiter_bytes():
        total += len(chunk)
        if total > cap:
            raise AssetTooLargeError(f"The file is larger than the limit ({cap} bytes).")
        chunks.append(chunk)
        if not checked and total >= 16:
            # Refuse an HTML page or a zip served as octet-stream without reading all of it.
            head = b"".join(chunks)[:16]
            sniffed = sniff_content_type(head)
            if sniffed is None or not _kind_allows(kinds, sniffed):
                raise _type_error(kinds)
            checked = True
            if sink is not None:
                for early in chunks:  # what arrived before the check
                    sink(early)
        elif checked and sink is not None:
            sink(chunk)
    if not checked and sink is not None:  # under 16 bytes: the caller's sniff decides
        for early in chunks:
            sink(early)
    return b"".join(chunks)


def _kind_allows(kinds: tuple[str, ...], content_type: str) -> bool:
    return any(content_type in _KIND_TYPES[k] for k in kinds)


def _type_error(kinds: tuple[str, ...]) -> AssetTypeError:
    name = " or ".join(_KIND_NAMES[k] for k in kinds)
    return AssetTypeError(f"The file is not {name}.", reason=f"not {name}")
