"""What the detail pane says about annotations: the table's columns and cells, and the block
about the selected annotation.

The table must fit the pane (no horizontal scrolling to reach the likelihood): every column
but the body has a fixed width sized for its values — a short id, the selector type (with the
point count of a polygon), the region as ``x,y w×h`` in whole pixels, the likelihood as a
percentage, remediation as ``✓``/``–`` — and the body takes what is left, cut with an
ellipsis. Below the table, the selected annotation is shown whole: full id, exact geometry
(a polygon's points too, bounded), likelihood, remediation and every body.

Pure functions (no Textual); every API string passes through :mod:`artistree_tui.display`.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text

from artistree_tui.api.models import Annotation, Order
from artistree_tui.confidence import percent
from artistree_tui.display import BLOCK_LIMIT, clean, safe
from artistree_tui.ui.detail.sections import (
    DASH,
    MUTED,
    block,
    field_lines,
    format_ratio,
    yes_no,
)

#: A polygon's points listed in the selected block, at most (a polygon may have thousands).
MAX_POINTS = 24
#: The body column gets at least this many cells; below that the type column goes first.
MIN_BODY_WIDTH = 10


@dataclass(frozen=True, slots=True)
class AnnotationColumn:
    """A column of the annotations table: key, header and width in cells (a trailing space
    included: the table has no cell padding, so the columns fill the pane exactly)."""

    key: str
    title: str
    width: int


# (key, title, width incl. one space). "poly 12" is 7 cells, "1024,768 512×384" 15 (a
# wider region is cut: the selected block has it whole).
_FIXED = (
    ("id", "id", 10),
    ("type", "type", 8),
    ("region", "region", 16),
    ("ai", "AI", 5),
    ("fix", "fix", 4),
)


def annotation_columns(width: int) -> tuple[AnnotationColumn, ...]:
    """The table's columns for ``width`` cells: all fixed columns and the body with the rest;
    if the body would get less than :data:`MIN_BODY_WIDTH`, the type column goes."""
    fixed = list(_FIXED)
    if width - sum(spec[2] for spec in fixed) < MIN_BODY_WIDTH:
        fixed = [spec for spec in fixed if spec[0] != "type"]
    body = max(MIN_BODY_WIDTH, width - sum(spec[2] for spec in fixed))
    return (*(AnnotationColumn(*spec) for spec in fixed), AnnotationColumn("body", "body", body))


def _num(value: float | None) -> str:
    # Pixel coordinates: one decimal is plenty for the exact view.
    return DASH if value is None else f"{round(value, 1):g}"


def _px(value: float) -> str:
    return f"{round(value)}"


def type_text(annotation: Annotation) -> str:
    """``rect``, ``poly N`` (N points), or the raw selector type, short."""
    if annotation.is_rectangle:
        return "rect"
    if annotation.is_polygon:
        return f"poly {len(annotation.geometry.points)}" if annotation.geometry.points else "poly"
    return clean(annotation.selector_type, limit=7).lower() or DASH


def region_text(annotation: Annotation) -> str:
    """The region's box in whole pixels: ``x,y w×h`` (a polygon's bounding box)."""
    bounds = annotation.region_bounds
    if bounds is None:
        return DASH
    return f"{_px(bounds.min_x)},{_px(bounds.min_y)} {_px(bounds.width)}×{_px(bounds.height)}"


def geometry_text(annotation: Annotation) -> str:
    """Exact geometry: x, y, w, h for rectangles; point count and bounds for polygons."""
    g = annotation.geometry
    if annotation.is_rectangle and None not in (g.x, g.y, g.w, g.h):
        return f"x {_num(g.x)} y {_num(g.y)} w {_num(g.w)} h {_num(g.h)}"
    bounds = annotation.region_bounds
    box = (
        f"{_num(bounds.min_x)},{_num(bounds.min_y)}–{_num(bounds.max_x)},{_num(bounds.max_y)}"
        if bounds
        else DASH
    )
    if g.points:
        return f"{len(g.points)} pts in {box}"
    return box


def points_text(annotation: Annotation, limit: int = MAX_POINTS) -> Text:
    """A polygon's points, ``x,y`` each, at most ``limit`` of them and then "+N more"."""
    points = annotation.geometry.points
    shown = "  ".join(f"{_num(x)},{_num(y)}" for x, y in points[:limit])
    text = Text(shown)
    if len(points) > limit:
        text.append(f"  +{len(points) - limit} more", style=MUTED)
    return text


