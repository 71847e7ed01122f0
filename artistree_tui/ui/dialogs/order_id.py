"""The "Go to order id…" prompt (``o``), and what an order id looks like.

:class:`OrderIdPrompt` is a small modal with one text box: it dismisses with the order id found
in what the user typed or pasted (a UUID, also amid other text: a link, a log line) or None on
``esc``. Text with no UUID in it is not sent to the API (the answer could only be "not found",
and the text would be gone): the prompt says what an order id looks like and keeps the text to
correct. The screen fetches the order (see :mod:`artistree_tui.ui.screen.main`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from artistree_tui.display import clean
from artistree_tui.ids import ORDER_ID, SHORT_ID, without_ellipsis
from artistree_tui.store import IdMatches
from artistree_tui.ui.keys import keymap

#: What the prompt says when the text holds no order id.
ID_SHAPE = "An order id is a UUID, like 7795a850-d1cd-491c-8d9d-3714d8fa0b1e."

#: Looks the start of an id up in the local order index.
Lookup = Callable[[str], IdMatches]


class OrderIdPrompt(ModalScreen[str | None]):
    """Asks for an order id; dismisses with the id (stripped; the whole id a unique start of
    one names, through ``lookup``) or None on ``esc``."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id=keymap.PROMPT_CANCEL)
    ]

    def __init__(self, lookup: Lookup | None = None) -> None:
        super().__init__()
        self._lookup = lookup

    def compose(self) -> ComposeResult:
        with Vertical(id="prompt-box") as box:
            box.border_title = "Go to order id"
            yield Input(placeholder="order id, or its first characters", id="prompt-input")
            yield Static(id="prompt-error", markup=False)

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        value = event.value.strip()
        found = ORDER_ID.search(value)  # a UUID, also amid other text
        if found:
            self.dismiss(found.group(0))
            return
        if not value:
            self.dismiss(None)
            return
        short = without_ellipsis(value)
        if not SHORT_ID.fullmatch(short):
            self._say(f"Not an order id. {ID_SHAPE}")
            return
        if self._lookup is None:
            self._say(f"The start of an id cannot be looked up here. {ID_SHAPE}")
            return
        try:
            matches = self._lookup(short)
        except Exception:  # the index failed (its notice says why): ask for the whole id
            self._say(f"The local order index could not be read: type the whole id. {ID_SHAPE}")
            return
        if matches.unique is not None:
            self.dismiss(matches.unique)
        elif matches.count > 1:
            self._say(
                f"Ambiguous: {matches.count:,} orders start with {short} in the whole index. "
                "Type more of the id, or esc, then / in All Projects with no state filter "
                "shows them."
            )
        else:
            self._say(f"No order in the local index starts with {short}: type the whole id.")

    def _say(self, text: str) -> None:
        self.query_one("#prompt-error", Static).update(Text(clean(text), style="bold red"))

    def on_input_changed(self, event: Input.Changed) -> None:
        self.query_one("#prompt-error", Static).update("")

    def action_cancel(self) -> None:
        self.dismiss(None)
