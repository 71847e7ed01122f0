"""Keeping presigned URLs and tokens out of reprs, worker descriptions, logs and messages.

A presigned URL's query string (``X-Amz-Signature``, ``X-Amz-Credential``, ``sig``,
``expires``) is a credential: anyone holding it can fetch the file until it expires. So
wherever a URL could be printed — a ``repr`` (which Textual writes into worker descriptions,
which ``TEXTUAL_LOG`` writes to a file), a log line, an exception message — it is shown as
:func:`redact_url` makes it: scheme, host, port and path, the query replaced by ``?…``, never
a user name, password or fragment. :func:`redact_text` does the same to every URL inside a
longer text, and :func:`install_log_redaction` to every record of the loggers that log URLs
(httpx logs each request's full URL at INFO), whatever level logging is configured at.
No Textual here.
"""

from __future__ import annotations

import dataclasses
import logging
import re
from typing import Any
from urllib.parse import urlsplit

__all__ = [
    "REDACTED_QUERY",
    "RedactingFilter",
    "install_log_redaction",
    "redact_text",
    "redact_url",
    "redacted_repr",
]

REDACTED_QUERY = "?…"
_URL = re.compile(r"""[A-Za-z][A-Za-z0-9+.-]*://[^\s'"<>]+""")


def redact_url(url: object) -> str:
    """``url`` without its query string, fragment and user info (``https://host/p?…``)."""
    text = str(url)
    try:
        parts = urlsplit(text)
        host = parts.hostname or ""
        port = f":{parts.port}" if parts.port else ""
    except ValueError:
        return text.split("?", 1)[0].split("#", 1)[0].rsplit("@", 1)[-1]
    if ":" in host:
        host = f"[{host}]"
    query = REDACTED_QUERY if parts.query else ""
    if not parts.scheme or not parts.netloc:
        return text.split("?", 1)[0].split("#", 1)[0] + query
    return f"{parts.scheme}://{host}{port}{parts.path}{query}"


def redact_text(text: str) -> str:
    """``text`` with every URL in it passed through :func:`redact_url`."""
    return _URL.sub(lambda match: redact_url(match.group()), text)


def redacted_repr(instance: Any) -> str:
    """A dataclass ``repr`` whose URL fields (named ``url`` or ``*_url``) are redacted; use as
    ``__repr__`` of a ``repr=False`` dataclass."""
    parts = []
    for field in dataclasses.fields(instance):
        value = getattr(instance, field.name)
        if isinstance(value, str) and (field.name == "url" or field.name.endswith("_url")):
            parts.append(f"{field.name}={redact_url(value)!r}")
        else:
            parts.append(f"{field.name}={value!r}")
    return f"{type(instance).__name__}({', '.join(parts)})"


#: Loggers whose records may carry a URL: httpx's request lines, and ours.
URL_LOGGERS = ("httpx", "artistree_tui", "artistree_tui.api")


class RedactingFilter(logging.Filter):
    """Rewrites a record's message with every URL redacted (the record is kept)."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a malformed record: leave it to the handler to complain
            return True
        redacted = redact_text(message)
        if redacted != message:
            record.msg, record.args = redacted, None
        return True


_FILTER = RedactingFilter()


def install_log_redaction() -> None:
    """Attach the redacting filter to :data:`URL_LOGGERS` (idempotent)."""
    for name in URL_LOGGERS:
        logger = logging.getLogger(name)
        if _FILTER not in logger.filters:
            logger.addFilter(_FILTER)
