"""Annotation geometry → the pixel space of the scaled (and maybe zoomed) preview.

Annotation coordinates are in the preview image's pixels (``source`` space). The panel shows
the image, or a crop of it when zoomed, scaled into a box of terminal pixels (``target``
space: one column × two half-block rows per cell). A :class:`View` is that mapping —
``target = (source - origin) × scale`` — and :func:`project` turns annotations into
:class:`Region` polygons in target space: clipped to the visible image, degenerate ones
(non-positive size, fewer than three points, zero area, wholly outside) skipped without error.

Coordinates are continuous: pixel ``i`` covers ``[i, i + 1)``, a rectangle ``x, y, w, h``
covers ``[x, x + w) × [y, y + h)``. Pure functions, no Pillow, no Textual.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from artistree_tui.api.models import Annotation, Bounds

__all__ = [
    "Box",
    "Point",
    "Region",
    "View",
    "clip_polygon",
    "fit_size",
    "fit_view",
    "polygon_area",
    "project",
    "project_annotation",
    "zoom_box",
]

Point = tuple[float, float]


@dataclass(frozen=True, slots=True)
class Box:
    """An axis-aligned rectangle ``[left, right) × [top, bottom)``."""

    left: float
    top: float
    right: float
    bottom: float

    @property
    def width(self) -> float:
        return self.right - self.left

    @property
    def height(self) -> float:
        return self.bottom - self.top


@dataclass(frozen=True, slots=True)
class View:
    """Source → target mapping: ``target = (source - origin) × scale``, into a
    ``width × height`` target image. The two scales differ only by the rounding of the target
    size to whole pixels, which keeps the mapping exact for the resized image."""

    origin_x: float
    origin_y: float
    scale_x: float
    scale_y: float
    width: int
    height: int

    def to_target(self, point: Point) -> Point:
        return (
            (point[0] - self.origin_x) * self.scale_x,
            (point[1] - self.origin_y) * self.scale_y,
        )

    @property
    def source_box(self) -> Box:
        """The part of the source image this view shows."""
        return Box(
            self.origin_x,
            self.origin_y,
            self.origin_x + self.width / self.scale_x,
            self.origin_y + self.height / self.scale_y,
        )


@dataclass(frozen=True, slots=True)
class Region:
    """One annotation as a clipped polygon in target pixels.

    ``index`` is the annotation's position in ``Order.annotations`` (what the annotations
    table selects). Rectangles keep their four corners in order.
    """

    index: int
    points: tuple[Point, ...]
    is_rectangle: bool
    likelihood: float | None
    needs_remediation: bool

    @property
    def box(self) -> Box:
        xs = [p[0] for p in self.points]
        ys = [p[1] for p in self.points]
        return Box(min(xs), min(ys), max(xs), max(ys))


def fit_size(size: tuple[float, float], box: tuple[int, int]) -> tuple[int, int, float]:
    """Largest ``(width, height, scale)`` of ``size`` inside ``box`` keeping the aspect ratio.

    Each side is at least 1 pixel and never more than the box.
    """
    width, height = size
    box_w, box_h = max(1, box[0]), max(1, box[1])
    if width <= 0 or height <= 0:
        return 1, 1, 1.0
    scale = min(box_w / width, box_h / height)
    return (
        min(box_w, max(1, round(width * scale))),
        min(box_h, max(1, round(height * scale))),
        scale,
    )


def fit_view(source_size: tuple[int, int], box: tuple[int, int], crop: Box | None = None) -> View:
    """The view that shows ``crop`` (default: the whole source image) fitted into ``box``."""
    area = crop or Box(0.0, 0.0, float(source_size[0]), float(source_size[1]))
    width, height, _scale = fit_size((area.width, area.height), box)
    return View(area.left, area.top, width / area.width, height / area.height, width, height)


def zoom_box(
    bounds: Bounds | Box,
    source_size: tuple[int, int],
    box: tuple[int, int],
    *,
    margin: float = 0.25,
    min_side: float = 16.0,
) -> Box:
    """The source crop that shows ``bounds`` with a margin, shaped like ``box`` if it fits.

    The margin is ``margin × the longer side`` on every side; the crop is widened to the
    box's aspect ratio (so the zoomed view fills the panel), then moved inside the image and
    finally intersected with it.
    """
    if isinstance(bounds, Bounds):
        left, top, right, bottom = bounds.min_x, bounds.min_y, bounds.max_x, bounds.max_y
    else:
        left, top, right, bottom = bounds.left, bounds.top, bounds.right, bounds.bottom
    img_w, img_h = float(source_size[0]), float(source_size[1])
    pad = margin * max(right - left, bottom - top, 0.0)
    width = max(right - left + 2 * pad, min_side)
    height = max(bottom - top + 2 * pad, min_side)
    aspect = max(1, box[0]) / max(1, box[1])
    if width / height < aspect:
        width = height * aspect
    else:
        height = width / aspect
    width, height = min(width, img_w), min(height, img_h)
    center_x, center_y = (left + right) / 2, (top + bottom) / 2
    crop_left = min(max(center_x - width / 2, 0.0), img_w - width)
    crop_top = min(max(center_y - height / 2, 0.0), img_h - height)
    return Box(crop_left, crop_top, crop_left + width, crop_top + height)


def polygon_area(points: Sequence[Point]) -> float:
    """Absolute area by the shoelace formula (0 for fewer than three points)."""
    if len(points) < 3:
        return 0.0
    total = 0.0
    for (x1, y1), (x2, y2) in zip(points, [*points[1:], points[0]], strict=True):
        total += x1 * y2 - x2 * y1
    return abs(total) / 2


def clip_polygon(points: Sequence[Point], box: Box) -> tuple[Point, ...]:
    """Sutherland–Hodgman clip of a polygon to ``box`` (empty tuple when nothing is left)."""
    output: list[Point] = list(points)
    edges = (
        (lambda p: p[0] >= box.left, lambda a, b: _cross_x(a, b, box.left)),
        (lambda p: p[0] <= box.right, lambda a, b: _cross_x(a, b, box.right)),
        (lambda p: p[1] >= box.top, lambda a, b: _cross_y(a, b, box.top)),
        (lambda p: p[1] <= box.bottom, lambda a, b: _cross_y(a, b, box.bottom)),
    )
    for inside, cross in edges:
        source, output = output, []
        if not source:
            break
        previous = source[-1]
        for current in source:
            if inside(current):
                if not inside(previous):
                    output.append(cross(previous, current))
                output.append(current)
            elif inside(previous):
                output.append(cross(previous, current))
            previous = current
    return _dedupe(output)


def project_annotation(index: int, annotation: Annotation, view: View) -> Region | None:
    """``annotation`` in ``view``'s target pixels, clipped; None when there is nothing to draw."""
    g = annotation.geometry
    source: list[Point]
    is_rectangle = False
    if annotation.is_polygon or (not annotation.is_rectangle and g.points):
        if len(g.points) < 3:
            return None
        source = list(g.points)
    elif None not in (g.x, g.y, g.w, g.h):
        assert g.x is not None and g.y is not None and g.w is not None and g.h is not None
        if g.w <= 0 or g.h <= 0:
            return None
        source = _corners(g.x, g.y, g.x + g.w, g.y + g.h)
        is_rectangle = True
    elif g.bounds is not None:
        b = g.bounds
        if b.width <= 0 or b.height <= 0:
            return None
        source = _corners(b.min_x, b.min_y, b.max_x, b.max_y)
        is_rectangle = True
    else:
        return None
    if not all(math.isfinite(c) for p in source for c in p):
        return None
    if polygon_area(source) <= 0:
        return None
    clipped = clip_polygon(
        [view.to_target(p) for p in source], Box(0.0, 0.0, float(view.width), float(view.height))
    )
    if len(clipped) < 3 or polygon_area(clipped) <= 0:
        return None
    return Region(
        index=index,
        points=clipped,
        is_rectangle=is_rectangle,
        likelihood=annotation.likelihood_ratio,
        needs_remediation=bool(annotation.needs_remediation),
    )


def project(annotations: Iterable[Annotation], view: View) -> list[Region]:
    """Every drawable annotation in ``view``, in order, keeping each one's original index."""
    regions = []
    for index, annotation in enumerate(annotations):
        region = project_annotation(index, annotation, view)
        if region is not None:
            regions.append(region)
    return regions


def _corners(left: float, top: float, right: float, bottom: float) -> list[Point]:
    return [(left, top), (right, top), (right, bottom), (left, bottom)]


def _cross_x(a: Point, b: Point, x: float) -> Point:
    t = (x - a[0]) / (b[0] - a[0])
    return (x, a[1] + t * (b[1] - a[1]))


def _cross_y(a: Point, b: Point, y: float) -> Point:
    t = (y - a[1]) / (b[1] - a[1])
    return (a[0] + t * (b[0] - a[0]), y)


def _dedupe(points: Sequence[Point]) -> tuple[Point, ...]:
    """Drop consecutive duplicates (clipping at a corner produces them)."""
    result: list[Point] = []
    for point in points:
        if not result or result[-1] != point:
            result.append(point)
    if len(result) > 1 and result[0] == result[-1]:
        result.pop()
    return tuple(result)
