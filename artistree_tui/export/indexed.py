"""An order of the local index (:class:`artistree_tui.store.Row`) as a record with the API's
field names, like :func:`.records.record` does for the API's own answers.

A row always carries the preview fields; the full-only fields it keeps (``confidence``,
``asset_name``, ``username``, ``email``, ``ordered_by``, the project's id) are None until the
index has seen a full answer for that order. The other fields of a full order
(``annotations``, ``remediation``, ``layers_info``...) are not in the row: they come from the
full order the index kept (``order``, see :func:`needs_order`), else they are None.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from artistree_tui.api.models import Order
from artistree_tui.export.records import NOT_READ, PREVIEW_FIELDS, Record, record, with_state

if TYPE_CHECKING:
    from artistree_tui.store.rows import Row


def _project(row: Row) -> dict[str, Any] | None:
    if row.project_id is None:
        return None
    return {"id": row.project_id, "name": row.project_name, "userRole": None}


_ROW: dict[str, Callable[[Row], Any]] = {
    "order_id": lambda r: r.order_id,
    "order_title": lambda r: r.order_title,
    "creation_time": lambda r: r.creation_time,
    "order_state": lambda r: r.order_state,
    "asset_preview_url": lambda r: r.asset_preview_url,
    "project_name": lambda r: r.project_name,
    "analysis_list": lambda r: [
        {"analysis_type": a.analysis_type, "analysis_passed": a.passed} for a in r.analyses
    ],
    "tags": lambda r: list(r.tags),
    "confidence": lambda r: r.confidence,
    "asset_name": lambda r: r.asset_name,
    "username": lambda r: r.username,
    "email": lambda r: r.email,
    "ordered_by": lambda r: r.ordered_by,
    "project": _project,
}
#: The fields an index row answers by itself.
ROW_FIELDS: tuple[str, ...] = tuple(_ROW)
#: What the console's export writes: what a reviewer reads in the list and the detail's
#: head, without the presigned preview link (it expires within the hour).
VIEW_FIELDS: tuple[str, ...] = (
    "order_id",
    "order_state",
    "order_title",
    "creation_time",
    "project_name",
    "asset_name",
    "ordered_by",
    "username",
    "email",
    "confidence",
    "tags",
    "analysis_list",
)


def needs_order(fields: Iterable[str]) -> bool:
    """True when some of ``fields`` is only in a full order, not in an index row."""
    return any(name not in _ROW for name in fields)


def index_record(row: Row, fields: Iterable[str], order: Order | None = None) -> Record:
    """``row`` as a record of ``fields``. A field the row lacks comes from ``order`` (the
    full order the index kept for it; pass it only while ``row.full``: an order whose state
    changed since has stale details), else it is None. An order the index never read in full
    is marked :data:`~.records.NOT_READ` (its full-only fields are not known yet)."""
    fields = with_state(fields)  # a table reads the confidence by it
    full = record(order, fields) if order is not None else None
    values: Record = {}
    for name in fields:
        if full is not None and (name not in _ROW or name == "project"):
            values[name] = full[name]  # the full order's project carries the user's role
        elif name in _ROW:
            values[name] = _ROW[name](row)
        else:
            values[name] = None
    if not row.full and order is None and any(name not in PREVIEW_FIELDS for name in fields):
        values[NOT_READ] = True
    return values
