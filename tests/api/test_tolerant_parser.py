"""Property tests of the tolerant parser: hostile JSON never escapes as anything but ApiSchemaError,
never yields NaN/inf numbers, and every row is either parsed or counted as skipped."""

from __future__ import annotations

import dataclasses
import json
import math
from datetime import datetime
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from artistree_tui.api.errors import ApiSchemaError
from artistree_tui.api.models import OrdersPage
from artistree_tui.api.parse import (
    decode_json,
    parse_order_body,
    parse_orders_page,
    parse_stats,
)

ORDER_KEYS = [
    "order_id", "username", "email", "order_state", "order_title", "asset_id", "asset_name",
    "asset_last_modified_timestamp", "ordered_by", "creation_time", "asset_preview_url",
    "analysis_list", "analysis_failed_items", "tags", "confidence", "remediation", "annotations",
    "project", "reviewed_by", "review_timestamp", "layers_info", "project_name",
]  # fmt: skip
NESTED_KEYS = [
    "analysis_type", "analysis_passed", "id", "name", "userRole", "layer_name", "layer_url",
    "bodies", "value", "annotation", "properties", "needs_remediation", "ai_likelihood",
    "target", "selector", "type", "geometry", "bounds", "minX", "minY", "maxX", "maxY",
    "x", "y", "w", "h", "points",
]  # fmt: skip
PAGE_KEYS = ["order_stats", "project_names", "next_page_token", "orders", "order_previews"]
STATS_KEYS = [
    "total_in_progress", "total_certified", "total_action_required", "total_reviewed",
    "total_failed", "total_unsupported", "total_orders",
]  # fmt: skip

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.integers().map(lambda n: n * 10**400),  # beyond float range
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12),
    st.sampled_from(
        ["NaN", "inf", "-Infinity", "RECTANGLE", "POLYGON", "2024-02-30T25:00:00", "1e400", ""]
    ),
)
keys = st.one_of(st.sampled_from(ORDER_KEYS + NESTED_KEYS + STATS_KEYS), st.text(max_size=6))
json_like = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(keys, inner, max_size=6)),
    max_leaves=12,
)
geometry_like = st.fixed_dictionaries(
    {},
    optional={
        **{k: scalars for k in ("x", "y", "w", "h")},
        "bounds": st.fixed_dictionaries(
            {}, optional={k: scalars for k in ("minX", "minY", "maxX", "maxY")}
        ),
        "points": st.lists(st.lists(scalars, max_size=3), max_size=4),
    },
)
annotation_like = st.one_of(
    json_like,
    st.fixed_dictionaries(
        {},
        optional={
            "id": scalars,
            "properties": st.fixed_dictionaries(
                {}, optional={"ai_likelihood": scalars, "needs_remediation": scalars}
            ),
            "target": st.fixed_dictionaries(
                {"selector": st.fixed_dictionaries({"type": scalars, "geometry": geometry_like})}
            ),
        },
    ),
)
order_like = st.one_of(
    json_like,
    st.fixed_dictionaries(
        {"order_id": st.one_of(st.text(max_size=8), scalars)},
        optional={
            **{k: json_like for k in ORDER_KEYS[1:]},
            "annotations": st.lists(annotation_like, max_size=3),
            "confidence": scalars,
            "remediation": scalars,
        },
    ),
)
page_like = st.fixed_dictionaries(
    {},
    optional={
        "order_stats": st.one_of(json_like, st.dictionaries(st.sampled_from(STATS_KEYS), scalars)),
        "project_names": json_like,
        "next_page_token": scalars,
        "orders": st.one_of(st.lists(order_like, max_size=6), json_like),
        "order_previews": st.one_of(st.lists(order_like, max_size=6), json_like),
    },
)


def assert_finite(value: Any, path: str = "page") -> None:
    """Walk a parsed model: every float is finite, every string is a str."""
    if isinstance(value, float):
        assert math.isfinite(value), path
    elif isinstance(value, tuple):
        for i, item in enumerate(value):
            assert_finite(item, f"{path}[{i}]")
    elif dataclasses.is_dataclass(value):
        for f in dataclasses.fields(value):
            assert_finite(getattr(value, f.name), f"{path}.{f.name}")
    else:
        assert value is None or isinstance(value, str | int | bool | datetime), (path, value)


def readable(row: Any) -> bool:
    """The spec: a row is readable iff it is an object with a usable order_id."""
    if not isinstance(row, dict):
        return False
    oid = row.get("order_id")
    if isinstance(oid, str):
        return oid != ""
    if isinstance(oid, int | float) and not isinstance(oid, bool):
        try:
            return math.isfinite(oid)
        except OverflowError:
            return False
    return False


