"""Command palette providers.

- :class:`ConsoleCommands` lists the main screen's own actions, generated from its bindings
  (title = the binding's description, help = its tooltip and current key); the state filter
  ("State: Failed", "State: all", as ``s`` would set it), the sort orders ("Sort: newest
  first"...), each project by name ("Project: Game Concept Art"); and offers "Go to
  order <id>" directly when the query holds an order id. It is added to Textual's providers
  (``COMMANDS = App.COMMANDS | {ConsoleCommands}``), so Theme, Quit, Keys... stay.
- :class:`ProjectPicker` is the "Go to project…" palette.

(Export comes from the ``e`` binding: "Export view…".
"Go to order id…" is a prompt of its own: :mod:`artistree_tui.ui.dialogs.order_id`.)

Project names are untrusted: the palette parses plain strings as markup, so every prompt here
is a :class:`~textual.content.Content` built from cleaned text, never a markup string.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.fuzzy import Matcher

from artistree_tui.api.models import KNOWN_STATES
from artistree_tui.api.projects import ProjectEntry
from artistree_tui.display import clean
from artistree_tui.ids import ORDER_ID
from artistree_tui.ui.states import state_label

if TYPE_CHECKING:
    from artistree_tui.store.rows import SortKey


@runtime_checkable
class ConsoleActions(Protocol):
    """What the palette needs from the main screen."""

    def project_entries(self) -> list[ProjectEntry]: ...

    def open_project(self, name: str) -> None: ...

    def go_to_order(self, order_id: str) -> None: ...

    def set_state_filter(self, state: str | None) -> None: ...

    def sort_orders(self, key: SortKey, descending: bool) -> None: ...


#: The sort orders the palette offers: (title, key, descending). The keys are the list's
#: (``OrdersPane.set_sort``).
SORTS: tuple[tuple[str, SortKey, bool], ...] = (
    ("Sort: newest first", "created", True),
    ("Sort: oldest first", "created", False),
    ("Sort: confidence, highest first", "confidence", True),
    ("Sort: confidence, lowest first", "confidence", False),
    ("Sort: by state", "state", False),
    ("Sort: by state, reversed", "state", True),
    ("Sort: by title A–Z", "title", False),
    ("Sort: by title Z–A", "title", True),
)


def state_commands(screen: ConsoleActions) -> list[tuple[str, Callable[[], Any], str]]:
    """ "State: all" and one "State: <state>" per state, as ``s`` sets them."""
    commands: list[tuple[str, Callable[[], Any], str]] = [
        ("State: all", partial(screen.set_state_filter, None), "Show every state")
    ]
    for state in KNOWN_STATES:
        label = state_label(state)
        commands.append(
            (
                f"State: {state}",
                partial(screen.set_state_filter, state),
                f"Show only {label.symbol} {label.word} orders",
            )
        )
    return commands


def highlighted(matcher: Matcher, text: str) -> Content:
    """``text`` (already clean) with the matched letters styled, without parsing markup."""
    content = Content(text)
    score, offsets = matcher.fuzzy_search.match(matcher.query, text)
    if score:
        for offset in offsets:
            if not text[offset].isspace():
                content = content.stylize(matcher.match_style, offset, offset + 1)
    return content


class ConsoleCommands(Provider):
    """The main screen's actions, from its bindings; state, sort and the projects
    by name; plus "Go to order <id>"."""

    def _commands(self) -> list[tuple[str, Callable[[], Any], str]]:
        screen = self.screen
        if not isinstance(screen, ConsoleActions):
            return []
        return [*self._binding_commands(), *self._list_commands(screen)]

    def _list_commands(self, screen: ConsoleActions) -> list[tuple[str, Callable[[], Any], str]]:
        commands = state_commands(screen)
        commands += [
            (title, partial(screen.sort_orders, key, descending), "Order the list")
            for title, key, descending in SORTS
        ]
        for entry in screen.project_entries():
            name = clean(entry.name, limit=80)
            commands.append(
                (f"Project: {name}", partial(screen.open_project, entry.name), "Open its orders")
            )
        return commands

    def _binding_commands(self) -> list[tuple[str, Callable[[], Any], str]]:
        screen = self.screen
        commands: dict[str, tuple[str, Callable[[], Any], str]] = {}
        for _key, binding in screen._bindings:
            if not binding.description or binding.action in commands:
                continue
            keys = [
                self.app.get_key_display(b)
                for _k, b in screen._bindings
                if b.action == binding.action
            ]
            help_text = f"{binding.tooltip or binding.description} ({', '.join(keys)})"
            # The palette parses ``help`` as markup (unlike the title): a key shown as "[" or
            # a rebinding from [keymap] must stay literal, so every "[" is escaped.
            help_text = help_text.replace("[", "\\[")
            callback = partial(self.app.run_action, binding.action, screen)
            commands[binding.action] = (binding.description, callback, help_text)
        return list(commands.values())

    async def discover(self) -> Hits:
        for title, callback, help_text in self._commands():
            yield DiscoveryHit(Content(title), callback, text=title, help=help_text)

    async def search(self, query: str) -> Hits:
        screen = self.screen
        found = ORDER_ID.search(query)
        if found and isinstance(screen, ConsoleActions):
            order_id = found.group(0)
            title = f"Go to order {order_id}"
            yield Hit(1.0, Content(title), partial(screen.go_to_order, order_id), text=title)
        matcher = self.matcher(query)
        for title, callback, help_text in self._commands():
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, highlighted(matcher, title), callback, text=title, help=help_text)


class ProjectPicker(Provider):
    """ "Go to project…": every sidebar project, by name, with its role or resolution state."""

    def _entries(self) -> list[ProjectEntry]:
        screen = self.screen
        return screen.project_entries() if isinstance(screen, ConsoleActions) else []

    def _hit_parts(self, entry: ProjectEntry) -> tuple[str, str, Callable[[], None]]:
        name = clean(entry.name, limit=80)
        note = ""
        if entry.resolved and entry.role:
            note = f"  · {clean(entry.role, limit=30)}"
        screen = self.screen
        assert isinstance(screen, ConsoleActions)
        return name, note, partial(screen.open_project, entry.name)

    async def discover(self) -> Hits:
        for entry in self._entries():
            name, note, callback = self._hit_parts(entry)
            yield DiscoveryHit(Content(name + note), callback, text=name)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for entry in self._entries():
            name, note, callback = self._hit_parts(entry)
            score = matcher.match(name)
            if score > 0:
                display = highlighted(matcher, name) + Content(note)
                yield Hit(score, display, callback, text=name)
