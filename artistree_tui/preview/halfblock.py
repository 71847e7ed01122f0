"""RGB pixels → terminal cells with the upper-half-block character.

Each cell shows two pixels stacked vertically: ``"▀"`` painted in the top pixel's colour
(foreground) over the bottom pixel's colour (background). An image ``W × 2H`` pixels becomes
``H`` lines of ``W`` cells. Runs of identical cells are merged into one segment, so a flat
area costs one segment rather than one per cell. An odd last pixel row gets no background
(the terminal's own shows through the lower half).

Colours are emitted exactly as given, as RGB; the console's colour system downgrades them
when the terminal has fewer. The loader first reduces the picture's colours
(:func:`artistree_tui.preview.colors.reduce_colors`), which keeps the number of distinct
colours — and so of Rich colours and styles built here and in Textual's caches — small. The
output is plain Rich ``Segment`` lists so that this module stays free of Textual; the widget
wraps each line in a ``Strip``.
"""

from __future__ import annotations

import sys

from PIL import Image
from rich.color import Color, ColorType
from rich.color_triplet import ColorTriplet
from rich.segment import Segment
from rich.style import Style

__all__ = ["UPPER_HALF", "clear_caches", "halfblock_lines"]

UPPER_HALF = "▀"

# What costs time here is Python work per cell, and building a Rich Color, Style and Segment
# per distinct colour and cell (a textured 59×22-cell preview has ~1,000 distinct cells even
# with reduced colours). So:
# - the pixels are paired into cells by Pillow, in C: the image is transposed, which makes each
#   pixel column a row of bytes top, bottom, top, bottom…; with 4 bytes per pixel (RGBA) every
#   8-byte word of that is one cell, read as an int — the cache key — by memoryview.cast;
# - one-cell segments are cached process-wide by that key, and colours by their RGB value:
#   another rendering of the same picture (a new selection, zoom) reuses almost all of them,
#   and so do Textual's caches keyed by the style. Both caches are bounded (16,384 entries,
#   a few MB) by starting over when full. Dict get/set are atomic, so renders in worker
#   threads and on the UI thread can share them. Named tuples are built with
#   ``tuple.__new__`` (their own ``__new__`` is a Python function); the results equal
#   ``Color.from_rgb``'s and ``Segment(text, style)``.
_CACHE_LIMIT = 1 << 14
_HEX = [f"{value:02x}" for value in range(256)]
_NATIVE = sys.byteorder
_new = tuple.__new__
_colors: dict[int, Color] = {}
_cells: dict[int, Segment] = {}


def clear_caches() -> None:
    """Forget every cached colour and cell (benchmarks use it to time a cold rendering)."""
    _colors.clear()
    _cells.clear()


def _color(r: int, g: int, b: int) -> Color:
    value = r << 16 | g << 8 | b
    color = _colors.get(value)
    if color is None:
        if len(_colors) >= _CACHE_LIMIT:
            _colors.clear()
        triplet = _new(ColorTriplet, (r, g, b))
        name = f"#{_HEX[r]}{_HEX[g]}{_HEX[b]}"
        color = _new(Color, (name, ColorType.TRUECOLOR, None, triplet))
        _colors[value] = color
    return color


def _segment(cell: int) -> Segment:
    """The one-cell segment for a cell key: top RGBA then bottom RGBA, in memory order; a
    bottom with alpha 0 is the padding row of an odd-height image (no background)."""
    raw = cell.to_bytes(8, _NATIVE)
    top = _color(raw[0], raw[1], raw[2])
    bottom = _color(raw[4], raw[5], raw[6]) if raw[7] else None
    segment: Segment = _new(Segment, (UPPER_HALF, Style.from_color(top, bottom), None))
    if len(_cells) >= _CACHE_LIMIT:
        _cells.clear()
    _cells[cell] = segment
    return segment


def _cell_keys(image: Image.Image) -> list[int]:
    """One int per cell, column by column (each column top to bottom)."""
    width, height = image.size
    pixels = image.convert("RGBA")  # alpha 255 everywhere
    if height % 2:
        padded = Image.new("RGBA", (width, height + 1), (0, 0, 0, 0))
        padded.paste(pixels, (0, 0))
        pixels = padded
    words = memoryview(pixels.transpose(Image.Transpose.TRANSPOSE).tobytes()).cast("Q")
    return words.tolist()


def halfblock_lines(image: Image.Image) -> list[list[Segment]]:
    """Half-block lines for an RGB image (other modes are converted)."""
    if image.mode != "RGB":
        image = image.convert("RGB")
    rows = (image.height + 1) // 2
    cells = _cell_keys(image)
    cached = _cells.get
    lines: list[list[Segment]] = []
    for row in range(rows):
        segments: list[Segment] = []
        append = segments.append
        run_cell = -1
        run = 0
        # The cells of this line are every rows-th key, starting at its own row.
        for cell in cells[row::rows]:
            if cell == run_cell:
                run += 1
                continue
            if run:
                one = cached(run_cell)
                if one is None:  # not ``or``: Segment.__bool__ is a Python call per cell
                    one = _segment(run_cell)
                append(one if run == 1 else _new(Segment, (UPPER_HALF * run, one[1], None)))
            run_cell, run = cell, 1
        if run:
            one = cached(run_cell)
            if one is None:
                one = _segment(run_cell)
            append(one if run == 1 else _new(Segment, (UPPER_HALF * run, one[1], None)))
        lines.append(segments)
    return lines
