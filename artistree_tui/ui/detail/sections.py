"""What the detail pane says about an order, as Rich ``Text`` built through the display boundary.

Pure functions of an :class:`Order` (no Textual), so the wording is testable on its own and
the pane only places the results. Every API string passes through
:func:`artistree_tui.display.safe` / :func:`~artistree_tui.display.clean`; plain strings here
are our own labels.

Given the pane's width, sections are wrapped here — a long value continues *under the value
column* (a hanging indent), never back at the left edge — and returned as blocks that never
wrap again (:func:`block`), so a section's height is its number of lines: the pane can tell
whether a new order changes any height without asking Textual for a layout.
"""

from __future__ import annotations

import io
from datetime import UTC, datetime

from rich.console import Console
from rich.text import Text

from artistree_tui.api.models import Analysis, Order, OrderState
from artistree_tui.confidence import NO_SCORE, confidence_text
from artistree_tui.display import clean, join, safe
from artistree_tui.ui.states import state_label

DASH = "—"
LABEL_STYLE = "bold"
MUTED = "dim"
#: Width of the label column of the field list.
LABEL_WIDTH = 15
#: Below this many cells for the value, a field puts its value under its label instead.
MIN_VALUE_WIDTH = 16


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


def verdict(order: Order) -> Text:
    """The verdict in one line: state, confidence and remediation (each in words, so it reads
    without colour): ``✗ Failed · confidence 84% · remediation recommended``."""
    score = confidence(order)
    line = join(
        state_text(order.order_state),
        Text(" · ", style=MUTED),
        Text("confidence ", style=MUTED),
        Text(score, style=MUTED) if score == NO_SCORE else Text(score, style="bold"),
        Text(" · ", style=MUTED),
        Text("remediation ", style=MUTED),
        remediation_words(order.remediation),
    )
    return line


#: A detail pane narrower than this has a two-line header (:func:`header_lines`).
HEADER_ONE_LINE = 90


def header_lines(width: int | None) -> int:
    """How many lines the header takes at ``width``: one, or two when the verdict (up to ~60
    cells) would leave the title no room. It depends on the width alone, so moving from
    order to order never changes the pane's layout."""
    return 2 if width is not None and width < HEADER_ONE_LINE else 1


def header(order: Order, width: int | None = None) -> Text:
    """The pane's fixed header: the verdict, then the title, on one line or, in a narrow
    pane, on two (:func:`header_lines`); each line cut with an ellipsis to ``width`` (the
    metadata has the title whole)."""
    title = safe(order.order_title or DASH, style="bold")
    lines = (
        [verdict(order), title]
        if header_lines(width) == 2
        else [join(verdict(order), "   ", title)]
    )
    for line in lines:
        line.no_wrap = True
        line.overflow = "ellipsis"
        if width is not None:
            line.truncate(max(1, width), overflow="ellipsis")
    return Text("\n").join(lines)


def _console() -> Console:
    # Text.wrap needs a Console for its measurements; a silent one, made once.
    global _CONSOLE
    if _CONSOLE is None:
        _CONSOLE = Console(file=io.StringIO(), color_system=None, width=200)
    return _CONSOLE


_CONSOLE: Console | None = None


def wrap(text: Text, width: int) -> list[Text]:
    """``text`` as lines at most ``width`` cells wide: words wrapped, longer words folded,
    line feeds kept."""
    if not text.plain:
        return [text]
    return list(text.wrap(_console(), max(1, width), overflow="fold", no_wrap=False))


def field_lines(label: str, value: Text | str, width: int | None) -> list[Text]:
    """A "label value" field; a long value wraps *under the value* (hanging indent), so the
    label column stays clear. ``width`` None: one line, unwrapped."""
    head = Text(f"{label:<{LABEL_WIDTH}}", style=LABEL_STYLE)
    body = value if isinstance(value, Text) else Text(value)
    if width is None:
        return [join(head, body)]
    if width < LABEL_WIDTH + MIN_VALUE_WIDTH:  # too narrow for two columns: value below
        return [head, *wrap(body, width)]
    pieces = wrap(body, width - LABEL_WIDTH)
    indent = " " * LABEL_WIDTH
    return [join(head, pieces[0]), *(join(indent, piece) for piece in pieces[1:])]


def block(lines: list[Text]) -> Text:
    """Lines (already at most the pane's width) as one Text that never wraps again, so its
    height is its number of lines (the pane relies on it to skip relayouts)."""
    text = Text("\n").join(lines)
    text.no_wrap = True
    text.overflow = "ellipsis"
    return text


def confidence(order: Order) -> str:
    """The order's confidence, or a dash when its state has none (see artistree_tui.confidence)."""
    return confidence_text(order.order_state, order.confidence, decimals=1)


def heading(title: str) -> Text:
    """A section heading inside a text block (as the pane's own section titles look)."""
    return Text(title, style="bold underline")


# -- the verdict: analyses, failed ones first, and the failed items -------------------------


def analysis_result(analysis: Analysis) -> Text:
    """Pass/fail with a mark and a word, so colour is never the only signal."""
    if analysis.passed is True:
        return Text("✓ pass", style="green")
    if analysis.passed is False:
        return Text("✗ fail", style="bold red")
    return Text("? unknown", style=MUTED)


