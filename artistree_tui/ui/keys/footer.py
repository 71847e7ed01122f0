"""The footer: the few keys of the focused pane, with help always first and quit last.

Textual's footer lists the focused widget's keys, then the screen's, then the app's, and cuts
what does not fit: at 80 columns the last one, "? Help", was cut to "?". Help lists every key,
so it goes first and is never cut; the command palette's key (``ctrl+p``, also listed in the
help) is left out below :data:`PALETTE_MIN_WIDTH` columns to leave the room to pane keys.
When the keys still do not fit, whole keys are left out, the least needed first
(:data:`DROP_ORDER`), never help or quit: at 80 columns "q Quit" was cut to "q Qu".

Textual's footer rebuilds itself (a widget per key, each restyled) once per "bindings changed"
signal, and a start sends five of them (focus, screen stack, app focus…): ~50 ms of the first
second. Requests that arrive while one rebuild is pending share it (the rebuild reads the
bindings when it runs, so it serves them all), and a rebuild that would show the very same keys
is skipped.
"""

from __future__ import annotations

from rich.cells import cell_len
from textual import events
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

#: Actions shown first, in this order; and the one shown last (quit, now the screen's: it
#: would otherwise come before the screen's other keys).
FIRST_ACTIONS = ("app.toggle_help", "toggle_help")
LAST_ACTIONS = ("app.quit", "quit")
#: Below this width the footer does not show the command palette's key.
PALETTE_MIN_WIDTH = 120
#: Keys left out when the footer is too narrow, first to last; then the others from the
#: end. Help and quit always stay.
DROP_ORDER = ("toggle_preview", "toggle_live", "cycle_state", "refresh", "copy_id", "filter")
KEEP = frozenset({"app.toggle_help", "toggle_help", "app.quit", "quit"})


def key_width(key: FooterKey) -> int:
    """Cells a key takes in the compact footer: "k Description" and one cell of margin."""
    width = cell_len(key.key_display) + 1
    return width + 1 + cell_len(key.description) if key.description else width


def fit_keys(keys: list[FooterKey], room: int) -> list[FooterKey]:
    """``keys`` without the least needed ones until they fit in ``room`` cells, whole."""
    kept = list(keys)
    order = {action: index for index, action in enumerate(DROP_ORDER)}
    droppable = [key for key in reversed(kept) if key.action not in KEEP]
    droppable.sort(key=lambda key: order.get(key.action, len(order)))  # stable: end first
    while droppable and sum(map(key_width, kept)) - 1 > room:
        kept.remove(droppable.pop(0))
    return kept


class ConsoleFooter(Footer):
    """Textual's footer with help first and coalesced rebuilds (see the module docstring)."""

    _rebuild_pending = False
    _shown: object = None  # what the last rebuild showed (see _keys_shown)

    def bindings_changed(self, screen: Screen) -> None:
        self._bindings_ready = True
        if not screen.app.app_focus or self._rebuild_pending:
            return
        if self.is_attached and screen is self.screen:
            self._rebuild_pending = True
            self.call_after_refresh(self._rebuild)

    async def _rebuild(self) -> None:
        self._rebuild_pending = False  # a change from here on needs (and gets) a new rebuild
        shown = self._keys_shown()
        if shown != self._shown:
            self._shown = shown
            await self.recompose()

    def _keys_shown(self) -> tuple[object, ...]:
        """Everything of the active bindings that the footer draws."""
        return (
            self.show_command_palette,
            self.compact,
            tuple(
                (b.key, b.action, b.description, b.key_display, b.group, enabled, tooltip)
                for _node, b, enabled, tooltip in self.screen.active_bindings.values()
                if b.show
            ),
        )

    def compose(self) -> ComposeResult:
        keys = list(super().compose())

        def rank(widget: object) -> int:
            action = widget.action if isinstance(widget, FooterKey) else ""
            if action in FIRST_ACTIONS:
                return FIRST_ACTIONS.index(action)
            return len(FIRST_ACTIONS) + (1 if action in LAST_ACTIONS else 0)

        keys = sorted(keys, key=rank)  # stable: the rest keep Textual's order
        palette = [k for k in keys if isinstance(k, FooterKey) and k.has_class("-command-palette")]
        plain = [k for k in keys if isinstance(k, FooterKey) and not k.classes]
        if self.compact:
            # The class each key's watcher of ``compact`` would add once mounted: a restyle of
            # that key alone, a dozen at every rebuild (~8 ms of a start).
            for key in keys:
                if isinstance(key, FooterKey):
                    key.add_class("-compact", update=False)
        if not self.compact or len(plain) + len(palette) != len(keys):
            yield from keys  # groups or the roomy style: not measured here
            return
        self._fitted_width = width = self.size.width or self.app.size.width
        # The palette's key is docked right: one more cell for its border, none of margin.
        yield from fit_keys(plain, width - sum(key_width(key) for key in palette))
        yield from palette

    _fitted_width = 0

    def on_resize(self, event: events.Resize) -> None:
        wide = self.app.size.width >= PALETTE_MIN_WIDTH
        if wide != self.show_command_palette:
            self.show_command_palette = wide
            self.refresh(recompose=True)
        elif event.size.width != self._fitted_width:
            self.refresh(recompose=True)  # more or fewer keys may fit
