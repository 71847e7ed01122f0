"""The half-block renderer: exact cells for known pixels, and what reaches the terminal at
truecolor / 256 / 16 colours through Textual's Strip rendering."""

from __future__ import annotations

import io
import re

import pytest
from PIL import Image
from rich.color import Color
from rich.console import Console
from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip

from artistree_tui.api.models import Annotation, Geometry
from artistree_tui.demo import images
from artistree_tui.preview.colors import (
    ANSI16_GREYS,
    ANSI16_PALETTE,
    LEVELS,
    TRUECOLOR_PALETTE,
    band,
    color_mode_for,
    level,
    quantize_ansi16,
    reduce_colors,
)
from artistree_tui.preview.geometry import fit_view, project
from artistree_tui.preview.halfblock import UPPER_HALF, halfblock_lines
from artistree_tui.preview.overlay import draw_overlay

RED, GREEN, BLUE, WHITE, BLACK = (255, 0, 0), (0, 255, 0), (0, 0, 255), (255, 255, 255), (0, 0, 0)


def image_of(width: int, rows: list[list[tuple[int, int, int]]]) -> Image.Image:
    image = Image.new("RGB", (width, len(rows)))
    for y, row in enumerate(rows):
        for x, rgb in enumerate(row):
            image.putpixel((x, y), rgb)
    return image


def style(top: tuple[int, int, int], bottom: tuple[int, int, int] | None) -> Style:
    return Style(color=Color.from_rgb(*top), bgcolor=Color.from_rgb(*bottom) if bottom else None)


def test_two_by_four_pixels_become_two_lines_of_two_cells() -> None:
    image = image_of(2, [[RED, GREEN], [BLUE, WHITE], [BLACK, BLACK], [BLACK, BLACK]])
    assert halfblock_lines(image) == [
        [Segment(UPPER_HALF, style(RED, BLUE)), Segment(UPPER_HALF, style(GREEN, WHITE))],
        [Segment(UPPER_HALF * 2, style(BLACK, BLACK))],
    ]


def test_runs_of_identical_cells_are_merged_and_cell_count_is_the_width() -> None:
    image = image_of(5, [[RED, RED, GREEN, RED, RED], [BLUE, BLUE, BLUE, BLUE, BLUE]])
    (line,) = halfblock_lines(image)
    assert [(s.text, s.style) for s in line] == [
        ("▀▀", style(RED, BLUE)),
        ("▀", style(GREEN, BLUE)),
        ("▀▀", style(RED, BLUE)),
    ]
    assert sum(len(s.text) for s in line) == 5


def test_odd_height_leaves_the_last_lower_half_to_the_terminal_background() -> None:
    image = image_of(1, [[RED], [GREEN], [BLUE]])
    assert halfblock_lines(image) == [
        [Segment(UPPER_HALF, style(RED, GREEN))],
        [Segment(UPPER_HALF, style(BLUE, None))],
    ]


def test_a_black_last_row_is_not_the_missing_half_of_an_odd_height() -> None:
    even = image_of(2, [[RED, RED], [BLACK, BLACK]])
    odd = image_of(2, [[RED, RED], [BLACK, BLACK], [BLACK, RED]])
    assert halfblock_lines(even) == [[Segment(UPPER_HALF * 2, style(RED, BLACK))]]
    assert halfblock_lines(odd)[1] == [
        Segment(UPPER_HALF, style(BLACK, None)),
        Segment(UPPER_HALF, style(RED, None)),
    ]


def test_the_same_cell_gets_the_same_style_object_across_renderings() -> None:
    # Textual memoizes a style's escape codes on the Style object: reusing it across
    # renderings of a picture (a new selection, zoom) saves that work every time.
    first = halfblock_lines(image_of(2, [[RED, GREEN], [BLUE, WHITE]]))
    again = halfblock_lines(image_of(3, [[WHITE, GREEN, RED], [BLACK, WHITE, BLUE]]))
    assert first[0][1].style is again[0][1].style
    assert first[0][0].style is again[0][2].style


def test_non_rgb_images_are_converted() -> None:
    grey = Image.new("L", (1, 2), 128)
    assert halfblock_lines(grey) == [[Segment(UPPER_HALF, style((128, 128, 128), (128,) * 3))]]


def test_levels_keep_black_white_and_primaries_and_are_32_per_channel() -> None:
    grid = sorted({level(v) for v in range(256)})
    assert len(grid) == LEVELS == 32
    assert grid[:4] == [0, 8, 16, 25] and grid[-3:] == [239, 247, 255]
    assert all(level(v) == v for v in grid)  # on the grid stays put
    assert all(abs(level(v) - v) <= 4 for v in range(256))  # never more than 4 off


def test_outline_colours_are_off_the_grid_so_no_artwork_pixel_equals_one() -> None:
    grid = {level(v) for v in range(256)}
    p = TRUECOLOR_PALETTE
    for rgb in (p.low, p.medium, p.high, p.unknown, p.remediation):
        assert not set(rgb) <= grid


