"""Which asset URLs may be fetched: origins, loopback exceptions, forbidden addresses.

The address rules of :class:`~artistree_tui.api.assets.AssetFetcher`, kept apart so they can
be read (and tested) on their own: presigned asset URLs come from the API but could point
anywhere, so every address that is not globally routable — loopback, private, carrier-grade
NAT, link-local, unique-local, cloud metadata — is refused however it is spelt (``127.1``,
``2130706433``, ``0x7f.1``, IPv4 inside IPv6, NAT64, 6to4): a preview URL must not make the
console probe the reviewer's own network. Plain http, and a loopback address, are allowed
only for origins named explicitly — the demo API's own loopback origin. No Textual here.
"""

from __future__ import annotations

import ipaddress
import re
import socket

import httpx

from artistree_tui.hosts import is_loopback

__all__ = [
    "METADATA_HOSTS",
    "forbidden_address",
    "loopback_http_origins",
    "numeric_host",
    "origin_of",
    "trusted_address",
]

METADATA_HOSTS = frozenset(
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
# Digits, hex digits and dots: what inet_aton may read as an IPv4 address.
_NUMERIC = re.compile(r"(?:0[xX][0-9a-fA-F]*|[0-9]+)(?:\.(?:0[xX][0-9a-fA-F]*|[0-9]+)){0,3}")


def forbidden_address(address: str | ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """True for every address an asset must not come from: anything not globally routable.

    That is loopback (``127.0.0.0/8``, ``::1``), private (10/8, 172.16/12, 192.168/16),
    carrier-grade NAT (100.64/10), link-local (169.254/16, fe80::/10), unique-local
    (fc00::/7), the unspecified and reserved ranges, multicast, and the cloud metadata
    services. IPv4 addresses inside IPv6 (``::ffff:127.0.0.1``, NAT64 ``64:ff9b::/96``, 6to4
    ``2002::/16``) are unwrapped and judged as IPv4. Only an origin the fetcher is told to
    trust (the demo API's own loopback origin) may be at such an address.
    """
    try:
        ip = ipaddress.ip_address(address) if isinstance(address, str) else address
    except ValueError:
        return True
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.scope_id:
            ip = ipaddress.IPv6Address(str(ip).split("%", 1)[0])
        embedded = ip.ipv4_mapped or ip.sixtofour
        if embedded is None and ip in _NAT64:
            embedded = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
        if embedded is not None and forbidden_address(embedded):
            return True
    if ip in _METADATA_ADDRESSES or ip.is_multicast or ip.is_unspecified:
        return True
    return not ip.is_global


def trusted_address(address: str) -> bool:
    """Whether a trusted origin (the demo API's) may be at ``address``: loopback only, never
    a private, link-local or metadata address."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_loopback


def numeric_host(host: str) -> str | None:
    """The IPv4 address a numeric host *means* however it is spelt, as the C library reads
    it (``127.1``, ``2130706433``, ``0x7f.1``, ``017700000001``), or an IPv6 literal; None
    for a name. So a spelling cannot slip past the address rules."""
    try:
        return str(ipaddress.ip_address(host.strip("[]")))
    except ValueError:
        pass
    if not _NUMERIC.fullmatch(host):
        return None
    try:
        return socket.inet_ntoa(socket.inet_aton(host))
    except OSError:
        return None


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
    return frozenset({origin_of(url)}) if is_loopback(url.host) else frozenset()
