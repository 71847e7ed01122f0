"""The preview panel as the rest of the screen reaches it: its keys from elsewhere, its first load.

The panel sits in the detail pane's preview slot (or nowhere: ``preview = "off"``) and rarely
has the keyboard. The main screen, the detail pane and the annotations table each hold a
:class:`PreviewControl`, which finds the panel on their screen, says whether one of its keys
applies (``check_action`` hides a key from the footer when it does not) and runs it. The
panel does the work; nothing here keeps state.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, cast

from textual.dom import DOMNode

from artistree_tui.api.models import Order
from artistree_tui.ui.notify import toast
from artistree_tui.ui.preview.messages import KEEP, Keep

if TYPE_CHECKING:  # imported with the first order drawn (messages.py)
    from artistree_tui.ui.preview.panel import PreviewPanel

PREVIEW_OFF = 'The preview is off (preview = "off" in the settings).'


class PreviewControl:
    """The preview panel of ``node``'s screen, as seen from ``node`` (see the module
    docstring)."""

    def __init__(self, node: DOMNode) -> None:
        self._node = node
        self._panel: PreviewPanel | None = None  # found once: a query walks the whole screen

    @property
    def panel(self) -> PreviewPanel | None:
        """The screen's preview panel, if there is one (and the node is on a screen)."""
        try:
            screen = self._node.screen
        except Exception:  # not mounted (yet, or any more)
            return None
        panel = self._panel
        if panel is not None and panel.parent is not None and panel.screen is screen:
            return panel
        self._panel = None
        for found in screen.query("PreviewPanel"):  # by its CSS type: no import of the class
            self._panel = cast("PreviewPanel", found)
            return self._panel
        return None

    # -- z, [ and ] (the detail pane's and the table's preview_key action) ---------------------

    def key_applies(self, key: str) -> bool:
        """Whether the panel's ``key`` (``zoom``, ``layer_prev``, ``layer_next``) applies."""
        panel = self.panel
        if panel is None:
            return False
        return panel.can_zoom if key == "zoom" else panel.has_layers

    def press(self, key: str) -> None:
        """Run the panel's ``key`` (one of :data:`~.keys.PANE_KEYS`)."""
        panel = self.panel
        if panel is None:
            return
        if key == "zoom":
            panel.toggle_zoom()
        elif key == "layer_next":
            panel.next_layer()
        elif key == "layer_prev":
            panel.previous_layer()

    # -- v and the first load (the screen's) ----------------------------------------------------

    def toggle(self) -> None:
        """``v``: hide or show the panel."""
        if panel := self.panel:
            panel.toggle()

    def say_off(self) -> None:
        """``v`` without a panel: say why nothing happens."""
        toast(self._node.app, PREVIEW_OFF)

    def paint_first(self, order: Order, then: Callable[[], object]) -> bool:
        """Paint ``order``'s picture before the detail pane draws it, if it is in memory
        (:meth:`~.panel.PreviewPanel.paint_first`); False: nothing done."""
        panel = self.panel
        return panel is not None and panel.paint_first(order, then)

    def show_first(self, order: Order, *, selected: int | Keep | None = KEEP) -> None:
        """Start loading ``order``'s preview now, before the detail pane draws the order
        (the pane's own announcement then finds the load under way); ``selected``: the
        annotation the pane selects, when it has drawn the order already."""
        if panel := self.panel:
            panel.show_order(order, selected=selected)
