"""What the detail pane says about an order, as Rich ``Text`` built through the display boundary.

Pure functions of an :class:`Order` (no Textual), so the wording is testable on its own and
the pane only places the results. Every API string passes through
:func:`artistree_tui.display.safe` / :func:`~artistree_tui.display.clean`; plain strings here
are our own labels.
"""

from __future__ import annotations

from datetime import UTC, datetime

from rich.text import Text

from artistree_tui.api.models import Analysis, Annotation, Order
from artistree_tui.display import BLOCK_LIMIT, clean, join, safe
from artistree_tui.ui.states import state_label

DASH = "—"
LABEL_STYLE = "bold"
MUTED = "dim"
#: Width of the label column of the field list.
LABEL_WIDTH = 12


def format_time(value: datetime | None) -> str:
    """A compact local time ("2024-05-01 14:03"), or a dash when absent."""
    if value is None:
        return DASH
    return value.astimezone().strftime("%Y-%m-%d %H:%M")


def format_epoch(seconds: int | None) -> str:
    """Unix seconds (``asset_last_modified_timestamp``) as local time."""
    if seconds is None:
        return DASH
    try:
        return format_time(datetime.fromtimestamp(seconds, tz=UTC))
    except (OverflowError, OSError, ValueError):
        return clean(seconds)


def format_ratio(value: float | None) -> str:
    """A 0-1 value as a percentage; values above 1 are taken as already in percent."""
    if value is None:
        return DASH
    percent = value * 100 if 0 <= value <= 1 else value
    return f"{percent:.1f}".rstrip("0").rstrip(".") + "%"


def remediation_words(value: float | None) -> str:
    """The contract's remediation codes in words; any other value is shown as it is."""
    if value is None:
        return DASH
    words = {0.0: "not set", 0.5: "not recommended", 1.0: "recommended"}.get(float(value))
    return words if words else f"{value:g}"


def yes_no(value: bool | None) -> str:
    return DASH if value is None else ("yes" if value else "no")


def state_text(state: str) -> Text:
    """The state as symbol + words, styled: readable with or without colour."""
    label = state_label(state)
    return join(Text(f"{label.symbol} ", style=label.style), safe(state or DASH, style=label.style))


def header(order: Order) -> Text:
    """The pane's first line: state and title."""
    return join(state_text(order.order_state), "  ", safe(order.order_title or DASH, style="bold"))


def _field(label: str, value: Text | str) -> Text:
    line = Text(f"{label:<{LABEL_WIDTH}}", style=LABEL_STYLE)
    line.append(value)
    return line


def fields(order: Order, *, role: str | None = None) -> Text:
    """The order's scalar fields, one "label value" line each."""
    project = order.project
    project_text = safe(order.project_name)
    shown_role = (project.user_role if project else None) or role
    if shown_role:
        project_text = join(project_text, Text(" · role ", style=MUTED), safe(shown_role))
    user = safe(order.username or DASH)
    if order.email:
        user = join(user, " <", safe(order.email), ">")
    if order.reviewed_by or order.review_timestamp:
        reviewed = join(
            safe(order.reviewed_by or DASH),
            Text(" at ", style=MUTED),
            format_time(order.review_timestamp),
        )
    else:
        reviewed = Text("not reviewed", style=MUTED)
    tags = join(*(safe(tag, limit=60) for tag in order.tags), separator=", ")
    lines = [
        _field("State", state_text(order.order_state)),
        _field("Order id", safe(order.order_id)),
        _field("Asset", safe(order.asset_name or DASH)),
        _field("Asset id", safe(order.asset_id or DASH)),
        _field("Modified", format_epoch(order.asset_last_modified)),
        _field("Ordered by", safe(order.ordered_by or DASH)),
        _field("User", user),
        _field("Created", format_time(order.creation_time)),
        _field("Project", project_text),
        _field("Confidence", format_ratio(order.confidence)),
        _field("Remediation", remediation_words(order.remediation)),
        _field("Reviewed", reviewed),
        _field("Tags", tags if order.tags else Text(DASH, style=MUTED)),
    ]
    return Text("\n").join(lines)


def analysis_result(analysis: Analysis) -> Text:
    """Pass/fail with a mark and a word, so colour is never the only signal."""
    if analysis.passed is True:
        return Text("✓ pass", style="green")
    if analysis.passed is False:
        return Text("✗ fail", style="bold red")
    return Text("? unknown", style=MUTED)


def analysis_rows(order: Order) -> list[tuple[Text, Text]]:
    return [(safe(a.analysis_type or DASH), analysis_result(a)) for a in order.analyses]


def failed_items(order: Order) -> Text:
    if not order.failed_items:
        return Text("none", style=MUTED)
    return join(*(safe(item, limit=120) for item in order.failed_items), separator="\n")


def _num(value: float | None) -> str:
    # Pixel coordinates: one decimal is plenty, and keeps the column narrow.
    return DASH if value is None else f"{round(value, 1):g}"


def geometry_text(annotation: Annotation) -> str:
    """x, y, w, h for rectangles; point count and bounds for polygons; bounds otherwise."""
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


def body_text(annotation: Annotation) -> Text:
    """The annotation's body values on one line, bounded (bodies may be huge)."""
    values = [b.value for b in annotation.bodies if b.value]
    if not values:
        return Text(DASH, style=MUTED)
    return safe(" | ".join(v[:BLOCK_LIMIT] for v in values), limit=200)


def short_id(value: str) -> str:
    """The first 8 characters of a long id (a UUID's first group): enough to tell rows apart;
    the full id is shown under the table for the highlighted annotation."""
    return value[:8] + "…" if len(value) > 12 else (value or DASH)


def annotation_rows(order: Order) -> list[tuple[Text, ...]]:
    """One row per annotation: id, selector type, geometry, likelihood, remediation, bodies."""
    rows: list[tuple[Text, ...]] = []
    for annotation in order.annotations:
        remediation = annotation.needs_remediation
        rows.append(
            (
                safe(short_id(annotation.id), limit=40),
                safe(annotation.selector_type or DASH, limit=20),
                Text(geometry_text(annotation)),
                Text(format_ratio(annotation.likelihood_ratio)),
                Text(yes_no(remediation), style="bold yellow" if remediation else ""),
                body_text(annotation),
            )
        )
    return rows


def annotation_detail(annotation: Annotation) -> Text:
    """The highlighted annotation's bodies in full (multi-line, bounded)."""
    values = [b.value for b in annotation.bodies if b.value]
    title = join(
        Text("Selected: ", style=LABEL_STYLE),
        safe(annotation.id or DASH, limit=40),
        "  ",
        Text(geometry_text(annotation), style=MUTED),
    )
    if not values:
        return join(title, "\n", Text("no body", style=MUTED))
    bodies = [safe(value, limit=BLOCK_LIMIT, multiline=True) for value in values]
    return join(title, "\n", join(*bodies, separator="\n"))


ANNOTATION_COLUMNS = ("id", "type", "geometry", "AI", "remediate", "body")
ANALYSIS_COLUMNS = ("analysis", "result")


def layers(order: Order) -> Text:
    if not order.layers:
        return Text("none", style=MUTED)
    return join(*(safe(layer.name or DASH, limit=120) for layer in order.layers), separator="\n")
