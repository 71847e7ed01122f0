"""Annotation geometry → target pixels: scaling, clipping, polygons, degenerate shapes."""

from __future__ import annotations

import pytest

from artistree_tui.api.models import Annotation, Bounds, Geometry
from artistree_tui.preview.geometry import (
    Box,
    View,
    clip_polygon,
    fit_size,
    fit_view,
    polygon_area,
    project,
    project_annotation,
    zoom_box,
)
from artistree_tui.preview.overlay import pixel_box
from tests.support.annotations import poly, rect

# The demo's preview (1024×768) into an 80×24-cell box = 80×48 pixels: height-bound, 1/16.
whole = fit_view((1024, 768), (80, 48))


def test_fit_size_keeps_aspect_ratio_and_stays_in_the_box() -> None:
    assert fit_size((1024, 768), (80, 48)) == (64, 48, 0.0625)
    assert fit_size((1024, 768), (64, 200)) == (64, 48, 0.0625)
    assert fit_size((100, 400), (50, 50)) == (12, 50, 0.125)  # 12.5 rounds to even
    assert fit_size((10, 10), (200, 100)) == (100, 100, 10.0)  # enlarges too
    assert fit_size((5000, 1), (80, 48)) == (80, 1, 0.016)  # never below one pixel


def test_fit_view_scales_are_exact_for_the_rounded_size() -> None:
    # 1024×768 into 80×44: height-bound, 44 / 768 → width 58.67 rounds to 59.
    view = fit_view((1024, 768), (80, 44))
    assert (view.width, view.height) == (59, 44)
    assert view.scale_x == 59 / 1024 and view.scale_y == 44 / 768
    assert view.to_target((1024, 768)) == (59.0, 44.0)
    assert view.source_box == Box(0.0, 0.0, 1024.0, 768.0)


def test_fit_view_of_the_whole_image() -> None:
    assert whole == View(0.0, 0.0, 0.0625, 0.0625, 64, 48)
    assert whole.source_box == Box(0.0, 0.0, 1024.0, 768.0)


def test_rectangle_scales_with_the_image() -> None:
    region = project_annotation(3, rect(160, 320, 320, 160, ai_likelihood=0.8), whole)
    assert region is not None
    assert region.index == 3
    assert region.is_rectangle
    assert region.points == ((10.0, 20.0), (30.0, 20.0), (30.0, 30.0), (10.0, 30.0))
    assert region.likelihood == 0.8
    assert region.needs_remediation is False


def test_percent_likelihood_and_remediation_flag_are_carried() -> None:
    region = project_annotation(
        0, rect(0, 0, 16, 16, ai_likelihood=45, needs_remediation=True), whole
    )
    assert region is not None
    assert region.likelihood == pytest.approx(0.45)
    assert region.needs_remediation is True


def test_rectangle_partly_outside_is_clipped_to_the_image() -> None:
    region = project_annotation(0, rect(-160, 640, 320, 320), whole)
    assert region is not None
    assert region.box == Box(0.0, 40.0, 10.0, 48.0)


def test_rectangle_wholly_outside_is_skipped() -> None:
    assert project_annotation(0, rect(2000, 10, 50, 50), whole) is None
    assert project_annotation(0, rect(-500, -500, 100, 100), whole) is None


@pytest.mark.parametrize("w,h", [(0, 10), (10, 0), (-5, 10), (10, -1)])
def test_rectangle_of_zero_or_negative_size_is_skipped(w: float, h: float) -> None:
    assert project_annotation(0, rect(10, 10, w, h), whole) is None


def test_polygon_scales_point_by_point() -> None:
    region = project_annotation(1, poly((0, 0), (320, 0), (160, 480)), whole)
    assert region is not None
    assert not region.is_rectangle
    assert region.points == ((0.0, 0.0), (20.0, 0.0), (10.0, 30.0))


