"""Tolerant parsing of API bodies into :mod:`artistree_tui.api.models`.

The contract publishes little about nulls, types and error shapes, so the parser assumes the
worst: any field may be missing, null or of the wrong type, and gets a sensible default. A row
that cannot be read at all (not an object, no ``order_id``) is skipped and counted. Numbers that
are NaN or infinite are rejected (treated as absent). The only exception that leaves this module
is :class:`ApiSchemaError`, for a body that is not JSON or not the promised kind of object.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, TypeVar

from artistree_tui.api.errors import ApiSchemaError
from artistree_tui.api.models import (
    Analysis,
    Annotation,
    AnnotationBody,
    Bounds,
    Geometry,
    Layer,
    Order,
    OrderPreview,
    OrdersPage,
    OrderStats,
    Project,
)

T = TypeVar("T")

# Above this, a timestamp is read as milliseconds rather than seconds (year 5138 in seconds).
_MILLIS_THRESHOLD = 1e11


def _reject_constant(_name: str) -> None:
    # json accepts NaN/Infinity/-Infinity by default; the wire must not smuggle them in.
    return None


def decode_json(body: bytes | str) -> Any:
    """Decode a response body; NaN/Infinity become None. Raises ApiSchemaError if not JSON."""
    try:
        return json.loads(body, parse_constant=_reject_constant)
    except (ValueError, RecursionError, UnicodeDecodeError) as exc:
        # The body itself is never put in the message: it is hostile and may be huge.
        raise ApiSchemaError(f"malformed response: not JSON ({type(exc).__name__})") from None


#: ``isinstance`` with a tuple: ``int | float`` would build a union object on every call
#: (these helpers run ~150 times per order; a 200-order page is parsed at startup).
_NUMBER = (int, float)


def _str(value: Any, default: str = "") -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, _NUMBER) and not isinstance(value, bool) and _finite(value):
        return str(value)
    return default


def _opt_str(value: Any) -> str | None:
    text = _str(value)
    return text if text else None


def _finite(value: float) -> bool:
    try:
        return math.isfinite(value)
    except (OverflowError, TypeError):
        return False


def _float(value: Any) -> float | None:
    if type(value) is float:  # the usual case (coordinates, scores) first
        return value if math.isfinite(value) else None
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, _NUMBER):
        try:
            number = float(value)
        except OverflowError:  # a huge JSON integer
            return None
        return number if math.isfinite(number) else None
    if isinstance(value, str):
        try:
            number = float(value.strip())
        except ValueError:
            return None
        return number if math.isfinite(number) else None
    return None


def _bool(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    return None


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _items(value: Any, parse: Callable[[Any], T | None]) -> tuple[T, ...]:
    out = []
    for item in _list(value):
        parsed = parse(item)
        if parsed is not None:
            out.append(parsed)
    return tuple(out)


def _strings(value: Any) -> tuple[str, ...]:
    return tuple(s for s in (_str(v) for v in _list(value)) if s)


def parse_timestamp(value: Any) -> datetime | None:
    """ISO 8601 text or Unix seconds/milliseconds (number or numeric text) → aware datetime."""
    if value is None or isinstance(value, bool):
        return None
    number = _float(value)
    try:
        if number is not None:
            if abs(number) > _MILLIS_THRESHOLD:
                number /= 1000.0
            return datetime.fromtimestamp(number, tz=UTC)
        if isinstance(value, str) and value.strip():
            parsed = datetime.fromisoformat(value.strip())
            return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    except (ValueError, OverflowError, OSError):
        return None
    return None


def _epoch_seconds(value: Any) -> int | None:
    number = _float(value)
    if number is None or number < 0:
        return None
    if number > _MILLIS_THRESHOLD:
        number /= 1000.0
    return int(number)


def _analysis(value: Any) -> Analysis | None:
    if not isinstance(value, dict):
        return None
    return Analysis(_str(value.get("analysis_type")), _bool(value.get("analysis_passed")))


def _point(value: Any) -> tuple[float, float] | None:
    if not isinstance(value, list | tuple) or len(value) < 2:
        return None
    x, y = _float(value[0]), _float(value[1])
    if x is None or y is None:
        return None
    return (x, y)


def _bounds(value: Any) -> Bounds | None:
    raw = _dict(value)
    coords = [_float(raw.get(k)) for k in ("minX", "minY", "maxX", "maxY")]
    if any(c is None for c in coords):
        return None
    min_x, min_y, max_x, max_y = (c for c in coords if c is not None)
    return Bounds(min_x, min_y, max_x, max_y)


def _geometry(value: Any) -> Geometry:
    raw = _dict(value)
    return Geometry(
        x=_float(raw.get("x")),
        y=_float(raw.get("y")),
        w=_float(raw.get("w")),
        h=_float(raw.get("h")),
        points=_items(raw.get("points"), _point),
        bounds=_bounds(raw.get("bounds")),
    )


def _body(value: Any) -> AnnotationBody | None:
    if not isinstance(value, dict):
        return None
    return AnnotationBody(
        value=_str(value.get("value")),
        id=_str(value.get("id")),
        annotation=_str(value.get("annotation")),
    )


def parse_annotation(value: Any) -> Annotation | None:
    """One annotation, or None when it is not an object at all."""
    if not isinstance(value, dict):
        return None
    properties = _dict(value.get("properties"))
    selector = _dict(_dict(value.get("target")).get("selector"))
    likelihood = _float(properties.get("ai_likelihood"))
    return Annotation(
        id=_str(value.get("id")),
        selector_type=_str(selector.get("type")).upper(),
        geometry=_geometry(selector.get("geometry")),
        bodies=_items(value.get("bodies"), _body),
        ai_likelihood=likelihood,
        needs_remediation=_bool(properties.get("needs_remediation")),
    )


def _project(value: Any) -> Project | None:
    if not isinstance(value, dict):
        return None
    project_id, name = _str(value.get("id")), _str(value.get("name"))
    if not project_id and not name:
        return None
    return Project(id=project_id, name=name, user_role=_opt_str(value.get("userRole")))


def _layer(value: Any) -> Layer | None:
    if not isinstance(value, dict):
        return None
    return Layer(name=_str(value.get("layer_name")), url=_opt_str(value.get("layer_url")))


def parse_order(value: Any) -> Order | None:
    """A full order, or None when the row cannot be read (not an object, no ``order_id``)."""
    if not isinstance(value, dict):
        return None
    order_id = _str(value.get("order_id"))
    if not order_id:
        return None
    return Order(
        order_id=order_id,
        username=_str(value.get("username")),
        email=_str(value.get("email")),
        order_state=_str(value.get("order_state")),
        order_title=_str(value.get("order_title")),
        asset_id=_str(value.get("asset_id")),
        asset_name=_str(value.get("asset_name")),
        asset_last_modified=_epoch_seconds(value.get("asset_last_modified_timestamp")),
        ordered_by=_str(value.get("ordered_by")),
        creation_time=parse_timestamp(value.get("creation_time")),
        asset_preview_url=_opt_str(value.get("asset_preview_url")),
        analyses=_items(value.get("analysis_list"), _analysis),
        failed_items=_strings(value.get("analysis_failed_items")),
        tags=_strings(value.get("tags")),
        confidence=_float(value.get("confidence")),
        remediation=_float(value.get("remediation")),
        annotations=_items(value.get("annotations"), parse_annotation),
        project=_project(value.get("project")),
        reviewed_by=_opt_str(value.get("reviewed_by")),
        review_timestamp=parse_timestamp(value.get("review_timestamp")),
        layers=_items(value.get("layers_info"), _layer),
    )


def parse_preview(value: Any) -> OrderPreview | None:
    """A preview row, or None when it cannot be read."""
    if not isinstance(value, dict):
        return None
    order_id = _str(value.get("order_id"))
    if not order_id:
        return None
    return OrderPreview(
        order_id=order_id,
        order_title=_str(value.get("order_title")),
        creation_time=parse_timestamp(value.get("creation_time")),
        order_state=_str(value.get("order_state")),
        asset_preview_url=_opt_str(value.get("asset_preview_url")),
        project_name=_str(value.get("project_name")),
        analyses=_items(value.get("analysis_list"), _analysis),
        tags=_strings(value.get("tags")),
    )


_STATS_KEYS = {
    "in_progress": "total_in_progress",
    "certified": "total_certified",
    "action_required": "total_action_required",
    "reviewed": "total_reviewed",
    "failed": "total_failed",
    "unsupported": "total_unsupported",
    "total": "total_orders",
}


def parse_stats(value: Any) -> OrderStats:
    """Counts per state; a state the API leaves out counts 0. A count that is there but not
    one (NaN, infinity, negative, text), or a missing ``total_orders``, counts 0 too and makes
    ``readable`` False: zeros that are not the API's word."""
    raw = _dict(value)
    counts = {name: _float(raw.get(key)) for name, key in _STATS_KEYS.items()}
    readable = counts["total"] is not None and all(
        (number is not None and number >= 0) or raw.get(_STATS_KEYS[name]) is None
        for name, number in counts.items()
    )
    return OrderStats(
        **{name: int(number) if number and number > 0 else 0 for name, number in counts.items()},
        readable=readable,
    )


