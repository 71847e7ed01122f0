"""The live marks of the list's rows: new and changed orders marked until seen, a mark under the
cursor gone when the cursor leaves, a bounded number of marks, the mark drawn in the gutter."""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip

from artistree_tui.api.models import Order
from artistree_tui.ui.orders.marks import CHANGED, NEW, LiveMarks, marked_strip
from artistree_tui.ui.orders.merge import MergeResult


def result(
    new: tuple[str, ...] = (), changed: tuple[str, ...] = (), removed: set[str] | None = None
) -> MergeResult:
    return MergeResult(
        new=tuple(Order(order_id=i) for i in new),
        changed=tuple(Order(order_id=i) for i in changed),
        removed=frozenset(removed or ()),
    )


def test_marks_until_seen_and_new_stays_new() -> None:
    marks = LiveMarks()
    assert marks.apply(result(new=("a", "b"), changed=("c",)), highlighted="x")
    assert (marks.get("a"), marks.get("c"), marks.get("x")) == (NEW, CHANGED, "")
    marks.apply(result(changed=("a",)), highlighted="x")
    assert marks.get("a") == NEW and marks.counts() == (2, 1)
    assert marks.seen("a") and marks.get("a") == ""
    assert not marks.seen("zzz")
    marks.apply(result(removed={"b"}), highlighted=None)
    assert marks.get("b") == "" and len(marks) == 1


def test_a_mark_under_the_cursor_goes_when_the_cursor_leaves() -> None:
    marks = LiveMarks()
    marks.apply(result(changed=("here",)), highlighted="here")
    assert marks.get("here") == CHANGED
    assert marks.seen("elsewhere") and marks.get("here") == ""


def test_marks_are_bounded() -> None:
    marks = LiveMarks(limit=10)
    marks.apply(result(new=tuple(f"o{i}" for i in range(25))), highlighted=None)
    assert len(marks) == 10 and marks.get("o24") == NEW and marks.get("o0") == ""


def test_marked_strip_puts_the_mark_in_the_second_gutter_cell() -> None:
    base = Style(bgcolor="blue")
    strip = Strip([Segment("› ", base), Segment("Title", base)])
    marked = marked_strip(strip, "+")
    assert "".join(s.text for s in marked) == "›+Title"
    assert marked.cell_length == strip.cell_length
    assert all(s.style is not None and s.style.bgcolor == base.bgcolor for s in marked)
    assert marked_strip(strip, "") is strip
