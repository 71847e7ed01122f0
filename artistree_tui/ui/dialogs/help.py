"""The help screen: the keys active where the user pressed ``?``, generated from the bindings.

Nothing here is written by hand: each time it opens, the screen reads the active bindings of
the screen below it (the focused pane's bindings, the screen's, the app's — after the user's
``[keymap]``) and lists them grouped by where they apply. The same key that opened it closes
it, because its close binding carries the same binding id as the app's help binding, so a
rebinding moves both. One instance is installed and reused (pushing fresh screens leaks).

Keys of one action are one row ("q, ^q  Quit"); Textual's "copy selected text" is left out
(this console is driven from the keyboard); a long description wraps under the description
column, never back to the left edge; the box is as tall as the keys and scrolls (j/k, arrows,
page keys) when the screen is shorter.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import ActiveBinding, Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.dom import DOMNode
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from artistree_tui.display import join
from artistree_tui.ui.detail.sections import wrap
from artistree_tui.ui.keys import keymap
from artistree_tui.ui.orders.rows import fit

#: Width of the keys column ("shift+tab", "G, end", "q, ctrl+q" and an indent).
KEY_WIDTH = 14
#: Width of the help box (console.tcss #help-box).
HELP_WIDTH = 80


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


#: Actions that do not belong in this console's help: Textual's "copy selected text" (the
#: console is used from the keyboard; the terminal's own selection works as usual), and the
#: horizontal scrolling Textual's lists and tables bind: every pane here fits its width.
HIDDEN_ACTIONS = frozenset(
    {"screen.copy_text", "copy_text", "scroll_left", "scroll_right", "page_left", "page_right"}
)


@dataclass
class HelpRow:
    """One line of the help: every key of one action, what it does, and why (tooltip)."""

    keys: list[str]
    description: str
    tooltip: str = ""
    has_id: bool = False


def binding_rows(screen: Screen[object]) -> list[tuple[DOMNode, list[HelpRow]]]:
    """The active bindings of ``screen``: one group per node (the focused pane first), one
    row per action — keys of the same action on the same node are merged ("q, ctrl+q")."""
    app = screen.app
    groups: dict[DOMNode, dict[tuple[str, str], HelpRow]] = {}
    active: dict[str, ActiveBinding] = screen.active_bindings
    for active_binding in active.values():
        binding = active_binding.binding
        if binding.system or binding.action in HIDDEN_ACTIONS:
            continue
        if not binding.id and getattr(active_binding.node, "HELP_OWN_KEYS_ONLY", False):
            continue  # a widget's inherited keys (Textual's words) beside ours: only ours
        if not (binding.description or binding.tooltip):
            continue
        description = binding.description or binding.tooltip
        by_action = groups.setdefault(active_binding.node, {})
        row = by_action.setdefault((binding.action, description), HelpRow([], description))
        row.keys.append(app.get_key_display(binding))
        # Our bindings (they have ids) say it in this console's words: their tooltip wins.
        if binding.tooltip and (not row.tooltip or (binding.id and not row.has_id)):
            row.tooltip = binding.tooltip
            row.has_id = bool(binding.id)
    # Innermost (the focused pane) first: that is what the user is looking at.
    chain = [node for node, _ in screen._modal_binding_chain]
    ordered = sorted(groups, key=lambda n: chain.index(n) if n in chain else len(chain))
    result: list[tuple[DOMNode, list[HelpRow]]] = []
    for node in ordered:
        rows = list(groups[node].values())
        for help_row in rows:  # the short key first: "q, ctrl+q"
            help_row.keys = sorted(dict.fromkeys(help_row.keys), key=len)
        result.append((node, rows))
    return result


def describe_bindings(screen: Screen[object], width: int | None = None) -> Text:
    """The active bindings of ``screen`` as text: a heading per node, then one row per action,
    keys | description — tooltip, wrapped to ``width`` under the description (a hanging
    indent: a continuation line never starts at the left edge)."""
    lines: list[Text] = []
    indent = " " * (KEY_WIDTH + 1)
    for node, rows in binding_rows(screen):
        if lines:
            lines.append(Text(""))
        lines.append(Text(group_title(node), style="bold underline"))
        for row in rows:
            keys = Text(fit("  " + ", ".join(row.keys), KEY_WIDTH) + " ", style="bold")
            line = Text(row.description)
            if row.tooltip and row.tooltip.rstrip(".") != row.description:
                line.append(f" — {row.tooltip.rstrip('.')}", style="dim")
            pieces = [line] if width is None else wrap(line, max(8, width - len(indent)))
            lines.append(join(keys, pieces[0]))
            lines.extend(join(indent, piece) for piece in pieces[1:])
    text = Text("\n").join(lines)
    text.no_wrap = True
    return text


class HelpScreen(ModalScreen[None]):
    """Keys of the focused pane, the screen and the app; ``?``/``f1`` or ``esc`` closes."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("question_mark,f1", "close", "Close help", id=keymap.HELP),
        Binding("escape", "close", "Close help", id=keymap.HELP_CLOSE),
        Binding("j", "scroll_help(1)", "Scroll down", show=False, id="help.down"),
        Binding("k", "scroll_help(-1)", "Scroll up", show=False, id="help.up"),
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
        keys = describe_bindings(below, self._text_width()) if below is not None else Text("")
        self.query_one("#help-keys", Static).update(keys)
        self._lines = keys.plain.count("\n") + 1
        self._fit_height()
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

    _lines = 1

    def on_resize(self) -> None:
        self._fit_height()

    def _fit_height(self) -> None:
        # As tall as the keys (no empty box), at most the screen minus the footer line, its
        # margin and the box's border (4) and a line above and below: then it scrolls. The
        # text is wrapped here, so its height is known exactly.
        room = max(3, self.app.size.height - 6)
        self.query_one("#help-body", VerticalScroll).styles.height = min(self._lines, room)

    def _text_width(self) -> int:
        # The box is 80 cells or 95% of the screen (console.tcss), minus its border (2),
        # padding (2) and scrollbar (1).
        return min(HELP_WIDTH, self.app.size.width * 95 // 100) - 5

    def action_close(self) -> None:
        self.dismiss(None)

    def action_scroll_help(self, step: int) -> None:
        # immediate: a deferred scroll reads the same offset for every key of a burst.
        body = self.query_one("#help-body", VerticalScroll)
        body.scroll_relative(y=step, animate=False, immediate=True)
