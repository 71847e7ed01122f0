"""The certificate-PDF link: what ``GET /v1/orders/pdf/{order_id}`` answers, and its parser."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import httpx

from artistree_tui.api.errors import ApiSchemaError
from artistree_tui.api.parse import decode_json
from artistree_tui.api.redact import redact_url
from artistree_tui.api.wire import finite_number

#: Presigned URLs live at most 7 days (the S3 maximum); a larger expiresIn is nonsense.
MAX_URL_LIFETIME = 7 * 24 * 3600
#: A certificate PDF larger than this is refused (the same cap as the console's).
PDF_MAX_BYTES = 64 * 1024 * 1024
FILE_PREFIX = "artistree-certificate-"
_UNSAFE = re.compile(r"[^A-Za-z0-9-]+")


@dataclass(frozen=True, slots=True, repr=False)
class CertificateLink:
    """Where to download an order's certificate PDF (presigned, no Authorization needed).

    ``expires_in`` is seconds from when it was issued, or None when the API did not say.
    The repr leaves out the query string: presigned signatures are credentials too.
    """

    url: str
    expires_in: int | None = None

    def __repr__(self) -> str:
        return f"CertificateLink(url={redact_url(self.url)!r}, expires_in={self.expires_in})"


def parse_certificate(body: bytes) -> CertificateLink:
    """The body of ``GET /v1/orders/pdf/{id}``: ``{"url", "expiresIn"}``.

    A missing, non-http(s) or unprintable ``url`` is an ApiSchemaError; a missing, negative or
    unreadable ``expiresIn`` is None, a huge one is capped at 7 days.
    """
    data: Any = decode_json(body)
    if not isinstance(data, dict):
        raise ApiSchemaError("malformed response: the server did not send a certificate link")
    url = data.get("url")
    if not isinstance(url, str) or not _is_download_url(url):
        raise ApiSchemaError("malformed response: the certificate link has no usable URL")
    seconds = finite_number(data.get("expiresIn"))
    expires_in = None if seconds is None or seconds < 0 else int(min(seconds, MAX_URL_LIFETIME))
    return CertificateLink(url=url, expires_in=expires_in)


def _is_download_url(url: str) -> bool:
    if len(url) > 8192 or any(not ("!" <= ch <= "~") for ch in url):
        return False  # whitespace, controls or non-ASCII: not a URL we will hand to anyone
    try:
        parsed = httpx.URL(url)
    except httpx.InvalidURL:
        return False
    return parsed.scheme in ("http", "https") and bool(parsed.host)


def certificate_filename(order_id: str) -> str:
    """``artistree-certificate-<id>.pdf`` from the id's letters, digits and dashes (never
    from the title, which the uploader chose). The console's dialog names files the same way
    (ui/dialogs/certificate_files.py)."""
    safe_id = _UNSAFE.sub("", order_id)[:64].strip("-") or "order"
    return f"{FILE_PREFIX}{safe_id}.pdf"
