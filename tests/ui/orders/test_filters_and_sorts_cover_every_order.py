"""The state filter (``s``, ``S``), the text filter (``/``) and the sorts (``>``, ``<``, ``I``,
``set_sort``) run over every indexed order of the scope, not over rows held in memory: each
count is the index's own, the text filter finds an order anywhere in the scope, and each sort
is in order from the first row to the last."""

from __future__ import annotations

from collections import Counter
from collections.abc import Awaitable, Callable
from typing import Any

from artistree_tui.api.models import KNOWN_STATES
from artistree_tui.demo import DemoServer
from artistree_tui.store import ALL, Index, Row
from tests.support.list_pilot import ListApp, drawn, running_list, settle, shown

IndexOf = Callable[[DemoServer], Awaitable[Index]]


def rows(app: ListApp) -> list[Row]:
    model = app.order_list.model
    found = [model.row(position) for position in range(model.count)]
    assert None not in found
    return [row for row in found if row is not None]


async def test_s_and_S_cycle_the_state_over_the_whole_scope(
    make_demo: Callable[..., DemoServer], index_of: IndexOf
) -> None:
    server = make_demo(orders=1500, seed=8)
    index = await index_of(server)
    truth = server.stats()
    app = ListApp(index)
    async with app.run_test(size=(120, 24)) as pilot:
        await settle(pilot, app)
        model = app.order_list.model
        await pilot.press("s", "s", "s")  # All → In Progress → Human Certified → Action Required
        await settle(pilot, app)
        assert app.pane.view_spec.states == frozenset({"Action Required"})
        assert model.count == truth["total_action_required"] > 100  # more than one screen
        assert {row.order_state for row in rows(app)} == {"Action Required"}
        assert f"{model.count:,} matches · state ! action" in str(app.pane.status_text())
        lines = [line for line in drawn(app)[1:] if line.strip()]
        assert lines and all("! action" in line for line in lines)
        await pilot.press("S")  # backwards: Human Certified
        await settle(pilot, app)
        assert model.count == truth["total_certified"]
        await pilot.press("S", "S")  # In Progress, then All
        await settle(pilot, app)
        assert app.pane.view_spec.states == frozenset() and model.count == 1500
        await pilot.press("S")  # from All backwards: the last state
        await settle(pilot, app)
        assert app.pane.view_spec.states == frozenset({KNOWN_STATES[-1]})
        assert model.count == truth["total_unsupported"]
        await pilot.press("escape")  # clears the filters
        await settle(pilot, app)
        assert model.count == 1500


async def test_slash_finds_the_oldest_order_by_its_id(
    make_demo: Callable[..., DemoServer], index_of: IndexOf
) -> None:
    server = make_demo(orders=1500, seed=8)
    oldest = server.order_ids()[-1]
    app = ListApp(await index_of(server))
    async with app.run_test(size=(120, 24)) as pilot:
        await settle(pilot, app)
        await pilot.press("slash", *oldest, "enter")
        await shown(pilot, app)
        model = app.order_list.model
        assert model.count == 1
        assert app.pane.highlighted_order is not None
        assert app.pane.highlighted_order.order_id == oldest
        assert app.focused is app.order_list
        status = str(app.pane.status_text())
        assert status.startswith("1 match · filter “") and oldest[:20] in status
        await pilot.press("escape")  # the list keeps the order it was on
        await shown(pilot, app)
        assert model.count == 1500 and model.cursor == 1499
        await pilot.press("slash", *oldest[:8].upper())  # a prefix, any case
        await settle(pilot, app)
        assert model.count >= 1 and app.pane.highlighted_order.order_id == oldest


def _key(row: Row, sort: str) -> Any:
    if sort == "created":
        return row.creation_time
    if sort == "state":
        return KNOWN_STATES.index(row.order_state)
    if sort == "confidence":
        return -1.0 if row.confidence is None else row.confidence
    return row.order_title.casefold()[:48]


