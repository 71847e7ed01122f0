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


# Building Rich colours and styles dominates the cost (a textured 59×22-cell preview has ~2500
# distinct colours and ~1300 distinct cells), and a repaint with another selection reuses
# almost every colour pair: keep process-wide caches, bounded by simply starting over when
# full. Pixels are handled as 24-bit ints (cheap to hash and compare), a cell as the int
# ``top << 25 | bottom`` (``_NO_PIXEL`` for the missing bottom of an odd last row). Colours are
# built with ``tuple.__new__`` — the named tuples' own ``__new__`` is a Python function — and
# are equal to ``Color.from_rgb``'s. Dict get/set are atomic, so renders in worker threads and
# on the UI thread can share the caches.
_CACHE_LIMIT = 1 << 16
_HEX = [f"{value:02x}" for value in range(256)]
_NO_PIXEL = 1 << 24
_colors: dict[int, Color] = {}
_styles: dict[int, Style] = {}


def _color(value: int) -> Color:
    color = _colors.get(value)
    if color is None:
        if len(_colors) >= _CACHE_LIMIT:
            _colors.clear()
        r, g, b = value >> 16, (value >> 8) & 0xFF, value & 0xFF
        triplet = tuple.__new__(ColorTriplet, (r, g, b))
        name = f"#{_HEX[r]}{_HEX[g]}{_HEX[b]}"
        color = tuple.__new__(Color, (name, ColorType.TRUECOLOR, None, triplet))
        _colors[value] = color
    return color


def _style(cell: int) -> Style:
    style = _styles.get(cell)
    if style is None:
        if len(_styles) >= _CACHE_LIMIT:
            _styles.clear()
        bottom = cell & 0x1FFFFFF
        style = Style.from_color(
            _color(cell >> 25), None if bottom == _NO_PIXEL else _color(bottom)
        )
        _styles[cell] = style
    return style


def _pixels(image: Image.Image) -> list[int]:
    """Every pixel as ``r << 16 | g << 8 | b``, row by row."""
    data = image.tobytes()
    return [int.from_bytes(data[i : i + 3], "big") for i in range(0, len(data), 3)]


def halfblock_lines(image: Image.Image) -> list[list[Segment]]:
    """Half-block lines for an RGB image (other modes are converted)."""
    if image.mode != "RGB":
        image = image.convert("RGB")
    width, height = image.size
    pixels = _pixels(image)
    lines: list[list[Segment]] = []
    missing = [_NO_PIXEL] * width
    for row in range(0, height, 2):
        top_row = pixels[row * width : (row + 1) * width]
        bottom_row = pixels[(row + 1) * width : (row + 2) * width] if row + 1 < height else missing
        segments: list[Segment] = []
        run_cell = -1
        run = 0
        for top, bottom in zip(top_row, bottom_row, strict=True):
            cell = top << 25 | bottom
            if cell == run_cell:
                run += 1
                continue
            if run:
                segments.append(Segment(UPPER_HALF * run, _style(run_cell)))
            run_cell, run = cell, 1
        if run:
            segments.append(Segment(UPPER_HALF * run, _style(run_cell)))
        lines.append(segments)
    return lines
