"""What the index knows about each row shows on the list: rows new or changed since the
watermark are marked (``+``/``*``), ``n``/``N`` go from one to the next, ``x`` clears them;
an order the API no longer lists is drawn as removed, never dropped; the columns only full
orders carry show ``…`` until a full order is written, then fill in."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from artistree_tui.demo import DemoServer
from artistree_tui.store import ALL, Index, Row, Scope
from artistree_tui.ui.orders.model import CHANGED, ListModel, watermark_key
from artistree_tui.ui.orders.source import Query
from tests.support.app import wait_for
from tests.support.list_pilot import (
    ListApp,
    drawn,
    full_orders,
    running_list,
    running_orders_change,
    settle,
    shown,
    sweep,
)

IndexOf = Callable[[DemoServer], Awaitable[Index]]


def cursor_line(app: ListApp) -> str:
    return next(line for line in drawn(app) if line.startswith("›"))


async def test_n_and_N_walk_the_changed_rows_and_x_clears_them(
    make_demo: Callable[..., DemoServer], index_of: IndexOf
) -> None:
    server = make_demo(orders=300, seed=7, new_order_every=0)
    index = await index_of(server)
    async with running_list(index) as (pilot, app):
        model = app.order_list.model
        assert model.marked == 0
        running = {o for o in server.order_ids() if server.order_state(o) == "In Progress"}
        positions = await running_orders_change(pilot, app, server, index)
        assert len(positions) == len(running)
        assert f"{len(positions)} new or changed (n/N)" in str(app.pane.status_text())
        ahead = [position for position in positions if position > model.cursor]
        assert ahead
        visited = []
        for _ in ahead:
            await pilot.press("n")
            await shown(pilot, app)
            visited.append(model.cursor)
            row = model.highlighted
            assert row is not None and row.order_id in running
            assert cursor_line(app).startswith("›*")  # the mark, beside the cursor
        assert visited == ahead  # each changed row below the cursor, in order
        await pilot.press("N")
        await shown(pilot, app)
        assert model.cursor == positions[-2] if len(positions) > 1 else positions[-1]
        # (past the last, n goes round to the first: test_n_and_N_wrap_around_the_marked_rows)
        await pilot.press("x")  # clear the marks
        await settle(pilot, app)
        assert model.marked == 0
        assert not any(line[1:2] in "+*" and line[1:2].strip() for line in drawn(app)[1:])
        await pilot.press("g", "n")
        await settle(pilot, app)
        assert model.cursor == 0  # nothing to go to


async def test_a_removed_order_is_shown_as_removed(
    make_demo: Callable[..., DemoServer], index_of: IndexOf
) -> None:
    server = make_demo(orders=300, seed=7, new_order_every=0)
    index = await index_of(server)
    victim = server.order_ids()[3]
    server.remove_order(victim)
    await sweep(server, index)  # a complete sweep that does not find it
    app = ListApp(index)
    async with app.run_test(size=(120, 24)) as pilot:
        await settle(pilot, app)
        model = app.order_list.model
        assert model.count == 300  # still listed
        row = model.row(3)
        assert row is not None and row.order_id == victim and row.gone is not None
        lines = drawn(app)
        assert "⊖ removed" in lines[1 + 3]  # a symbol and a word
        assert row.order_title[:10] in lines[1 + 3]
        assert sum("⊖ removed" in line for line in lines) == 1


class Repaints:
    """What the list asks Textual to repaint: the whole list, or lines (on screen, from its top:
    what Textual composes), with what ``refresh_line`` was given."""

    def __init__(self, order_list: Any) -> None:
        self.whole = 0
        self.on_screen: list[int] = []
        refresh = order_list.refresh

        def spy(*regions: Any, **options: Any) -> Any:
            if not regions:
                self.whole += 1
            self.on_screen += [region.y for region in regions if region.height == 1]
            return refresh(*regions, **options)

        order_list.refresh = spy


async def filled_in(pilot: Any, app: ListApp, server: DemoServer, index: Index) -> Repaints:
    """The full order of the row under the cursor is written, as the detail pane's fetch does:
    what the list repaints for it (the row filled in, the cursor still on it)."""
    row = app.order_list.model.highlighted
    assert row is not None and not row.full
    (order,) = await full_orders(server, [row.order_id])
    repaints = Repaints(app.order_list)
    index.writer().write_orders([order])
    app.pane.index_changed(soon=True)
    model = app.order_list.model
    await wait_for(pilot, lambda: (r := model.highlighted) is not None and r.full)
    await settle(pilot, app)
    line = cursor_line(app)
    assert order.asset_name[:8] in line
    assert (order.ordered_by or order.username)[:8] in line
    assert model.highlighted is not None and model.highlighted.order_id == row.order_id
    return repaints


async def test_full_only_columns_show_an_ellipsis_until_a_full_order_is_written(
    make_demo: Callable[..., DemoServer], index_of: IndexOf
) -> None:
    server = make_demo(orders=120, seed=7)
    index = await index_of(server)  # the sweep reads preview pages only
    app = ListApp(index)
    async with app.run_test(size=(120, 24)) as pilot:
        await settle(pilot, app)
        await pilot.press("j")
        await settle(pilot, app)
        header = drawn(app)[0]
        line = cursor_line(app)
        asset_at, by_at = header.index("Asset"), header.index("Ordered by")
        assert line[asset_at] == "…" and line[by_at] == "…"
        assert line.rstrip().split()[-1] != "—"  # confidence: unknown, not "no score"
        repaints = await filled_in(pilot, app, server, index)
        assert app.order_list.model.cursor == 1
        # Over SSH a whole list is ~10 KB, one line ~0.2 KB: its line alone (under the
        # header and row 0).
        assert repaints.whole == 0 and repaints.on_screen == [2]


async def test_a_row_filled_in_far_down_is_repainted_where_it_is_on_screen(
    make_demo: Callable[..., DemoServer], index_of: IndexOf
) -> None:
    server = make_demo(orders=120, seed=7)
    index = await index_of(server)
    app = ListApp(index)
    async with app.run_test(size=(120, 24)) as pilot:
        await settle(pilot, app)
        await pilot.press("G", "k", "k")  # scrolled: a line on screen is not a row number
        await shown(pilot, app)
        order_list = app.order_list
        top = round(order_list.scroll_offset.y)
        assert top > 0
        repaints = await filled_in(pilot, app, server, index)
        on_screen = order_list.model.cursor - top + 1  # under the header
        assert repaints.whole == 0 and repaints.on_screen == [on_screen]


def marked_row(changed_at: float) -> Row:
    """An index row the index marked (changed) at ``changed_at``, first seen long before."""
    return Row(
        order_id="id-1", order_title="Title", creation_time=None, order_state="Reviewed",
        asset_preview_url=None, project_name="P", analyses=(), tags=(), confidence=None,
        asset_name=None, username=None, email=None, ordered_by=None, project_id="p1",
        full=False, first_seen=1.0, last_seen=changed_at, changed_at=changed_at, gone=None,
    )  # fmt: skip


def test_marks_cleared_in_all_projects_are_cleared_in_every_project() -> None:
    """``x`` in All Projects moves its watermark, and a project's is never older: the row
    cleared there is not marked again on opening its project. ``x`` in a project clears that
    project alone."""
    now = [100.0]
    model = ListModel(None, clock=lambda: now[0])
    spring, summer = Scope.project("spring"), Scope.project("summer")
    changed = marked_row(150.0)
    for scope in (ALL, spring, summer):
        model.query = Query(scope)
        assert model.mark(changed) == CHANGED
    now[0] = 200.0
    model.query = Query(ALL)
    model.clear_marks()
    for scope in (ALL, spring, summer):
        model.query = Query(scope)
        assert model.mark(changed) == ""
    later = marked_row(250.0)
    now[0] = 300.0
    model.query = Query(spring)
    model.clear_marks()
    assert model.mark(later) == ""
    for scope in (ALL, summer):
        model.query = Query(scope)
        assert model.mark(later) == CHANGED


def test_a_project_keeps_its_marks_whether_opened_by_name_or_by_id() -> None:
    """Opened by name before the index knows its id, then by its id (with the same name) at a
    later start or from the sidebar: the same watermark, kept under the project's name."""
    now = [100.0]
    model = ListModel(None, clock=lambda: now[0])
    by_name = Scope.project("Brand Refresh 2026", "Brand Refresh 2026")
    by_id = Scope.project("96016a1a-0000-4000-8000-000000000000", "Brand Refresh 2026")
    assert watermark_key(by_name) == watermark_key(by_id) == "Brand Refresh 2026"
    changed = marked_row(150.0)
    now[0] = 200.0
    model.query = Query(by_name)
    assert model.clear_marks() == ("Brand Refresh 2026", 200.0)
    model.query = Query(by_id)
    assert model.mark(changed) == ""