#: Width of the result column of the analyses ("? unknown" and a space).
RESULT_WIDTH = 10


def _result_lines(result: Text, names: list[Text], width: int | None) -> list[Text]:
    """``result`` in its column, then ``names`` joined by commas, wrapped under themselves."""
    result = result.copy()
    result.pad_right(RESULT_WIDTH - result.cell_len)
    value = join(*names, separator=", ")
    pieces = [value] if width is None else wrap(value, max(1, width - RESULT_WIDTH))
    indent = " " * RESULT_WIDTH
    return [join(result, pieces[0]), *(join(indent, piece) for piece in pieces[1:])]


def analyses_title(order: Order) -> str:
    """``Analyses · 2 of 5 failed``, ``Analyses · all 4 passed``, ``Analyses · none yet``."""
    found = order.analyses
    if not found:
        return (
            "Analyses · none yet"
            if order.order_state == OrderState.IN_PROGRESS.value
            else ("Analyses · none")
        )
    failed = sum(1 for a in found if a.passed is False)
    if failed:
        return f"Analyses · {failed} of {len(found)} failed"
    if all(a.passed is True for a in found):
        return f"Analyses · all {len(found)} passed"
    return f"Analyses · {len(found)}"


def analyses(order: Order, width: int | None = None) -> Text:
    """The analyses, failed ones first: the failed ones together on one line, then the
    unknown ones, then the passed ones (each line wrapped under its names), so the failures
    take the fewest lines and come first whatever the order the API sent them in."""
    if not order.analyses:
        still = order.order_state == OrderState.IN_PROGRESS.value
        return Text("none yet" if still else "none", style=MUTED)
    lines: list[Text] = []
    for passed in (False, None, True):
        names = [
            safe(analysis.analysis_type or DASH, limit=120)
            for analysis in order.analyses
            if analysis.passed is passed
        ]
        if names:
            result = analysis_result(Analysis("", passed))
            lines.extend(_result_lines(result, names, width))
    return block(lines)


#: The label of the failed items, and the column its values wrap under.
FAILED_ITEMS = "Failed items"


def failed_items(order: Order, width: int | None = None) -> Text:
    """``Failed items  sky, centre`` (wrapped under the values), or ``none``."""
    label = Text(f"{FAILED_ITEMS}  ", style=LABEL_STYLE)
    if not order.failed_items:
        return block([join(label, Text("none", style=MUTED))])
    value = join(*(safe(item, limit=120) for item in order.failed_items), separator=", ")
    if width is None:
        return block([join(label, value)])
    pieces = wrap(value, max(1, width - label.cell_len))
    indent = " " * label.cell_len
    return block([join(label, pieces[0]), *(join(indent, piece) for piece in pieces[1:])])


def verdict_block(order: Order, width: int | None = None) -> Text:
    """Under the header: the analyses (failed ones first) and the failed items (without
    analyses, the heading says "none yet" or "none" and that is all)."""
    if not order.analyses:
        return block([heading(analyses_title(order))])
    return block(
        [heading(analyses_title(order)), analyses(order, width), failed_items(order, width)]
    )


# -- the metadata, last --------------------------------------------------------------------


def _listing(values: list[Text]) -> Text:
    if not values:
        return Text(DASH, style=MUTED)
    return join(*values, separator=", ")


def layers(order: Order) -> Text:
    return _listing([safe(layer.name or DASH, limit=120) for layer in order.layers])


def fields(order: Order, *, role: str | None = None, width: int | None = None) -> Text:
    """The order's metadata, one "label value" line each (wrapped to ``width``): the title
    whole, ids, the asset, people, dates, project, review, tags and layers."""
    project = order.project
    project_text = safe(order.project_name)
    shown_role = (project.user_role if project else None) or role
    if shown_role:
        project_text = join(project_text, Text(" · role ", style=MUTED), safe(shown_role))
    if order.reviewed_by or order.review_timestamp:
        reviewed = join(
            safe(order.reviewed_by or DASH),
            Text(" at ", style=MUTED),
            format_time(order.review_timestamp),
        )
    else:
        reviewed = Text("not reviewed", style=MUTED)
    tags = join(*(safe(tag, limit=60) for tag in order.tags), separator=", ")
    rows: list[tuple[str, Text | str]] = [
        ("Title", safe(order.order_title or DASH)),
        ("Order id", safe(order.order_id)),
        ("Asset", safe(order.asset_name or DASH)),
        ("Asset id", safe(order.asset_id or DASH)),
        # The file's own time (asset_last_modified_timestamp), not the order's.
        ("Asset modified", format_epoch(order.asset_last_modified)),
        ("Ordered by", safe(order.ordered_by or DASH)),
        # Two fields, not "user <email>": each fits a narrow pane on one line.
        ("User", safe(order.username or DASH)),
        ("Email", safe(order.email or DASH)),
        ("Created", format_time(order.creation_time)),
        ("Project", project_text),
        ("Reviewed", reviewed),
        ("Tags", tags if order.tags else Text(DASH, style=MUTED)),
        ("Layers", layers(order)),
    ]
    lines = [heading("Order")]
    lines += [line for label, value in rows for line in field_lines(label, value, width)]
    return block(lines)
