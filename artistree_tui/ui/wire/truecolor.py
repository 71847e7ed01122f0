"""Textual's ANSI-to-truecolor line filter, without the copy of a line that needs no change.

Textual passes every line it renders through :class:`textual.filter.ANSIToTruecolor`, which
rebuilds the line segment by segment (a new segment each, its style looked up in a cache),
whether or not a style in it has a colour to convert. The console's lines are nearly all
truecolor already: a preview's picture alone brings some 2,500 segments in a new frame, each
rebuilt for nothing. :class:`QuickTruecolor` does the same conversion, and hands a line back as
it is when none of its styles has anything to convert (an ANSI colour, a dim foreground) and no
segment carries a control code: the very segments the full pass would have rebuilt.
:func:`quick_filters` puts it in the place of Textual's filter in the app's list.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.segment import Segment
from rich.style import Style
from textual.color import Color
from textual.filter import ANSIToTruecolor, LineFilter

__all__ = ["QuickTruecolor", "quick_filters"]

#: Styles remembered as needing no conversion, or needing one; forgotten when this many.
_MEMORY = 8192


class QuickTruecolor(ANSIToTruecolor):
    """:class:`~textual.filter.ANSIToTruecolor` that returns a line needing no conversion
    unchanged (the same list)."""

    def __init__(self, original: ANSIToTruecolor) -> None:
        super().__init__(original._terminal_theme, enabled=original.enabled)
        self.original = original
        self._as_is: dict[Style, bool] = {}

    def apply(self, segments: list[Segment], background: Color) -> list[Segment]:
        as_is = self._as_is
        for _text, style, control in segments:
            if control is not None:
                return super().apply(segments, background)
            if style is None:
                continue
            unchanged = as_is.get(style)
            if unchanged is None:
                if len(as_is) >= _MEMORY:
                    as_is.clear()
                unchanged = as_is[style] = _needs_no_conversion(style)
            if not unchanged:
                return super().apply(segments, background)
        return segments


def _needs_no_conversion(style: Style) -> bool:
    """Would :meth:`ANSIToTruecolor.truecolor_style` return ``style`` itself?"""
    color, bgcolor = style.color, style.bgcolor
    if color is not None and (color.triplet is None or style.dim):
        return False
    return bgcolor is None or bgcolor.triplet is not None


def quick_filters(
    filters: Sequence[LineFilter], quick: QuickTruecolor | None
) -> tuple[list[LineFilter], QuickTruecolor | None]:
    """``filters`` with Textual's truecolor filter replaced by a :class:`QuickTruecolor`:
    ``quick`` when it stands for that very filter (the same object keeps the lines' filter
    caches), else a new one. Returns the list and the :class:`QuickTruecolor` in it."""
    out: list[LineFilter] = []
    for line_filter in filters:
        if type(line_filter) is ANSIToTruecolor:
            if quick is None or quick.original is not line_filter:
                quick = QuickTruecolor(line_filter)
            quick.enabled = line_filter.enabled
            line_filter = quick
        out.append(line_filter)
    return out, quick
