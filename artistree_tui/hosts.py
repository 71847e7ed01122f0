"""Is a host name this machine? One answer for the config validator (which must stay light:
``config path`` imports neither httpx nor Textual) and for the API client (no proxy, plain
http allowed for the local demo)."""

from __future__ import annotations

import ipaddress


def is_loopback(host: str) -> bool:
    """Is ``host`` this machine (``localhost``, 127.0.0.0/8, ::1)? Case does not matter."""
    host = host.lower()
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
