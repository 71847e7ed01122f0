"""RGB pixels → terminal cells with the half-block characters.

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

:func:`compact_lines` is what the console draws with: the same cells, chosen for the wire. Over
SSH a picture is mostly colour sequences (one per colour change, ~20 bytes in 24-bit colour);
it flips a cell to ``▄`` when that keeps one of the colours of the cell before it, draws a
colour that close to the one before it in that one, and a cell of one colour as a space: a
textured picture takes ~40 % fewer bytes, looking the same (README "Performance").
"""

from __future__ import annotations

import sys

from PIL import Image
from rich.color import Color, ColorType
from rich.color_triplet import ColorTriplet
from rich.segment import Segment
from rich.style import Style

__all__ = [
    "LOWER_HALF",
    "TOLERANCE",
    "UPPER_HALF",
    "clear_caches",
    "compact_lines",
    "halfblock_lines",
]

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
    _compact.clear()


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


LOWER_HALF = "▄"

#: How far (per channel, 0–255) a cell's colour may be from the one before it and still be
#: drawn in that one: one step of the colour reduction's grid (see colors.LEVELS: steps of 8
#: or 9), a difference no one sees in a half-block cell, and what lets a textured picture's
#: cells run together.
TOLERANCE = 9

_compact: dict[tuple[str, int, int], Segment] = {}


def _pack(image: Image.Image) -> list[int]:
    """One int per pixel, row by row: its RGBA bytes read as a native unsigned int (Pillow and
    memoryview do it in C). Only compared channel by channel and unpacked by :func:`_rgb`."""
    return memoryview(image.convert("RGBA").tobytes()).cast("I").tolist()


if _NATIVE == "little":
    _CHANNEL_SHIFTS = (0, 8, 16)  # r, g, b in a packed pixel

    def _rgb(value: int) -> tuple[int, int, int]:
        return value & 255, (value >> 8) & 255, (value >> 16) & 255

else:  # pragma: no cover - big-endian machines
    _CHANNEL_SHIFTS = (24, 16, 8)

    def _rgb(value: int) -> tuple[int, int, int]:
        return value >> 24, (value >> 16) & 255, (value >> 8) & 255


def packed(colors: frozenset[tuple[int, int, int]]) -> frozenset[int]:
    """``colors`` packed as :func:`compact_lines` compares pixels."""
    if not colors:
        return frozenset()
    ordered = sorted(colors)
    strip = Image.new("RGB", (len(ordered), 1))
    strip.putdata(ordered)
    return frozenset(_pack(strip))


def _compact_segment(text: str, foreground: int, background: int) -> Segment:
    key = (text[0], foreground, background)
    one = _compact.get(key)
    if one is None:
        if len(_compact) >= _CACHE_LIMIT:
            _compact.clear()
        bgcolor = _color(*_rgb(background)) if background >= 0 else None
        style = Style.from_color(_color(*_rgb(foreground)), bgcolor)
        one = _compact[key] = _new(Segment, (text[0], style, None))
    return one if len(text) == 1 else _new(Segment, (text, one[1], None))


def compact_lines(
    image: Image.Image,
    *,
    tolerance: int = TOLERANCE,
    keep: frozenset[tuple[int, int, int]] = frozenset(),
) -> list[list[Segment]]:
    """Half-block lines drawn in as few colour changes as a terminal can be told them in:
    what goes over the wire is a colour sequence per change, ~20 bytes in 24-bit colour, and
    a repeated cell is one character.

    For each cell, left to right: the top pixel may be drawn as the foreground of ``▀`` or
    the background of ``▄`` (and the bottom one the other way round), whichever keeps more
    of the previous cell's colours; a colour within ``tolerance`` (per channel) of the
    previous cell's is drawn in that one; a cell of one colour is a space in its background,
    whatever the foreground. Colours in ``keep`` (the region outlines) are never changed nor
    taken for another. An odd last pixel row has no background, as in :func:`halfblock_lines`.
    """
    width, height = image.size
    pixels = _pack(image)
    kept = packed(keep)
    s0, s1, s2 = _CHANNEL_SHIFTS

    def near(a: int, b: int) -> bool:
        # a is the colour before (-1: none); b the cell's own.
        if a < 0 or a in kept or b in kept:
            return False
        return (
            abs(((a >> s0) & 255) - ((b >> s0) & 255)) <= tolerance
            and abs(((a >> s1) & 255) - ((b >> s1) & 255)) <= tolerance
            and abs(((a >> s2) & 255) - ((b >> s2) & 255)) <= tolerance
        )

    lines: list[list[Segment]] = []
    for top_row in range(0, height, 2):
        tops = pixels[top_row * width : (top_row + 1) * width]
        bottoms = (
            pixels[(top_row + 1) * width : (top_row + 2) * width] if top_row + 1 < height else None
        )
        segments: list[Segment] = []
        append = segments.append
        run_glyph, run_fg, run_bg, run = "", -1, -1, 0
        fg = bg = -1  # the colours of the cell before (-1: none)
        for x in range(width):
            top = tops[x]
            if bottoms is None:
                glyph, cell_fg, cell_bg = UPPER_HALF, top, -1
            else:
                bottom = bottoms[x]
                if top == bottom:
                    cell_bg = bg if (bg == top or near(bg, top)) else top
                    if fg >= 0:
                        glyph, cell_fg = " ", fg
                    else:
                        glyph, cell_fg = UPPER_HALF, cell_bg
                elif (fg == top or near(fg, top)) and (bg == bottom or near(bg, bottom)):
                    glyph, cell_fg, cell_bg = UPPER_HALF, fg, bg  # the cell before, again
                elif (fg == bottom or near(fg, bottom)) and (bg == top or near(bg, top)):
                    glyph, cell_fg, cell_bg = LOWER_HALF, fg, bg
                elif fg == top or near(fg, top):
                    glyph, cell_fg, cell_bg = UPPER_HALF, fg, bottom
                elif bg == bottom or near(bg, bottom):
                    glyph, cell_fg, cell_bg = UPPER_HALF, top, bg
                elif fg == bottom or near(fg, bottom):
                    glyph, cell_fg, cell_bg = LOWER_HALF, fg, top
                elif bg == top or near(bg, top):
                    glyph, cell_fg, cell_bg = LOWER_HALF, bottom, bg
                else:
                    glyph, cell_fg, cell_bg = UPPER_HALF, top, bottom
            if glyph == run_glyph and cell_fg == run_fg and cell_bg == run_bg:
                run += 1
            else:
                if run:
                    append(_compact_segment(run_glyph * run, run_fg, run_bg))
                run_glyph, run_fg, run_bg, run = glyph, cell_fg, cell_bg, 1
            fg, bg = cell_fg, cell_bg
        if run:
            append(_compact_segment(run_glyph * run, run_fg, run_bg))
        lines.append(segments)
    return lines
