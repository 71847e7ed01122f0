"""RGB pixels → terminal cells with the upper-half-block character.

Each cell shows two pixels stacked vertically: ``"▀"`` painted in the top pixel's colour
(foreground) over the bottom pixel's colour (background). An image ``W × 2H`` pixels becomes
``H`` lines of ``W`` cells. Runs of identical cells are merged into one segment, so a flat
area costs one segment rather than one per cell. An odd last pixel row gets no background
(the terminal's own shows through the lower half).

Colours are always emitted as RGB; the console's colour system downgrades them when the
terminal has fewer (see :mod:`artistree_tui.preview.colors` for the 16-colour case). The
output is plain Rich ``Segment`` lists so that this module stays free of Textual; the widget
wraps each line in a ``Strip``.
"""

from __future__ import annotations

from PIL import Image
from rich.color import Color, ColorType
from rich.color_triplet import ColorTriplet
from rich.segment import Segment
from rich.style import Style

__all__ = ["UPPER_HALF", "halfblock_lines"]

UPPER_HALF = "▀"

RGB = tuple[int, int, int]


# Building Rich colours and styles dominates the cost (``Color.from_rgb`` formats a hex name
# each time), and a repaint with another selection reuses almost every colour pair: keep
# process-wide caches, bounded by simply starting over when full. Dict get/set are atomic, so
# renders in worker threads and on the UI thread can share them.
_CACHE_LIMIT = 1 << 16
_HEX = [f"{value:02x}" for value in range(256)]
_colors: dict[RGB, Color] = {}
_styles: dict[tuple[RGB, RGB | None], Style] = {}


def _color(rgb: RGB) -> Color:
    color = _colors.get(rgb)
    if color is None:
        if len(_colors) >= _CACHE_LIMIT:
            _colors.clear()
        r, g, b = rgb
        color = Color(
            f"#{_HEX[r]}{_HEX[g]}{_HEX[b]}", ColorType.TRUECOLOR, triplet=ColorTriplet(r, g, b)
        )
        _colors[rgb] = color
    return color


def _style(pair: tuple[RGB, RGB | None]) -> Style:
    style = _styles.get(pair)
    if style is None:
        if len(_styles) >= _CACHE_LIMIT:
            _styles.clear()
        top, bottom = pair
        style = Style.from_color(_color(top), None if bottom is None else _color(bottom))
        _styles[pair] = style
    return style


def halfblock_lines(image: Image.Image) -> list[list[Segment]]:
    """Half-block lines for an RGB image (other modes are converted)."""
    if image.mode != "RGB":
        image = image.convert("RGB")
    width, height = image.size
    data = image.tobytes()
    pixels: list[RGB] = list(zip(data[0::3], data[1::3], data[2::3], strict=True))
    lines: list[list[Segment]] = []
    for row in range(0, height, 2):
        top_row = pixels[row * width : (row + 1) * width]
        if row + 1 < height:
            bottom_row: list[RGB | None] = list(pixels[(row + 1) * width : (row + 2) * width])
        else:
            bottom_row = [None] * width
        segments: list[Segment] = []
        run_key: tuple[RGB, RGB | None] | None = None
        run = 0
        for pair in zip(top_row, bottom_row, strict=True):
            if pair == run_key:
                run += 1
                continue
            if run_key is not None:
                segments.append(Segment(UPPER_HALF * run, _style(run_key)))
            run_key, run = pair, 1
        if run_key is not None:
            segments.append(Segment(UPPER_HALF * run, _style(run_key)))
        lines.append(segments)
    return lines
