"""The help screen: the keys active where the user pressed ``?``, generated from the bindings.

Nothing here is written by hand: each time it opens, the screen reads the active bindings of
the screen below it (the focused pane's bindings, the screen's, the app's — after the user's
``[keymap]``) and lists them grouped by where they apply. The same key that opened it closes
it, because its close binding carries the same binding id as the app's help binding, so a
rebinding moves both. One instance is installed and reused (pushing fresh screens leaks).
"""

from __future__ import annotations

import re
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import ActiveBinding, Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.dom import DOMNode
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from artistree_tui.ui import keymap

KEY_WIDTH = 16


def group_title(node: DOMNode) -> str:
    """A heading for the bindings defined on ``node``."""
    title = getattr(node, "BINDING_GROUP_TITLE", None)
    if title:
        return str(title)
    if isinstance(node, Screen):
        return "Everywhere on this screen"
    if node is node.app:
        return "Everywhere"
    # "OrderList" -> "Order list"
    words = re.findall(r"[A-Z]+[a-z0-9]*|[a-z0-9]+", type(node).__name__)
    return " ".join(words).capitalize() if words else type(node).__name__


def describe_bindings(screen: Screen[object]) -> Text:
    """The active bindings of ``screen`` as text: one heading per node, one line per action."""
    app = screen.app
    groups: dict[DOMNode, dict[tuple[str, str, str], list[str]]] = {}
    active: dict[str, ActiveBinding] = screen.active_bindings
    for active_binding in active.values():
        binding = active_binding.binding
        if binding.system or not (binding.description or binding.tooltip):
            continue
        description = binding.description or binding.tooltip
        actions = groups.setdefault(active_binding.node, {})
        keys = actions.setdefault((binding.action, description, binding.tooltip), [])
        keys.append(app.get_key_display(binding))
    text = Text()
    # Innermost (the focused pane) first: that is what the user is looking at.
    chain = [node for node, _ in screen._modal_binding_chain]
    for node in sorted(groups, key=lambda n: chain.index(n) if n in chain else len(chain)):
        if text:
            text.append("\n")
        text.append(group_title(node), style="bold underline")
        text.append("\n")
        for (_action, description, tooltip), keys in groups[node].items():
            shown = ", ".join(dict.fromkeys(keys))
            text.append(f"  {shown:<{KEY_WIDTH}}", style="bold")
            text.append(description)
            if tooltip and tooltip != description:
                text.append(f" — {tooltip}", style="dim")
            text.append("\n")
    return text


class HelpScreen(ModalScreen[None]):
    """Keys of the focused pane, the screen and the app; ``?``/``f1`` or ``esc`` closes."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("question_mark,f1", "close", "Close help", id=keymap.HELP),
        Binding("escape", "close", "Close help", id=keymap.HELP_CLOSE),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(id="help-box") as box:
            box.border_title = "Keys"
            with VerticalScroll(id="help-body"):
                yield Static(id="help-keys", markup=False)
            yield Static(id="help-footer", markup=False)

    def on_screen_resume(self) -> None:
        # Regenerated on every opening: the focused pane and the keymap may have changed.
        stack = self.app.screen_stack
        below = stack[-2] if len(stack) > 1 else None
        keys = describe_bindings(below) if below is not None else Text("")
        self.query_one("#help-keys", Static).update(keys)
        closing = [
            self.app.get_key_display(ab.binding)
            for ab in self.active_bindings.values()
            if ab.binding.action == "close" and ab.binding.show
        ]
        self.query_one("#help-footer", Static).update(
            Text(f"Press {' or '.join(dict.fromkeys(closing))} to close.", style="dim")
        )
        self.query_one("#help-body", VerticalScroll).scroll_home(animate=False)
        self.query_one("#help-body", VerticalScroll).focus()

    def action_close(self) -> None:
        self.dismiss(None)
