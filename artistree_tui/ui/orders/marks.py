"""How a new or changed row is marked on the order list.

Which rows are marked is the index's answer (:meth:`.model.ListModel.mark`: marked by the
sync after the scope's watermark); this module only draws it: the mark goes in the second
cell of the list's gutter (the first holds the cursor marker), as a symbol readable without
colour: ``+`` new, ``*`` changed.
"""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip

from artistree_tui.ui.orders.model import CHANGED, NEW

__all__ = ["CHANGED", "NEW", "marked_strip"]

_MARK_STYLE = Style(bold=True)


def marked_strip(strip: Strip, mark: str) -> Strip:
    """``strip`` (an order line) with ``mark`` in the gutter's second cell, bold, on the line's
    own background (so the cursor line keeps its colours)."""
    if not mark or strip.cell_length < 2:
        return strip
    base = next((segment.style for segment in strip if segment.style is not None), None)
    style = (base or Style()) + _MARK_STYLE
    return Strip.join([strip.crop(0, 1), Strip([Segment(mark[:1], style)], 1), strip.crop(2)])
