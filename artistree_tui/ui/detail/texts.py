"""The verdict block of the order the detail pane is about to draw, built once.

Before the pane draws a new order, the screen asks whether that draw would move the preview
(:meth:`~.pane.DetailPane.full_in_place`): below the verdict and the annotations, it moves
when the verdict block gets more lines than it has had. Telling builds the block (~0.4 ms);
:class:`VerdictMemo` keeps it for the draw that follows, which then does not build it again.

No widget here: texts and line counts only.
"""

from __future__ import annotations

from rich.text import Text

from artistree_tui.api.models import Order
from artistree_tui.ui.detail import sections

__all__ = ["VerdictMemo", "line_count"]


def line_count(text: Text) -> int:
    """The lines ``text`` takes in its section (it is wrapped already)."""
    return text.plain.count("\n") + 1


class VerdictMemo:
    """The verdict block built last (one entry: the order about to be drawn)."""

    def __init__(self) -> None:
        self._last: tuple[Order, int | None, Text] | None = None

    def verdict(self, order: Order, width: int | None) -> Text:
        """``order``'s verdict block wrapped to ``width``: the one built last when it was
        built for this very order object and width, else built now."""
        last = self._last
        if last is not None and last[0] is order and last[1] == width:
            return last[2]
        built = sections.verdict_block(order, width)
        self._last = (order, width, built)
        return built
