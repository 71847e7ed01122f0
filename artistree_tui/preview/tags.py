"""Region tags: the band's symbol written over each region's corner in the half-block picture.

Outline colours alone say nothing under ``NO_COLOR`` (Textual greys everything out), little
on 16 colours and to colour-blind eyes (red and green), so every drawn region also gets a
tag of one or two characters at its anchor (a rectangle's top-left corner, a polygon's
topmost vertex — where the remediation mark is): its band's symbol (○ < 0.3, ◐ < 0.7,
● ≥ 0.7, ? no likelihood; :data:`~artistree_tui.preview.colors.BAND_GLYPHS`), followed by
``!`` when it needs remediation. The legend shows the same symbols. Tags are bold, in the
band's colour on black; the selected region's tag is in reverse video (black on its
colour), so the selection reads in monochrome too, and is written last (on top).

The tags replace whole cells of the rendered lines (:func:`stamp`); the pixels under them
are not drawn, so a tag costs the picture one or two cells per region. No Textual here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.color import Color
from rich.segment import Segment
from rich.style import Style

from artistree_tui.preview.colors import REMEDIATION_GLYPH, Palette, glyph
from artistree_tui.preview.geometry import Region
from artistree_tui.preview.overlay import mark_anchor

__all__ = ["Tag", "region_tags", "stamp"]

_BLACK = Color.from_rgb(0, 0, 0)  # exactly ANSI black in 16-colour mode too


@dataclass(frozen=True, slots=True)
class Tag:
    """Cells to write at ``column`` of line ``row``: one segment per character."""

    column: int
    row: int
    segments: tuple[Segment, ...]

    @property
    def width(self) -> int:
        return len(self.segments)


def _cell(text: str, rgb: tuple[int, int, int], *, inverted: bool) -> Segment:
    # Inverted by the terminal's reverse attribute rather than by swapping the colours: it
    # survives Textual's NO_COLOR filters, which grey the colours out or drop them.
    style = Style(color=Color.from_rgb(*rgb), bgcolor=_BLACK, bold=True, reverse=inverted)
    return Segment(text, style)


def region_tags(
    regions: Sequence[Region],
    size: tuple[int, int],
    *,
    selected: int | None,
    palette: Palette,
) -> list[Tag]:
    """The tags of ``regions`` drawn on a ``size`` (pixels) picture; the selected one last.
    A tag that would run off the right edge is moved left to fit."""
    width = size[0]
    ordered = [r for r in regions if r.index != selected] + [
        r for r in regions if r.index == selected
    ]
    tags: list[Tag] = []
    for region in ordered:
        chosen = region.index == selected
        cells = [_cell(glyph(region.likelihood), palette.color(region.likelihood), inverted=chosen)]
        if region.needs_remediation:
            cells.append(_cell(REMEDIATION_GLYPH, palette.remediation, inverted=chosen))
        cells = cells[:width]
        x, y = mark_anchor(region, size)
        tags.append(Tag(max(0, min(x, width - len(cells))), y // 2, tuple(cells)))
    return tags


def stamp(lines: list[list[Segment]], tags: Sequence[Tag], width: int) -> list[list[Segment]]:
    """``lines`` (each ``width`` cells) with the tags' cells written over theirs, in order."""
    for tag in tags:
        if not 0 <= tag.row < len(lines) or tag.width == 0:
            continue
        end = min(tag.column + tag.width, width)
        before, _covered, after = Segment.divide(lines[tag.row], [tag.column, end, width])
        lines[tag.row] = [*before, *tag.segments[: end - tag.column], *after]
    return lines
