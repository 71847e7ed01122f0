"""Unit tests of the order list's paging model (pure Python, a fake keyset-paged backend);
the ``G`` walk's are in test_paging_walk.py next to it."""

from __future__ import annotations

import itertools
from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from artistree_tui.api.models import KNOWN_STATES
from artistree_tui.ui.orders.paging import STATE_CYCLE, PagingModel, RowKind
from tests.support.paging import Backend, answer, asking_below, make, serve, shown_ids


def test_first_page_sets_total_and_rows() -> None:
    backend = Backend(95)
    model = make()
    request = model.next_request()
    assert request is not None and request.kind == "first"
    assert (request.token, request.limit) == (None, 20)
    assert model.row(0).kind is RowKind.LOADING
    assert model.next_request() is None  # one request at a time
    model.apply_page(request, backend.page(None, 20))
    assert model.total == 95  # the scrollbar reflects total_orders at once
    assert model.known_end == 20
    assert shown_ids(model, 0, 3) == ["o000000", "o000001", "o000002"]
    assert model.row(20).kind is RowKind.LOADING
    assert model.highlighted_order == backend.orders[0]


def test_prefetch_two_screens_ahead_not_before() -> None:
    backend = Backend(200)
    model = make(page_size=40)
    model.set_viewport(0, 10)
    serve(model, backend)
    # The view ends at 10; two screens ahead is 30 < 40: nothing speculative yet.
    assert backend.requests == [(None, 40)]
    model.set_cursor(15)
    model.set_viewport(6, 10)  # bottom 16, two screens ahead reaches 36 < 40
    assert model.next_request() is None
    model.set_cursor(21)
    model.set_viewport(12, 10)  # two screens ahead reaches 42: fetch the next page now
    request = model.next_request()
    assert request is not None and request.kind == "prefetch"
    assert request.token == "after:o000039" and model.cursor < model.known_end


def test_walking_the_keyboard_path_requests_each_page_once_in_order() -> None:
    backend = Backend(130)
    model = make(page_size=20)
    serve(model, backend)
    for _ in range(129):
        model.move_cursor(1)
        model.set_viewport(max(0, model.cursor - 9), 10)
        serve(model, backend)
        assert model.row(model.cursor).kind is RowKind.ORDER
    tokens = [token for token, _ in backend.requests]
    assert tokens == [None, *(f"after:o{n:06d}" for n in range(19, 129, 20))]
    assert model.total == 130 and model.complete
    assert model.highlighted_order == backend.orders[-1]


def test_demand_jumps_ahead_of_prefetch() -> None:
    backend = Backend(400)
    model = make(page_size=20, max_rows=60)
    model.set_viewport(0, 10)
    for _ in range(6):  # six pages through the view; old ones are dropped
        model.set_cursor(model.known_end - 1)
        model.set_viewport(model.cursor - 9, 10)
        serve(model, backend)
    assert model.segments[0].rows is None  # dropped
    # Cursor jumps back to the first page while the view also wants the next page.
    model.set_cursor(5)
    model.set_viewport(model.known_end - 5, 10)
    request = model.next_request()
    assert request is not None and request.kind == "demand"
    assert (request.token, request.limit) == (None, 20)  # the same token as the first time


def test_eviction_keeps_memory_bounded_and_refetches_by_token() -> None:
    backend = Backend(1000)
    model = make(page_size=50, max_rows=150)
    for target in range(0, 1000, 25):
        model.set_cursor(target)
        model.set_viewport(max(0, target - 5), 10)
        serve(model, backend)
        assert model.held_rows <= 150 + 50  # bound plus the page that just arrived
    assert len(model.segments) == 20  # metadata of every page is kept
    assert model.segments[0].rows is None
    before = len(backend.requests)
    model.set_cursor(0)
    model.set_viewport(0, 10)
    assert model.row(0).kind is RowKind.LOADING  # shown as loading while refetched
    serve(model, backend)
    assert backend.requests[before] == (None, 50)
    assert shown_ids(model, 0, 2) == ["o000000", "o000001"]
    assert model.held_rows <= 200


