"""The preview's keys, wherever the keyboard is: on the panel, the detail pane, the screen.

The panel itself rarely has focus (focusing the detail pane focuses its annotations table;
``tab`` moves between panes), so its keys are bound three times with the *same binding ids*
— on the panel, on the detail pane and on the annotations table — and one ``[keymap]`` entry
rebinds every copy:

- ``z`` (``preview.zoom``): zoom into the selected annotation's region, and back;
- ``[`` / ``]`` (``preview.layer_prev`` / ``preview.layer_next``): step through the layers;
- ``v`` (``preview.toggle``, on the screen): hide or show the panel. With ``preview = "off"``
  there is no panel; ``v`` then says so in a toast instead.

The pane and the table list :data:`PANE_BINDINGS` in their ``BINDINGS`` and get the actions
from the mixin :class:`PreviewKeys`; the screen lists :data:`SCREEN_BINDINGS` and mixes in
:class:`PreviewToggleKeys`. (Plain mixins, not widget classes: Textual takes a widget's CSS
and component classes from its *first* widget base.) ``check_action`` hides the keys from
the footer (and lets them through) when they do not apply: no panel or a hidden one, nothing
to zoom into, no layers. The panel is found by its type name: no import of the widget.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.binding import Binding, BindingType
from textual.dom import DOMNode

from artistree_tui.ui.notify import toast

if TYPE_CHECKING:
    from artistree_tui.api.models import Order
    from artistree_tui.ui.preview.panel import PreviewPanel

__all__ = [
    "LAYER_NEXT",
    "LAYER_PREV",
    "PANEL_BINDINGS",
    "PANE_BINDINGS",
    "SCREEN_BINDINGS",
    "TOGGLE",
    "ZOOM",
    "PreviewKeys",
    "PreviewToggleKeys",
    "find_panel",
]

# Binding ids (rebindable through the config's [keymap]).
ZOOM = "preview.zoom"
LAYER_PREV = "preview.layer_prev"
LAYER_NEXT = "preview.layer_next"
TOGGLE = "preview.toggle"


def _bindings(prefix: str) -> list[BindingType]:
    """The zoom and layer keys calling ``<prefix>zoom`` etc. (the panel has no prefix)."""
    return [
        Binding("z", f"{prefix}zoom", "Zoom", tooltip="Zoom into the selected region", id=ZOOM),
        Binding(
            "left_square_bracket",
            f"{prefix}layer_prev",
            "Prev layer",
            tooltip="Show the previous layer",
            id=LAYER_PREV,
        ),
        Binding(
            "right_square_bracket",
            f"{prefix}layer_next",
            "Next layer",
            tooltip="Show the next layer",
            id=LAYER_NEXT,
        ),
    ]


#: On the panel itself (when it has focus, e.g. after a click).
PANEL_BINDINGS = _bindings("")
#: On the detail pane and on its annotations table.
PANE_BINDINGS = _bindings("preview_")
#: On the screen. Two bindings share the key and the id: the first works when there is a
#: panel, the second (hidden from the footer) only when there is none, to say why nothing
#: happens. A rebinding moves both.
SCREEN_BINDINGS: list[BindingType] = [
    Binding("v", "toggle_preview", "Preview", tooltip="Hide or show the preview", id=TOGGLE),
    Binding(
        "v",
        "preview_unavailable",
        "Preview",
        show=False,
        tooltip="The preview is off in the settings",
        id=TOGGLE,
    ),
]


def find_panel(node: DOMNode) -> PreviewPanel | None:
    """The preview panel of ``node``'s screen, if there is one."""
    try:
        screen = node.screen
    except Exception:  # not mounted (yet, or any more)
        return None
    for panel in screen.query("PreviewPanel"):
        return panel  # type: ignore[return-value]
    return None


def _node(mixin: object) -> DOMNode:
    assert isinstance(mixin, DOMNode), "mix into a widget or a screen"
    return mixin


class PreviewKeys:
    """Mixin for a widget near the preview (the detail pane, the annotations table): the
    actions of :data:`PANE_BINDINGS`."""

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action.startswith("preview_"):
            panel = find_panel(_node(self))
            if panel is None:
                return False
            return panel.can_zoom if action == "preview_zoom" else panel.has_layers
        parent: Any = super()
        return parent.check_action(action, parameters)

    def action_preview_zoom(self) -> None:
        if panel := find_panel(_node(self)):
            panel.toggle_zoom()

    def action_preview_layer_next(self) -> None:
        if panel := find_panel(_node(self)):
            panel.next_layer()

    def action_preview_layer_prev(self) -> None:
        if panel := find_panel(_node(self)):
            panel.previous_layer()


class PreviewToggleKeys:
    """Mixin for the console's screen: the actions of :data:`SCREEN_BINDINGS`, and
    :meth:`preview_first`."""

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("toggle_preview", "preview_unavailable"):
            has_panel = find_panel(_node(self)) is not None
            return has_panel if action == "toggle_preview" else not has_panel
        parent: Any = super()
        return parent.check_action(action, parameters)

    def action_toggle_preview(self) -> None:
        if panel := find_panel(_node(self)):
            panel.toggle()

    def action_preview_unavailable(self) -> None:
        toast(_node(self).app, 'The preview is off (preview = "off" in the settings).')

    def preview_first(self, order: Order) -> None:
        """Start loading ``order``'s preview now, before the detail pane draws the order
        (the pane's own announcement then finds the load under way)."""
        if panel := find_panel(_node(self)):
            panel.show_order(order)
