"""The annotations table of the detail pane: a ``DataTable`` of one order's annotations.

Moving its cursor selects an annotation for the preview; the preview's keys work here (see
:mod:`artistree_tui.ui.preview.keys`: the table holds a
:class:`~artistree_tui.ui.preview.control.PreviewControl` that hands them to the panel). Its
height is pinned by the pane, so new rows repaint instead of asking the whole screen for a
layout.

``j``/``k`` step past the ends into the pane. Focusing the detail pane of an order with
annotations focuses this table (``3``, ``enter``), so the pane's own ``j``/``k`` scrolling is
out of reach here. Without this, what sits below the table (the selected annotation in full,
analyses, failed items, layers) could only be reached with ``G``, and read one screen at a
time. So ``j`` on the last annotation scrolls the pane down a line, and ``k`` on the first
scrolls it up (back to the preview), as in lazygit's panels: holding ``j`` walks the
annotations, then the rest of the order. The pane is scrolled at once (a deferred scroll
would drop most keys of a held ``j``).

``DataTable``'s own keys (arrows, page keys, enter…) keep working, but the help lists only
this console's keys here (``HELP_OWN_KEYS_ONLY``, see :mod:`artistree_tui.ui.dialogs.help`):
not Textual's "Cursor up", "Select", "^home" beside ``j``/``k``.
"""

from __future__ import annotations

from functools import cached_property
from typing import ClassVar, Self

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.geometry import Region
from textual.widget import Widget
from textual.widgets import DataTable

from artistree_tui.ui.keys import keymap
from artistree_tui.ui.preview.control import PreviewControl
from artistree_tui.ui.preview.keys import PANE_BINDINGS


class AnnotationTable(DataTable[Text]):
    """The annotations of the order; moving the cursor selects one for the preview (and the
    preview's keys work here; j/k past the ends scroll the pane: see the module docstring)."""

    BINDING_GROUP_TITLE = "Annotations"
    HELP_OWN_KEYS_ONLY = True  # the help leaves out the keys it inherits from DataTable
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "next_annotation", "Next annotation", show=False, id=keymap.ANNOTATION_DOWN),
        Binding(
            "k", "previous_annotation", "Previous annotation", show=False, id=keymap.ANNOTATION_UP
        ),
        *PANE_BINDINGS,
    ]

    #: Set by the pane: the table's height is pinned at this many lines (its min-height).
    height_floor = 0

    @cached_property
    def preview_keys(self) -> PreviewControl:
        """Hands ``z``, ``[`` and ``]`` to the preview panel."""
        return PreviewControl(self)

    # -- keys ------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "preview_key":  # z, [ and ]: offered only when the panel can do it
            return self.preview_keys.key_applies(str(parameters[0]))
        return super().check_action(action, parameters)

    def action_preview_key(self, key: str) -> None:
        self.preview_keys.press(key)

    def action_next_annotation(self) -> None:
        if self.row_count and self.cursor_row < self.row_count - 1:
            self.action_cursor_down()
        else:
            self._scroll_pane(1)

    def action_previous_annotation(self) -> None:
        if self.row_count and self.cursor_row > 0:
            self.action_cursor_up()
        else:
            self._scroll_pane(-1)

    def _scroll_pane(self, lines: int) -> None:
        for node in self.ancestors:
            if isinstance(node, Widget) and node.allow_vertical_scroll:
                node.scroll_relative(y=lines, animate=False, immediate=True)
                return

    # -- painting --------------------------------------------------------------------------

    def refresh(
        self,
        *regions: Region,
        repaint: bool = True,
        layout: bool = False,
        recompose: bool = False,
    ) -> Self:
        # New rows change the table's virtual size, which asks the whole screen for a layout;
        # while they fit in the pinned height (no scrolling) nothing on screen moves: repaint.
        if layout and not recompose and self._fits_floor():
            layout = False
        return super().refresh(*regions, repaint=repaint, layout=layout, recompose=recompose)

    def _fits_floor(self) -> bool:
        size, virtual = self.size, self.virtual_size
        floor = self.height_floor
        return 0 < floor == size.height and virtual.height <= floor and virtual.width <= size.width