def test_polygon_crossing_the_edge_is_clipped() -> None:
    # A triangle whose apex pokes out to the right of a 64×48 target: x = 80 at y = 24.
    view = View(0.0, 0.0, 1.0, 1.0, 64, 48)
    region = project_annotation(0, poly((48, 8), (80, 24), (48, 40)), view)
    assert region is not None
    assert region.points == ((48.0, 8.0), (64.0, 16.0), (64.0, 32.0), (48.0, 40.0))
    assert polygon_area(region.points) == pytest.approx(16 * (32 + 16) / 2)


def test_clip_polygon_against_a_box() -> None:
    square = [(-2.0, -2.0), (2.0, -2.0), (2.0, 2.0), (-2.0, 2.0)]
    assert set(clip_polygon(square, Box(0, 0, 10, 10))) == {(0, 0), (2, 0), (2, 2), (0, 2)}
    assert clip_polygon(square, Box(5, 5, 10, 10)) == ()


@pytest.mark.parametrize(
    "points",
    [
        (),
        ((1, 1),),
        ((1, 1), (50, 50)),  # fewer than three points
        ((0, 0), (100, 100), (200, 200)),  # collinear: zero area
        ((5, 5), (5, 5), (5, 5)),
    ],
)
def test_degenerate_polygons_are_skipped(points: tuple[tuple[float, float], ...]) -> None:
    assert project_annotation(0, poly(*points), whole) is None


def test_polygon_wholly_outside_is_skipped() -> None:
    assert project_annotation(0, poly((2000, 0), (2100, 0), (2050, 90)), whole) is None


def test_bounds_are_used_when_the_selector_is_unknown() -> None:
    geometry = Geometry(bounds=Bounds(16, 32, 48, 64))
    region = project_annotation(0, Annotation(selector_type="ELLIPSE", geometry=geometry), whole)
    assert region is not None
    assert region.is_rectangle
    assert region.box == Box(1.0, 2.0, 3.0, 4.0)
    empty = Annotation(selector_type="RECTANGLE", geometry=Geometry())
    assert project_annotation(0, empty, whole) is None


def test_project_keeps_original_indices_and_skips_degenerate_without_error() -> None:
    annotations = [
        rect(0, 0, 160, 160),
        rect(0, 0, 0, 10),
        poly((1, 1), (2, 2)),
        poly((0, 0), (320, 0), (0, 320)),
        rect(5000, 5000, 10, 10),
    ]
    assert [r.index for r in project(annotations, whole)] == [0, 3]


def test_zoom_box_adds_a_margin_and_takes_the_box_aspect() -> None:
    # A 100×100 region in the middle: margin 25 px a side → 150×150, widened to 2:1.
    crop = zoom_box(Bounds(450, 350, 550, 450), (1024, 768), (80, 40), margin=0.25)
    assert crop == Box(350.0, 325.0, 650.0, 475.0)
    view = fit_view((1024, 768), (80, 40), crop)
    assert (view.width, view.height) == (80, 40)
    region = project_annotation(0, rect(450, 350, 100, 100), view)
    assert region is not None
    assert region.box.left == pytest.approx((450 - 350) * 80 / 300)


def test_zoom_box_stays_inside_the_image() -> None:
    crop = zoom_box(Bounds(0, 0, 40, 40), (1024, 768), (80, 48))
    assert crop.left == 0 and crop.top == 0
    assert crop.right <= 1024 and crop.bottom <= 768
    corner = zoom_box(Bounds(1000, 740, 1024, 768), (1024, 768), (80, 48))
    assert corner.right == 1024 and corner.bottom == 768
    huge = zoom_box(Bounds(-100, -100, 2000, 2000), (1024, 768), (80, 48))
    assert huge == Box(0.0, 0.0, 1024.0, 768.0)


def test_pixel_box_covers_the_region_and_stays_in_bounds() -> None:
    region = project_annotation(0, rect(160, 320, 328, 160), whole)
    assert region is not None
    assert region.box == Box(10.0, 20.0, 30.5, 30.0)
    assert pixel_box(region, (64, 48)) == (10, 20, 30, 29)
    edge = project_annotation(0, rect(900, 700, 500, 500), whole)
    assert edge is not None
    assert pixel_box(edge, (64, 48)) == (56, 43, 63, 47)
