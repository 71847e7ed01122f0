"""What an answer of the orders API means: a parsed value, a retryable failure or an ApiError.

:func:`read_answer` is the second half of :class:`~artistree_tui.api.client.ArtistreeClient`'s
request machinery: given the status, the (capped) body and the headers of one try, it parses a
2xx body — off the event loop when it is big, because the UI shares that loop — or turns the
status into the one-line error the UI shows. 429, 502, 503 and 504 come back as
:class:`~artistree_tui.api.retry.RetryableFailure` so the retry policy can try again; every
other status is final. A server's error text is quoted only short, cleaned and token-free.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from collections.abc import Callable
from datetime import UTC
from email.utils import parsedate_to_datetime
from typing import TypeVar

import httpx

from artistree_tui.api import wire
from artistree_tui.api.errors import (
    ApiConfigError,
    ApiError,
    ApiNotFoundError,
    ApiRequestError,
    ApiSchemaError,
    ApiServerError,
)
from artistree_tui.api.models import Order, OrdersPage
from artistree_tui.api.parse import decode_json, parse_order_body, parse_orders_page
from artistree_tui.api.retry import (
    overload_failure,
    parse_retry_after,
    tries_text,
)
from artistree_tui.api.wire import server_message

logger = logging.getLogger("artistree_tui.api")

__all__ = ["PARSE_OFF_LOOP_BYTES", "parse_order", "parse_page", "read_answer", "server_now"]

T = TypeVar("T")

#: Bodies larger than this are parsed in a worker thread (a 1000-order page takes ~68 ms).
PARSE_OFF_LOOP_BYTES = 64 * 1024


#: Parsed rows hold about this many times the bytes of their JSON (see OrdersPage.nbytes).
PARSED_PER_BODY_BYTE = 2


def parse_page(body: bytes) -> OrdersPage:
    """A ``GET /v1/orders`` body as an :class:`OrdersPage` (``nbytes`` estimated from it)."""
    page = parse_orders_page(decode_json(body))
    return dataclasses.replace(page, nbytes=PARSED_PER_BODY_BYTE * len(body))


def parse_order(body: bytes) -> Order:
    """A ``GET /v1/orders/{id}`` body as an :class:`Order`."""
    return parse_order_body(decode_json(body))


async def read_answer(
    status: int,
    body: bytes | None,
    answer: httpx.Headers,
    *,
    parse: Callable[[bytes], T],
    not_found: str,
    token: str,
    where: str,
    max_attempts: int,
) -> T:
    """The parsed body of a 2xx answer; otherwise raise what the status means.

    ``body`` is None when a 2xx body was over :data:`wire.MAX_BODY_BYTES`. ``where`` names the
    API in messages ("the API at host:port"), ``not_found`` is the whole 404 message, ``token``
    is redacted from any quoted server text, ``max_attempts`` is for "still after N tries".
    """
    if 200 <= status < 300:
        if body is None:
            limit = wire.MAX_BODY_BYTES
            size = f"{limit >> 20} MB" if limit >= 1 << 20 else f"{limit} bytes"
            raise ApiSchemaError(f"malformed response: the body is larger than {size}")
        try:
            if len(body) > PARSE_OFF_LOOP_BYTES:
                return await asyncio.to_thread(parse, body)
            return parse(body)
        except ApiError:
            raise
        except Exception as exc:  # the parser is meant to be total; a bug must not escape
            logger.error("unexpected %s parsing a %d-byte body", type(exc).__name__, len(body))
            raise ApiSchemaError("malformed response: the body could not be read") from None
    tries = tries_text(max_attempts)
    wait = parse_retry_after(answer.get("retry-after"), server_now(answer))
    overloaded = overload_failure(status, where, tries, wait)
    if overloaded is not None:
        raise overloaded
    said = server_message(body or b"", hide=(token,))
    suffix = f": {said}" if said else ""
    if 300 <= status < 400:
        raise ApiConfigError(
            f"{where} redirected (HTTP {status}): check base_url "
            "(redirects are not followed, so the token is never sent elsewhere)",
            status=status,
        )
    if status == 404:
        raise ApiNotFoundError(not_found, status=404)  # ours says more than "Not Found"
    if status == 403:
        raise ApiRequestError(f"access denied (HTTP 403){suffix}", status=403)
    if 400 <= status < 500:
        raise ApiRequestError(f"the API refused the request (HTTP {status}){suffix}", status=status)
    raise ApiServerError(f"{where} failed (HTTP {status}): try again later", status=status)


def server_now(headers: httpx.Headers) -> float | None:
    """The response's ``Date`` as Unix time, so an HTTP-date Retry-After ignores local skew."""
    value = headers.get("date")
    if not value:
        return None
    try:
        when = parsedate_to_datetime(value)
        return (when if when.tzinfo else when.replace(tzinfo=UTC)).timestamp()
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
