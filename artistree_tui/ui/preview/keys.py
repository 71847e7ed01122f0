"""The preview's keys, wherever the keyboard is: on the panel, the detail pane, the screen.

The panel itself rarely has focus (focusing the detail pane focuses its annotations table;
``tab`` moves between panes), so its keys are bound three times with the *same binding ids*
— on the panel, on the detail pane and on the annotations table — and one ``[keymap]`` entry
rebinds every copy:

- ``z`` (``preview.zoom``): zoom into the selected annotation's region, and back;
- ``[`` / ``]`` (``preview.layer_prev`` / ``preview.layer_next``): step through the layers;
- ``v`` (``preview.toggle``, on the screen): hide or show the panel. With ``preview = "off"``
  there is no panel; ``v`` then says so in a toast instead.

This module holds the bindings only. The panel lists :data:`PANEL_BINDINGS` (its own
actions); the detail pane and the table list :data:`PANE_BINDINGS`, whose one action
``preview_key('zoom')`` etc. each of them hands to the
:class:`~.control.PreviewControl` it holds; the screen lists :data:`SCREEN_BINDINGS` and
hands them to its own. ``check_action`` hides the keys from the footer (and lets them through)
when they do not apply: no panel or a hidden one, nothing to zoom into, no layers.
"""

from __future__ import annotations

from collections.abc import Callable

from textual.binding import Binding, BindingType

__all__ = [
    "LAYER_NEXT",
    "LAYER_PREV",
    "PANEL_BINDINGS",
    "PANE_BINDINGS",
    "PANE_KEYS",
    "SCREEN_BINDINGS",
    "TOGGLE",
    "ZOOM",
]

# Binding ids (rebindable through the config's [keymap]).
ZOOM = "preview.zoom"
LAYER_PREV = "preview.layer_prev"
LAYER_NEXT = "preview.layer_next"
TOGGLE = "preview.toggle"

#: The keys the pane and the table pass on to the panel (the panel's own action names).
PANE_KEYS = ("zoom", "layer_prev", "layer_next")


def _bindings(action: Callable[[str], str]) -> list[BindingType]:
    """The zoom and layer keys, calling ``action(name)`` for each of :data:`PANE_KEYS`."""
    return [
        Binding("z", action("zoom"), "Zoom", tooltip="Zoom into the selected region", id=ZOOM),
        Binding(
            "left_square_bracket",
            action("layer_prev"),
            "Prev layer",
            tooltip="Show the previous layer",
            id=LAYER_PREV,
        ),
        Binding(
            "right_square_bracket",
            action("layer_next"),
            "Next layer",
            tooltip="Show the next layer",
            id=LAYER_NEXT,
        ),
    ]


#: On the panel itself (when it has focus, e.g. after a click): its own actions.
PANEL_BINDINGS = _bindings(lambda name: name)
#: On the detail pane and on its annotations table: ``preview_key('zoom')`` and so on.
PANE_BINDINGS = _bindings(lambda name: f"preview_key('{name}')")
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
