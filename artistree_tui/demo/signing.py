"""HMAC-signed values the demo hands out: presigned asset URLs and opaque page tokens.

Both are signed with a key made fresh for each server, so a URL or page token from another
demo instance (or one edited by hand) is refused, as a real service would.

- Presigned URLs look like S3's: ``/files/...?expires=<unix seconds>&sig=<hex>``; ``expires``
  is on the demo clock, so tests expire them with ``DemoServer.advance``.
- Page tokens are base64url of ``mac || json``: the scope they belong to and the *cursor* (the
  index of the last order served). New orders get higher indices, so paging by cursor never
  repeats or skips an order when new ones arrive between pages. A token issued by a preview
  page also says so (``"p": 1``), so the same position has two spellings, as opaque tokens
  may; :func:`read_page_token` accepts both unless told to refuse preview tokens.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import secrets
from urllib.parse import quote

_MAC_BYTES = 12


class Signer:
    """Signs and verifies presigned URLs and page tokens with a per-server random key."""

    def __init__(self) -> None:
        self._key = secrets.token_bytes(32)
        self._page_key = self._key

    def rotate_page_tokens(self) -> None:
        """Refuse every page token issued so far (a test hook: a server that forgot them)."""
        self._page_key = secrets.token_bytes(32)

    def _page_mac(self, data: bytes) -> bytes:
        return hmac.new(self._page_key, data, hashlib.sha256).digest()[:_MAC_BYTES]

    def _mac(self, data: bytes) -> bytes:
        return hmac.new(self._key, data, hashlib.sha256).digest()[:_MAC_BYTES]

    # -- presigned URLs -----------------------------------------------------------------

    def presign(self, origin: str, path: str, expires: int) -> str:
        """``origin + path`` with an expiry (Unix seconds, demo clock) and a signature."""
        sig = self._mac(f"{path}|{expires}".encode()).hex()
        return f"{origin}{quote(path)}?expires={expires}&sig={sig}"

    def check_url(self, path: str, query: dict[str, str], now: float) -> str:
        """``"ok"``, ``"expired"`` or ``"forbidden"`` (missing or wrong signature)."""
        expires_text, sig = query.get("expires", ""), query.get("sig", "")
        if not expires_text.isdigit() or len(expires_text) > 12:
            return "forbidden"
        expected = self._mac(f"{path}|{int(expires_text)}".encode()).hex()
        if not hmac.compare_digest(expected, sig):
            return "forbidden"
        return "expired" if int(expires_text) < now else "ok"

    # -- page tokens --------------------------------------------------------------------

    def page_token(self, scope: str, cursor: int, *, preview: bool = False) -> str:
        """An opaque token for the page after the order at index ``cursor`` in ``scope``
        (``preview``: issued by a ``preview=true`` page)."""
        data: dict[str, object] = {"s": scope, "c": cursor}
        if preview:
            data["p"] = 1
        body = json.dumps(data, separators=(",", ":")).encode()
        return base64.urlsafe_b64encode(self._page_mac(body) + body).rstrip(b"=").decode("ascii")

    def read_page_token(
        self, token: str, *, refuse_preview: bool = False
    ) -> tuple[str, int] | None:
        """``(scope, cursor)`` of a token this server issued, or None for anything else
        (``refuse_preview``: also None for a token a preview page issued)."""
        if not token or len(token) > 2048:
            return None
        try:
            raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        except (binascii.Error, ValueError):
            return None
        mac, body = raw[:_MAC_BYTES], raw[_MAC_BYTES:]
        if not hmac.compare_digest(mac, self._page_mac(body)):
            return None
        try:
            data = json.loads(body)
        except ValueError:
            return None
        scope, cursor = data.get("s"), data.get("c")
        if not isinstance(scope, str) or not isinstance(cursor, int) or cursor < 0:
            return None
        if refuse_preview and data.get("p"):
            return None
        return scope, cursor
