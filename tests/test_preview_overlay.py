"""Region drawing on a flat image, checked pixel by pixel, and the legend."""

from __future__ import annotations

from PIL import Image
from rich.style import Style

from artistree_tui.api.models import Annotation, Geometry
from artistree_tui.preview.colors import TRUECOLOR_PALETTE as P
from artistree_tui.preview.geometry import fit_view, project
from artistree_tui.preview.overlay import draw_overlay, legend

BLACK = (0, 0, 0)


def regions(*annotations: Annotation):  # type: ignore[no-untyped-def]
    return project(annotations, fit_view((40, 40), (40, 40)))


def rect(
    x: float, y: float, w: float, h: float, likelihood: float | None, **kw: object
) -> Annotation:
    return Annotation(
        selector_type="RECTANGLE",
        geometry=Geometry(x=x, y=y, w=w, h=h),
        ai_likelihood=likelihood,
        **kw,  # type: ignore[arg-type]
    )


def test_outline_colour_by_band_one_pixel_wide() -> None:
    base = Image.new("RGB", (40, 40))
    drawn = draw_overlay(
        base,
        regions(
            rect(2, 2, 10, 10, 0.9),
            rect(20, 2, 10, 10, 0.5),
            rect(2, 20, 10, 10, 0.1),
            rect(20, 20, 10, 10, None),
        ),
        selected=None,
        palette=P,
    )
    assert drawn.getpixel((2, 6)) == P.high and drawn.getpixel((11, 6)) == P.high
    assert drawn.getpixel((3, 6)) == BLACK  # one pixel wide, inside untouched
    assert drawn.getpixel((20, 6)) == P.medium
    assert drawn.getpixel((2, 25)) == P.low
    assert drawn.getpixel((20, 25)) == P.unknown
    assert base.getpixel((2, 6)) == BLACK  # the input image is not modified


def test_selected_is_thicker_and_the_others_are_dimmed() -> None:
    drawn = draw_overlay(
        Image.new("RGB", (40, 40)),
        regions(rect(2, 2, 10, 10, 0.9), rect(20, 2, 10, 10, 0.1)),
        selected=1,
        palette=P,
    )
    assert drawn.getpixel((20, 6)) == P.low and drawn.getpixel((21, 6)) == P.low
    assert drawn.getpixel((22, 6)) == BLACK
    assert drawn.getpixel((2, 6)) == P.high_dim and drawn.getpixel((3, 6)) == BLACK


def test_remediation_mark_on_rectangle_corner_and_polygon_top_vertex() -> None:
    triangle = Annotation(
        selector_type="POLYGON",
        geometry=Geometry(points=((30.0, 20.0), (38.0, 36.0), (22.0, 36.0))),
        ai_likelihood=0.1,
        needs_remediation=True,
    )
    drawn = draw_overlay(
        Image.new("RGB", (40, 40)),
        regions(rect(2, 2, 10, 10, 0.9, needs_remediation=True), triangle),
        selected=None,
        palette=P,
    )
    assert [drawn.getpixel(p) for p in ((2, 2), (3, 3))] == [P.remediation, P.remediation]
    assert drawn.getpixel((4, 4)) == BLACK
    assert drawn.getpixel((30, 20)) == P.remediation and drawn.getpixel((31, 21)) == P.remediation
    assert drawn.getpixel((22, 20)) == BLACK  # not at the box corner, outside the shape


def test_legend_names_the_bands_in_words() -> None:
    line = legend(P, shown=3, total=5)
    assert line.plain == "■ <0.3  ■ <0.7  ■ ≥0.7  ■ remediate  3/5 regions"
    assert legend(P, shown=2, total=2).plain.endswith("  2 regions")
    assert legend(P, shown=1, total=1).plain.endswith("  1 region")
    assert legend(P, shown=0, total=0).plain.endswith("  no regions")
    styles = [Style.parse(s) if isinstance(s, str) else s for s in (x.style for x in line.spans)]
    colours = {tuple(s.color.triplet) for s in styles if s.color and s.color.triplet}
    assert {P.low, P.medium, P.high, P.remediation} <= colours
