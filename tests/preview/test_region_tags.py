"""Region tags: each region's band symbol (and ``!`` for remediation) written over its corner
cell, so regions and the legend can be told apart without colour (NO_COLOR, 16 colours)."""

from __future__ import annotations

from PIL import Image
from rich.color import Color
from rich.segment import Segment

from artistree_tui.preview.colors import ANSI16_PALETTE, BAND_GLYPHS, TRUECOLOR_PALETTE
from artistree_tui.preview.decode import DecodedImage
from artistree_tui.preview.geometry import fit_view, project
from artistree_tui.preview.halfblock import halfblock_lines
from artistree_tui.preview.loader import PreviewLoader
from artistree_tui.preview.tags import region_tags, stamp
from tests.support.annotations import rect

ANNOTATIONS = (
    rect(2, 2, 10, 10, 0.1),  # low, tag at cell (2, row 1)
    rect(20, 4, 10, 10, 0.5, needs_remediation=True),  # medium + remediation at (20, 2)
    rect(2, 21, 10, 10, 0.9),  # high at (2, 10): odd pixel row → cell row 10
    rect(35, 30, 5, 5, None),  # unknown at (35, 15)
    rect(39, 36, 1, 1, 0.9, needs_remediation=True),  # at the right edge: moved left to fit
)


def text_rows(lines: list[list[Segment]]) -> list[str]:
    return ["".join(segment.text for segment in line) for line in lines]


def test_every_band_has_its_own_symbol() -> None:
    assert len(set(BAND_GLYPHS.values())) == len(BAND_GLYPHS) == 4


def test_tags_write_the_band_symbols_over_the_region_corners() -> None:
    image = Image.new("RGB", (40, 40))
    regions = project(ANNOTATIONS, fit_view((40, 40), (40, 40)))
    tags = region_tags(regions, image.size, selected=None, palette=TRUECOLOR_PALETTE)
    rows = text_rows(stamp(halfblock_lines(image), tags, image.width))
    assert all(len(row) == 40 for row in rows)  # the lines keep their width
    blank = "▀" * 40
    expected = [blank] * 20
    expected[1] = "▀▀○" + "▀" * 37
    expected[2] = "▀" * 20 + "◐!" + "▀" * 18
    expected[10] = "▀▀●" + "▀" * 37
    expected[15] = "▀" * 35 + "?" + "▀" * 4
    expected[18] = "▀" * 38 + "●!"
    assert rows == expected


def test_tag_colours_follow_the_band_and_the_selection_is_reversed() -> None:
    regions = project(ANNOTATIONS[:2], fit_view((40, 40), (40, 40)))
    palette = ANSI16_PALETTE
    black = Color.from_rgb(0, 0, 0)
    tags = {
        t.segments[0].text: t for t in region_tags(regions, (40, 40), selected=1, palette=palette)
    }
    low, medium = tags["○"].segments[0].style, tags["◐"].segments[0].style
    remediate = tags["◐"].segments[1].style
    assert low is not None and medium is not None and remediate is not None
    assert (low.color, low.bgcolor, low.bold, low.reverse) == (
        Color.from_rgb(*palette.low),
        black,
        True,
        False,
    )
    # The selected region's tag: in reverse video (an attribute: it survives NO_COLOR).
    assert (medium.color, medium.reverse) == (Color.from_rgb(*palette.medium), True)
    assert (remediate.color, remediate.reverse) == (Color.from_rgb(*palette.remediation), True)
    # The selected tag comes last: written over any other.
    order = region_tags(regions, (40, 40), selected=0, palette=palette)
    assert [t.segments[0].text for t in order] == ["◐", "○"]


def test_rendering_carries_the_tags_and_the_legend_explains_them() -> None:
    image = Image.new("RGB", (40, 40), (128, 128, 128))
    decoded = DecodedImage(image=image, source_size=(40, 40), format="PNG")
    loader = PreviewLoader(fetcher=None)  # type: ignore[arg-type]  # render only, no I/O
    for mode in ("truecolor", "256", "16"):
        rendering = loader.render(
            "k", decoded, box=(40, 20), annotations=ANNOTATIONS, selected=2, mode=mode
        )
        text = "".join(s.text for line in rendering.lines for s in line)
        assert [text.count(g) for g in "○◐●?!"] == [1, 1, 2, 1, 2]
        assert rendering.legend is not None
        legend = rendering.legend.plain
        assert all(g + " " in legend for g in "○◐●?!")  # every symbol drawn is in the key