async def test_the_marks_come_right_after_the_count_before_filter_and_sort(
    make_demo: Callable[..., DemoServer], index_of: IndexOf
) -> None:
    """In a narrow pane the status line's last parts are dropped first: the marks, what to
    look at next, come before the sort's words (a tryout lost them behind "highest
    confidence first (771 with a score)" at 120 columns)."""
    server = make_demo(orders=300, seed=7, new_order_every=0)
    index = await index_of(server)
    async with running_list(index) as (pilot, app):
        positions = await running_orders_change(pilot, app, server, index)
        await pilot.press(">")  # by state
        await settle(pilot, app)
        line = str(app.pane.status_text())
        assert line.startswith(f"300 orders · {len(positions)} new or changed (n/N) · by state")


def test_a_project_first_opened_has_the_marks_all_projects_shows() -> None:
    """A project never opened before (no watermark of its own) marks what All Projects marks
    (a start ago, say), not only what came since this start."""

    class Kept:
        """Both readers of an index that kept All Projects' watermark from an earlier start."""

        def __getitem__(self, slot: int) -> Kept:
            return self

        def watermarks(self) -> dict[str, float]:
            return {watermark_key(ALL): 100.0}

    model = ListModel(Kept(), clock=lambda: 300.0)  # type: ignore[arg-type]
    earlier = marked_row(150.0)
    for scope in (ALL, Scope.project("p-1", "Spring")):
        model.query = Query(scope)
        assert model.mark(earlier) == CHANGED
