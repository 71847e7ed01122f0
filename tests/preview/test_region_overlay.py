"""Region drawing on a flat image, checked pixel by pixel, and the legend."""

from __future__ import annotations

from PIL import Image
from rich.style import Style

from artistree_tui.api.models import Annotation, Geometry
from artistree_tui.preview.colors import TRUECOLOR_PALETTE as P
from artistree_tui.preview.geometry import fit_view, project
from artistree_tui.preview.overlay import draw_overlay, legend
from tests.support.annotations import rect

BLACK = (0, 0, 0)


def regions(*annotations: Annotation):  # type: ignore[no-untyped-def]
    return project(annotations, fit_view((40, 40), (40, 40)))


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


def test_selected_is_thicker_and_the_others_are_dotted_in_their_own_colour() -> None:
    drawn = draw_overlay(
        Image.new("RGB", (40, 40)),
        regions(rect(2, 2, 10, 10, 0.9), rect(20, 2, 10, 10, 0.1)),
        selected=1,
        palette=P,
    )
    assert drawn.getpixel((20, 6)) == P.low and drawn.getpixel((21, 6)) == P.low
    assert drawn.getpixel((22, 6)) == BLACK
    # The other region keeps its legend colour (no darker variant), on every other pixel
    # of its outline — starting at its top-left corner — with the picture in between.
    top = [drawn.getpixel((x, 2)) for x in range(2, 12)]
    assert top == [P.high, BLACK] * 5
    left = [drawn.getpixel((2, y)) for y in range(2, 12)]
    assert left == [P.high, BLACK] * 5
    assert drawn.getpixel((3, 6)) == BLACK  # inside untouched
    used = {drawn.getpixel((x, y)) for x in range(40) for y in range(40)}
    assert used == {BLACK, P.high, P.low}


def lit(image: Image.Image, rows: range) -> set[tuple[int, int]]:
    """The pixels of ``rows`` that are not black."""
    return {(x, y) for x in range(image.width) for y in rows if image.getpixel((x, y)) != BLACK}


def test_a_dotted_polygon_follows_its_edges_in_its_colour() -> None:
    triangle = Annotation(
        selector_type="POLYGON",
        geometry=Geometry(points=((30.0, 20.0), (38.0, 36.0), (22.0, 36.0))),
        ai_likelihood=0.5,
    )
    solid = draw_overlay(Image.new("RGB", (40, 40)), regions(triangle), selected=None, palette=P)
    dotted = draw_overlay(
        Image.new("RGB", (40, 40)),
        regions(rect(2, 2, 10, 10, 0.9), triangle),
        selected=0,
        palette=P,
    )
    on_solid = lit(solid, rows=range(20, 40))
    on_dotted = lit(dotted, rows=range(20, 40))
    assert {dotted.getpixel(p) for p in on_dotted} == {P.medium}
    assert (30, 20) in on_dotted  # from the first vertex
    assert len(on_solid) // 3 <= len(on_dotted) <= len(on_solid) // 2 + 2
    # every dot lies on (or next to) the solid outline's pixels
    assert all(
        any((x + dx, y + dy) in on_solid for dx in (-1, 0, 1) for dy in (-1, 0, 1))
        for x, y in on_dotted
    )


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


def test_legend_names_the_bands_in_words_and_symbols() -> None:
    line = legend(P, shown=3, total=5)
    # One symbol per band (the ones on the regions' corners): the key reads without colour.
    assert line.plain == "○ <0.3  ◐ <0.7  ● ≥0.7  ! remediate  3/5 regions"
    assert legend(P, shown=1, total=1, unscored=True).plain == (
        "○ <0.3  ◐ <0.7  ● ≥0.7  ? no score  ! remediate  1 region"
    )
    assert legend(P, shown=2, total=2).plain.endswith("  2 regions")
    assert legend(P, shown=1, total=1).plain.endswith("  1 region")
    assert legend(P, shown=0, total=0).plain.endswith("  no regions")
    styles = [Style.parse(s) if isinstance(s, str) else s for s in (x.style for x in line.spans)]
    colours = {tuple(s.color.triplet) for s in styles if s.color and s.color.triplet}
    assert {P.low, P.medium, P.high, P.remediation} <= colours
