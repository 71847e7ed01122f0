"""Binding ids of the console and the ``[keymap]`` config table that rebinds them.

Every binding the console defines has an id (``"console.refresh"``), so users can rebind any
of them with ``[keymap]`` in the config (binding id -> comma-separated keys), applied with
Textual's :meth:`App.set_keymap`. An id the console does not know is reported once as a
warning rather than ignored silently (a typo would otherwise look like a broken key).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from textual.binding import Binding, BindingType
from textual.dom import DOMNode
from textual.keys import REPLACED_KEYS, Keys, key_to_character

# App-wide
QUIT = "app.quit"
HELP = "app.help"
COMMAND_PALETTE = "app.command_palette"
# The main screen
REFRESH = "console.refresh"
AUTO_REFRESH = "console.auto_refresh"  # bound in live.py (the screen's base class)
COPY_ID = "console.copy_id"
CERTIFICATE = "console.certificate"
FOCUS_SIDEBAR = "console.focus_sidebar"
FOCUS_LIST = "console.focus_list"
FOCUS_DETAIL = "console.focus_detail"
FOCUS_NEXT = "console.focus_next"
FOCUS_PREVIOUS = "console.focus_previous"
GO_TO_PROJECT = "console.go_to_project"
GO_TO_ORDER = "console.go_to_order"
CYCLE_LAYOUT = "console.cycle_layout"
EXPORT = "console.export"
PANE_LEFT = "console.pane_left"
PANE_RIGHT = "console.pane_right"
FILTER = "console.filter"
TOGGLE_SIDEBAR = "console.sidebar"
FOLLOW_ACTION = "console.follow_action"
DISMISS_NOTIFICATIONS = "console.dismiss_notifications"
# Panes
SIDEBAR_OPEN = "sidebar.open"
SIDEBAR_DOWN = "sidebar.down"
SIDEBAR_UP = "sidebar.up"
SIDEBAR_TOP = "sidebar.top"
SIDEBAR_BOTTOM = "sidebar.bottom"
DETAIL_DOWN = "detail.down"
DETAIL_UP = "detail.up"
DETAIL_TOP = "detail.top"
DETAIL_BOTTOM = "detail.bottom"
DETAIL_HALF_DOWN = "detail.half_down"
DETAIL_HALF_UP = "detail.half_up"
ANNOTATION_DOWN = "annotations.down"
ANNOTATION_UP = "annotations.up"
HELP_CLOSE = "help.close"
PROMPT_CANCEL = "prompt.cancel"


# The default keys of the app and of the main screen (panes keep theirs beside their code).
# q quits from the main screen only: on help and the other modals it closes them (their own
# bindings), and in a text box it is a letter.
APP_BINDINGS: list[BindingType] = [
    Binding(
        "question_mark,f1",
        "toggle_help",
        "Help",
        tooltip="Show the keys of the focused pane",
        id=HELP,
    ),
    Binding(
        "ctrl+p",
        "command_palette",
        "Commands",
        show=False,
        priority=True,
        tooltip="Search commands",
        id=COMMAND_PALETTE,
    ),
]

SCREEN_BINDINGS: list[BindingType] = [
    Binding("q", "app.quit", "Quit", tooltip="Quit the console", id=QUIT),
    Binding(
        "r",
        "refresh",
        "Refresh",
        tooltip="Re-read the newest orders, the counts and the detail now",
        id=REFRESH,
    ),
    Binding(
        "y",
        "copy_id",
        "Copy id",
        tooltip="Copy the order id to the clipboard (OSC 52)",
        id=COPY_ID,
    ),
    Binding(
        "c",
        "certificate",
        "Certificate…",
        show=False,
        tooltip="Copy the link to, or save, the certificate PDF",
        id=CERTIFICATE,
    ),
    Binding(
        "e",
        "export",
        "Export view…",
        show=False,
        tooltip="Write every order of the view to CSV or JSON",
        id=EXPORT,
    ),
    Binding(
        "p",
        "go_to_project",
        "Go to project…",
        show=False,
        tooltip="Pick a project by name",
        id=GO_TO_PROJECT,
    ),
    Binding(
        "o",
        "go_to_order",
        "Go to order id…",
        show=False,
        tooltip="Open an order by its id, or by its first characters",
        id=GO_TO_ORDER,
    ),
    Binding("1", "focus_pane('sidebar')", "Focus projects", show=False, id=FOCUS_SIDEBAR),
    Binding("2", "focus_pane('list')", "Focus orders", show=False, id=FOCUS_LIST),
    Binding("3", "focus_pane('detail')", "Focus detail", show=False, id=FOCUS_DETAIL),
    Binding("tab", "cycle_pane(1)", "Next pane", show=False, id=FOCUS_NEXT),
    Binding("shift+tab", "cycle_pane(-1)", "Previous pane", show=False, id=FOCUS_PREVIOUS),
    Binding(
        "h,left",
        "pane_step(-1)",
        "Pane left",
        show=False,
        tooltip="Focus the pane to the left (or above): projects, orders, detail",
        id=PANE_LEFT,
    ),
    Binding(
        "l,right",
        "pane_step(1)",
        "Pane right",
        show=False,
        tooltip="Focus the pane to the right (or below)",
        id=PANE_RIGHT,
    ),
    Binding(
        "slash",
        "open_filter",
        "Filter orders",
        show=False,
        tooltip="Filter the orders (from any pane)",
        id=FILTER,
    ),
    Binding(
        "b",
        "toggle_sidebar",
        "Projects",
        show=False,
        tooltip="Hide or show the project sidebar",
        id=TOGGLE_SIDEBAR,
    ),
    Binding(
        "exclamation_mark",
        "follow_action",
        "Needs action",
        show=False,
        tooltip="Go to the first order of the last Action Required notification",
        id=FOLLOW_ACTION,
    ),
    Binding(
        "plus",
        "cycle_layout",
        "Layout",
        show=False,
        tooltip="Give the list or the detail more room: balanced, list wide, detail wide",
        id=CYCLE_LAYOUT,
    ),
    Binding(
        "ctrl+l",
        "dismiss_notifications",
        "Dismiss notifications",
        show=False,
        tooltip="Close every notification on screen (they close by themselves after a while)",
        id=DISMISS_NOTIFICATIONS,
    ),
]


def key_display(node: DOMNode, binding_id: str) -> str:
    """How the key bound to ``binding_id`` on ``node``'s screen reads now (after
    ``[keymap]``), e.g. ``!``; "" when no key is bound to it there."""
    for active in node.screen.active_bindings.values():
        if active.binding.id == binding_id:
            return node.app.get_key_display(active.binding)
    return ""


def binding_ids(classes: Iterable[type[Any]]) -> set[str]:
    """Every binding id declared in the ``BINDINGS`` of these classes and their bases."""
    ids: set[str] = set()
    for cls in classes:
        for klass in getattr(cls, "__mro__", (cls,)):
            for item in klass.__dict__.get("BINDINGS", ()):
                if isinstance(item, Binding) and item.id:
                    ids.add(item.id)
    return ids


#: Modifiers a key name may carry (``ctrl+shift+r``).
MODIFIERS = frozenset({"ctrl", "shift", "alt", "meta", "super", "hyper"})
#: Named keys (``escape``, ``f5``, ``pagedown``...): Textual's, without its pseudo-keys.
NAMED_KEYS = frozenset(
    key.value for key in Keys if "+" not in key.value and not key.value.startswith("<")
)


def valid_key(name: str) -> bool:
    """Whether ``name`` is a key Textual can bind: a character (``r``, ``?``), a named key
    (``f5``, ``pagedown``) or a character's name (``question_mark``, ``slash``), after any
    modifiers (``ctrl+r``). A typo (``ctlr+r``, ``f55``, ``questionmark``) is not."""
    *modifiers, key = name.split("+")
    if not key or not set(modifiers) <= MODIFIERS:
        return False
    if len(key) == 1:
        return key.isprintable() and not key.isspace()
    if key in NAMED_KEYS:
        return True
    return key_to_character(REPLACED_KEYS.get(key, key)) is not None


def split_keymap(
    keymap: Mapping[str, str], known: Iterable[str]
) -> tuple[dict[str, str], list[str]]:
    """Split a user keymap into (entries to apply, entries ignored, sorted).

    Values are stripped of spaces around commas ("ctrl+r, f5" -> "ctrl+r,f5"). An entry is
    ignored, and its binding keeps its default keys, when its id is unknown, when it names no
    key (it would silently unbind one), or when a key name is not one (``ctlr+r``): it is
    reported as the id, or as ``id = "keys"`` when the keys are at fault.
    """
    known_ids = set(known)
    usable: dict[str, str] = {}
    ignored: list[str] = []
    for binding_id, keys in keymap.items():
        names = [part.strip() for part in str(keys).split(",") if part.strip()]
        if binding_id not in known_ids or not names:
            ignored.append(str(binding_id))
        elif not all(valid_key(name) for name in names):
            bad = ", ".join(name for name in names if not valid_key(name))
            ignored.append(f"{binding_id} = “{bad}”")
        else:
            usable[binding_id] = ",".join(names)
    return usable, sorted(ignored)
