"""How many terminal rows the preview panel takes, and the box of cells its picture gets.

The panel is a title line, the picture, and a legend line when regions are drawn. Its height
follows the image: the picture fills the panel's width at the image's aspect ratio (two pixels
per cell vertically), unless a maximum height caps it — then the picture is fitted into the
remaining box and centred. The widget's layout and the first rendering (done in the decoding
thread, before the widget has laid out the new picture) use these same functions, so the
rendering made ahead of time is exactly the one the widget then asks for. No Textual here.
"""

from __future__ import annotations

import math

from artistree_tui.preview.geometry import fit_size

__all__ = [
    "MIN_ROWS",
    "PLACEHOLDER_ROWS",
    "ROOM_BELOW",
    "TITLE_ROWS",
    "natural_height",
    "picture_box",
]

#: The title line above the picture.
TITLE_ROWS = 1
#: Title, the reason (centred), a blank line: what a placeholder takes.
PLACEHOLDER_ROWS = 3
#: Rows of the scrolling pane kept free below the panel: the annotations' heading and first
#: rows, so that moving through them shows their regions on the picture just above.
ROOM_BELOW = 5
#: The panel never gets smaller than this for lack of room (the pane scrolls instead).
MIN_ROWS = 8
#: Until the image's size is known, a picture is assumed to be 4:3 (the layout keeps still).
DEFAULT_ASPECT = (4, 3)


def natural_height(
    width: int, source_size: tuple[int, int] | None, *, legend: bool, cap: int | None = None
) -> int:
    """Rows for a picture ``width`` cells wide: title + picture + legend, at most ``cap``."""
    _w, height_px, _scale = fit_size(source_size or DEFAULT_ASPECT, (max(1, width), 100_000))
    rows = TITLE_ROWS + math.ceil(height_px / 2) + (1 if legend else 0)
    return min(rows, cap) if cap is not None else rows


def picture_box(width: int, height: int, *, legend: bool) -> tuple[int, int]:
    """The ``(columns, rows)`` the picture may fill in a panel of ``width × height`` cells."""
    return max(1, width), max(1, height - TITLE_ROWS - (1 if legend else 0))
