"""Drawing annotation regions onto the scaled preview, and the legend that explains them.

Outlines are coloured by likelihood band (green < 0.3, amber < 0.7, red ≥ 0.7, blue when the
answer had no likelihood); each region's corner also carries its band's symbol (○ ◐ ● ?, and
``!`` for remediation: :mod:`.tags`), which the legend explains, so nothing rests on colour
alone. A region that ``needs_remediation`` gets a solid magenta
mark on its outline (top-left corner, or a polygon's topmost vertex): visible even at two
pixels per cell, unlike a dashed line. When an annotation is selected, it is drawn last with
a solid 2-pixel outline and every other region is dimmed by dotting its outline — every other
pixel, the picture showing between — in its own colour: darkening it instead changed its hue
(amber became brown), so it no longer matched the legend. Pillow's ImageDraw does the
drawing; no Textual here.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from PIL import Image, ImageDraw
from rich.style import Style
from rich.text import Text

from artistree_tui.display import safe
from artistree_tui.preview.colors import BAND_GLYPHS, REMEDIATION_GLYPH, Palette
from artistree_tui.preview.geometry import Point, Region

__all__ = ["draw_overlay", "legend", "mark_anchor", "pixel_box"]

#: Side of the needs-remediation corner mark, in target pixels (2 px = 2 cells × 1 row).
MARK = 2


def pixel_box(region: Region, size: tuple[int, int]) -> tuple[int, int, int, int]:
    """The inclusive pixel rectangle ``(x0, y0, x1, y1)`` covering the region's box."""
    box = region.box
    width, height = size
    x0 = min(max(math.floor(box.left), 0), width - 1)
    y0 = min(max(math.floor(box.top), 0), height - 1)
    x1 = min(max(math.ceil(box.right) - 1, x0), width - 1)
    y1 = min(max(math.ceil(box.bottom) - 1, y0), height - 1)
    return x0, y0, x1, y1


def draw_overlay(
    image: Image.Image,
    regions: Sequence[Region],
    *,
    selected: int | None,
    palette: Palette,
) -> Image.Image:
    """A copy of ``image`` with ``regions`` outlined; ``selected`` is an annotation index."""
    result = image.copy()
    draw = ImageDraw.Draw(result)
    chosen = [r for r in regions if r.index == selected]
    others = [r for r in regions if r.index != selected]
    for region in others:
        color = palette.color(region.likelihood)
        if chosen:
            draw.point(_dotted(_corners(region, result.size)), fill=color)
        else:
            _outline(draw, region, result.size, color, 1)
    for region in chosen:
        _outline(draw, region, result.size, palette.color(region.likelihood), 2)
    for region in [*others, *chosen]:
        if region.needs_remediation:
            x0, y0 = mark_anchor(region, result.size)
            x1 = min(x0 + MARK - 1, result.width - 1)
            y1 = min(y0 + MARK - 1, result.height - 1)
            draw.rectangle((x0, y0, x1, y1), fill=palette.remediation)
    return result


def mark_anchor(region: Region, size: tuple[int, int]) -> tuple[int, int]:
    """Where the remediation mark goes: a rectangle's top-left corner; a polygon's topmost
    vertex (its box corner may lie far outside the shape)."""
    if region.is_rectangle:
        x0, y0, _x1, _y1 = pixel_box(region, size)
        return x0, y0
    top = min(region.points, key=lambda p: (p[1], p[0]))
    return _pixel(top, size)


def _outline(
    draw: ImageDraw.ImageDraw,
    region: Region,
    size: tuple[int, int],
    color: tuple[int, int, int],
    width: int,
) -> None:
    if region.is_rectangle:
        draw.rectangle(pixel_box(region, size), outline=color, width=width)
        return
    points = [_pixel(p, size) for p in region.points]
    draw.polygon(points, outline=color, width=width)


def _corners(region: Region, size: tuple[int, int]) -> list[tuple[int, int]]:
    """The outline's vertices in pixels, as :func:`_outline` draws it."""
    if region.is_rectangle:
        x0, y0, x1, y1 = pixel_box(region, size)
        return [(x0, y0), (x1, y0), (x1, y1), (x0, y1)]
    return [_pixel(p, size) for p in region.points]


def _dotted(corners: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """Every other pixel along the closed path through ``corners``, from the first corner."""
    path: list[tuple[int, int]] = []
    for (x0, y0), (x1, y1) in zip(corners, [*corners[1:], corners[0]], strict=True):
        steps = max(abs(x1 - x0), abs(y1 - y0))
        path.extend(
            (round(x0 + (x1 - x0) * i / steps), round(y0 + (y1 - y0) * i / steps))
            for i in range(steps)
        )
    return path[::2] or list(corners[:1])


def _pixel(point: Point, size: tuple[int, int]) -> tuple[int, int]:
    return (
        min(max(math.floor(point[0]), 0), size[0] - 1),
        min(max(math.floor(point[1]), 0), size[1] - 1),
    )


def legend(palette: Palette, *, shown: int, total: int, unscored: bool = False) -> Text:
    """One line: the key to the bands — each with its symbol, the one on the regions' corners
    (:mod:`.tags`), in its colour, and in words, so it reads under NO_COLOR — and how many
    regions are drawn. ``unscored``: a region without a likelihood is drawn (its key is shown
    only then)."""

    def key(symbol: str, rgb: tuple[int, int, int], label: str) -> Text:
        style = Style(color=f"rgb({rgb[0]},{rgb[1]},{rgb[2]})", bold=True)
        return Text.assemble((symbol, style), f" {label}")

    parts = [
        key(BAND_GLYPHS["low"], palette.low, "<0.3"),
        key(BAND_GLYPHS["medium"], palette.medium, "<0.7"),
        key(BAND_GLYPHS["high"], palette.high, "≥0.7"),
    ]
    if unscored:
        parts.append(key(BAND_GLYPHS["unknown"], palette.unknown, "no score"))
    parts.append(key(REMEDIATION_GLYPH, palette.remediation, "remediate"))
    noun = "region" if total == 1 else "regions"
    count = f"{shown}/{total} {noun}" if shown != total else f"{total or 'no'} {noun}"
    line = Text("  ").join(parts)
    line.append("  ")
    line.append_text(safe(count, style="dim"))
    return line
