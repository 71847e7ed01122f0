"""One order as one line of the order list: the columns that fit the width, and their text.

A line is drawn from the index's :class:`~artistree_tui.store.Row`. The columns only full
orders carry (asset, ordered by, confidence) show ``…`` until a full order has been read (the
detail pane's fetch fills them in); an order the API no longer lists is drawn as removed
(``⊖ removed`` in the state column, the rest muted), never dropped.

Every API string goes through :func:`artistree_tui.display.clean` (no markup is ever parsed here:
lines are built from Rich ``Segment`` objects, which are literal) and is cut to its column by
cell width, so a wide CJK title or a zalgo name cannot push the next column out of place.

Columns degrade with the width (the list's width, not the terminal's: see :data:`LAYOUTS`):
all seven from 90 cells (the list at a 120-column terminal, or a 200-column one beside the
detail pane); tags go first below that, then "ordered by" below 84, then the asset below 69;
at an 80×24 terminal (57 cells) state, title, created and confidence remain. A confidence
that means nothing (In Progress, Unsupported File, none sent) is a muted dash, not "0%".
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip

from artistree_tui.confidence import confidence_text, has_score
from artistree_tui.display import clean
from artistree_tui.store import Row
from artistree_tui.ui.states import UNKNOWN, state_label

#: Left margin of every line: the cursor marker, readable without colour.
GUTTER = 2
CURSOR_MARK = "›"
ELLIPSIS = "…"
#: A column only full orders carry, not known yet.
UNKNOWN_YET = "…"
#: An order the API no longer lists (a complete sweep did not find it): symbol and word.
REMOVED = "⊖ removed"
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@dataclass(frozen=True, slots=True)
class Column:
    """A column of the list: which field, its header and width in cells."""

    key: str
    title: str
    width: int
    align: str = "left"


@dataclass(frozen=True, slots=True)
class RowStyles:
    """Rich styles the widget resolves from its CSS once per theme/focus change."""

    base: Style
    header: Style
    cursor: Style
    muted: Style
    loading: Style
    error: Style

    @classmethod
    def resolve(cls, base: Style, component: Callable[[str], Style]) -> RowStyles:
        """Read the styles from the widget: ``component("order-list--cursor")`` and so on."""
        names = ("header", "cursor", "muted", "loading", "error")
        return cls(base, *(component(f"order-list--{name}") for name in names))


# (key, title, fixed width or 0 for flexible, flex weight). Fixed widths are what the values
# need: "⊘ unsupported" is 13 cells, "Nov 27 14:02" 12, "100%" 4; most user names fit in 13.
_Spec = tuple[str, str, int, int]
_STATE: _Spec = ("state", "State", 13, 0)
_TITLE: _Spec = ("title", "Title", 0, 3)
_ASSET: _Spec = ("asset", "Asset", 0, 2)
_BY: _Spec = ("ordered_by", "Ordered by", 13, 0)
_CREATED: _Spec = ("created", "Created", 12, 0)
_CONF: _Spec = ("confidence", "Conf", 4, 0)
# With tags on the line the title keeps the larger share: tags are short words.
_TITLE_T: _Spec = ("title", "Title", 0, 5)
_ASSET_T: _Spec = ("asset", "Asset", 0, 3)
_TAGS: _Spec = ("tags", "Tags", 0, 2)

#: Widest first: (minimum line width, columns). The list is 57 cells at 80×24, 72 at 100
#: columns, 92 at 120 (list above detail); beside the detail (ui/screen_layout.py) 69 at 160
#: and 90 at 200 in the balanced layout, 87 and 114 with the list wide. Each layout starts
#: where its flexible columns still get a readable share (the title about 20 cells).
LAYOUTS: tuple[tuple[int, tuple[_Spec, ...]], ...] = (
    (90, (_STATE, _TITLE_T, _ASSET_T, _BY, _CREATED, _CONF, _TAGS)),
    (84, (_STATE, _TITLE, _ASSET, _BY, _CREATED, _CONF)),
    (69, (_STATE, _TITLE, _ASSET, _CREATED, _CONF)),
    (54, (_STATE, _TITLE, _CREATED, _CONF)),
    (0, (_STATE, _TITLE)),
)


def layout(width: int) -> tuple[Column, ...]:
    """The columns for a line ``width`` cells wide (gutter included), widest layout that fits."""
    specs = next(specs for minimum, specs in LAYOUTS if width >= minimum)
    room = width - GUTTER - (len(specs) - 1)  # one space between columns
    return _distribute(specs, max(0, room - sum(spec[2] for spec in specs)))


def _distribute(specs: tuple[_Spec, ...], flex_room: int) -> tuple[Column, ...]:
    flexible = [index for index, spec in enumerate(specs) if not spec[2]]
    weights = sum(specs[index][3] for index in flexible) or 1
    widths = [spec[2] for spec in specs]
    left = flex_room
    for index in flexible[:-1]:
        widths[index] = flex_room * specs[index][3] // weights
        left -= widths[index]
    if flexible:
        widths[flexible[-1]] = left  # the last flexible column takes the rounding remainder
    return tuple(
        Column(key, title, max(0, width), "right" if key == "confidence" else "left")
        for (key, title, *_rest), width in zip(specs, widths, strict=True)
    )


def fit(text: str, width: int, align: str = "left") -> str:
    """``text`` cut or padded to exactly ``width`` cells; a cut ends with an ellipsis."""
    if width <= 0:
        return ""
    if cell_len(text) > width:
        # A cut through a wide character pads with a space: keep the ellipsis next to the text.
        cut = set_cell_size(text, width - 1).rstrip(" ")
        return set_cell_size(cut + ELLIPSIS, width)
    if align == "right":
        return " " * (width - cell_len(text)) + text
    return set_cell_size(text, width)


def format_created(value: datetime | None, now: datetime) -> str:
    """Local time, compact: ``14:02`` today, ``Nov 27 14:02`` this year, ``2025-11-27`` older."""
    if value is None:
        return ""
    local = value.astimezone()
    if local.date() == now.date():
        return f"{local:%H:%M}"
    if local.year == now.year:
        return f"{_MONTHS[local.month - 1]} {local.day:2d} {local:%H:%M}"
    return f"{local:%Y-%m-%d}"


def format_confidence(value: float | None, state: str = "") -> str:
    """``0.93`` → ``93%``; a value above 1 is read as a percentage already; a dash when the
    order has no meaningful score (none sent, In Progress, Unsupported File: see
    :mod:`artistree_tui.confidence`)."""
    return confidence_text(state, value)


def state_cell(state: str) -> tuple[str, str]:
    """(text, Rich style name) of a state: symbol and word; unknown states show their raw text."""
    label = state_label(state)
    if label is UNKNOWN:
        return f"{UNKNOWN.symbol} {clean(state, limit=40) or 'unknown'}", UNKNOWN.style
    return f"{label.symbol} {label.word}", label.style


_STYLE_CACHE: dict[str, Style] = {}


def _parsed(name: str) -> Style:
    style = _STYLE_CACHE.get(name)
    if style is None:
        style = _STYLE_CACHE[name] = Style.parse(name)
    return style


def _score_style(row: Row) -> str | None:
    # A dash for "no score" is muted, so a column of real scores reads at a glance.
    return None if has_score(row.order_state, row.confidence) else "muted"


def _cells(row: Row, now: datetime) -> dict[str, tuple[str, str | None]]:
    """Column key → (safe text, style name or None for the default)."""
    if row.gone is not None:
        state_text, state_style = REMOVED, "muted"
    else:
        state_text, state_style = state_cell(row.order_state)
    title_style = "muted" if row.gone is not None else None
    if row.full:
        asset = clean(row.asset_name or "")
        by = clean(row.ordered_by or row.username or "")
        confidence = (format_confidence(row.confidence, row.order_state), _score_style(row))
    else:
        asset = by = UNKNOWN_YET
        confidence = (UNKNOWN_YET, "muted")
    return {
        "state": (state_text, state_style),
        "title": (clean(row.order_title) or "(untitled)", title_style),
        "asset": (asset, "muted"),
        "ordered_by": (by, "muted"),
        "created": (format_created(row.creation_time, now), None),
        "confidence": confidence,
        "tags": (", ".join(clean(tag, limit=60) for tag in row.tags), "muted"),
    }


def _line(cells: Iterable[tuple[str, Style]], width: int, base: Style, marker: str) -> Strip:
    segments = [Segment(fit(marker, GUTTER), base)]
    for index, (text, style) in enumerate(cells):
        if index:
            segments.append(Segment(" ", base))
        segments.append(Segment(text, style))
    return Strip(segments).adjust_cell_length(width, base)


def order_strip(
    order: Row,
    columns: tuple[Column, ...],
    width: int,
    styles: RowStyles,
    *,
    now: datetime,
    cursor: bool = False,
) -> Strip:
    """One order's line: ``width`` cells, cursor marker and style if ``cursor``."""
    base = styles.base + styles.cursor if cursor else styles.base
    values = _cells(order, now)
    cells: list[tuple[str, Style]] = []
    for column in columns:
        text, style_name = values[column.key]
        if cursor or not style_name:
            style = base  # on the cursor's background a state colour may not read: words do
        elif style_name == "muted":
            style = base + styles.muted
        else:
            style = base + _parsed(style_name)
        cells.append((fit(text, column.width, column.align), style))
    return _line(cells, width, base, CURSOR_MARK if cursor else "")


def header_strip(columns: tuple[Column, ...], width: int, styles: RowStyles) -> Strip:
    """The column titles."""
    style = styles.base + styles.header
    cells = [(fit(column.title, column.width, column.align), style) for column in columns]
    return _line(cells, width, style, "")


def message_strip(
    text: str, width: int, styles: RowStyles, style: Style, *, cursor: bool = False
) -> Strip:
    """A placeholder line (loading, nothing to show): ``text`` is ours or already cleaned."""
    base = styles.base + styles.cursor if cursor else styles.base
    cells = [(fit(text, max(0, width - GUTTER)), base + style)]
    return _line(cells, width, base, CURSOR_MARK if cursor else "")


def empty_strip(width: int, styles: RowStyles, text: str) -> Strip:
    """The first line of a list with no rows (an empty scope, a filter matching nothing, the
    index still empty): ``text`` says which, in our words."""
    return message_strip(text, width, styles, styles.loading)
