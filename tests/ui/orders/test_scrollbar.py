"""The list's scrollbar: a thumb of whole cells (at least one) that reaches both ends."""

from __future__ import annotations

import pytest
from rich.segment import Segment

from artistree_tui.ui.orders.scrollbar import CellScrollBarRender, thumb_cells


@pytest.mark.parametrize(
    ("size", "virtual", "window", "position"),
    [(40, 2001, 40, 0), (40, 2001, 40, 987.0), (40, 2001, 40, 1961), (10, 100_000, 10, 5)],
)
def test_the_thumb_is_whole_cells_and_at_least_one(
    size: int, virtual: int, window: int, position: float
) -> None:
    start, cells = thumb_cells(size, virtual, window, position)
    assert cells >= 1 and 0 <= start <= size - cells
    segments = list(CellScrollBarRender.render_bar(size, virtual, window, position).segments)
    glyphs = [s for s in segments if isinstance(s, Segment) and s.text.strip("\n")]
    assert len(glyphs) == size
    thumb = [i for i, s in enumerate(glyphs) if s.style is not None and s.style.reverse]
    assert thumb == list(range(start, start + cells))
    # No eighth-of-a-cell glyphs: every cell is blank (coloured by its style) or the thumb.
    assert all(s.text == " " for s in glyphs)


def test_the_thumb_reaches_both_ends() -> None:
    assert thumb_cells(40, 2001, 40, 0)[0] == 0
    start, cells = thumb_cells(40, 2001, 40, 2001 - 40)
    assert start + cells == 40
