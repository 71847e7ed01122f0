"""A scrollbar whose thumb is drawn in whole cells, at least one.

Textual draws the ends of a thumb with eighth-of-a-cell block glyphs. Over 2,000 orders the
list's thumb is about one cell, drawn as two slivers (say 3/8 of one cell and 5/8 of the
next) in a dim colour: on a 256-colour terminal or under tmux it could not be seen. This
renderer snaps the thumb to whole cells, so it is always at least one solid cell (in
reverse video: visible without colour too). Assign it per widget:
``widget.vertical_scrollbar.renderer = CellScrollBarRender``.
"""

from __future__ import annotations

from rich.color import Color
from rich.segment import Segment, Segments
from rich.style import Style
from textual.scrollbar import ScrollBarRender

# Textual's defaults (the widget always passes its theme's colours).
_BACK = Color.parse("#555555")
_BAR = Color.parse("bright_magenta")


class CellScrollBarRender(ScrollBarRender):
    """:class:`ScrollBarRender` with a whole-cell thumb (see the module docstring)."""

    @classmethod
    def render_bar(
        cls,
        size: int = 25,
        virtual_size: float = 50,
        window_size: float = 20,
        position: float = 0,
        thickness: int = 1,
        vertical: bool = True,
        back_color: Color = _BACK,
        bar_color: Color = _BAR,
    ) -> Segments:
        width = thickness if vertical else 1
        blank = cls.BLANK_GLYPH * width
        if window_size and size and virtual_size and size != virtual_size:
            start, thumb = thumb_cells(size, virtual_size, window_size, position)
            upper = Segment(blank, Style(bgcolor=back_color, meta={"@mouse.down": "scroll_up"}))
            lower = Segment(blank, Style(bgcolor=back_color, meta={"@mouse.down": "scroll_down"}))
            bar = Segment(blank, Style(color=bar_color, reverse=True, meta={"@mouse.down": "grab"}))
            segments = [upper] * start + [bar] * thumb + [lower] * (size - start - thumb)
        else:
            segments = [Segment(blank, Style(bgcolor=back_color))] * size
        if vertical:
            return Segments(segments, new_lines=True)
        return Segments([*segments, Segment.line()] * thickness, new_lines=False)


def thumb_cells(
    size: int, virtual_size: float, window_size: float, position: float
) -> tuple[int, int]:
    """(first cell, number of cells) of the thumb on a bar of ``size`` cells."""
    thumb = min(size, max(1, round(size * window_size / virtual_size)))
    scrollable = virtual_size - window_size
    ratio = min(1.0, max(0.0, position / scrollable)) if scrollable > 0 else 0.0
    return round((size - thumb) * ratio), thumb
