"""The API endpoints: the OAuth2 token endpoint and ``/v1/orders`` (list, one, PDF link).

Each function takes the shared :class:`DemoState` and the parsed request and returns a
:class:`Response`; faults and authentication are applied around them by the handler. The
rules follow ``REFERENCE.md`` and the published list-orders page (the seed).
"""

from __future__ import annotations

import re
from typing import Any

from artistree_tui.demo.catalog import CERTIFIED, PERSONAL_CERTIFICATES, STATES, Scope
from artistree_tui.demo.faults import FaultConfig
from artistree_tui.demo.ids import parse_uuid
from artistree_tui.demo.pdf import certificate_pdf
from artistree_tui.demo.responses import Response, json_response, message, oauth_error
from artistree_tui.demo.state import DemoState
from artistree_tui.demo.tokens import credentials_match, parse_form, read_client

DEFAULT_LIMIT = 200
MAX_LIMIT = 1000
_LANG = re.compile(r"^[A-Za-z]{1,8}(?:[-_][A-Za-z0-9]{1,8}){0,4}$")
_TRUE, _FALSE = ("true", "1"), ("false", "0")


# -- token endpoint ------------------------------------------------------------------------


def token(state: DemoState, authorization: str | None, content_type: str, body: bytes) -> Response:
    """``POST /oauth2/token``: client credentials in the form body or as HTTP Basic."""
    if "application/x-www-form-urlencoded" not in content_type.lower():
        return oauth_error("invalid_request")
    form = parse_form(body)
    if not credentials_match(read_client(authorization, form)):
        return oauth_error("invalid_client")
    grants = form.get("grant_type", [])
    if not grants:
        return oauth_error("invalid_request")
    if grants != ["client_credentials"]:
        return oauth_error("unsupported_grant_type")
    ttl = _token_ttl(state.faults, state.token_ttl)
    access = state.tokens.issue(state.now(), ttl)
    said = state.faults.token_expires_in
    response = json_response(
        200,
        {
            "access_token": access,
            "token_type": "Bearer",
            "expires_in": ttl if said is None else said,
        },
    )
    response.headers["Cache-Control"] = "no-store"
    return response


def _token_ttl(faults: FaultConfig, default: int) -> int:
    return faults.token_ttl if faults.token_ttl is not None else default


def authorized(state: DemoState, authorization: str | None) -> bool:
    """Whether the request carries a valid, unexpired bearer token."""
    if not authorization or authorization[:7].lower() != "bearer ":
        return False
    return state.tokens.is_valid(authorization[7:].strip(), state.now())


# -- GET /v1/orders ------------------------------------------------------------------------


def _parse_bool(name: str, value: str | None, default: bool) -> bool | Response:
    if value is None or value == "":
        return default
    lowered = value.strip().lower()
    if lowered in _TRUE or lowered in _FALSE:
        return lowered in _TRUE
    return message(400, f"{name} must be true or false")


def _parse_limit(value: str | None) -> int | Response:
    if value is None or value == "":
        return DEFAULT_LIMIT
    text = value.strip()
    if not text.isascii() or not text.isdigit() or len(text) > 9:
        return message(400, f"limit must be an integer between 1 and {MAX_LIMIT}")
    limit = int(text)
    if not 1 <= limit <= MAX_LIMIT:
        return message(400, f"limit must be between 1 and {MAX_LIMIT}")
    return limit


