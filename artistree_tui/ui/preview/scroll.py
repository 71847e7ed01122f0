"""Where the detail pane scrolls when the preview appears or goes: what the user was reading
stays in view.

The preview sits in the scrolling detail pane, below the annotations or beside the verdict and
the annotations (:mod:`artistree_tui.ui.detail.pane`). Hiding it (``v``) changes the height of
the block that holds it (and beside, the width of the text next to it, which the pane wraps
again), while the pane's scroll offset stays: what the user was reading could then end up above
the view, or below it. :func:`capture` notes, before the toggle, where the pane is scrolled,
where the annotations table's cursor row is and whether it is in view; :func:`restore`, after
the new layout, scrolls so that the cursor row is where it was on screen when it was in view,
and otherwise so that what was on screen below the block moves with it. (The rule of
:func:`fit_delta` is the one the panel follows when the table's cursor moves.)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

from textual.containers import ScrollableContainer
from textual.widget import Widget

if TYPE_CHECKING:  # the detail pane imports this module at start, the table later
    from textual.widgets import DataTable

__all__ = ["PaneSpot", "capture", "fit_delta", "restore", "scroll_parent", "view_rows"]


def scroll_parent(widget: Widget) -> ScrollableContainer | None:
    """The nearest scrolling container around ``widget`` (the detail pane)."""
    for node in widget.ancestors:
        if isinstance(node, ScrollableContainer):
            return node
    return None


def view_rows(pane: Widget) -> int:
    """Rows of ``pane``'s scrolling view: its content less what is docked at its top or
    bottom (the detail pane's header), which ``scrollable_content_region`` still counts."""
    docked = sum(
        child.outer_size.height
        for child in pane.children
        if child.display and str(child.styles.dock) in ("top", "bottom")
    )
    return max(0, pane.scrollable_content_region.height - docked)


def fit_delta(view_top: int, view_bottom: int, row: int, top: int) -> int:
    """How far to scroll (down positive) so that ``row`` is in the view ``[view_top,
    view_bottom)`` and, as far as that allows, so is ``top`` (the picture's first row) above
    it. All four in one coordinate system (screen or the pane's content)."""
    down = max(0, row + 1 - view_bottom) - max(0, view_top - row)
    up = min(view_top - (top - down), view_bottom - (row + 1 - down))
    return down - max(0, up)


@dataclass(frozen=True, slots=True)
class PaneSpot:
    """The pane's scroll offset before a toggle, and the landmarks to restore it by (rows
    of the pane's content)."""

    pane: ScrollableContainer
    scroll_y: int
    block_bottom: int  # the bottom of the pane's child that holds the panel
    row: int | None  # the annotations' cursor row, if the table has rows
    seen: bool  # whether that row was in view


def _parts(panel: Widget) -> tuple[ScrollableContainer, Widget] | None:
    """The pane, and the pane's child that holds the panel (the block it changes)."""
    pane = scroll_parent(panel)
    if pane is None:
        return None
    block: Widget = panel
    while block.parent is not None and block.parent is not pane:
        block = block.parent  # type: ignore[assignment]
    return (pane, block) if block.parent is pane else None


def _cursor_row(pane: ScrollableContainer) -> int | None:
    """The annotations table's cursor row, in the pane's content rows (None: no rows)."""
    for found in pane.query("DataTable"):
        table = cast("DataTable[object]", found)
        if table.row_count and table.display:
            header = table.header_height if table.show_header else 0
            region = table.virtual_region
            return region.y + header + table.cursor_row - round(table.scroll_y)
    return None


def capture(panel: Widget) -> PaneSpot | None:
    """Note where the pane around ``panel`` is scrolled (before hiding or showing it)."""
    parts = _parts(panel)
    if parts is None or not parts[0].is_mounted:
        return None
    pane, block = parts
    scroll_y = round(pane.scroll_y)
    height = pane.scrollable_content_region.height
    row = _cursor_row(pane)
    seen = row is not None and scroll_y <= row < scroll_y + height
    return PaneSpot(pane, scroll_y, block.virtual_region.bottom, row, seen)


def restore(panel: Widget, spot: PaneSpot) -> None:
    """After the new layout: scroll ``spot.pane`` so that what the user was reading stays
    where it was on screen (see the module docstring)."""
    parts = _parts(panel)
    if parts is None or parts[0] is not spot.pane:
        return
    pane, block = parts
    scroll_y = spot.scroll_y
    row = _cursor_row(pane)
    if spot.seen and spot.row is not None and row is not None:
        scroll_y = row - (spot.row - spot.scroll_y)  # the row stays on its screen line
    elif spot.scroll_y >= spot.block_bottom:
        scroll_y += block.virtual_region.bottom - spot.block_bottom  # below it: move with it
    scroll_y = max(0, min(scroll_y, round(pane.max_scroll_y)))
    if scroll_y != round(pane.scroll_y):
        pane.scroll_to(y=scroll_y, animate=False, immediate=True)
