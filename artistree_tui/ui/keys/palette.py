"""Command palette providers and the small prompts they open.

- :class:`ConsoleCommands` lists the main screen's own actions, generated from its bindings
  (title = the binding's description, help = its tooltip and current key), and offers "Go to
  order <id>" directly when the query holds an order id. It is added to Textual's providers
  (``COMMANDS = App.COMMANDS | {ConsoleCommands}``), so Theme, Quit, Keys... stay.
- :class:`ProjectPicker` is the "Go to project…" palette.
- :class:`OrderIdPrompt` asks for an order id ("Go to order id…").

Project names are untrusted: the palette parses plain strings as markup, so every prompt here
is a :class:`~textual.content.Content` built from cleaned text, never a markup string.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import partial
from typing import Any, ClassVar, Protocol, runtime_checkable

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.containers import Vertical
from textual.content import Content
from textual.fuzzy import Matcher
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from artistree_tui.display import clean
from artistree_tui.ui.keys import keymap
from artistree_tui.ui.projects.directory import ProjectEntry

#: An order id as the API spells it (a UUID); also accepted with surrounding text.
ORDER_ID_RE = re.compile(
    r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
)


@runtime_checkable
class ConsoleActions(Protocol):
    """What the palette needs from the main screen."""

    def project_entries(self) -> list[ProjectEntry]: ...

    def open_project(self, name: str) -> None: ...

    def go_to_order(self, order_id: str) -> None: ...


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
    """The main screen's actions, from its bindings, plus "Go to order <id>"."""

    def _commands(self) -> list[tuple[str, Callable[[], Any], str]]:
        screen = self.screen
        if not isinstance(screen, ConsoleActions):
            return []
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
        found = ORDER_ID_RE.search(query)
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
        note = "" if entry.resolved else "  (resolving…)"
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


class OrderIdPrompt(ModalScreen[str | None]):
    """Asks for an order id; dismisses with the id (stripped) or None on ``esc``."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id=keymap.PROMPT_CANCEL)
    ]

    def compose(self) -> ComposeResult:
        with Vertical(id="prompt-box") as box:
            box.border_title = "Go to order id"
            yield Input(placeholder="order id (UUID)", id="prompt-input")
            yield Static(id="prompt-error", markup=False)

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        value = event.value.strip()
        found = ORDER_ID_RE.search(value)
        if found:
            self.dismiss(found.group(0))
        elif value:
            # Not a UUID: still let the API answer (ids are opaque to the client).
            self.dismiss(value)
        else:
            self.dismiss(None)

    def action_cancel(self) -> None:
        self.dismiss(None)
