"""Where the detail pane scrolls when the preview appears or goes: what the user was reading
stays in view.

The preview sits in the scrolling detail pane right above the annotations. Hiding it (``v``)
moves everything below it up by its height, showing it moves everything down, while the
pane's scroll offset stays: the annotations heading the user was looking at then ends up
above the view, or below it. :func:`capture` notes, before the toggle, where the pane is
scrolled and whether the annotations (the selected row, or the heading) are in view;
:func:`restore`, after the new layout, scrolls by the height that appeared or went, so what
was on screen below the picture stays on screen, and — when the annotations were in view —
keeps them there with as much of a shown picture above them as fits (the rule of
:func:`fit_delta`, which the panel also follows when the table's cursor moves).
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.containers import ScrollableContainer
from textual.widget import Widget
from textual.widgets import DataTable

__all__ = ["PaneSpot", "capture", "fit_delta", "restore", "scroll_parent"]


def scroll_parent(widget: Widget) -> ScrollableContainer | None:
    """The nearest scrolling container around ``widget`` (the detail pane)."""
    for node in widget.ancestors:
        if isinstance(node, ScrollableContainer):
            return node
    return None


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
    slot_top: int  # the top of the panel's slot: what is above it never moves
    anchor_y: int  # the top of what follows the slot (the annotations heading)
    seen: bool  # whether the annotations (cursor row or heading) were in view


def _parts(panel: Widget) -> tuple[ScrollableContainer, Widget, Widget] | None:
    """The pane, the panel's slot (its child of the pane) and the widget after the slot."""
    pane = scroll_parent(panel)
    if pane is None:
        return None
    slot: Widget = panel
    while slot.parent is not None and slot.parent is not pane:
        slot = slot.parent  # type: ignore[assignment]
    siblings = list(pane.children)
    if slot not in siblings or siblings.index(slot) + 1 >= len(siblings):
        return None
    return pane, slot, siblings[siblings.index(slot) + 1]


def _anchor_row(pane: ScrollableContainer, anchor: Widget) -> int:
    """The row the reader is on: the annotations table's cursor row, else the heading."""
    for table in pane.query(DataTable):
        if table.row_count and table.display:
            header = table.header_height if table.show_header else 0
            region = table.virtual_region
            return region.y + header + table.cursor_row - round(table.scroll_y)
    return anchor.virtual_region.y


def capture(panel: Widget) -> PaneSpot | None:
    """Note where the pane around ``panel`` is scrolled (before hiding or showing it)."""
    parts = _parts(panel)
    if parts is None or not parts[0].is_mounted:
        return None
    pane, slot, anchor = parts
    scroll_y = round(pane.scroll_y)
    height = pane.scrollable_content_region.height
    row = _anchor_row(pane, anchor)
    seen = scroll_y <= row < scroll_y + height
    return PaneSpot(pane, scroll_y, slot.virtual_region.y, anchor.virtual_region.y, seen)


def restore(panel: Widget, spot: PaneSpot) -> None:
    """After the new layout: scroll ``spot.pane`` so that what followed the picture stays
    where it was on screen (see the module docstring)."""
    parts = _parts(panel)
    if parts is None or parts[0] is not spot.pane:
        return
    pane, _slot, anchor = parts
    shift = anchor.virtual_region.y - spot.anchor_y  # the height that appeared (or went)
    below = spot.scroll_y - spot.slot_top  # how far the view began below the slot's top
    scroll_y = spot.scroll_y
    if shift < 0:
        scroll_y -= min(max(below, 0), -shift)
    elif shift > 0 and below > 0:
        scroll_y += shift
    if spot.seen:
        height = pane.scrollable_content_region.height
        row = _anchor_row(pane, anchor)
        top = spot.slot_top if panel.display else row
        scroll_y += fit_delta(scroll_y, scroll_y + height, row, top)
    scroll_y = max(0, min(scroll_y, round(pane.max_scroll_y)))
    if scroll_y != round(pane.scroll_y):
        pane.scroll_to(y=scroll_y, animate=False, immediate=True)
