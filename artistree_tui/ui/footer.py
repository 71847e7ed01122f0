"""The footer: the few keys of the focused pane, with help always first.

Textual's footer lists the focused widget's keys, then the screen's, then the app's, and cuts
what does not fit: at 80 columns the last one, "? Help", was cut to "?". Help lists every key,
so it goes first and is never cut; the command palette's key (``ctrl+p``, also listed in the
help) is left out below :data:`PALETTE_MIN_WIDTH` columns to leave the room to pane keys.
"""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

#: Actions shown first, in this order.
FIRST_ACTIONS = ("app.toggle_help", "toggle_help")
#: Below this width the footer does not show the command palette's key.
PALETTE_MIN_WIDTH = 120


class ConsoleFooter(Footer):
    """Textual's footer with help first (see the module docstring)."""

    def compose(self) -> ComposeResult:
        keys = list(super().compose())

        def rank(widget: object) -> int:
            action = widget.action if isinstance(widget, FooterKey) else ""
            return FIRST_ACTIONS.index(action) if action in FIRST_ACTIONS else len(FIRST_ACTIONS)

        yield from sorted(keys, key=rank)  # stable: the rest keep Textual's order

    def on_resize(self, event: events.Resize) -> None:
        wide = self.app.size.width >= PALETTE_MIN_WIDTH
        if wide != self.show_command_palette:
            self.show_command_palette = wide
            self.refresh(recompose=True)
