"""Which of the main screen's three panes has the keyboard, and moving it there.

The panes, left to right: the project sidebar, the order list, the detail pane (:data:`PANES`;
the sidebar only while it is shown). ``1``/``2``/``3`` go to one, ``tab``/``shift+tab`` go
round them, ``h``/``l`` step left or right without going round. The focus moves at once
(``Screen.set_focus``: ``Widget.focus()`` is deferred, and "1jj" typed ahead in one SSH read
moved the pane being left), to the list itself, never to its open filter box ("2j" typed a
j), and to what the detail pane says takes its keys. No state; posts nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal, Protocol

if TYPE_CHECKING:
    from textual.widget import Widget

    from artistree_tui.ui.detail.pane import DetailPane
    from artistree_tui.ui.orders.pane import OrdersPane
    from artistree_tui.ui.projects.sidebar import ProjectSidebar
    from artistree_tui.ui.screen.layout import PaneLayout

__all__ = ["PANES", "Pane", "PaneFocus"]

Pane = Literal["sidebar", "list", "detail"]
PANES: tuple[Pane, ...] = ("sidebar", "list", "detail")


class Host(Protocol):
    """The screen the panes are on (the main screen)."""

    @property
    def sidebar(self) -> ProjectSidebar: ...

    @property
    def orders(self) -> OrdersPane: ...

    @property
    def detail(self) -> DetailPane: ...

    @property
    def focused(self) -> Widget | None: ...

    pane_layout: PaneLayout

    def set_focus(self, widget: Widget | None) -> None: ...


class PaneFocus:
    """The panes of ``screen`` as the keyboard moves between them (module docstring)."""

    def __init__(self, screen: Host) -> None:
        self._screen = screen

    def shown(self) -> tuple[Pane, ...]:
        """The panes on screen, left to right."""
        return PANES if self._screen.pane_layout.sidebar_shown else PANES[1:]

    def current(self) -> Pane | None:
        """The pane that holds the focused widget (None: none of them, e.g. help's box)."""
        focused = self._screen.focused
        if focused is None:
            return None
        for pane in PANES:
            if self._widget(pane) in focused.ancestors_with_self:
                return pane
        return None

    def focus(self, pane: Pane) -> None:
        """Give ``pane`` the keyboard, at once (module docstring)."""
        screen = self._screen
        target: Widget | None = {"sidebar": screen.sidebar, "list": screen.orders.order_list}.get(
            pane
        )
        screen.set_focus(target or screen.detail.focus_target())

    def go_round(self, step: int) -> None:
        """``tab``/``shift+tab``: the next or previous pane, round past either end."""
        panes = self.shown()
        current = self.current()
        index = panes.index(current) if current in panes else -1
        self.focus(panes[(index + step) % len(panes)])

    def step(self, step: int) -> None:
        """``h``/``l``: the pane to the left or right, stopping at either end."""
        panes = self.shown()
        current = self.current()
        index = panes.index(current) if current in panes else 0
        target = index + step
        if 0 <= target < len(panes):
            self.focus(panes[target])

    def _widget(self, pane: Pane) -> Widget:
        screen = self._screen
        return {"sidebar": screen.sidebar, "list": screen.orders, "detail": screen.detail}[pane]
