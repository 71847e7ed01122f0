"""The "Go to order id…" prompt (``o``), and what an order id looks like.

:class:`OrderIdPrompt` is a small modal with one text box: it dismisses with the id the user
typed (the UUID found in the text, or the text itself: ids are opaque to the client) or None
on ``esc``. The screen fetches the order (see :mod:`artistree_tui.ui.screen.main`).
"""

from __future__ import annotations

import re
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from artistree_tui.ui.keys import keymap

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
            # Not a UUID: still let the API answer (ids are opaque to the client).
            self.dismiss(value)
        else:
            self.dismiss(None)

    def action_cancel(self) -> None:
        self.dismiss(None)