def test_refetched_page_with_fewer_rows_shifts_offsets_without_duplicates() -> None:
    backend = Backend(100, buckets=20)
    model = make(page_size=20, max_rows=40)
    for target in (0, 30, 50, 70):
        model.set_cursor(target)
        model.set_viewport(target, 10)
        serve(model, backend)
    assert model.segments[1].rows is None  # page 2 (rows 20..39) was dropped
    cursor_order = model.highlighted_order
    # Three orders of page 2 are deleted on the server meanwhile (not its last one).
    del backend.orders[25:28]
    model.set_viewport(20, 10)  # the user scrolls back to page 2; the cursor stays below
    serve(model, backend)
    assert model.segments[1].count == 17
    assert [segment.offset for segment in model.segments[:4]] == [0, 20, 37, 57]
    assert model.highlighted_order == cursor_order  # the cursor stayed on its order
    assert model.total == 97
    held = [order.order_id for segment in model.segments if segment.rows for order in segment.rows]
    assert len(held) == len(set(held))
    ids = shown_ids(model, 0, model.total)
    assert [i for i in ids if i] == [o.order_id for o in backend.orders if o.order_id in ids]


def test_refetched_page_with_a_new_next_token_drops_the_chain_after_it() -> None:
    backend = Backend(100)
    model = make(page_size=20, max_rows=40)
    for target in (0, 30, 60, 90):
        model.set_cursor(target)
        model.set_viewport(target, 10)
        serve(model, backend)
    assert model.segments[1].rows is None
    backend.orders.insert(30, replace(backend.orders[0], order_id="o-new"))  # page 2 grows
    model.set_cursor(25)
    model.set_viewport(20, 10)
    serve(model, backend)
    # Page 2 now ends on a different order: the pages after it were rebuilt from its token.
    assert model.segments[1].next_token == "after:o000038"
    model.set_cursor(99)
    model.set_viewport(90, 10)
    serve(model, backend)
    assert model.complete and model.total == 101
    ids = shown_ids(model, 0, model.total)
    expected = [order.order_id for order in backend.orders]
    assert any(ids) and all(i is None or i == want for i, want in zip(ids, expected, strict=True))


def test_failed_page_shows_inline_error_and_retry_uses_same_token() -> None:
    backend = Backend(100)
    model = make(page_size=20)
    model.set_viewport(0, 5)
    request = asking_below(model, backend, cursor=20, top=16, height=5)
    assert request.token == "after:o000019"
    assert model.apply_failure(request, "server error: try again later")
    assert model.row(19).kind is RowKind.ORDER  # rows above are kept
    error = model.row(20)
    assert error.kind is RowKind.ERROR and "server error" in error.message
    assert model.row(21).kind is RowKind.BLANK
    assert model.next_request() is None  # no automatic hammering
    assert model.retry_at_cursor()
    retry = model.next_request()
    assert retry is not None and (retry.token, retry.limit) == (request.token, request.limit)
    model.apply_page(retry, backend.page(retry.token, retry.limit))
    assert model.row(20).order == backend.orders[20]


def test_answers_for_an_old_scope_are_dropped() -> None:
    backend = Backend(50)
    model = make()
    request = model.next_request()
    assert request is not None
    model.reset("other")
    assert model.apply_page(request, backend.page(None, 20)) is None
    assert not model.apply_failure(request, "late")
    assert model.known_end == 0 and model.project_id == "other"
    assert model.next_request() is not None  # the new scope's first page


def test_a_server_repeating_its_token_does_not_loop() -> None:
    model = make(page_size=10)
    first = model.next_request()
    assert first is not None
    page = Backend(10).page(None, 10)
    model.apply_page(first, replace(page, next_page_token="same"))
    second = model.next_request()
    assert second is not None and second.token == "same"
    model.apply_page(second, replace(page, next_page_token="same"))
    assert model.complete


def test_text_filter_searches_loaded_fields_case_insensitively() -> None:
    backend = Backend(60)
    model = make(page_size=60)
    serve(model, backend)
    for needle, expected in [
        ("TITLE 5", {"o000005", *(f"o{n:06d}" for n in range(50, 60))}),
        ("asset-42.png", {"o000042"}),
        ("ARTIST 6", {f"o{n:06d}" for n in range(6, 60, 7)}),
        ("user4@", {f"o{n:06d}" for n in range(4, 60, 5)}),
        ("tag2", {f"o{n:06d}" for n in range(2, 60, 3)}),
        ("o000017", {"o000017"}),
    ]:
        model.set_text_filter(needle)
        matched = {model.row(i).order.order_id for i in range(model.display_length)}  # type: ignore[union-attr]
        assert matched == expected, needle
    model.set_text_filter("5 asset")  # no match across two fields ("Title 5", "asset-5.png")
    assert model.display_length == 0


