"""The list's status line in a narrow pane drops its last parts whole, with "…" for them,
rather than cutting a word ("2 new or chan…", seen by a tryout at 120 columns with a sort and
marks); the row's position on the right is never given up."""

from __future__ import annotations

from rich.text import Text

from artistree_tui.ui.orders.status_words import whole_parts

LINE = "20,000 orders · lowest confidence first (768 with a score) · 2 new or changed (n/N)"


def test_parts_that_do_not_fit_go_whole() -> None:
    assert whole_parts(Text(LINE), 200).plain == LINE
    assert whole_parts(Text(LINE), 70).plain == (
        "20,000 orders · lowest confidence first (768 with a score) …"
    )
    assert whole_parts(Text(LINE), 40).plain == "20,000 orders …"
    # A first part longer than the room is cut, as before: nothing else to drop.
    assert whole_parts(Text(LINE), 10).plain == "20,000 or…"


def test_styles_stay_on_what_is_kept() -> None:
    line = Text().append("12 matches", style="bold").append(" · filter “kite”")
    kept = whole_parts(line, 12)
    assert kept.plain == "12 matches …" and kept.spans[0].style == "bold"
