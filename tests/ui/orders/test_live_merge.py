"""Unit tests of the live merge (pure Python, the keyset-paged fake backend of the paging
tests): new orders inserted at the top, changed and removed ones, the cursor kept on its
order, filters kept, the chain not fragmenting over many refreshes."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from artistree_tui.api.models import Order, OrdersPage, OrderStats
from artistree_tui.ui.orders.merge import LivePagingModel, MergeResult, diff_orders, fingerprint
from artistree_tui.ui.orders.paging import RowKind
from tests.support.paging import Backend, answer, asking_below, serve, shown_ids

ACTION = "Action Required"
RUNNING = "In Progress"


def make(page_size: int = 20, **kwargs: int) -> LivePagingModel:
    model = LivePagingModel(page_size=page_size, **kwargs)
    model.set_viewport(0, 10)
    model.reset("proj")
    return model


def refresh(model: LivePagingModel, backend: Backend, *, max_pages: int = 5) -> MergeResult:
    """What the live worker and its handler do: read from the top until a page ends on an
    order the model holds, then merge."""
    limit = model._plan.page_size
    anchors = model.anchor_ids()
    pages: list[OrdersPage] = []
    token = None
    for _ in range(max_pages):
        page = backend.page(token, limit)
        pages.append(page)
        token = page.next_page_token
        if token is None or (page.orders and page.orders[-1].order_id in anchors):
            break
    result = model.merge_top(model.generation, pages, limit)
    assert result is not None
    return result


def add_new(backend: Backend, count: int, *, state: str = RUNNING, tag: str = "n") -> list[str]:
    """``count`` new orders at the top (newest first), like uploads arriving."""
    fresh = [
        Order(order_id=f"{tag}{index:05d}", order_title=f"New {index}", order_state=state)
        for index in range(count)
    ]
    backend.orders[:0] = reversed(fresh)
    return [order.order_id for order in fresh]


def set_state(backend: Backend, order_id: str, state: str) -> None:
    index = [order.order_id for order in backend.orders].index(order_id)
    backend.orders[index] = replace(backend.orders[index], order_state=state)


def held_matches_truth(model: LivePagingModel, backend: Backend) -> None:
    """Every held row is where the server has it; no order is listed twice."""
    truth = [order.order_id for order in backend.orders]
    seen: list[str] = []
    for segment in model.segments:
        if segment.rows is None:
            continue
        ids = [order.order_id for order in segment.rows]
        assert ids == truth[segment.offset : segment.offset + len(ids)]
        seen.extend(ids)
    assert len(seen) == len(set(seen))


def test_new_orders_appear_at_the_top_and_the_cursor_stays_on_its_order() -> None:
    backend = Backend(100)
    model = make()
    serve(model, backend)
    model.set_cursor(7)
    before = model.highlighted_order
    new_ids = add_new(backend, 3)
    result = refresh(model, backend)
    assert [order.order_id for order in result.new] == list(reversed(new_ids))
    assert shown_ids(model, 0, 3) == [backend.orders[i].order_id for i in range(3)]
    assert model.highlighted_order == before and model.cursor == 10
    assert model.total == 103 and not result.rebuilt
    held_matches_truth(model, backend)


def test_changed_orders_are_reported_and_the_row_is_replaced() -> None:
    backend = Backend(60)
    model = make()
    serve(model, backend)
    target = backend.orders[4].order_id
    set_state(backend, target, ACTION)
    result = refresh(model, backend)
    assert [order.order_id for order in result.changed] == [target]
    assert [order.order_id for order in result.entered_action] == [target]
    assert target in result.updated and not result.new
    assert model.row(4).order is not None and model.row(4).order.order_state == ACTION


def test_a_title_change_is_updated_but_not_changed() -> None:
    backend = Backend(60)
    model = make()
    serve(model, backend)
    backend.orders[2] = replace(backend.orders[2], order_title="Renamed")
    result = refresh(model, backend)
    assert result.updated == {backend.orders[2].order_id} and not result.changed


def test_presigned_urls_alone_do_not_count_as_updates() -> None:
    first = Order(order_id="a", asset_preview_url="https://x/1?sig=1")
    again = replace(first, asset_preview_url="https://x/1?sig=2")
    assert fingerprint(first) == fingerprint(again)
    assert not diff_orders([first], [again]).updated


def test_removed_orders_go_and_the_cursor_keeps_its_order_below() -> None:
    backend = Backend(80)
    model = make()
    serve(model, backend)
    model.set_cursor(12)
    keep = model.highlighted_order
    gone = backend.orders[3].order_id
    del backend.orders[3]
    result = refresh(model, backend)
    assert result.removed == {gone}
    assert model.highlighted_order == keep and model.cursor == 11
    assert gone not in shown_ids(model, 0, 40)
    held_matches_truth(model, backend)


def test_a_new_action_required_order_is_announced() -> None:
    backend = Backend(30)
    model = make()
    serve(model, backend)
    (new_id,) = add_new(backend, 1, state=ACTION)
    result = refresh(model, backend)
    assert [order.order_id for order in result.entered_action] == [new_id]


def test_an_order_already_in_action_required_is_not_announced_again() -> None:
    backend = Backend(30)
    model = make()
    serve(model, backend)
    target = backend.orders[1].order_id
    set_state(backend, target, ACTION)
    refresh(model, backend)
    backend.orders[1] = replace(backend.orders[1], order_title="still needs action")
    assert not refresh(model, backend).entered_action


def test_the_filter_is_kept_and_includes_new_matches() -> None:
    backend = Backend(100)
    model = make()
    serve(model, backend)
    model.set_state_filter(ACTION)
    model.set_cursor(2)
    keep = model.highlighted_order
    (new_id,) = add_new(backend, 1, state=ACTION)
    refresh(model, backend)
    assert model.filtering and model.state_filter == ACTION
    assert model.highlighted_order == keep
    assert model.row(0).order is not None and model.row(0).order.order_id == new_id
    model.clear_filters()
    assert model.highlighted_order == keep


def test_more_new_orders_than_a_page_reads_more_pages() -> None:
    backend = Backend(100)
    model = make()
    serve(model, backend)
    model.set_cursor(5)
    keep = model.highlighted_order
    add_new(backend, 45)
    result = refresh(model, backend)
    assert len(result.new) == 45 and not result.rebuilt
    assert model.highlighted_order == keep and model.cursor == 50
    held_matches_truth(model, backend)


def test_too_many_new_orders_rebuild_the_list_like_a_reload() -> None:
    backend = Backend(100)
    model = make()
    serve(model, backend)
    model.set_cursor(5)
    add_new(backend, 130)
    result = refresh(model, backend, max_pages=2)
    assert result.rebuilt and len(result.new) == 40  # only the window's are known to be new
    # Like a reload: the cursor keeps its index (its order is 130 rows further down now).
    assert model.cursor == 5 and model.known_end == 40
    serve(model, backend)
    held_matches_truth(model, backend)


def test_an_answer_for_another_scope_is_dropped() -> None:
    backend = Backend(30)
    model = make()
    serve(model, backend)
    page = backend.page(None, 20)
    generation = model.generation
    model.reset("other")
    assert model.merge_top(generation, [page], 20) is None


def test_a_failed_first_page_is_replaced_by_the_refresh() -> None:
    backend = Backend(30)
    model = make()
    request = model.next_request()
    assert request is not None
    model.apply_failure(request, "offline")
    assert model.row(0).kind is RowKind.ERROR
    result = refresh(model, backend)
    assert result.rebuilt and not result.new  # no baseline: nothing is called new
    assert shown_ids(model, 0, 3) == [backend.orders[i].order_id for i in range(3)]


def test_clear_errors_asks_failed_pages_again() -> None:
    backend = Backend(60)
    model = make()
    request = asking_below(model, backend, cursor=25, top=20, height=10)
    model.apply_failure(request, "offline")
    failed = request.segment.offset
    assert model.row(failed).kind is RowKind.ERROR and model.next_request() is None
    assert model.clear_errors()
    serve(model, backend)
    assert model.row(failed).kind is RowKind.ORDER


def test_a_long_shift_does_not_fragment_the_chain() -> None:
    backend = Backend(200)
    model = make(page_size=20)
    model.set_cursor(70)
    model.set_viewport(65, 10)
    serve(model, backend)
    for round_ in range(200):
        add_new(backend, round_ % 3, tag=f"r{round_}-")
        refresh(model, backend)
        serve(model, backend)
    # About one segment per page of orders, not one per refresh.
    assert len(model.segments) <= model.known_end // 20 + 4
    held_matches_truth(model, backend)


def test_window_rows_stay_held_while_the_cursor_is_far_away() -> None:
    backend = Backend(400)
    model = make(page_size=20, max_rows=60)
    for _ in range(15):
        model.set_cursor(model.known_end - 1)
        model.set_viewport(model.cursor - 9, 10)
        serve(model, backend)
    assert model.segments[0].rows is not None  # pinned: the merge has its baseline
    add_new(backend, 2)
    result = refresh(model, backend)
    assert len(result.new) == 2 and not result.rebuilt


def move_up(backend: Backend, source: int, target: int) -> str:
    """The order at ``source`` moves up to ``target`` (its creation time was corrected, say):
    the server now lists it there."""
    order = backend.orders.pop(source)
    backend.orders.insert(target, order)
    return order.order_id


def test_an_order_moving_up_from_below_the_window_is_listed_once() -> None:
    backend = Backend(120)
    model = make(page_size=20, max_rows=80)
    serve(model, backend)
    model.set_cursor(30)
    model.set_viewport(25, 10)
    serve(model, backend)
    moved = move_up(backend, 30, 0)  # held (under the cursor), far below the re-read page
    result = refresh(model, backend)
    assert result.rebuilt  # placing the window would list it twice: start from the window
    assert shown_ids(model, 0, 1) == [moved]
    serve(model, backend)
    held_matches_truth(model, backend)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.integers(0, 25),  # new orders
            st.lists(st.integers(0, 60), max_size=3),  # state changes (indices)
            st.lists(st.integers(0, 18), max_size=2),  # removals (inside the re-read page)
            st.lists(  # an order moving up from below into the re-read page
                st.tuples(st.integers(0, 119), st.integers(0, 18)), max_size=1
            ),
            st.integers(0, 120),  # where the cursor goes
            st.booleans(),  # a state filter on or off
        ),
        min_size=1,
        max_size=8,
    )
)
def test_merges_keep_rows_true_unique_and_the_cursor_on_its_order(rounds: list) -> None:
    backend = Backend(120)
    model = make(page_size=20, max_rows=80)
    serve(model, backend)
    for number, (new, changes, removals, moves, cursor, filtered) in enumerate(rounds):
        model.set_cursor(cursor)
        model.set_viewport(max(0, model.cursor - 5), 10)
        serve(model, backend)
        add_new(backend, new, tag=f"x{number}-")
        for index in changes:
            if index < len(backend.orders):
                set_state(backend, backend.orders[index].order_id, ACTION)
        removed: set[str] = set()
        for index in removals:
            if index < len(backend.orders) - 1:
                removed.add(backend.orders[index].order_id)
                del backend.orders[index]
        # Only an order the merge can compare: held in the rows read from the top (a move
        # further down is like a removal there, seen when that page is fetched again).
        held = model.anchor_ids()
        moved = [
            move_up(backend, src, dst)
            for src, dst in moves
            if dst < src < len(backend.orders) and backend.orders[src].order_id in held
        ]
        if filtered:
            model.set_state_filter(ACTION)
        keep = model.highlighted_order
        result = refresh(model, backend)
        if not moved:
            # The pinned rows always give the window its place...
            assert not result.rebuilt
            if keep is not None and keep.order_id not in removed:
                assert model.highlighted_order is not None
                assert model.highlighted_order.order_id == keep.order_id
        # ...and whatever moved, no order is listed twice or away from its place.
        assert result.removed <= removed
        model.clear_filters()
        held_matches_truth(model, backend)


def test_stats_of_the_first_page_become_the_total() -> None:
    backend = Backend(50, reported_total=50)
    model = make()
    serve(model, backend)
    page = backend.page(None, 20)
    bigger = OrdersPage(
        stats=OrderStats(total=77), next_page_token=page.next_page_token, orders=page.orders
    )
    model.merge_top(model.generation, [bigger], 20)
    assert model.total == 77


def test_clear_errors_keeps_pages_the_server_refused() -> None:
    backend = Backend(60)
    model = make()
    request = asking_below(model, backend, cursor=25, top=20, height=10)
    model.apply_failure(request, "the API refused the request (HTTP 400)", refused=True)
    assert not model.clear_errors()
    assert model.row(request.segment.offset).kind is RowKind.ERROR


def test_a_refresh_reading_past_a_reloaded_first_page_marks_only_real_new_orders() -> None:
    # "r" far down, and the auto-refresh starts while the reload is in flight: it has no
    # held rows to stop at, so it reads its maximum of pages; the reload's first page lands
    # first. The rows below that page were never loaded: they are not new (it said +800).
    backend = Backend(100)
    model = LivePagingModel(page_size=20)
    model.set_viewport(0, 10)
    model.reset("proj")
    request = model.next_request()
    assert request is not None
    fresh = [
        Order(order_id=f"new{i}", order_title="New", order_state="In Progress") for i in (1, 2)
    ]
    backend.orders[:0] = fresh
    pages, token = [], None
    for _ in range(3):  # the refresh, started before the first page arrived
        page = backend.page(token, 20)
        pages.append(page)
        token = page.next_page_token
    answer(model, backend, request)  # the reload's first page: the two new orders included
    result = model.merge_top(model.generation, pages, 20)
    assert result is not None and result.rebuilt
    assert not result.new  # the first page already showed the new ones; the rest: unknown
    assert model.known_end == 60