def list_orders(state: DemoState, query: dict[str, str], origin: str) -> Response:
    """``GET /v1/orders``: one page of a scope, full orders or light previews."""
    project_id = query.get("project_id", "")
    if not project_id:
        return message(400, "project_id is required (a project id or 'All Projects')")
    preview = _parse_bool("preview", query.get("preview"), False)
    if isinstance(preview, Response):
        return preview
    limit = _parse_limit(query.get("limit"))
    if isinstance(limit, Response):
        return limit
    cursor = None
    page_token = query.get("page_token", "")
    if page_token:
        # token_bound_to_preview: a preview page's token is refused for a full page.
        bound = state.faults.token_bound_to_preview and not preview
        decoded = state.signer.read_page_token(page_token, refuse_preview=bound)
        if decoded is None:
            return message(400, "invalid page_token")
        if decoded[0] != project_id:
            return message(400, "page_token does not belong to this project_id")
        cursor = decoded[1]
    now = state.now()
    catalog = state.catalog
    catalog.sync(now)
    scope = catalog.resolve(project_id)
    indices, next_cursor = _page(state, scope, cursor, limit)
    hostile_on = state.faults.hostile
    names: list[str] = []
    if scope.is_all:
        projects = [
            state.factory.project_name(code, hostile_on)
            for code in range(1, len(catalog.projects) + 1)
        ]
        names = [PERSONAL_CERTIFICATES, *sorted(projects, key=str.casefold)]
    presign = state.presigner(origin, now)
    orders = [
        state.factory.order(i, now, presign, hostile_on=hostile_on, light=preview) for i in indices
    ]
    next_token = (
        state.signer.page_token(project_id, next_cursor, preview=preview)
        if next_cursor is not None
        else None
    )
    if next_token is not None and not page_token:
        state.first_page_tokens.setdefault(project_id, next_token)
    elif next_token is None and state.faults.paging == "cycle":
        next_token = state.first_page_tokens.get(project_id)  # a token it handed out before
    payload: dict[str, Any] = {
        "order_stats": catalog.stats(scope, now),
        "project_names": names,
        "next_page_token": next_token,
    }
    if preview:
        payload["order_previews"] = [state.factory.preview(order) for order in orders]
    else:
        payload["orders"] = orders
    return json_response(200, payload)


#: Cursors from here on are "past the end" of a scope (``paging=endless`` or ``repeat``).
_PAST_END = 1 << 40


def _page(
    state: DemoState, scope: Scope, cursor: int | None, limit: int
) -> tuple[list[int], int | None]:
    """The indices of one page and the cursor of the next, with ``paging`` faults applied."""
    mode = state.faults.paging
    catalog = state.catalog
    if mode in ("endless", "repeat") and cursor is not None and cursor >= _PAST_END:
        indices = catalog.page(scope, None, limit)[0] if mode == "repeat" else []
        return indices, cursor + 1  # a new token every time, and never an end
    indices, next_cursor = catalog.page(scope, cursor, limit)
    if next_cursor is None and mode in ("endless", "repeat"):
        next_cursor = _PAST_END
    return indices, next_cursor


# -- GET /v1/orders/{id} and /v1/orders/pdf/{id} -------------------------------------------


def _find(state: DemoState, order_id: str) -> int | Response:
    if parse_uuid(order_id) is None:
        return message(400, "order_id must be a 36-character UUID")
    state.catalog.sync(state.now())
    index = state.catalog.ids.decode(order_id.lower())
    if index is None or not state.catalog.exists(index):
        return message(404, "Order not found")
    return index


def get_order(state: DemoState, order_id: str, origin: str) -> Response:
    """``GET /v1/orders/{order_id}``: one full order."""
    index = _find(state, order_id)
    if isinstance(index, Response):
        return index
    now = state.now()
    presign = state.presigner(origin, now)
    order = state.factory.order(index, now, presign, hostile_on=state.faults.hostile)
    return json_response(200, order)


def certificate_link(state: DemoState, order_id: str, origin: str) -> Response:
    """``GET /v1/orders/pdf/{order_id}``: a presigned URL of the certificate PDF."""
    index = _find(state, order_id)
    if isinstance(index, Response):
        return index
    now = state.now()
    order_state = state.catalog.state_at(index, now)
    if order_state != CERTIFIED:
        return message(
            400,
            f"No certificate: the order is {STATES[order_state]}; "
            "only Human Certified orders have one",
        )
    canonical = state.catalog.ids.encode(index)
    url = state.presigner(origin, now)(f"/files/certificates/{canonical}.pdf")
    return json_response(200, {"url": url, "expiresIn": state.url_ttl})


def certificate_bytes(state: DemoState, index: int) -> bytes:
    """The certificate PDF of order ``index``."""
    base = state.factory.base(index)
    outcome = state.factory.outcome(index, base)
    order_id = state.catalog.ids.encode(index)
    lines = [
        f"Order: {order_id}",
        f"Asset: {base.asset_name}",
        f"Ordered by: {base.ordered_by}",
        f"Confidence: {outcome.confidence:.3f}",
    ]
    return certificate_pdf(base.title, lines)


def content_language(value: str | None) -> str | None:
    """The ``lang`` request header echoed as Content-Language, if it is a plausible tag."""
    if value and _LANG.match(value.strip()):
        return value.strip()
    return None
