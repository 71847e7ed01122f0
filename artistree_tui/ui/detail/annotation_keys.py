"""``j``/``k`` on the annotations table: the next annotation, and past the last one, the pane.

Focusing the detail pane of an order with annotations focuses its annotations table (``3``,
``enter``), so the pane's own ``j``/``k`` scrolling is out of reach there. Without this, what
sits below the table (the selected annotation in full, analyses, failed items, layers) could
only be reached with ``G``, and read one screen at a time. So ``j`` on the last annotation
scrolls the pane down a line, and ``k`` on the first scrolls it up (back to the preview), as
in lazygit's panels: holding ``j`` walks the annotations, then the rest of the order.

A plain mixin (like :mod:`.preview_keys`) for the ``DataTable`` subclass: it scrolls the
nearest scrollable ancestor at once (a deferred scroll would drop most keys of a held ``j``).
"""

from __future__ import annotations

from typing import Any

from textual.widget import Widget


class AnnotationEdgeKeys:
    """``action_next_annotation`` / ``action_previous_annotation`` for the annotations
    table (the class mixing this in is a ``DataTable``)."""

    def action_next_annotation(self) -> None:
        table: Any = self
        if table.row_count and table.cursor_row < table.row_count - 1:
            table.action_cursor_down()
        else:
            self._scroll_pane(1)

    def action_previous_annotation(self) -> None:
        table: Any = self
        if table.row_count and table.cursor_row > 0:
            table.action_cursor_up()
        else:
            self._scroll_pane(-1)

    def _scroll_pane(self, lines: int) -> None:
        assert isinstance(self, Widget)
        for node in self.ancestors:
            if isinstance(node, Widget) and node.allow_vertical_scroll:
                node.scroll_relative(y=lines, animate=False, immediate=True)
                return
