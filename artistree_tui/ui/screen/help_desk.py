"""The help box's place on the screen: mounted late, laid out out of sight, shown centred.

Help is a box over the panes (:class:`~artistree_tui.ui.dialogs.help.HelpBox`), not a screen
of its own: opening it writes the box's cells, not the screen behind it. :class:`HelpDesk`,
held by the main screen, owns where it is and when:

- it is mounted (and its module imported) on first use, normally once the first rows are
  painted (:meth:`HelpDesk.mount`): the start does not need it;
- open, it is centred over the panes and never taller than they are (the area the screen
  hands in): the counts above them, the status line and the footer below stay in sight
  (but on a terminal under ten rows: :data:`MIN_BOX_ROWS`);
- it is always laid out, above the top of the screen while closed: on ``?`` its keys are laid
  out there first and it moves into view a frame later, so the terminal gets its cells once
  (a box shown and sized in the same frame is painted twice by Textual);
- while it is open the app hands it every key (:meth:`HelpDesk.key`): its own keys work
  (close, scroll), any other is dropped, so nothing behind the box acts on it.

It posts no message: the box calls :meth:`HelpDesk.close` itself.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, cast

from textual.geometry import Region

from artistree_tui.ui.mounting import mount_later

if TYPE_CHECKING:
    from textual.screen import Screen

    from artistree_tui.ui.dialogs.help import HelpBox

BOX_ID = "help-box"
#: The fewest rows the box takes (three keys, the footer, its margin, the border): panes
#: shorter than that (a terminal under ten rows) give it the whole screen.
MIN_BOX_ROWS = 7


class HelpDesk:
    """Where the help box is, and when (module docstring)."""

    def __init__(self, screen: Screen[None], area: Callable[[], Region]) -> None:
        self._screen = screen
        self._box: HelpBox | None = None  # found once: a query walks the whole screen
        self._area = area  # where the box may be: the panes' region of the screen

    def _mounted(self) -> HelpBox | None:
        """The box on the screen (asked on every key: see ConsoleApp.on_event)."""
        box = self._box
        if box is not None and box.parent is not None:
            return box
        found = self._screen.query(f"#{BOX_ID}")
        self._box = cast("HelpBox", found.first()) if found else None
        return self._box

    @property
    def box(self) -> HelpBox:
        """The help box, mounted on first use (hidden until opened)."""
        box = self._mounted()
        if box is not None:
            return box
        from artistree_tui.ui.dialogs.help import HelpBox

        box = HelpBox(id=BOX_ID)
        box.on_close = self.close
        box.styles.offset = (0, -999)  # above the screen until placed: never a stray frame of it
        return mount_later(self._screen, box)

    def mount(self) -> None:
        """Mount the box now (after the first rows: ready before the first ``?``)."""
        self.box  # noqa: B018 (mounts it)
        self._screen.call_after_refresh(self.place)

    @property
    def shown(self) -> bool:
        box = self._mounted()
        return box is not None and box.has_class("-open")

    def open(self) -> None:
        """``?``: the keys where the focus is. The focus stays where it is (moving it would
        restyle the pane it leaves: a repaint of every cell of it)."""
        box = self.box
        if not box.is_mounted:  # ? before the box was mounted: once it is
            self._screen.call_after_refresh(self.open)
            return
        box.describe(self._screen)
        box.add_class("-open")
        self.place(shown=False)
        self._screen.call_after_refresh(self.place)

    def close(self) -> None:
        self.box.remove_class("-open")
        self.place()

    async def key(self, key: str) -> None:
        """A key pressed while help is open: the box's own keys work, others are dropped."""
        box = self.box
        for binding in box.own_bindings().key_to_bindings.get(key, ()):
            if await self._screen.app.run_action(binding.action, box):
                return

    def place(self, *, shown: bool = True) -> None:
        """Centred over the panes when open (the box is laid out on its own layer from the
        screen's top left corner), as tall as the panes at most: the bars above and below
        them (the counts, the status line, the footer) stay in sight (on a terminal under
        ten rows, too short for three keys over the panes, it takes the whole screen).
        Closed, just above the screen, where nothing of it is drawn."""
        box = self._mounted()
        if box is None:
            return  # not mounted yet: placed when it is
        size = self._screen.app.size
        area = self._area()
        if area.height <= 0:  # not laid out yet: the screen less a line above and below
            area = Region(0, 1, size.width, max(0, size.height - 2))
        if area.height < MIN_BOX_ROWS:  # a tiny terminal: the panes cannot hold three keys
            area = Region(0, 0, size.width, size.height)
        box.room = area.height
        box.fit_height()
        from artistree_tui.ui.dialogs.help import HELP_WIDTH

        width = min(HELP_WIDTH, size.width * 95 // 100)
        height = box.body_height + 4  # what the box takes: keys, footer, margin, border
        box.styles.width = width
        if shown and box.has_class("-open"):
            offset = (
                max(0, (size.width - width) // 2),
                area.y + max(0, (area.height - height) // 2),
            )
        else:
            offset = (0, -height - 1)
        if box.styles.offset.x.value != offset[0] or box.styles.offset.y.value != offset[1]:
            box.styles.offset = offset
