"""The annotations table of the detail pane: a ``DataTable`` of one order's annotations.

Moving its cursor selects an annotation for the preview; the preview's keys work here (see
:mod:`.preview_keys`) and ``j``/``k`` step past the ends into the pane (see
:mod:`.annotation_keys`). Its height is pinned by the pane, so new rows repaint instead of
asking the whole screen for a layout.

``DataTable``'s own keys (arrows, page keys, enter…) keep working, but the help lists only
this console's keys here (``HELP_OWN_KEYS_ONLY``, see :mod:`.help`): not Textual's
"Cursor up", "Select", "^home" beside ``j``/``k``.
"""

from __future__ import annotations

from typing import ClassVar, Self

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.geometry import Region
from textual.widgets import DataTable

from artistree_tui.ui.detail.annotation_keys import AnnotationEdgeKeys
from artistree_tui.ui.keys import keymap
from artistree_tui.ui.preview.keys import PANE_BINDINGS, PreviewKeys


class AnnotationTable(AnnotationEdgeKeys, PreviewKeys, DataTable[Text]):
    """The annotations of the order; moving the cursor selects one for the preview (and the
    preview's keys work here: see preview_keys; j/k past the ends: see annotation_keys)."""

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
