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

The project sidebar takes the width its names need (:meth:`ProjectSidebar.needed_width`), up
to a quarter of the terminal (:func:`sidebar_width`), and ``b`` (binding id
``console.sidebar``) hides or shows it. Below :data:`SIDEBAR_MIN_TERMINAL` columns it starts
hidden (at 40 columns it took half the screen); ``b`` or ``1`` shows it.
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
#: The sidebar takes at most this share of the terminal's width, and these bounds in cells.
SIDEBAR_SHARE = 4  # a quarter
SIDEBAR_MIN = 16
SIDEBAR_MAX = 32
#: Below this many columns the sidebar starts hidden (``b`` shows it).
SIDEBAR_MIN_TERMINAL = 60
#: Below this height a stacked layout gives the focused pane most of the room.
SHORT_HEIGHT = 30

#: (side by side?, mode) -> (list share, detail share) as ``fr`` weights. Side by side at 160
#: columns (132 cells beside a sidebar of 28, the demo's names): balanced 72 | 60, list 88 | 44,
#: detail 44 | 88.
RATIOS: dict[tuple[bool, LayoutMode], tuple[int, int]] = {
    (True, "balanced"): (6, 5),
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


def sidebar_width(terminal_width: int, needed: int) -> int:
    """The sidebar's width: what its names need, at most a quarter of the terminal (within
    :data:`SIDEBAR_MIN`..:data:`SIDEBAR_MAX`); longer names are cut with an ellipsis."""
    bound = max(SIDEBAR_MIN, min(SIDEBAR_MAX, terminal_width // SIDEBAR_SHARE))
    return max(SIDEBAR_MIN, min(needed, bound))


class PaneLayout:
    """Sizes the list and the detail pane on the main screen, which holds one: it calls
    :meth:`apply` on resize and focus changes and :meth:`cycle` for ``+``. The screen has
    ``#body``, ``#work``, the orders pane ``#orders-pane`` and the detail pane ``#detail``."""

    def __init__(self, screen: Screen[Any]) -> None:
        self._screen = screen
        self.mode: LayoutMode = "balanced"
        #: ``b``'s choice: None until pressed (then the terminal's width decides).
        self.sidebar_choice: bool | None = None

    @property
    def sidebar_shown(self) -> bool:
        if self.sidebar_choice is not None:
            return self.sidebar_choice
        return self._screen.app.size.width >= SIDEBAR_MIN_TERMINAL

    def toggle_sidebar(self) -> None:
        """``b``: hide or show the project sidebar (the choice holds across resizes)."""
        self.sidebar_choice = not self.sidebar_shown
        self.apply()

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
        sidebar = screen.query_one("#sidebar")
        shown = self.sidebar_shown
        if sidebar.display != shown:
            sidebar.display = shown
        needed = getattr(sidebar, "needed_width", lambda: SIDEBAR_MIN)()
        width = sidebar_width(size.width, needed)
        if sidebar.styles.width is None or sidebar.styles.width.value != width:
            sidebar.styles.width = width
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