def test_reduced_colours_of_a_known_image_give_exactly_these_cells() -> None:
    # (3, 130, 251) → (0, 132, 255); (200, 100, 50) → (197, 99, 49); (128, 128, 127) →
    # (132, 132, 123): each channel to the nearest of 32 levels.
    image = image_of(3, [[(3, 130, 251), (200, 100, 50), RED], [(128, 128, 127), BLACK, RED]])
    assert halfblock_lines(reduce_colors(image, "truecolor")) == [
        [
            Segment(UPPER_HALF, style((0, 132, 255), (132, 132, 123))),
            Segment(UPPER_HALF, style((197, 99, 49), BLACK)),
            Segment(UPPER_HALF, style(RED, RED)),
        ]
    ]
    assert reduce_colors(image, "256").tobytes() == reduce_colors(image, "truecolor").tobytes()
    greys = reduce_colors(image, "16")
    assert {greys.getpixel((x, y)) for x in range(3) for y in range(2)} <= set(ANSI16_GREYS)


def distinct_colours(image: Image.Image) -> int:
    data = image.tobytes()
    return len({data[i : i + 3] for i in range(0, len(data), 3)})


def test_reducing_a_textured_picture_leaves_fewer_colours_than_rich_caches() -> None:
    # Why: Rich's and Textual's colour caches hold 1,024 entries; the demo's painterly art
    # at panel size has thousands of colours, and would miss them on every cell.
    png = images.render_preview(7, (320, 240), [])
    picture = Image.open(io.BytesIO(png)).convert("RGB").resize((118, 88))
    assert distinct_colours(picture) > 2048
    assert distinct_colours(reduce_colors(picture, "truecolor")) < 1024


def render(segments: list[Segment], color_system: str) -> str:
    """What Textual writes for these segments on a terminal with ``color_system``.

    Textual memoizes each Style's SGR string on the Style object at first render (a process
    has one colour system), so each rendering here gets fresh Style objects.
    """
    console = Console(file=io.StringIO(), force_terminal=True, color_system=color_system)  # type: ignore[arg-type]
    fresh = [
        Segment(s.text, Style(color=s.style.color, bgcolor=s.style.bgcolor))
        for s in segments
        if s.style
    ]
    return Strip(fresh).render(console)


def sgr(text: str) -> list[str]:
    """The SGR parameter strings, without the resets."""
    return [code for code in re.findall(r"\x1b\[([0-9;]*)m", text) if code not in ("", "0")]


def test_textual_emits_rgb_on_truecolor_and_the_cube_on_256() -> None:
    line = halfblock_lines(image_of(1, [[(255, 0, 0)], [(0, 0, 255)]]))[0]
    assert sgr(render(line, "truecolor"))[0] == "38;2;255;0;0;48;2;0;0;255"
    assert sgr(render(line, "256"))[0] == "38;5;196;48;5;21"


def test_sixteen_colours_use_exact_ansi_indices_after_the_quantize_step() -> None:
    # The 16-colour pipeline: image → four ANSI greys; outlines in bright ANSI colours.
    gradient = Image.linear_gradient("L").convert("RGB").resize((32, 32))
    quantized = quantize_ansi16(gradient)
    assert set(quantized.tobytes()[i : i + 3] for i in range(0, 32 * 32 * 3, 3)) <= {
        bytes(g) for g in ANSI16_GREYS
    }
    ann = Annotation(
        selector_type="RECTANGLE", geometry=Geometry(x=4, y=4, w=20, h=20), ai_likelihood=0.9
    )
    view = fit_view((32, 32), (32, 32))
    drawn = draw_overlay(quantized, project([ann], view), selected=0, palette=ANSI16_PALETTE)
    lines = halfblock_lines(drawn)
    codes = {code for line in lines for code in sgr(render(line, "standard"))}
    fg = {c.split(";")[0] for c in codes}
    bg = {c.split(";")[1] for c in codes if ";" in c}
    assert "91" in fg  # bright red (index 9): the selected high-likelihood outline
    assert fg <= {"30", "90", "37", "97", "91"}  # greys + bright red, nothing else
    assert bg <= {"40", "100", "47", "107", "101"}


def test_rich_alone_would_blur_outlines_into_a_16_colour_photo() -> None:
    # Why the quantize step exists: amber and a warm photo colour land on the same index.
    amber = Color.from_rgb(*TRUECOLOR_PALETTE.medium).downgrade(3)  # type: ignore[arg-type]
    skin = Color.from_rgb(200, 120, 40).downgrade(3)  # type: ignore[arg-type]
    assert amber.number == skin.number


@pytest.mark.parametrize(
    "system,mode",
    [
        ("truecolor", "truecolor"),
        ("256", "256"),
        ("standard", "16"),
        ("windows", "16"),
        (None, "16"),
    ],
)
def test_color_mode_follows_the_console(system: str | None, mode: str) -> None:
    assert color_mode_for(system) == mode


def test_bands() -> None:
    assert [band(v) for v in (None, 0.0, 0.29, 0.3, 0.69, 0.7, 1.0)] == [
        "unknown",
        "low",
        "low",
        "medium",
        "medium",
        "high",
        "high",
    ]
