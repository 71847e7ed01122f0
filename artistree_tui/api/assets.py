"""Safe download of presigned asset URLs (preview images, layer images, certificate PDFs).

Asset URLs come from the API but point anywhere: an uploader cannot choose them today, yet a
compromised or buggy service could hand out ``http://169.254.169.254/...`` or a 4 GB file. So
the :class:`AssetFetcher` trusts nothing about the URL or the answer:

- its own ``httpx.AsyncClient``, which never carries the API's Authorization header (nor
  cookies, nor proxy/netrc settings from the environment);
- https only, except origins the caller allows explicitly (the demo API's loopback origin);
- never link-local or cloud-metadata addresses: the host is resolved and *every* address is
  checked, and the address actually connected to is checked again before the body is read;
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
import ipaddress
import socket
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urljoin

import httpx

from artistree_tui.api.errors import ApiError

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
_CHUNK = 64 * 1024

#: Content types accepted per kind, and what the first bytes must be.
_KIND_TYPES: dict[str, frozenset[str]] = {
    "image": frozenset({"image/png", "image/jpeg", "image/gif", "image/webp"}),
    "pdf": frozenset({"application/pdf"}),
}
# Object stores serve files uploaded without a type as one of these: the magic bytes decide.
_GENERIC_TYPES = frozenset({"", "application/octet-stream", "binary/octet-stream"})
_KIND_NAMES = {"image": "an image", "pdf": "a PDF"}

_METADATA_HOSTS = frozenset(
    {
        "metadata.google.internal",
        "metadata.goog",
        "metadata",
        "instance-data",
        "instance-data.ec2.internal",
        "metadata.azure.internal",
    }
)
_METADATA_ADDRESSES = frozenset(
    ipaddress.ip_address(a)
    for a in (
        "169.254.169.254",  # AWS, GCP, Azure, OpenStack, DigitalOcean ...
        "169.254.170.2",  # AWS ECS task metadata
        "fd00:ec2::254",  # AWS IMDS over IPv6
        "100.100.100.200",  # Alibaba Cloud
        "192.0.0.192",  # Oracle Cloud (legacy)
    )
)
_NAT64 = ipaddress.ip_network("64:ff9b::/96")

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


def forbidden_address(address: str | ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """True for addresses an asset must never come from: link-local, metadata, multicast, any.

    Loopback and private addresses are allowed (the demo server, a company's own store).

    IPv4 addresses smuggled inside IPv6 (``::ffff:169.254.169.254``, NAT64) are unwrapped.
    """
    try:
        ip = ipaddress.ip_address(address) if isinstance(address, str) else address
    except ValueError:
        return True
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.scope_id:
            ip = ipaddress.IPv6Address(str(ip).split("%", 1)[0])
        embedded = ip.ipv4_mapped
        if embedded is None and ip in _NAT64:
            embedded = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
        if embedded is not None and forbidden_address(embedded):
            return True
    return ip in _METADATA_ADDRESSES or ip.is_link_local or ip.is_multicast or ip.is_unspecified


def origin_of(url: str | httpx.URL) -> str:
    """``scheme://host:port`` with the default port made explicit, lower-cased."""
    u = httpx.URL(url) if isinstance(url, str) else url
    port = u.port or {"http": 80, "https": 443}.get(u.scheme, 0)
    host = u.host.lower()
    if ":" in host:
        host = f"[{host}]"
    return f"{u.scheme.lower()}://{host}:{port}"


def loopback_http_origins(base_url: str | None) -> frozenset[str]:
    """The API's own origin when it is plain http on a loopback address (the demo server),
    else nothing: every other asset must come over https."""
    if not base_url:
        return frozenset()
    try:
        url = httpx.URL(base_url)
    except (httpx.InvalidURL, TypeError, ValueError):
        return frozenset()
    if url.scheme != "http":
        return frozenset()
    host = url.host.lower()
    try:
        loopback = ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = host == "localhost"
    return frozenset({origin_of(url)}) if loopback else frozenset()


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
    ``allow_http_origins`` holds origins like ``"http://127.0.0.1:8080"`` that may be fetched
    over plain http (compare with :func:`origin_of`).
    """

    def __init__(
        self,
        *,
        allow_http_origins: frozenset[str] = frozenset(),
        max_bytes: int = DEFAULT_MAX_BYTES,
        timeout: float = DEFAULT_TIMEOUT,
    ) -> None:
        self.allow_http_origins = frozenset(origin_of(o) for o in allow_http_origins)
        self.max_bytes = max_bytes
        self.timeout = timeout
        step = min(timeout, 10.0)
        self._client = httpx.AsyncClient(
            # trust_env=False: no proxy variables, no netrc credentials, nothing implicit.
            trust_env=False,
            follow_redirects=False,
            timeout=httpx.Timeout(step, connect=min(timeout, 5.0)),
            headers={"Accept-Encoding": "identity", "User-Agent": "artistree-tui"},
            event_hooks={"request": [_strip_credentials]},
        )

    async def __aenter__(self) -> AssetFetcher:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._client.aclose()

    async def fetch(
        self, url: str, *, kinds: Iterable[str] = ("image",), max_bytes: int | None = None
    ) -> Asset:
        """Download ``url`` and return its bytes; raise an :class:`AssetError` otherwise.

        ``kinds`` names what is acceptable: ``"image"`` and/or ``"pdf"``. ``max_bytes``
        overrides the instance cap for this call (a PDF may be bigger than a preview).
        """
        kinds = tuple(kinds)
        unknown = [k for k in kinds if k not in _KIND_TYPES]
        if unknown or not kinds:
            raise ValueError(f"unknown asset kinds: {unknown or kinds}")
        cap = self.max_bytes if max_bytes is None else max_bytes
        try:
            async with asyncio.timeout(self.timeout):
                return await self._fetch(url, kinds, cap)
        except TimeoutError:
            raise AssetTimeoutError("The download timed out.") from None
        except httpx.TimeoutException:
            raise AssetTimeoutError("The download timed out.") from None
        except httpx.HTTPError:
            raise AssetUnavailableError(
                "The file server could not be reached.", reason="unreachable"
            ) from None

    async def _fetch(self, url: str, kinds: tuple[str, ...], cap: int) -> Asset:
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
                body = await _read_capped(response, kinds, cap)
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
        if url.scheme == "http" and origin_of(url) not in self.allow_http_origins:
            raise AssetRefusedError("The file link is not https.", reason="insecure link")
        host = url.host.lower().rstrip(".")
        if host in _METADATA_HOSTS:
            raise AssetRefusedError("The file link points at a metadata service.")
        for address in await self._resolve(host, url.port or 443):
            if forbidden_address(address):
                raise AssetRefusedError("The file link points at a forbidden address.")
        return url

    async def _resolve(self, host: str, port: int) -> list[str]:
        """Every address ``host`` resolves to (an IP literal resolves to itself)."""
        try:
            return [str(ipaddress.ip_address(host))]
        except ValueError:
            pass
        loop = asyncio.get_running_loop()
        try:
            infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except OSError:
            raise AssetUnavailableError(
                "The file server's name could not be resolved.", reason="unreachable"
            ) from None
        return [str(info[4][0]) for info in infos]

    async def _check_peer(self, response: httpx.Response) -> None:
        # DNS may answer differently the second time (rebinding): check where we really are.
        stream = response.extensions.get("network_stream")
        peer = stream.get_extra_info("server_addr") if stream is not None else None
        if peer and forbidden_address(str(peer[0])):
            raise AssetRefusedError("The file server is at a forbidden address.")


async def _strip_credentials(request: httpx.Request) -> None:
    """Request hook: whatever happens upstream, no credential header leaves this client."""
    for name in ("authorization", "proxy-authorization", "cookie"):
        if name in request.headers:
            del request.headers[name]


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


async def _read_capped(response: httpx.Response, kinds: tuple[str, ...], cap: int) -> bytes:
    chunks: list[bytes] = []
    total = 0
    checked = False
    async for chunk in response.aiter_bytes(_CHUNK):
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
    return b"".join(chunks)


def _kind_allows(kinds: tuple[str, ...], content_type: str) -> bool:
    return any(content_type in _KIND_TYPES[k] for k in kinds)


def _type_error(kinds: tuple[str, ...]) -> AssetTypeError:
    name = " or ".join(_KIND_NAMES[k] for k in kinds)
    return AssetTypeError(f"The file is not {name}.", reason=f"not {name}")
