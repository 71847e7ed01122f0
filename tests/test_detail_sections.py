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
from artistree_tui.ui import detail_sections as sections


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
    assert sections.geometry_text(rect) == "x 10 y 20.5 w 30 h 40"


def test_polygon_geometry_is_point_count_and_bounds() -> None:
    poly = Annotation(
        id="p",
        selector_type="POLYGON",
        geometry=Geometry(points=((1, 2), (11, 5), (6, 22))),
    )
    assert sections.geometry_text(poly) == "3 pts in 1,2–11,22"


def test_geometry_falls_back_to_sent_bounds() -> None:
    odd = Annotation(selector_type="ELLIPSE", geometry=Geometry(bounds=Bounds(1, 2, 3, 4)))
    assert sections.geometry_text(odd) == "1,2–3,4"


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
    assert "recommended" in text and "92.5%" in text and "[red]admin" in text
    assert "[i]t2" in text
    assert sections.header(order).plain.startswith("✗ Failed  [b]bold[/]")


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
    (row,) = sections.annotation_rows(order)
    assert len(row) == len(sections.ANNOTATION_COLUMNS)
    assert [cell.plain for cell in row] == [
        "a1",
        "RECTANGLE",
        "x 1 y 2 w 3 h 4",
        "87%",
        "yes",
        "hand | [b]x",
    ]
