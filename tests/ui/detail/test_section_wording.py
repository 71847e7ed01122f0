"""The detail pane's wording: remediation, geometry, pass/fail marks, hostile text kept literal."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from artistree_tui.api.models import (
    Analysis,
    Annotation,
    AnnotationBody,
    Bounds,
    Geometry,
    Order,
    Project,
)
from artistree_tui.ui.detail import annotation_text, sections


@pytest.mark.parametrize(
    ("value", "words"),
    [
        (0.0, "not set"),
        (0.5, "not recommended"),
        (1.0, "recommended"),
        (0.7, "0.7"),
        (None, sections.DASH),
    ],
)
def test_remediation_words(value: float | None, words: str) -> None:
    assert sections.remediation_words(value) == words


def test_rectangle_geometry_is_x_y_w_h() -> None:
    rect = Annotation(
        id="r", selector_type="RECTANGLE", geometry=Geometry(x=10, y=20.5, w=30, h=40)
    )
    assert annotation_text.geometry_text(rect) == "x 10 y 20.5 w 30 h 40"
    assert annotation_text.region_text(rect) == "10,20 30×40"  # compact, whole pixels
    assert annotation_text.type_text(rect) == "rect"


def test_polygon_geometry_is_point_count_and_bounds() -> None:
    poly = Annotation(
        id="p",
        selector_type="POLYGON",
        geometry=Geometry(points=((1, 2), (11, 5), (6, 22))),
    )
    assert annotation_text.geometry_text(poly) == "3 pts in 1,2–11,22"
    assert annotation_text.region_text(poly) == "1,2 10×20"
    assert annotation_text.type_text(poly) == "poly 3"


def test_geometry_falls_back_to_sent_bounds() -> None:
    odd = Annotation(selector_type="ELLIPSE", geometry=Geometry(bounds=Bounds(1, 2, 3, 4)))
    assert annotation_text.geometry_text(odd) == "1,2–3,4"
    assert annotation_text.type_text(odd) == "ellipse"


def test_analysis_result_has_a_mark_and_a_word() -> None:
    assert sections.analysis_result(Analysis("a", True)).plain == "✓ pass"
    assert sections.analysis_result(Analysis("a", False)).plain == "✗ fail"
    assert sections.analysis_result(Analysis("a", None)).plain == "? unknown"


def test_fields_render_hostile_text_literally() -> None:
    hostile = "[b]bold[/] [@click=app.quit]x[/] \x1b]52;c;AAAA\x07"
    order = Order(
        order_id="o-1",
        order_title=hostile,
        email="a@b.c",
        username=hostile,
        order_state="Failed",
        project=Project("p1", hostile, "[red]admin"),
        creation_time=datetime(2026, 3, 2, 9, 0, tzinfo=UTC),
        remediation=1.0,
        confidence=0.925,
        tags=("t1", "[i]t2"),
    )
    text = sections.fields(order).plain
    assert "[b]bold[/]" in text and "[@click=app.quit]" in text
    assert "\x1b" not in text and "\x07" not in text
    assert "[red]admin" in text
    assert "[i]t2" in text
    header = sections.header(order).plain
    assert header.startswith("✗ Failed · confidence 92.5% · remediation recommended")
    assert header.endswith("   [b]bold[/] [@click=app.quit]x[/] ␛]52;c;AAAA␇")


def test_annotation_rows_have_every_column() -> None:
    order = Order(
        order_id="o-2",
        annotations=(
            Annotation(
                id="a1",
                selector_type="RECTANGLE",
                geometry=Geometry(x=1, y=2, w=3, h=4),
                bodies=(AnnotationBody(value="hand"), AnnotationBody(value="[b]x")),
                ai_likelihood=87,
                needs_remediation=True,
            ),
        ),
    )
    columns = annotation_text.annotation_columns(60)
    (row,) = annotation_text.annotation_rows(order, columns)
    assert [c.key for c in columns] == ["id", "type", "region", "ai", "fix", "body"]
    assert [cell.plain for cell in row] == ["a1", "rect", "1,2 3×4", "87%", "✓", "hand | [b]x"]


@pytest.mark.parametrize("width", [30, 45, 56, 80, 120])
def test_annotation_columns_fill_the_width_exactly(width: int) -> None:
    """No horizontal scrolling: likelihood and remediation always fit; the body takes the
    rest (the type column goes first when the body would get too little)."""
    columns = annotation_text.annotation_columns(width)
    keys = [c.key for c in columns]
    assert {"id", "region", "ai", "fix", "body"} <= set(keys)
    body = columns[-1]
    assert body.key == "body" and body.width >= annotation_text.MIN_BODY_WIDTH
    if width >= 45 + annotation_text.MIN_BODY_WIDTH:
        assert sum(c.width for c in columns) == width and "type" in keys


def test_a_long_body_is_cut_to_its_column_and_shown_whole_when_selected() -> None:
    long_body = "Fine detail " * 40 + "[@click=app.quit]end"
    annotation = Annotation(
        id="3f6c2a1e-0000-4000-8000-000000000000",
        selector_type="POLYGON",
        geometry=Geometry(points=tuple((float(i), float(i * 2)) for i in range(40))),
        bodies=(AnnotationBody(value=long_body), AnnotationBody(value="second\nline")),
        ai_likelihood=0.456,
        needs_remediation=False,
    )
    columns = annotation_text.annotation_columns(56)
    (row,) = annotation_text.annotation_rows(Order("o", annotations=(annotation,)), columns)
    assert all(cell.cell_len < column.width for cell, column in zip(row, columns, strict=True))
    assert row[-1].plain.endswith("…") and row[3].plain == "46%" and row[4].plain == "–"
    detail = annotation_text.annotation_detail(annotation, 56)
    lines = detail.plain.split("\n")
    assert all(len(line) <= 56 for line in lines)
    text = detail.plain.replace("\n", " ")
    assert annotation.id in text and "POLYGON" in text and "45.6%" in text
    assert "[@click=app.quit]end" in text  # the whole body, literally
    assert "second" in text and "line" in text
    assert "0,0  1,2  2,4" in text and "+16 more" in text  # points listed, bounded
    # Continuation lines are indented under the values, never back to the left edge.
    assert all(line.startswith(" " * sections.LABEL_WIDTH) or line[:1].strip() for line in lines)


def test_fields_wrap_under_their_values_and_keep_labels_plain() -> None:
    order = Order(order_id="o-3", order_title="A very long title " * 6, order_state="Reviewed")
    text = sections.fields(order, width=40)
    lines = text.plain.split("\n")
    assert all(len(line) <= 40 for line in lines)
    title_lines = [line for line in lines if "very" in line]
    assert len(title_lines) > 1 and title_lines[1].startswith(" " * sections.LABEL_WIDTH)
    # Only the labels are bold, not the values after them.
    bold = {text.plain[span.start : span.end] for span in text.spans if "bold" in str(span.style)}
    assert f"{'Title':<{sections.LABEL_WIDTH}}" in bold and not any("very" in b for b in bold)


@pytest.mark.parametrize(
    ("state", "confidence", "shown"),
    [
        ("In Progress", 0.0, "—"),
        ("Unsupported File", 0.0, "—"),
        ("Reviewed", None, "—"),
        ("Reviewed", 0.0, "0%"),
        ("Action Required", 0.565, "56.5%"),
    ],
)
def test_confidence_field_is_a_dash_without_a_score(
    state: str, confidence: float | None, shown: str
) -> None:
    order = Order(order_id="o-4", order_state=state, confidence=confidence)
    verdict = sections.verdict(order).plain
    assert verdict.split(" · ")[1] == f"confidence {shown}"


def test_analyses_put_the_failed_ones_first_and_in_progress_says_none_yet() -> None:
    order = Order(
        order_id="o-5",
        order_state="Failed",
        analyses=(
            Analysis("style_consistency", True),
            Analysis("anatomy", False),
            Analysis("c2pa", None),
            Analysis("metadata", True),
            Analysis("gan_fingerprint", False),
        ),
        failed_items=("sky", "centre"),
    )
    assert sections.analyses(order).plain.split("\n") == [
        "✗ fail    anatomy, gan_fingerprint",
        "? unknown c2pa",
        "✓ pass    style_consistency, metadata",
    ]
    assert sections.verdict_block(order).plain.split("\n") == [
        "Analyses · 2 of 5 failed",
        "✗ fail    anatomy, gan_fingerprint",
        "? unknown c2pa",
        "✓ pass    style_consistency, metadata",
        "Failed items  sky, centre",
    ]
    assert sections.analyses(Order(order_id="o", order_state="In Progress")).plain == "none yet"
    assert sections.analyses_title(Order(order_id="o", order_state="In Progress")) == (
        "Analyses · none yet"
    )


def test_long_analysis_names_wrap_under_themselves() -> None:
    order = Order(
        order_id="o-6",
        order_state="Failed",
        analyses=tuple(Analysis(f"analysis_number_{n}", False) for n in range(6)),
        failed_items=tuple(f"segment {n}" for n in range(8)),
    )
    lines = sections.verdict_block(order, 40).plain.split("\n")
    assert all(len(line) <= 40 for line in lines)
    fails = [line for line in lines[1:] if not line.startswith("Failed items")]
    assert fails[0].startswith("✗ fail    ") and len(fails) > 1
    assert all(line.startswith(" " * sections.RESULT_WIDTH) for line in fails[1:])
    items = lines[lines.index(next(x for x in lines if x.startswith("Failed items"))) :]
    assert len(items) > 1 and all(line.startswith(" " * 14) for line in items[1:])


def test_the_metadata_names_the_assets_own_time() -> None:
    order = Order(order_id="o-7", asset_last_modified=1_700_000_000)
    text = sections.fields(order).plain
    assert "Asset modified " in text and "\nModified" not in text


def test_a_narrow_pane_gives_the_title_its_own_header_line() -> None:
    # At 80 columns the verdict (~60 cells) left no room for the title on one line.
    order = Order(
        order_id="o-3",
        order_state="Human Certified",
        order_title="Wild Citadel (v3)",
        confidence=0.976,
    )
    wide = sections.header(order, sections.HEADER_ONE_LINE).plain.split("\n")
    assert len(wide) == 1 and wide[0].endswith("   Wild Citadel (v3)")
    narrow = sections.header(order, 60).plain.split("\n")
    assert len(narrow) == sections.header_lines(60) == 2
    assert narrow[0].startswith("✓ Human Certified · confidence")
    assert narrow[1] == "Wild Citadel (v3)"
    # The height follows the width alone: a longer title takes no more lines.
    longer = Order(order_id="o-4", order_state="Failed", order_title="x" * 300)
    lines = sections.header(longer, 60).plain.split("\n")
    assert len(lines) == 2 and len(lines[1]) == 60 and lines[1].endswith("…")
