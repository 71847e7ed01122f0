"""Typed errors of the API layer.

Every message here is written to be shown to a user as one line: it says what went wrong and,
where there is something to do, what to do. No message ever contains a token, a secret, an
Authorization header or a response body verbatim (bodies are hostile and may be huge).
"""

from __future__ import annotations


class ApiError(Exception):
    """Base of every error the API layer raises; ``str(err)`` is a safe one-line message."""

    #: Short machine-readable reason, used by the UI for status lines ("rate limited", ...).
    reason: str = "error"

    def __init__(self, message: str, *, status: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.status = status

    def __str__(self) -> str:
        return self.message


class ApiConfigError(ApiError):
    """The credentials or settings are wrong; retrying cannot help (e.g. ``invalid_client``)."""

    reason = "configuration"


class ApiAuthError(ApiError):
    """Authentication failed even after one token refresh."""

    reason = "authentication"


class ApiNotFoundError(ApiError):
    """The resource does not exist (HTTP 404). ``asked_at``: when the request that got this
    answer was sent (``time.time()``; set by the client, like an answer's ``asked_at``), so the
    index can tell it from a newer answer about the same order."""

    reason = "not found"
    asked_at: float | None = None


class ApiAddressError(ApiNotFoundError):
    """A 404 where the order list always is: ``base_url`` points at something that is not the
    API (bad configuration, though to the console just another failed request)."""


class ApiRequestError(ApiError):
    """The server refused the request as malformed or not allowed (a 4xx other than 401/404/429)."""

    reason = "request refused"


class ApiRateLimitedError(ApiError):
    """Still rate limited (HTTP 429) after the bounded retries."""

    reason = "rate limited"

    def __init__(
        self, message: str, *, status: int | None = 429, retry_after: float | None = None
    ) -> None:
        super().__init__(message, status=status)
        self.retry_after = retry_after


class ApiServerError(ApiError):
    """The server kept failing (5xx) after the bounded retries."""

    reason = "server error"


class ApiUnavailableError(ApiError):
    """The API could not be reached (DNS, refused or dropped connection, timeout)."""

    reason = "offline"


class ApiSchemaError(ApiError):
    """A body that is not what the endpoint promises at all (not JSON, not an orders page)."""

    reason = "malformed response"


class ApiCertificateError(ApiUnavailableError):
    """The server's TLS certificate could not be verified: never retried (it will not verify
    on the next try either), and never reported as a network problem."""

    reason = "certificate"
