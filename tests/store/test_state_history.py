"""Every order keeps when it was first and last seen and a history of its states; a state
change marks it changed and forgets a confidence that belonged to the old state; counts per
state follow."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from artistree_tui.api.models import Order, OrdersPage, OrderStats, Project
from artistree_tui.store import ALL, Index, Scope, ViewSpec

from .conftest import preview


class Clock:
    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


def test_history_first_last_seen_and_changed(open_index: Callable[..., Index]) -> None:
    clock = Clock()
    index = open_index(clock=clock)
    writer, reader = index.writer(), index.reader()
    first = writer.write_page(
        OrdersPage(
            stats=OrderStats(total=3),
            previews=(preview(1, "In Progress"), preview(2, "Reviewed"), preview(3, "In Progress")),
        )
    )
    assert [c.order_id[-1] for c in first.new] == ["1", "2", "3"] and first.changes == ()
    t0 = clock.now
    clock.now += 600
    second = writer.write_previews([preview(1, "Action Required"), preview(2, "Reviewed")])
    assert [(c.before, c.after) for c in second.changes] == [("In Progress", "Action Required")]
    assert second.new == ()
    one = reader.row(preview(1, "").order_id)
    two = reader.row(preview(2, "").order_id)
    three = reader.row(preview(3, "").order_id)
    assert one is not None and two is not None and three is not None
    assert (one.first_seen, one.last_seen, one.changed_at) == (t0, clock.now, clock.now)
    assert (two.last_seen, two.changed_at) == (clock.now, None)  # seen again, unchanged
    assert (three.last_seen, three.changed_at) == (t0, None)
    assert reader.history(one.order_id) == [("In Progress", t0), ("Action Required", clock.now)]
    assert reader.changes_since(t0) == [(one.order_id, "In Progress", "Action Required", clock.now)]
    counts = reader.state_counts(ALL)
    assert (counts.get("In Progress"), counts.get("Action Required"), counts.total) == (1, 1, 3)
    assert counts.complete is False  # nothing was swept: these are "so far"
    marked = reader.view(ViewSpec.of())
    assert marked.marked_count(t0) == 1


def test_a_state_change_forgets_the_old_confidence(open_index: Callable[..., Index]) -> None:
    index = open_index()
    writer, reader = index.writer(), index.reader()
    base = preview(7, "In Progress")
    order = Order(
        order_id=base.order_id,
        order_state="In Progress",
        order_title=base.order_title,
        creation_time=base.creation_time,
        asset_name="art.png",
        username="ann",
        confidence=0.0,
        project=Project("p-1", "Spring"),
    )
    writer.write_orders([order])
    row = reader.row(order.order_id)
    assert row is not None and row.full and row.confidence == 0.0 and row.project_id == "p-1"
    writer.write_previews([replace(base, order_state="Human Certified")])
    row = reader.row(order.order_id)
    assert row is not None
    assert row.order_state == "Human Certified"
    assert not row.full and row.confidence is None  # "…" until the next full order
    assert row.asset_name == "art.png" and row.username == "ann"  # these do not change
    writer.write_orders([replace(order, order_state="Human Certified", confidence=0.93)])
    row = reader.row(order.order_id)
    assert row is not None and row.full and row.confidence == 0.93
    # The project learnt its id from the full order: a scope by id alone finds it.
    assert reader.view(ViewSpec.of(Scope.project("p-1"))).count() == 1


def test_a_project_change_moves_the_counts(open_index: Callable[..., Index]) -> None:
    index = open_index()
    writer, reader = index.writer(), index.reader()
    writer.write_previews([preview(1, "Failed", "Spring"), preview(2, "Failed", "Spring")])
    writer.write_previews([preview(2, "Reviewed", "Autumn")])
    spring = reader.state_counts(Scope.project("s", "Spring"))
    autumn = reader.state_counts(Scope.project("a", "Autumn"))
    assert (spring.get("Failed"), spring.total) == (1, 1)
    assert (autumn.get("Reviewed"), autumn.total) == (1, 1)
    assert reader.state_counts(ALL).total == 2
