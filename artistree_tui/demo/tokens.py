"""The OAuth2 client-credentials token endpoint's state: credentials and issued tokens.

Like Cognito, the demo accepts the client id and secret either in the form body or as HTTP
Basic auth. Tokens are random strings that expire on the demo clock; the store forgets
expired ones as it goes, so a soak test that refreshes every few seconds stays bounded.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import secrets
import threading
from urllib.parse import parse_qs, unquote

#: Public demo credentials (printed by the standalone server; they protect nothing).
DEMO_CLIENT_ID = "artistree-demo-client"
DEMO_CLIENT_SECRET = "artistree-demo-secret"  # noqa: S105 - a published demo value


class TokenStore:
    """Issued access tokens and their expiry times (demo clock)."""

    def __init__(self) -> None:
        self._tokens: dict[str, float] = {}
        self._lock = threading.Lock()
        self._requests = 0

    @property
    def requests(self) -> int:
        """How many requests the token endpoint has received."""
        return self._requests

    def count_request(self) -> None:
        with self._lock:
            self._requests += 1

    def issue(self, now: float, ttl: float) -> str:
        """A new access token valid until ``now + ttl``."""
        token = "demo." + secrets.token_urlsafe(24)
        with self._lock:
            for old in [t for t, expiry in self._tokens.items() if expiry <= now]:
                del self._tokens[old]
            self._tokens[token] = now + ttl
        return token

    def is_valid(self, token: str, now: float) -> bool:
        with self._lock:
            expiry = self._tokens.get(token)
        return expiry is not None and expiry > now

    def revoke_all(self) -> None:
        with self._lock:
            self._tokens.clear()


def read_client(authorization: str | None, form: dict[str, list[str]]) -> tuple[str, str] | None:
    """The (client_id, client_secret) pair from HTTP Basic auth or else the form body."""
    if authorization and authorization[:6].lower() == "basic ":
        try:
            decoded = base64.b64decode(authorization[6:].strip(), validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            return None
        client_id, sep, secret = decoded.partition(":")
        # RFC 6749 §2.3.1 form-encodes both parts before Basic encoding them.
        return (unquote(client_id), unquote(secret)) if sep else None
    ids, secrets_ = form.get("client_id", []), form.get("client_secret", [])
    if len(ids) != 1 or len(secrets_) != 1:
        return None
    return ids[0], secrets_[0]


def credentials_match(pair: tuple[str, str] | None) -> bool:
    """Whether the pair is the demo's (compared in constant time, as a real server would)."""
    if pair is None:
        return False
    ok_id = hmac.compare_digest(pair[0].encode(), DEMO_CLIENT_ID.encode())
    ok_secret = hmac.compare_digest(pair[1].encode(), DEMO_CLIENT_SECRET.encode())
    return ok_id and ok_secret


def parse_form(body: bytes) -> dict[str, list[str]]:
    """A form-encoded body; undecodable bytes give an empty form."""
    try:
        return parse_qs(body.decode("utf-8"), keep_blank_values=True)
    except UnicodeDecodeError:
        return {}