def test_filters_keep_the_highlighted_order_and_do_not_page() -> None:
    backend = Backend(200)
    model = make(page_size=50)
    serve(model, backend)
    model.set_cursor(42)
    model.set_text_filter("title 4")
    assert model.highlighted_order == backend.orders[42]
    assert model.next_request() is None  # a filter searches what is loaded
    model.set_text_filter("title 41")
    assert model.highlighted_order == backend.orders[41]  # 42 no longer matches
    model.set_text_filter("")
    assert model.cursor == 41 and not model.filtering


def test_state_filter_cycles_through_every_state() -> None:
    backend = Backend(60)
    model = make(page_size=60)
    serve(model, backend)
    seen = [model.cycle_state_filter() for _ in STATE_CYCLE]
    assert seen == [*KNOWN_STATES, None]
    model.set_state_filter(KNOWN_STATES[1])
    states = {model.row(i).order.order_state for i in range(model.display_length)}  # type: ignore[union-attr]
    assert states == {KNOWN_STATES[1]} and model.display_length == 10
    model.set_text_filter("title 1")  # both filters apply together
    assert {model.row(i).order.order_id for i in range(model.display_length)} == {  # type: ignore[union-attr]
        "o000001",
        "o000013",
        "o000019",
    }
    model.clear_filters()
    assert not model.filtering and model.display_length == 60


def test_select_order_id_and_reload_keep_the_cursor_on_its_order() -> None:
    backend = Backend(100)
    model = make(page_size=30)
    serve(model, backend)
    assert model.select_order_id("o000025")
    assert model.cursor == 25
    assert not model.select_order_id("o000099")  # not loaded yet
    backend.orders.insert(0, replace(backend.orders[0], order_id="o-newest"))
    model.reset("proj", keep_cursor=True)
    serve(model, backend)
    assert model.highlighted_order is not None
    assert model.highlighted_order.order_id == "o000025" and model.cursor == 26


ACTIONS = st.lists(
    st.one_of(
        st.tuples(st.just("jump"), st.integers(0, 1200)),
        st.tuples(st.just("move"), st.integers(-40, 40)),
        st.tuples(st.just("answer"), st.just(0)),
        st.tuples(st.just("fail"), st.integers(0, 1)),
        st.tuples(st.just("retry"), st.just(0)),
        st.tuples(st.just("walk"), st.just(0)),
        st.tuples(st.just("cancel"), st.just(0)),
        st.tuples(st.just("filter"), st.integers(0, 9)),
    ),
    max_size=60,
)


@settings(max_examples=80, deadline=None)
@given(actions=ACTIONS, count=st.integers(0, 1100), bound=st.booleans())
def test_rows_are_always_the_servers_rows_at_their_index(
    actions: list[tuple[str, int]], count: int, bound: bool
) -> None:
    # bound: the server refuses preview tokens for full pages (the walk's fallback).
    backend = Backend(count, reported_total=1000, bound=bound)
    model = PagingModel(page_size=30, walk_limit=100, max_rows=120)
    model.set_viewport(0, 8)
    model.reset("proj")
    for action, value in actions:
        request = model.in_flight or model.next_request()
        if action == "jump":
            model.set_cursor(value)
        elif action == "move":
            model.move_cursor(value)
        elif action == "answer" and request is not None:
            answer(model, backend, request)
        elif action == "fail" and request is not None:
            model.apply_failure(request, "offline", refused=value == 1)
        elif action == "retry":
            model.retry_at_cursor()
        elif action == "walk":
            model.start_walk()
        elif action == "cancel":
            model.cancel_walk()
        elif action == "filter":
            model.set_text_filter(f"title {value}" if value else "")
        if not model.filtering:
            model.set_viewport(max(0, model.cursor - 4), 8)

        # Invariants.
        segments = model.segments
        for before, after in itertools.pairwise(segments):
            assert before.count is not None and after.offset == before.end
        assert model.held_rows == sum(len(s.rows) for s in segments if s.rows is not None)
        assert model.held_rows <= 120 + 100 + 3 * 8 * 2
        assert 0 <= model.cursor < max(1, model.display_length)
        if model.complete:
            assert model.total == count
        if not model.filtering:
            for index in range(max(0, model.cursor - 10), min(model.total, model.cursor + 10)):
                row = model.row(index)
                if row.kind is RowKind.ORDER:
                    assert row.order == backend.orders[index]


def test_the_paging_model_imports_no_textual() -> None:
    import subprocess
    import sys

    code = (
        "import sys, artistree_tui.ui.orders.paging, artistree_tui.ui.orders.filter; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich')))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
