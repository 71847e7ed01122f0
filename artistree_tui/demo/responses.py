"""The response value the demo's endpoints return, and builders for its usual bodies.

Endpoints are plain functions returning a :class:`Response`; the HTTP handler writes it. A
response can also be a stream (slow or oversized image faults) or a dropped connection.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Response:
    """What to send back. ``payload`` keeps the JSON object so faults can reshape it.

    With ``stream`` set the body is written chunk by chunk: ``length`` is the announced
    Content-Length (None: chunked transfer encoding). ``drop`` closes the connection without
    any answer; ``close`` ends keep-alive after this response.
    """

    status: int
    body: bytes = b""
    content_type: str = "application/json"
    headers: dict[str, str] = field(default_factory=dict)
    payload: Any = None
    stream: Iterator[bytes] | None = None
    length: int | None = None
    drop: bool = False
    close: bool = False


def json_response(status: int, payload: Any, *, allow_nan: bool = False) -> Response:
    """A JSON response. ``ensure_ascii`` keeps hostile strings (even lone surrogates) as
    ``\\u`` escapes, which are valid JSON whatever they contain."""
    body = json.dumps(payload, separators=(",", ":"), allow_nan=allow_nan).encode("ascii")
    return Response(status, body, payload=payload)


def message(status: int, text: str, **headers: str) -> Response:
    """The API's error shape: ``{"message": text}``."""
    response = json_response(status, {"message": text})
    response.headers.update(headers)
    return response


def oauth_error(code: str, status: int = 400) -> Response:
    """The token endpoint's error shape: ``{"error": code}``."""
    return json_response(status, {"error": code})


def s3_error(status: int, code: str, text: str) -> Response:
    """An S3-style XML error, as presigned asset URLs answer."""
    body = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f"<Error><Code>{escape(code)}</Code><Message>{escape(text)}</Message>"
        "<RequestId>DEMO</RequestId></Error>"
    ).encode()
    return Response(status, body, content_type="application/xml")


def html_page(status: int, title: str) -> Response:
    """A proxy-style HTML error page (sent with a 200 by the malformed fault)."""
    body = (
        f"<!DOCTYPE html><html><head><title>{escape(title)}</title></head>"
        f"<body><h1>{escape(title)}</h1><p>The upstream server sent an invalid response.</p>"
        "</body></html>"
    ).encode()
    return Response(status, body, content_type="text/html; charset=utf-8")


def escape(text: str) -> str:
    """``&``, ``<`` and ``>`` as entities (what ``xml.sax.saxutils.escape`` does, without
    importing ``urllib.request`` along with it)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
