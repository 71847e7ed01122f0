"""Units of the console's look: the status line's colours, the scrollbar thumb, the layout
shares, the confidence dash, the footer's order."""

from __future__ import annotations

from datetime import datetime

import pytest
from rich.segment import Segment

from artistree_tui.api.retry import ClientEvent
from artistree_tui.ui.confidence import NO_SCORE, confidence_text
from artistree_tui.ui.live.status_line import StatusInfo, connection_text, status_text
from artistree_tui.ui.orders.scrollbar import CellScrollBarRender, thumb_cells
from artistree_tui.ui.screen import layout as screen_layout

NOW = datetime(2026, 3, 2, 14, 2, 31).astimezone()


@pytest.mark.parametrize(
    "event",
    [
        ClientEvent("ok"),
        ClientEvent("retrying", "rate limited", 3.0, 2),
        ClientEvent("failed", "server error"),
    ],
)
def test_only_the_connection_badge_is_coloured(event: ClientEvent) -> None:
    info = StatusInfo(auto=True, interval=30.0, last_refresh=NOW)
    info.connection.observe(event, mono=0, now=NOW)
    line = status_text(info, 0)
    badge = connection_text(info, 0)
    assert not line.style  # the line itself has no colour...
    assert line.plain.startswith(badge.plain)
    for span in line.spans:  # ...only its parts do: the badge, and our dim/bold words
        text = line.plain[span.start : span.end]
        if span.start < badge.cell_len:
            assert span.end <= badge.cell_len and span.style == badge.style
        else:
            assert str(span.style) in {"dim", "bold", "bold reverse"}, text
    refreshed = line.plain.index("refreshed")
    assert not [s for s in line.spans if s.start <= refreshed < s.end]


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


@pytest.mark.parametrize(
    ("width", "height", "mode", "focused", "expected"),
    [
        (160, 50, "balanced", False, (True, 8, 7)),
        (160, 50, "list", False, (True, 2, 1)),
        (160, 50, "detail", True, (True, 1, 2)),
        (120, 40, "balanced", True, (False, 1, 1)),  # tall enough: focus changes nothing
        (80, 24, "balanced", False, (False, 2, 1)),  # short: the focused pane gets the room
        (80, 24, "balanced", True, (False, 1, 2)),
        (80, 24, "list", True, (False, 2, 1)),  # an explicit mode wins over the focus
    ],
)
def test_layout_shares(
    width: int,
    height: int,
    mode: screen_layout.LayoutMode,
    focused: bool,
    expected: tuple[bool, int, int],
) -> None:
    assert screen_layout.shares(width, height, mode, detail_focused=focused) == expected


@pytest.mark.parametrize(
    ("state", "value", "text"),
    [
        ("In Progress", 0.0, NO_SCORE),
        ("Unsupported File", 0.93, NO_SCORE),
        ("Reviewed", None, NO_SCORE),
        ("Reviewed", -0.5, NO_SCORE),
        ("Failed", 0.0, "0%"),
        ("Human Certified", 0.934, "93%"),
        ("Human Certified", 93.4, "93%"),
        ("Human Certified", 140.0, "100%"),
    ],
)
def test_confidence_text(state: str, value: float | None, text: str) -> None:
    assert confidence_text(state, value) == text
