"""A picture's lines, made ready to write in the decoding thread, and painted as they are.

A picture fetched ahead is decoded and rendered in a thread (:mod:`.canvas`), but its lines
were still made into strips on the UI's thread when ``j`` showed it, then copied again by
Textual (its styles pass makes a new strip of every line it renders, even when it changes
nothing), run through the line filters and turned into escape sequences, all in the frame that
paints it: ~2 ms of the ~13 ms from ``j`` to the picture on the terminal.

- :func:`picture_strips` makes a rendering's lines into strips at the panel's width (the
  picture centred, padded in the panel's style).
- :class:`PreparedStrips` keeps the strips of a few renderings made ahead by :meth:`prepare`,
  in the decoding thread: the line filters applied and each line's escape sequences written,
  both kept on the strips by Textual's own caches (``Strip.apply_filter``, ``Strip.render``).
- :func:`render_plain_lines` is the panel's ``render_lines`` when its styles would change
  nothing (:func:`plain`: no border, outline, padding, tint, opacity or hatch): the strips it
  drew, through the same line filters, cropped as asked, the very objects whose filtered copy
  and escape sequences are cached. Otherwise Textual's styles pass renders them as always.

No message: nothing is posted.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.console import Console
from rich.segment import Segment
from rich.style import Style
from textual.color import Color
from textual.filter import LineFilter
from textual.geometry import Region
from textual.strip import Strip
from textual.widget import Widget

if TYPE_CHECKING:
    from artistree_tui.preview.loader import Rendering

__all__ = ["PreparedStrips", "picture_strips", "plain", "render_plain_lines"]

#: Renderings whose strips are kept (the order shown and those fetched ahead around it).
KEPT = 4


def picture_strips(rendering: Rendering, width: int, style: Style) -> list[Strip]:
    """``rendering``'s lines as strips of exactly ``width`` cells: centred, padded with
    ``style`` (a picture wider than ``width`` is cut)."""
    left = max(0, (width - rendering.width) // 2)
    right = width - left - rendering.width
    pad = [Segment(" " * left, style)] if left else []
    tail = [Segment(" " * right, style)] if right > 0 else []
    # One strip per line at exactly the width (a Strip is costly to make: it carries seven
    # caches; crop_extend would make two more per line).
    strips = []
    for cells in rendering.lines:
        strip = Strip([*pad, *cells, *tail], left + rendering.width + max(0, right))
        strips.append(strip if right >= 0 else strip.crop_extend(0, width, style))
    return strips


class PreparedStrips:
    """The strips of the :data:`KEPT` renderings last prepared or painted, by rendering,
    width and style (safe to use from the decoding thread and the UI's). They hold their
    renderings, outside the loader's byte bound: a few pictures' lines (~0.1-0.4 MB each at
    160×50, with their escape sequences)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        #: (id of the rendering, width, style) -> (the rendering, its strips)
        self._kept: OrderedDict[tuple[int, int, Style], tuple[Rendering, list[Strip]]]
        self._kept = OrderedDict()

    def prepare(
        self,
        rendering: Rendering,
        width: int,
        style: Style,
        filters: Sequence[LineFilter],
        background: Color,
        console: Console,
    ) -> None:
        """Make ``rendering``'s strips for a panel ``width`` cells wide in ``style``, pass
        each through ``filters`` (on ``background``) and write its escape sequences, as the
        frame that paints them would; keep them."""
        strips = picture_strips(rendering, width, style)
        for strip in strips:
            for line_filter in filters:
                strip = strip.apply_filter(line_filter, background)
            strip.render(console)
        with self._lock:
            self._kept[(id(rendering), width, style)] = (rendering, strips)
            while len(self._kept) > KEPT:
                self._kept.popitem(last=False)

    def get(self, rendering: Rendering, width: int, style: Style) -> list[Strip] | None:
        """The strips prepared for ``rendering`` at ``width`` in ``style``, if any."""
        key = (id(rendering), width, style)
        with self._lock:
            kept = self._kept.get(key)
            if kept is not None:
                self._kept.move_to_end(key)  # the picture shown outlives those fetched ahead
        if kept is None or kept[0] is not rendering:  # an id reused by another rendering
            return None
        return kept[1]

    def clear(self) -> None:
        with self._lock:
            self._kept.clear()


def plain(widget: Widget) -> bool:
    """Would Textual's styles pass hand ``widget``'s lines on unchanged (no border, outline,
    padding, tint, opacity, text opacity or hatch, and no link under the mouse)?"""
    styles = widget.styles
    if any(edge for edge, _colour in styles.border) or any(
        edge for edge, _colour in styles.outline
    ):
        return False
    if any(styles.padding) or styles.tint.a or widget.opacity != 1.0:
        return False
    if styles.text_opacity != 1.0:
        return False
    if styles.has_rule("hatch") and styles.hatch != "none":
        return False
    return not (widget.auto_links and widget.hover_style._link_id)


def render_plain_lines(widget: Widget, crop: Region, lines: Sequence[Strip]) -> list[Strip] | None:
    """The lines of ``crop`` as Textual's styles pass would render them for a :func:`plain`
    widget whose content lines are ``lines`` (a blank line in the widget's style past them),
    or None when one is not exactly the widget's width (Textual would pad or cut it)."""
    width = widget.size.width
    filters = widget.get_line_filters()
    _base, background = widget.background_colors
    out: list[Strip] = []
    for y in crop.line_range:
        if 0 <= y < len(lines):
            strip = lines[y]
            if strip.cell_length != width:
                return None
        else:
            strip = Strip.blank(width, widget.rich_style)
        for line_filter in filters:
            strip = strip.apply_filter(line_filter, background)
        out.append(strip)
    if crop.column_span != (0, width):
        x1, x2 = crop.column_span
        out = [strip.crop(x1, x2) for strip in out]
    return out
