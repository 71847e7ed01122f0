"""How the main screen shares its room between the order list and the detail pane.

From :data:`WIDE_LAYOUT_MIN_WIDTH` columns the list and the detail sit side by side, below it
they are stacked. Which of the two gets more room is the **layout mode**, cycled with ``+``
(binding id ``console.cycle_layout``):

- ``balanced`` (the default): side by side, the list gets just enough for its five main
  columns at 160 columns (state, title, asset, created, confidence) and all seven at 200, the
  detail the rest (room for the preview and an annotations table that fits); stacked, half
  and half;
- ``list``: the list gets two thirds (all seven columns side by side from 160 columns);
- ``detail``: the detail gets two thirds.

On a short terminal (fewer than :data:`SHORT_HEIGHT` rows, stacked) ``balanced`` follows the
focus, as lazygit does: the list gets two thirds while it (or the sidebar) has the keyboard,
the detail once ``3``/``enter``/``tab`` moves there. At 80×24 that leaves the list 10 rows
and still shows the detail's header and first fields below it.

The ratios are applied as inline ``fr`` sizes (:data:`RATIOS`); the CSS only switches the
``#work`` container between vertical and horizontal (class ``-wide``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

from artistree_tui.ui.notify import toast

if TYPE_CHECKING:
    from textual.screen import Screen

LayoutMode = Literal["balanced", "list", "detail"]
LAYOUT_MODES: tuple[LayoutMode, ...] = ("balanced", "list", "detail")
MODE_NAMES = {
    "balanced": "balanced",
    "list": "list wide",
    "detail": "detail wide",
}

#: From this width the list and the detail are side by side (at 140–159 side by side left
#: both cramped: a list without "ordered by" beside a 40-cell detail).
WIDE_LAYOUT_MIN_WIDTH = 160
#: Below this width the sidebar is narrower, leaving the list its columns.
NARROW_LAYOUT_MAX_WIDTH = 100
#: Below this height a stacked layout gives the focused pane most of the room.
SHORT_HEIGHT = 30

#: (side by side?, mode) -> (list share, detail share) as ``fr`` weights. Side by side at 160
#: columns (135 cells beside the sidebar): balanced 72 | 63, list 90 | 45, detail 45 | 90.
RATIOS: dict[tuple[bool, LayoutMode], tuple[int, int]] = {
    (True, "balanced"): (8, 7),
    (True, "list"): (2, 1),
    (True, "detail"): (1, 2),
    (False, "balanced"): (1, 1),
    (False, "list"): (2, 1),
    (False, "detail"): (1, 2),
}


def shares(
    width: int, height: int, mode: LayoutMode, *, detail_focused: bool
) -> tuple[bool, int, int]:
    """(side by side?, list share, detail share) for a terminal of ``width`` × ``height``."""
    wide = width >= WIDE_LAYOUT_MIN_WIDTH
    if not wide and height < SHORT_HEIGHT and mode == "balanced":
        mode = "detail" if detail_focused else "list"
    list_share, detail_share = RATIOS[(wide, mode)]
    return wide, list_share, detail_share


class PaneLayout:
    """Sizes the list and the detail pane on the main screen, which holds one: it calls
    :meth:`apply` on resize and focus changes and :meth:`cycle` for ``+``. The screen has
    ``#body``, ``#work``, the orders pane ``#orders-pane`` and the detail pane ``#detail``."""

    def __init__(self, screen: Screen[Any]) -> None:
        self._screen = screen
        self.mode: LayoutMode = "balanced"

    def apply(self) -> None:
        """Size the panes for the terminal's size, the mode and where the focus is."""
        screen = self._screen
        size = screen.app.size
        detail = screen.query_one("#detail")
        focused = screen.focused
        detail_focused = focused is not None and detail in focused.ancestors_with_self
        wide, list_share, detail_share = shares(
            size.width, size.height, self.mode, detail_focused=detail_focused
        )
        screen.query_one("#work").set_class(wide, "-wide")
        screen.query_one("#body").set_class(size.width < NARROW_LAYOUT_MAX_WIDTH, "-narrow")
        orders = screen.query_one("#orders-pane")
        axis, other = ("width", "height") if wide else ("height", "width")
        for widget, share in ((orders, list_share), (detail, detail_share)):
            styles = widget.styles
            if str(getattr(styles, axis)) != f"{share}fr":
                setattr(styles, axis, f"{share}fr")
            if str(getattr(styles, other)) != "1fr":
                setattr(styles, other, "1fr")

    def cycle(self) -> None:
        """Balanced → list wide → detail wide → balanced."""
        index = LAYOUT_MODES.index(self.mode)
        self.mode = LAYOUT_MODES[(index + 1) % len(LAYOUT_MODES)]
        self.apply()
        toast(self._screen.app, f"Layout: {MODE_NAMES[self.mode]}", timeout=2)
