"""Unit tests of how one order of the index becomes one line of the list (columns, cells,
safety, ``…`` for what only a full order carries, removed orders)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from rich.cells import cell_len
from rich.style import Style

from artistree_tui.api.models import KNOWN_STATES
from artistree_tui.store import Row
from artistree_tui.ui.orders import rows as order_rows
from artistree_tui.ui.states import state_label

STYLES = order_rows.RowStyles(
    base=Style(),
    header=Style(bold=True),
    cursor=Style(reverse=True),
    muted=Style(dim=True),
    loading=Style(italic=True),
    error=Style(color="red"),
)
NOW = datetime(2026, 6, 15, 12, 0, tzinfo=UTC).astimezone()


def row(**fields: object) -> Row:
    """An index row: a full one unless ``full=False``."""
    values: dict[str, object] = {
        "order_id": "id-1",
        "order_title": "Title",
        "creation_time": NOW,
        "order_state": "Reviewed",
        "asset_preview_url": None,
        "project_name": "P",
        "analyses": (),
        "tags": (),
        "confidence": None,
        "asset_name": "asset.png",
        "username": "ann",
        "email": "ann@example.test",
        "ordered_by": "Ann",
        "project_id": "p1",
        "full": True,
        "first_seen": 1.0,
        "last_seen": 1.0,
        "changed_at": None,
        "gone": None,
    }
    values.update(fields)
    return Row(**values)  # type: ignore[arg-type]


def keys(width: int) -> list[str]:
    return [column.key for column in order_rows.layout(width)]


@pytest.mark.parametrize("width", [40, 54, 57, 69, 72, 84, 89, 90, 92, 102, 160, 250])
def test_layout_fills_the_width_exactly(width: int) -> None:
    columns = order_rows.layout(width)
    used = order_rows.GUTTER + sum(c.width for c in columns) + len(columns) - 1
    assert used == width
    assert all(column.width > 0 for column in columns)


def test_columns_degrade_tags_first_then_ordered_by_then_asset() -> None:
    every = ["state", "title", "asset", "ordered_by", "created", "confidence", "tags"]
    # The list's width at 120 columns (stacked) is 92 cells, at 180 (beside the detail) 90.
    assert keys(90) == keys(92) == keys(200) == every
    assert keys(89) == keys(84) == [k for k in every if k != "tags"]
    assert keys(83) == keys(69) == ["state", "title", "asset", "created", "confidence"]
    assert keys(68) == keys(57) == ["state", "title", "created", "confidence"]  # 80×24: 57
    assert keys(53) == ["state", "title"]


@pytest.mark.parametrize("width", [54, 57, 69, 84, 90, 100])
def test_the_title_stays_readable_where_each_layout_starts(width: int) -> None:
    title = next(c for c in order_rows.layout(width) if c.key == "title")
    assert title.width >= 20
    # The widest value of each fixed column fits without a cut.
    widths = {c.key: c.width for c in order_rows.layout(width)}
    assert widths["state"] >= max(cell_len(order_rows.state_cell(s)[0]) for s in KNOWN_STATES)
    assert widths["created"] >= len("Nov 27 14:02") and widths["confidence"] >= len("100%")


@pytest.mark.parametrize(
    ("text", "width", "expected"),
    [("abc", 5, "abc  "), ("abcdef", 4, "abc…"), ("日本語テキスト", 6, "日本… ")],
)
def test_fit_cuts_and_pads_by_cells(text: str, width: int, expected: str) -> None:
    assert order_rows.fit(text, width) == expected
    assert cell_len(order_rows.fit(text, width)) == width


def test_created_is_compact_local_time() -> None:
    local_now = NOW
    today = local_now.replace(hour=9, minute=5)
    assert order_rows.format_created(today, local_now) == "09:05"
    earlier = local_now - timedelta(days=40)
    expected = f"{earlier:%b} {earlier.day:2d} {earlier:%H:%M}"
    assert order_rows.format_created(earlier, local_now) == expected
    assert order_rows.format_created(datetime(2024, 11, 27, 8, tzinfo=UTC), local_now) == (
        datetime(2024, 11, 27, 8, tzinfo=UTC).astimezone().strftime("%Y-%m-%d")
    )
    assert order_rows.format_created(None, local_now) == ""


@pytest.mark.parametrize(
    ("value", "text"), [(0.934, "93%"), (1.0, "100%"), (87.0, "87%"), (None, "—"), (-1, "—")]
)
def test_confidence_as_percent(value: float | None, text: str) -> None:
    assert order_rows.format_confidence(value) == text


@pytest.mark.parametrize(
    ("state", "text"),
    [
        ("In Progress", "—"),  # not analysed yet: its 0 is a placeholder, not a score
        ("Unsupported File", "—"),
        ("Failed", "0%"),  # analysed: 0% is a real score
        ("Human Certified", "0%"),
    ],
)
def test_confidence_is_a_dash_where_the_state_has_no_score(state: str, text: str) -> None:
    assert order_rows.format_confidence(0.0, state) == text


def test_every_known_state_has_symbol_and_word_and_unknown_shows_raw_text_cleaned() -> None:
    for state in KNOWN_STATES:
        text, style = order_rows.state_cell(state)
        label = state_label(state)
        assert text == f"{label.symbol} {label.word}" and style == label.style
    text, _ = order_rows.state_cell("Queued\x1b[2J[bold]x")
    assert text.startswith("? Queued") and "\x1b" not in text and "[bold]x" in text


def test_order_line_is_literal_safe_and_exactly_wide() -> None:
    order = row(
        order_title="[@click=app.quit]Title\x1b]52;c;aGk=\x07",
        asset_name="\u202eevil.png",
        confidence=0.5,
        tags=("a", "b\x9b"),
    )
    columns = order_rows.layout(200)
    strip = order_rows.order_strip(order, columns, 200, STYLES, now=NOW)
    assert strip.cell_length == 200
    assert strip.text.isprintable()
    assert "[@click=app.quit]Title" in strip.text  # shown as text, never run as markup
    assert "50%" in strip.text and "12:00" in strip.text
    cursor = order_rows.order_strip(order, columns, 200, STYLES, now=NOW, cursor=True)
    assert cursor.text.startswith(order_rows.CURSOR_MARK)
    assert not strip.text.startswith(order_rows.CURSOR_MARK)


def test_what_only_a_full_order_carries_is_an_ellipsis_until_known() -> None:
    columns = order_rows.layout(200)
    preview = row(full=False, asset_name=None, ordered_by=None, username=None, confidence=None)
    text = order_rows.order_strip(preview, columns, 200, STYLES, now=NOW).text
    cells = {
        c.key: text[start : start + c.width]
        for c, start in zip(columns, _starts(columns), strict=True)
    }
    assert cells["asset"].strip() == cells["ordered_by"].strip() == "…"
    assert cells["confidence"].strip() == "…"  # unknown: not "—" (no score)
    full = order_rows.order_strip(row(confidence=None), columns, 200, STYLES, now=NOW).text
    assert "asset.png" in full and "Ann" in full and "—" in full


def test_a_removed_order_says_so_in_words() -> None:
    columns = order_rows.layout(90)
    text = order_rows.order_strip(row(gone=5.0), columns, 90, STYLES, now=NOW).text
    assert "⊖ removed" in text and "Title" in text
    assert "reviewed" not in text


def _starts(columns: tuple[order_rows.Column, ...]) -> list[int]:
    starts, at = [], order_rows.GUTTER
    for column in columns:
        starts.append(at)
        at += column.width + 1
    return starts


def test_header_and_placeholder_lines() -> None:
    header = order_rows.header_strip(order_rows.layout(90), 90, STYLES)
    assert header.cell_length == 90 and "Title" in header.text and "Tags" in header.text
    loading = order_rows.empty_strip(90, STYLES, "loading…")
    assert loading.cell_length == 90 and loading.text.startswith("  loading…")
    failed = order_rows.message_strip("index failed", 90, STYLES, STYLES.error, cursor=True)
    assert failed.text.startswith("› index failed") and failed.cell_length == 90