_PAGE_KEYS = ("order_stats", "orders", "order_previews", "project_names", "next_page_token")


def parse_orders_page(value: Any) -> OrdersPage:
    """A whole list page. Raises ApiSchemaError only if ``value`` is not an orders page at all."""
    if not isinstance(value, dict) or not any(k in value for k in _PAGE_KEYS):
        raise ApiSchemaError("malformed response: the server did not send an orders page")
    skipped = 0
    orders: list[Order] = []
    for row in _list(value.get("orders")):
        order = parse_order(row)
        if order is None:
            skipped += 1
        else:
            orders.append(order)
    previews: list[OrderPreview] = []
    for row in _list(value.get("order_previews")):
        preview = parse_preview(row)
        if preview is None:
            skipped += 1
        else:
            previews.append(preview)
    # A present but non-list rows field is a row we could not read, not a silent empty page.
    for key in ("orders", "order_previews"):
        if value.get(key) is not None and not isinstance(value.get(key), list):
            skipped += 1
    token = _str(value.get("next_page_token"))
    return OrdersPage(
        stats=parse_stats(value.get("order_stats")),
        project_names=_strings(value.get("project_names")),
        next_page_token=token or None,
        orders=tuple(orders),
        previews=tuple(previews),
        skipped=skipped,
    )


def parse_order_body(value: Any) -> Order:
    """The body of ``GET /v1/orders/{id}``; raises ApiSchemaError if it is not an order."""
    order = parse_order(value)
    if order is None:
        raise ApiSchemaError("malformed response: the server did not send an order")
    return order