def likelihood_text(annotation: Annotation, *, decimals: int = 0) -> str:
    ratio = annotation.likelihood_ratio
    return DASH if ratio is None else percent(ratio, decimals=decimals)


def remediation_mark(annotation: Annotation) -> Text:
    """``✓`` needs remediation, ``–`` does not, ``?`` unknown (a mark, not colour alone)."""
    if annotation.needs_remediation is True:
        return Text("✓", style="bold yellow")
    if annotation.needs_remediation is False:
        return Text("–", style=MUTED)
    return Text("?", style=MUTED)


def _bodies(annotation: Annotation) -> list[str]:
    return [body.value for body in annotation.bodies if body.value]


def body_cell(annotation: Annotation, width: int) -> Text:
    """The bodies on one line, cut to ``width`` cells (the selected block shows them all)."""
    values = _bodies(annotation)
    if not values:
        return Text(DASH, style=MUTED)
    text = safe(" | ".join(value[:BLOCK_LIMIT] for value in values), limit=400)
    text.truncate(max(1, width), overflow="ellipsis")
    return text


def short_id(value: str) -> str:
    """The first 8 characters of a long id (a UUID's first group): enough to tell rows apart;
    the full id is in the selected block."""
    return value[:8] + "…" if len(value) > 12 else (value or DASH)


def annotation_rows(order: Order, columns: tuple[AnnotationColumn, ...]) -> list[tuple[Text, ...]]:
    """One row per annotation, a cell per column of ``columns``."""
    rows: list[tuple[Text, ...]] = []
    for annotation in order.annotations:
        cells: list[Text] = []
        for column in columns:
            room = column.width - 1
            if column.key == "id":
                cell = safe(short_id(annotation.id), limit=40)
            elif column.key == "type":
                cell = Text(type_text(annotation))
            elif column.key == "region":
                cell = Text(region_text(annotation))
            elif column.key == "ai":
                cell = Text(likelihood_text(annotation))
            elif column.key == "fix":
                cell = remediation_mark(annotation)
            else:
                cell = body_cell(annotation, room)
            cell.truncate(max(1, room), overflow="ellipsis")
            cells.append(cell)
        rows.append(tuple(cells))
    return rows


def annotation_detail(annotation: Annotation, width: int | None = None) -> Text:
    """Everything about one annotation: id, type, exact geometry (points, bounded),
    likelihood, remediation, every body (multi-line, bounded); wrapped to ``width``."""
    kind = safe(annotation.selector_type or DASH, limit=40)
    rows: list[tuple[str, Text | str]] = [
        ("Selected", safe(annotation.id or DASH, limit=80)),
        ("Type", kind),
        ("Geometry", geometry_text(annotation)),
    ]
    if annotation.geometry.points:
        rows.append(("Points", points_text(annotation)))
    rows += [
        ("AI", format_ratio(annotation.likelihood_ratio)),
        ("Remediate", yes_no(annotation.needs_remediation)),
    ]
    values = _bodies(annotation)
    if not values:
        rows.append(("Body", Text("none", style=MUTED)))
    for index, value in enumerate(values):
        label = "Body" if len(values) == 1 else f"Body {index + 1}"
        rows.append((label, safe(value, limit=BLOCK_LIMIT, multiline=True)))
    return block([line for label, value in rows for line in field_lines(label, value, width)])
