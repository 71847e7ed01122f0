"""A picture's cells are chosen for the wire (halfblock.compact_lines): each pixel drawn within
one step of the colour grid of its own colour (the outlines' colours exactly), an odd last row
without background, and far fewer bytes to the terminal than the plain half-block cells."""

from __future__ import annotations

import io

import pytest
from PIL import Image
from rich.console import Console
from rich.segment import Segment
from textual.strip import Strip

from artistree_tui.demo.images import render_preview
from artistree_tui.preview.colors import TRUECOLOR_PALETTE, reduce_colors
from artistree_tui.preview.halfblock import (
    LOWER_HALF,
    TOLERANCE,
    UPPER_HALF,
    compact_lines,
    halfblock_lines,
)
from artistree_tui.ui.wire.minimize import minimize

RGB = tuple[int, int, int]
OUTLINES = frozenset((TRUECOLOR_PALETTE.high, TRUECOLOR_PALETTE.low, TRUECOLOR_PALETTE.remediation))


def demo_picture(seed: int, size: tuple[int, int] = (58, 44)) -> Image.Image:
    png = render_preview(seed, (1024, 768), [])
    picture = Image.open(io.BytesIO(png)).convert("RGB").resize(size, Image.Resampling.BOX)
    return reduce_colors(picture, "truecolor")


def pixels_drawn(lines: list[list[Segment]], width: int) -> list[list[RGB | None]]:
    """What the terminal shows, two pixels a cell: None where there is no background."""
    rows: list[list[RGB | None]] = []
    for line in lines:
        top: list[RGB | None] = []
        bottom: list[RGB | None] = []
        for segment in line:
            style = segment.style
            assert style is not None
            fg = tuple(style.color.triplet) if style.color and style.color.triplet else None
            bg = tuple(style.bgcolor.triplet) if style.bgcolor and style.bgcolor.triplet else None
            for glyph in segment.text:
                up, down = {UPPER_HALF: (fg, bg), LOWER_HALF: (bg, fg), " ": (bg, bg)}[glyph]
                top.append(up)  # type: ignore[arg-type]
                bottom.append(down)  # type: ignore[arg-type]
        assert len(top) == width
        rows += [top, bottom]
    return rows


def wire_bytes(lines: list[list[Segment]]) -> int:
    console = Console(file=io.StringIO(), color_system="truecolor", width=200)
    frame = "".join(
        f"\x1b[{y + 1};1H" + Strip(list(line)).render(console) for y, line in enumerate(lines)
    )
    return len(minimize(frame).encode())


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_every_pixel_is_drawn_within_a_step_of_its_colour(seed: int) -> None:
    picture = demo_picture(seed)
    # Outlines drawn on it, as the overlay does, beside artwork of nearly their colour: the
    # outlines must come out exact, and the artwork must not take theirs.
    high, low = TRUECOLOR_PALETTE.high, TRUECOLOR_PALETTE.low
    near_high = (high[0] - 4, high[1] + 4, high[2])
    for x in range(5, 40):
        picture.putpixel((x, 10), high if x % 2 else near_high)
        picture.putpixel((x, 11), near_high if x % 2 else high)
        picture.putpixel((x, 21), low)
    lines = compact_lines(picture, keep=OUTLINES)
    drawn = pixels_drawn(lines, picture.width)
    for y in range(picture.height):
        for x in range(picture.width):
            want = picture.getpixel((x, y))
            got = drawn[y][x]
            assert got is not None
            if want in OUTLINES or got in OUTLINES:
                assert got == want, (x, y)
            else:
                assert max(abs(a - b) for a, b in zip(got, want, strict=True)) <= TOLERANCE


def test_tolerance_zero_draws_every_pixel_exactly() -> None:
    picture = demo_picture(4)
    drawn = pixels_drawn(compact_lines(picture, tolerance=0), picture.width)
    assert drawn == [[picture.getpixel((x, y)) for x in range(picture.width)] for y in range(44)]


def test_an_odd_last_row_has_no_background() -> None:
    picture = Image.new("RGB", (3, 3), (10, 20, 30))
    picture.putpixel((1, 2), (200, 0, 0))
    lines = compact_lines(picture)
    assert len(lines) == 2
    last = pixels_drawn(lines, 3)[2:]
    assert last[0] == [(10, 20, 30), (200, 0, 0), (10, 20, 30)] and last[1] == [None] * 3


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_textured_picture_costs_far_fewer_bytes(seed: int) -> None:
    picture = demo_picture(seed)
    plain, compact = wire_bytes(halfblock_lines(picture)), wire_bytes(compact_lines(picture))
    assert compact < 0.6 * plain, (compact, plain)
