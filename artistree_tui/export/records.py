"""An order as a record: a dict keyed by the API's field names, values ready for JSON.

A full order (:class:`~artistree_tui.api.models.Order`) gives the fields of the API's Order
object; a preview row (:class:`~artistree_tui.api.models.OrderPreview`) those of an order
preview. ``project_name`` is a preview field that a full order can also give (its project's
name). Times stay :class:`datetime` values (the writers format them: ISO 8601 in JSON and
CSV); ``asset_last_modified_timestamp`` is Unix seconds as a string, as the API sends it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from artistree_tui.api.models import (
    Analysis,
    Annotation,
    Order,
    OrderPreview,
    OrderStats,
    Project,
)

Record = dict[str, Any]
#: A key of a record (never one of its fields, so no format writes it) that says its order was
#: never read in full: its full-only fields are None because they are not known yet (the
#: local index), not because the API has nothing there. A table shows them as
#: :data:`NOT_READ_TEXT`, as the console's list does; the data formats keep ``null``.
NOT_READ = "__not_read__"
NOT_READ_TEXT = "…"
Row = Order | OrderPreview

#: The fields of the API's Order object, in the order the API documents them.
ORDER_FIELDS: tuple[str, ...] = (
    "order_id",
    "username",
    "email",
    "order_state",
    "order_title",
    "asset_id",
    "asset_name",
    "asset_last_modified_timestamp",
    "ordered_by",
    "creation_time",
    "asset_preview_url",
    "analysis_list",
    "analysis_failed_items",
    "tags",
    "confidence",
    "remediation",
    "annotations",
    "project",
    "reviewed_by",
    "review_timestamp",
    "layers_info",
)
#: The fields of an order preview (``preview=true`` pages).
PREVIEW_FIELDS: tuple[str, ...] = (
    "order_id",
    "order_title",
    "creation_time",
    "order_state",
    "asset_preview_url",
    "project_name",
    "analysis_list",
    "tags",
)
#: A full order's record: the API's fields, and its project's name as previews name it, so
#: that a script reads ``project_name`` whichever kind of rows it was given.
FULL_FIELDS: tuple[str, ...] = (*ORDER_FIELDS, "project_name")
#: Every field a record can have.
FIELDS: tuple[str, ...] = FULL_FIELDS
#: Fields only full orders carry: asking for one means reading full pages.
FULL_ONLY: frozenset[str] = frozenset(FIELDS) - frozenset(PREVIEW_FIELDS)
#: The fields of ``order_stats``, as the API names them.
STATS_FIELDS: tuple[str, ...] = (
    "total_in_progress",
    "total_certified",
    "total_action_required",
    "total_reviewed",
    "total_failed",
    "total_unsupported",
    "total_orders",
)


class FieldError(ValueError):
    """Unknown field names; ``str()`` says which and lists the valid ones."""


def parse_fields(text: str, valid: Iterable[str] = FIELDS) -> tuple[str, ...]:
    """``"order_id, order_state"`` → ``("order_id", "order_state")``, checked against
    ``valid``; duplicates are dropped. Raises :class:`FieldError`."""
    known = tuple(valid)
    names = [part.strip() for part in text.split(",") if part.strip()]
    if not names:
        raise FieldError(f"no field names given: choose from {', '.join(known)}")
    unknown = [name for name in names if name not in known]
    if unknown:
        listed = ", ".join(repr(name[:40]) for name in unknown[:5])
        raise FieldError(f"unknown field {listed}: the fields are {', '.join(known)}")
    return tuple(dict.fromkeys(names))


def _analyses(analyses: tuple[Analysis, ...]) -> list[dict[str, Any]]:
    return [{"analysis_type": a.analysis_type, "analysis_passed": a.passed} for a in analyses]


def _project(project: Project | None) -> dict[str, Any] | None:
    if project is None:
        return None
    return {"id": project.id, "name": project.name, "userRole": project.user_role}


def _annotation(annotation: Annotation) -> dict[str, Any]:
    geometry = annotation.geometry
    bounds = geometry.bounds
    return {
        "id": annotation.id,
        "bodies": [
            {"value": body.value, "id": body.id, "annotation": body.annotation}
            for body in annotation.bodies
        ],
        "properties": {
            "needs_remediation": annotation.needs_remediation,
            "ai_likelihood": annotation.ai_likelihood,
        },
        "target": {
            "selector": {
                "type": annotation.selector_type,
                "geometry": {
                    "bounds": None
                    if bounds is None
                    else {
                        "minX": bounds.min_x,
                        "minY": bounds.min_y,
                        "maxX": bounds.max_x,
                        "maxY": bounds.max_y,
                    },
                    "x": geometry.x,
                    "y": geometry.y,
                    "w": geometry.w,
                    "h": geometry.h,
                    "points": [list(point) for point in geometry.points],
                },
            }
        },
    }


def _epoch(value: int | None) -> str | None:
    return None if value is None else str(value)


_ORDER: dict[str, Callable[[Order], Any]] = {
    "order_id": lambda o: o.order_id,
    "username": lambda o: o.username,
    "email": lambda o: o.email,
    "order_state": lambda o: o.order_state,
    "order_title": lambda o: o.order_title,
    "asset_id": lambda o: o.asset_id,
    "asset_name": lambda o: o.asset_name,
    "asset_last_modified_timestamp": lambda o: _epoch(o.asset_last_modified),
    "ordered_by": lambda o: o.ordered_by,
    "creation_time": lambda o: o.creation_time,
    "asset_preview_url": lambda o: o.asset_preview_url,
    "analysis_list": lambda o: _analyses(o.analyses),
    "analysis_failed_items": lambda o: list(o.failed_items),
    "tags": lambda o: list(o.tags),
    "confidence": lambda o: o.confidence,
    "remediation": lambda o: o.remediation,
    "annotations": lambda o: [_annotation(a) for a in o.annotations],
    "project": lambda o: _project(o.project),
    "reviewed_by": lambda o: o.reviewed_by,
    "review_timestamp": lambda o: o.review_timestamp,
    "layers_info": lambda o: [{"layer_name": la.name, "layer_url": la.url} for la in o.layers],
    "project_name": lambda o: o.project_name,
}
_PREVIEW: dict[str, Callable[[OrderPreview], Any]] = {
    "order_id": lambda p: p.order_id,
    "order_title": lambda p: p.order_title,
    "creation_time": lambda p: p.creation_time,
    "order_state": lambda p: p.order_state,
    "asset_preview_url": lambda p: p.asset_preview_url,
    "project_name": lambda p: p.project_name,
    "analysis_list": lambda p: _analyses(p.analyses),
    "tags": lambda p: list(p.tags),
}


def with_state(fields: Iterable[str]) -> list[str]:
    """``fields``, and ``order_state`` after them when ``confidence`` is among them and it is
    not: a table reads a confidence by the order's state (In Progress and Unsupported File
    have no score: "—", not the API's placeholder 0). Writers write only the fields they
    were opened with, so the state is not written unless asked for."""
    wanted = list(fields)
    if "confidence" in wanted and "order_state" not in wanted:
        wanted.append("order_state")
    return wanted


def record(row: Row, fields: Iterable[str] | None = None) -> Record:
    """``row`` as a record of ``fields`` (default: every field of its kind, in API order),
    with the state a confidence is read by (:func:`with_state`).

    A field a preview row does not carry is None (ask for full orders to have it).
    """
    if isinstance(row, Order):
        wanted = with_state(FULL_FIELDS if fields is None else fields)
        return {name: _ORDER[name](row) for name in wanted}
    wanted = with_state(PREVIEW_FIELDS if fields is None else fields)
    return {name: _PREVIEW[name](row) if name in _PREVIEW else None for name in wanted}


def stats_record(stats: OrderStats) -> Record:
    """``order_stats`` as the API names its counts."""
    return dict(
        zip(
            STATS_FIELDS,
            (
                stats.in_progress,
                stats.certified,
                stats.action_required,
                stats.reviewed,
                stats.failed,
                stats.unsupported,
                stats.total,
            ),
            strict=True,
        )
    )


def text_fields(row: Row) -> Iterable[str | None]:
    """Every text a search over ``row`` looks at, the index's (store/search.py): title, tags,
    project, analysis types, and for a full order the asset name and the people. The order id
    is matched by its start, apart."""
    yield row.order_title
    yield from row.tags
    yield row.project_name
    for analysis in row.analyses:
        yield analysis.analysis_type
    if isinstance(row, Order):
        yield row.asset_name
        yield row.username
        yield row.email
        yield row.ordered_by


def ordered(record_: Mapping[str, Any], fields: Iterable[str]) -> Record:
    """``record_`` reduced to ``fields``, in that order (missing ones are None)."""
    return {name: record_.get(name) for name in fields}
