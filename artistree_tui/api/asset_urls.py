"""Which asset URLs may be fetched: origins, loopback exceptions, forbidden addresses.

The address rules of :class:`~artistree_tui.api.assets.AssetFetcher`, kept apart so they can
be read (and tested) on their own: presigned asset URLs come from the API but could point
anywhere, so link-local and cloud-metadata addresses are refused however they are spelt
(IPv4 inside IPv6, NAT64), and plain http is allowed only for origins named explicitly — the
demo API's own loopback origin. No Textual here.
"""

from __future__ import annotations

import ipaddress

import httpx

from artistree_tui.hosts import is_loopback

__all__ = [
    "METADATA_HOSTS",
    "forbidden_address",
    "loopback_http_origins",
    "origin_of",
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
    return frozenset({origin_of(url)}) if is_loopback(url.host) else frozenset()