async def test_each_sort_both_ways_from_keys_and_from_set_sort(
    make_demo: Callable[..., DemoServer], index_of: IndexOf
) -> None:
    server = make_demo(orders=400, seed=9)
    index = await index_of(server)
    app = ListApp(index)
    async with app.run_test(size=(120, 24)) as pilot:
        await settle(pilot, app)
        assert app.pane.view_spec.sort == "created" and app.pane.view_spec.descending
        seen = []
        for key in (">", ">", ">", ">"):  # state, confidence, title, back to created
            await pilot.press(key)
            await settle(pilot, app)
            spec = app.pane.view_spec
            seen.append((spec.sort, spec.descending))
            keys = [_key(row, spec.sort) for row in rows(app)]
            assert keys == sorted(keys, reverse=spec.descending), spec
        assert seen == [
            ("state", False),
            ("confidence", True),
            ("title", False),
            ("created", True),
        ]
        await pilot.press("<")  # back to title
        await pilot.press("I")  # Z to A
        await settle(pilot, app)
        spec = app.pane.view_spec
        assert (spec.sort, spec.descending) == ("title", True)
        keys = [_key(row, "title") for row in rows(app)]
        assert keys == sorted(keys, reverse=True)
        assert "by title Z–A" in str(app.pane.status_text())
        app.pane.set_sort("confidence", False)  # the palette's way in
        await settle(pilot, app)
        assert app.pane.view_spec == app.pane.view_spec.of(ALL, sort="confidence", descending=False)
        keys = [_key(row, "confidence") for row in rows(app)]
        assert keys == sorted(keys)
        assert app.order_list.model.count == 400
        # Only full orders carry a score: the status says how many are in that order.
        scored = sum(row.confidence is not None for row in rows(app))
        assert scored < 400  # previews only here: none has one
        assert f"lowest confidence first ({scored:,} with a score)" in str(app.pane.status_text())


async def test_a_new_view_shows_its_first_rows_when_the_kept_cursor_is_on_its_first_screen(
    make_demo: Callable[..., DemoServer], index_of: IndexOf
) -> None:
    server = make_demo(orders=1500, seed=8)
    index = await index_of(server)
    app = ListApp(index)
    async with app.run_test(size=(120, 24)) as pilot:
        await settle(pilot, app)
        widget, model = app.order_list, app.order_list.model
        # The most common first word of a title: its search has a few hundred matches.
        words = Counter(
            r.order_title.split()[0].lower() for r in rows(app) if r.order_title.split()
        )
        word = words.most_common(1)[0][0]
        await pilot.press("slash", *word, "enter")
        await shown(pilot, app)
        assert model.count > 30
        await pilot.press(*"j" * 12)  # row 13 of the matches, still on the first screen
        await shown(pilot, app)
        kept = model.highlighted
        assert kept is not None and model.cursor == 12
        await pilot.press("escape")  # every order: the same order further down, scrolled to
        await shown(pilot, app)
        assert model.highlighted == kept and round(widget.scroll_offset.y) > 0
        await pilot.press("slash", *word, "enter")  # the same search again
        await shown(pilot, app)
        assert model.highlighted == kept and model.cursor == 12
        assert round(widget.scroll_offset.y) == 0  # the 12 matches above it in sight


async def test_clearing_a_filter_that_matched_nothing_goes_back_to_the_order_it_left(
    make_demo: Callable[..., DemoServer], index_of: IndexOf
) -> None:
    index = await index_of(make_demo(orders=300, seed=8))
    async with running_list(index, (120, 24)) as (pilot, app):
        model = app.order_list.model
        await pilot.press(*"j" * 7)
        await shown(pilot, app)
        left = model.highlighted
        assert left is not None and model.cursor == 7
        await pilot.press("slash", *"zqxjzqxj", "enter")  # matches nothing
        await shown(pilot, app)
        assert model.count == 0
        await pilot.press("escape")  # every order again: the cursor where it was
        await shown(pilot, app)
        assert model.highlighted is not None and model.highlighted.order_id == left.order_id
        assert model.cursor == 7