def rows_field(value: Any) -> tuple[int, int]:
    """(readable rows, rows to count as skipped) for one rows field of a page: a present
    field that is not a list counts as one unreadable row."""
    if isinstance(value, list):
        good = sum(readable(r) for r in value)
        return good, len(value) - good
    return 0, 0 if value is None else 1


@settings(max_examples=80, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(page_like)
def test_page_shaped_values_parse_and_skipped_rows_are_counted(raw: dict[str, Any]) -> None:
    if not raw:  # nothing page-like at all is the one legitimate schema error
        try:
            parse_orders_page(raw)
        except ApiSchemaError:
            return
        raise AssertionError("an empty object is not an orders page")
    page = parse_orders_page(raw)
    assert isinstance(page, OrdersPage)
    assert_finite(page)
    orders_good, orders_skip = rows_field(raw.get("orders"))
    previews_good, previews_skip = rows_field(raw.get("order_previews"))
    assert len(page.orders) == orders_good
    assert len(page.previews) == previews_good
    assert page.skipped == orders_skip + previews_skip
    assert page.next_page_token is None or isinstance(page.next_page_token, str)
    assert all(isinstance(name, str) and name for name in page.project_names)
    assert all(n >= 0 for n in dataclasses.astuple(page.stats))


@settings(max_examples=150, deadline=None)
@given(json_like)
def test_any_json_value_is_a_page_or_an_api_schema_error(raw: Any) -> None:
    try:
        page = parse_orders_page(raw)
    except ApiSchemaError as err:
        assert str(err).startswith("malformed response")
        return
    assert_finite(page)


@settings(max_examples=80, deadline=None)
@given(order_like)
def test_any_order_body_is_an_order_or_an_api_schema_error(raw: Any) -> None:
    try:
        order = parse_order_body(raw)
    except ApiSchemaError:
        assert not readable(raw)
        return
    assert readable(raw)
    assert_finite(order)
    for annotation in order.annotations:
        ratio = annotation.likelihood_ratio
        assert ratio is None or 0.0 <= ratio <= 1.0
        bounds = annotation.region_bounds
        if bounds is not None:
            assert_finite(bounds)


@settings(max_examples=300)
@given(st.one_of(st.binary(max_size=200), st.text(max_size=200)))
def test_arbitrary_bytes_decode_or_raise_api_schema_error(body: bytes | str) -> None:
    try:
        value = decode_json(body)
    except ApiSchemaError:
        return
    try:
        page = parse_orders_page(value)
    except ApiSchemaError:
        return
    assert_finite(page)


@settings(max_examples=50, deadline=None)
@given(page_like)
def test_wire_round_trip_with_nan_and_infinity_literals(raw: dict[str, Any]) -> None:
    # json.dumps writes NaN/Infinity literals, which hostile servers can send too.
    body = json.dumps(raw, default=str)
    try:
        page = parse_orders_page(decode_json(body))
    except ApiSchemaError:
        return
    assert_finite(page)


def test_nan_literals_become_absent_values() -> None:
    body = (
        b'{"order_id": "x", "confidence": NaN, "remediation": Infinity, "annotations": [{'
        b'"properties": {"ai_likelihood": NaN}, "target": {"selector": {"type": "POLYGON",'
        b'"geometry": {"bounds": {"minX": -Infinity, "minY": 0, "maxX": 1, "maxY": 1},'
        b'"points": [[NaN, 1], [2, 3], [4, Infinity], [5, 6]]}}}}]}'
    )
    order = parse_order_body(decode_json(body))
    assert order.confidence is None and order.remediation is None
    (annotation,) = order.annotations
    assert annotation.ai_likelihood is None and annotation.geometry.bounds is None
    assert annotation.geometry.points == ((2.0, 3.0), (5.0, 6.0))
    assert_finite(annotation.region_bounds)


def test_counts_are_readable_only_when_every_one_is_a_count() -> None:
    good = {
        "total_in_progress": 1,
        "total_certified": 2.0,
        "total_action_required": "3",
        "total_reviewed": 0,
        "total_failed": 5,
        "total_unsupported": 6,
        "total_orders": 17,
    }
    stats = parse_stats(good)
    assert stats.readable and stats.known_total == 17 and stats.certified == 2
    for bad in (float("nan"), float("inf"), -1, "many", None, True):
        unreadable = parse_stats({**good, "total_orders": bad})
        assert not unreadable.readable and unreadable.known_total is None, bad
        assert unreadable.total == 0 and unreadable.in_progress == 1  # zeros, never the NaN
    assert not parse_stats({**good, "total_certified": float("nan")}).readable
    assert not parse_stats(None).readable and not parse_stats([1, 2]).readable
