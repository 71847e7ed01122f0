"""The "Go to order id…" prompt (``o``), and what an order id looks like.

:class:`OrderIdPrompt` is a small modal with one text box: it dismisses with the order id found
in what the user typed or pasted (a UUID, also amid other text: a link, a log line) or None on
``esc``. Text with no UUID in it is not sent to the API (the answer could only be "not found",
and the text would be gone): the prompt says what an order id looks like and keeps the text to
correct. The screen fetches the order (see :mod:`artistree_tui.ui.screen.main`).
"""

from __future__ import annotations

import re
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from artistree_tui.ui.keys import keymap

#: What the prompt says when the text holds no order id.
ID_SHAPE = "An order id is a UUID, like 7795a850-d1cd-491c-8d9d-3714d8fa0b1e."

#: What it says when the text is the start of an id (the API takes whole ids only).
PREFIX_HINT = "The start of an id: esc, then / in the list finds the orders it begins."

#: Hex digits and dashes: what the start of an order id looks like.
ID_PREFIX_RE = re.compile(r"[0-9a-fA-F][0-9a-fA-F-]{3,35}")

#: An order id as the API spells it (a UUID); also accepted with surrounding text.
ORDER_ID_RE = re.compile(
    r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
)


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
            hint = PREFIX_HINT if ID_PREFIX_RE.fullmatch(value) else ""
            self.query_one("#prompt-error", Static).update(
                Text(f"Not an order id. {ID_SHAPE} {hint}".rstrip(), style="bold red")
            )
        else:
            self.dismiss(None)

    def on_input_changed(self, event: Input.Changed) -> None:
        self.query_one("#prompt-error", Static).update("")

    def action_cancel(self) -> None:
        self.dismiss(None)
