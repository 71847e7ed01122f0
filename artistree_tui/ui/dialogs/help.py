"""Help: the keys active where the user pressed ``?``, generated from the bindings.

Nothing here is written by hand: each time it opens, help reads the active bindings where the
keyboard is (the focused pane's bindings, the screen's, the app's — after the user's
``[keymap]``) and lists them grouped by where they apply, each with its binding id (what
``[keymap]`` rebinds). The same key that opened it closes it, because its close binding carries
the same binding id as the app's help binding, so a rebinding moves both; ``esc`` and ``q``
close it too.

On the main screen help is a :class:`HelpBox` the screen holds in a layer above the panes, not a
screen of its own: a screen pushed over the console makes the terminal repaint every cell of it
(a modal's dimmed background is a new colour for each cell: 150 KiB at 160×48 over SSH), while
the box repaints only its own cells when it opens and the panes' cells it covered when it
closes (README "Performance"); the focus stays in the pane (moving it would restyle the pane,
another full repaint of it), and while the box is open the app hands it every key, so nothing
behind it acts on one.
Over another modal (the certificate choice) ``?`` opens :class:`HelpScreen`, a modal holding
the same box. One instance of each is made and reused (pushing fresh screens leaks).

Keys of one action are one row ("q, ^q  Quit"); Textual's "copy selected text" is left out
(this console is driven from the keyboard); a long description wraps under the description
column, never back to the left edge; the box is as tall as the keys and scrolls (j/k, arrows,
page keys) when the screen is shorter.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import ActiveBinding, Binding, BindingsMap, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.dom import DOMNode
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from artistree_tui.display import join
from artistree_tui.ui.detail.lines import TextLines
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
    ids: list[str] = field(default_factory=list)


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
        if binding.id and binding.id not in row.ids:
            row.ids.append(binding.id)
        # Our bindings (they have ids) say it in this console's words: their tooltip wins.
        if binding.tooltip and (not row.tooltip or (binding.id and not row.has_id)):
            row.tooltip = binding.tooltip
            row.has_id = bool(binding.id)
    # Innermost (the focused pane) first: that is what the user is looking at.
    chain = [node for node, _ in screen._modal_binding_chain]
    ordered = sorted(groups, key=lambda n: chain.index(n) if n in chain else len(chain))
    # One action bound on two nodes (q on the screen, Textual's ctrl+q on the app, both
    # "app.quit") is one row, where it is met first.
    seen: dict[tuple[str, str], HelpRow] = {}
    result: list[tuple[DOMNode, list[HelpRow]]] = []
    for node in ordered:
        rows: list[HelpRow] = []
        for (action, description), help_row in groups[node].items():
            key = (action.removeprefix("app."), description)
            first = seen.get(key)
            if first is not None:
                first.keys += help_row.keys
                first.ids += [i for i in help_row.ids if i not in first.ids]
                continue
            seen[key] = help_row
            rows.append(help_row)
        if rows:
            result.append((node, rows))
    for _node, rows in result:
        for help_row in rows:  # the short key first: "q, ctrl+q"
            help_row.keys = sorted(dict.fromkeys(help_row.keys), key=len)
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
            if row.ids:  # what [keymap] rebinds it by
                line.append(f"  [{', '.join(row.ids)}]", style="dim italic")
            pieces = [line] if width is None else wrap(line, max(8, width - len(indent)))
            lines.append(join(keys, pieces[0]))
            lines.extend(join(indent, piece) for piece in pieces[1:])
    text = Text("\n").join(lines)
    text.no_wrap = True
    return text


class HelpBox(Vertical):
    """The help box: the keys, a scrolling body, a footer saying how to close it. It closes
    by calling :attr:`on_close` (the main screen hides it, :class:`HelpScreen` dismisses)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("question_mark,f1", "close", "Close help", id=keymap.HELP),
        Binding("escape,q", "close", "Close help", id=keymap.HELP_CLOSE),
        Binding("j,down", "scroll_help(1)", "Scroll down", show=False, id="help.down"),
        Binding("k,up", "scroll_help(-1)", "Scroll up", show=False, id="help.up"),
        Binding("pagedown,ctrl+d", "page_help(1)", "Page down", show=False, id="help.page_down"),
        Binding("pageup,ctrl+u", "page_help(-1)", "Page up", show=False, id="help.page_up"),
        Binding("G,end", "help_edge(1)", "Last keys", show=False, id="help.end"),
        Binding("g,home", "help_edge(-1)", "First keys", show=False, id="help.home"),
    ]

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.on_close: Callable[[], object] = lambda: None
        self._lines = 1

    def compose(self) -> ComposeResult:
        self.border_title = "Keys"
        with VerticalScroll(id="help-body"):
            yield TextLines(id="help-keys")
        yield Static(id="help-footer", markup=False)

    @property
    def body(self) -> VerticalScroll:
        return self.query_one("#help-body", VerticalScroll)

    @property
    def keys_text(self) -> str:
        """The keys shown, as plain text."""
        return self._text.plain

    _text = Text("")

    def describe(self, screen: Screen[Any]) -> None:
        """List the keys active on ``screen`` (where its focus is now)."""
        keys = describe_bindings(screen, self._text_width())
        self._text = keys
        self.query_one("#help-keys", TextLines).set_text(keys)
        self._lines = keys.plain.count("\n") + 1
        self.fit_height()
        closing = [
            self.app.get_key_display(binding)
            for _key, binding in self.own_bindings()
            if binding.action == "close"
        ]
        self.query_one("#help-footer", Static).update(
            Text(f"Press {', '.join(dict.fromkeys(closing))} to close.", style="dim")
        )
        self.body.scroll_home(animate=False)

    def own_bindings(self) -> BindingsMap:
        """The box's bindings after the user's ``[keymap]`` (as Textual applies it)."""
        bindings = self._bindings.copy()
        if self.app._keymap:
            bindings.apply_keymap(self.app._keymap)
        return bindings

    #: Rows the whole box may take (set by whoever places it: the main screen gives it the
    #: panes' rows, so the stats bar, the status line and the footer stay in sight); None:
    #: the screen less a line above and below.
    room: int | None = None

    @property
    def body_height(self) -> int:
        """Rows of the keys shown at once: as many as there are (no empty box), at most the
        box's :attr:`room` less the footer line, its margin and the box's border (4): then
        they scroll. The text is wrapped here, so its height is known exactly."""
        room = self.room if self.room is not None else self.app.size.height - 2
        return min(self._lines, max(3, room - 4))

    def fit_height(self) -> None:
        height = self.body_height
        if self.body.styles.height is None or self.body.styles.height.value != height:
            self.body.styles.height = height

    def _text_width(self) -> int:
        # The box is 80 cells or 95% of the screen (console.tcss), minus its border (2),
        # padding (2) and scrollbar (1).
        return min(HELP_WIDTH, self.app.size.width * 95 // 100) - 5

    def action_close(self) -> None:
        self.on_close()

    def action_scroll_help(self, step: int) -> None:
        # immediate: a deferred scroll reads the same offset for every key of a burst.
        self.body.scroll_relative(y=step, animate=False, immediate=True)

    def action_page_help(self, step: int) -> None:
        page = max(1, self.body.scrollable_content_region.height - 1)  # a line kept in sight
        self.body.scroll_relative(y=step * page, animate=False, immediate=True)

    def action_help_edge(self, end: int) -> None:
        y = self.body.max_scroll_y if end > 0 else 0
        self.body.scroll_to(y=y, animate=False, immediate=True)


class HelpScreen(ModalScreen[None]):
    """Help over another modal (the certificate choice): a :class:`HelpBox` on a screen."""

    def compose(self) -> ComposeResult:
        box = HelpBox(id="help-box")
        box.on_close = lambda: self.dismiss(None)
        yield box

    @property
    def box(self) -> HelpBox:
        return self.query_one(HelpBox)

    def on_screen_resume(self) -> None:
        # Regenerated on every opening: the focused pane and the keymap may have changed.
        stack = self.app.screen_stack
        below = stack[-2] if len(stack) > 1 else None
        if below is not None:
            self.box.describe(below)
        self.box.body.focus()

    def on_resize(self) -> None:
        self.box.fit_height()
