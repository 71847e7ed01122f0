"""Unit tests of ``G``, the walk to the end (pure Python, the fake backend of tests.support.paging):
preview pages for the pages walked past, full pages for the last screens, and the fallback to
full pages when the server refuses a preview page's token for a full page."""

from __future__ import annotations

import pytest

from artistree_tui.ui.orders.paging import RowKind
from tests.support.paging import Backend, answer, asking_below, make, serve, shown_ids


def test_walk_counts_preview_pages_and_fetches_the_last_screens_in_full() -> None:
    backend = Backend(5500)
    model = make(page_size=200, walk_limit=1000, max_rows=2000)
    serve(model, backend)
    assert model.start_walk()
    while (request := model.next_request()) is not None:
        assert request.kind == "walk" and model.walking
        answer(model, backend, request)
        assert model.held_rows <= 200 + 1000  # preview pages are counted, never held
    assert not model.walking and model.complete
    # Pages 200..5199 only had to be counted; the one holding the last screens is full.
    assert backend.previews == [False, True, True, True, True, True, False]
    assert {limit for _, limit in backend.requests[1:]} == {1000}
    assert backend.requests[-1][0] == "p:after:o005199"  # a preview page's token, for full
    assert model.cursor == model.total - 1 == 5499
    assert model.highlighted_order == backend.orders[-1]
    assert [segment.rows is None for segment in model.segments] == [False, *[True] * 5, False]


def test_a_walk_that_ends_on_a_preview_page_fetches_it_in_full_by_its_token() -> None:
    # total_orders said 9,000: every walk page looked far from the end and was a preview.
    backend = Backend(5500, reported_total=9000)
    model = make(page_size=200, walk_limit=1000)
    serve(model, backend)
    model.start_walk()
    requests = serve(model, backend)
    assert [r.preview for r in requests] == [True] * 6 + [False]
    walked, shown = requests[-2], requests[-1]
    assert shown.kind == "demand" and (shown.token, shown.limit) == (walked.token, walked.limit)
    assert model.cursor == 5499 and model.highlighted_order == backend.orders[-1]
    # Scrolling back up fetches the counted pages in full by their tokens; the full page's
    # next token is spelled differently from the preview's, for the same position: the chain
    # after it stays (and takes the new spelling) instead of being rebuilt.
    chain_length = len(model.segments)
    model.set_cursor(4500)
    model.set_viewport(4495, 10)
    refetched = serve(model, backend)
    assert [(r.token, r.preview) for r in refetched] == [("p:after:o004199", False)]
    assert len(model.segments) == chain_length and model.complete
    assert model.segments[-1].token == "after:o005199"
    assert shown_ids(model, 4495, 4505) == [o.order_id for o in backend.orders[4495:4505]]


def test_a_far_jump_walks_previews_up_to_the_rows_it_lands_on() -> None:
    backend = Backend(5500)
    model = make(page_size=200, walk_limit=1000)
    serve(model, backend)
    model.set_cursor(4000)  # a scrollbar drag: the total is known, the rows are not
    model.set_viewport(3995, 10)
    requests = serve(model, backend)
    assert [(r.kind, r.preview, r.limit) for r in requests[:4]] == [
        ("demand", True, 1000),
        ("demand", True, 1000),
        ("demand", True, 1000),
        ("demand", False, 1000),  # rows 3200..4199: the ones shown
    ]
    assert model.highlighted_order == backend.orders[4000]
    assert all(model.row(i).kind is RowKind.ORDER for i in range(3995, 4005))


def test_a_refused_preview_token_falls_back_to_walking_full_pages_for_the_session() -> None:
    backend = Backend(5500, bound=True)  # a full page refuses a token from a preview page
    model = make(page_size=200, walk_limit=1000)
    serve(model, backend)
    model.start_walk()
    serve(model, backend)
    assert backend.previews[:7] == [False, True, True, True, True, True, False]
    refused_at = 6  # the full request for the last screens, with a preview page's token
    assert backend.requests[refused_at][0] == "p:after:o005199"
    again = backend.requests[refused_at + 1 :]
    # Walked again from the last token a full page gave (the first page's), full pages only.
    assert again == [(f"after:o{n:06d}", 1000) for n in (199, 1199, 2199, 3199, 4199, 5199)]
    assert not any(backend.previews[refused_at + 1 :])
    assert not model.previews_trusted
    assert model.complete and not model.walking
    assert model.cursor == 5499 and model.highlighted_order == backend.orders[-1]
    # Remembered for the session: a new scope's walk asks no preview page at all.
    model.reset("other")
    before = len(backend.requests)
    serve(model, backend)
    model.start_walk()
    serve(model, backend)
    assert not any(backend.previews[before:]) and model.cursor == 5499


def test_a_refused_token_from_a_full_page_is_an_ordinary_error_row() -> None:
    backend = Backend(100)
    model = make(page_size=20)
    model.set_viewport(0, 5)
    request = asking_below(model, backend, cursor=20, top=16, height=5)
    assert not request.preview
    assert model.apply_failure(request, "invalid page_token", refused=True)
    assert model.row(20).kind is RowKind.ERROR and model.previews_trusted


def test_a_failed_walk_page_stops_the_walk_with_the_cursor_on_its_error_row() -> None:
    backend = Backend(5000)
    model = make(page_size=100, walk_limit=1000)
    serve(model, backend)
    model.start_walk()
    for _ in range(2):
        request = model.next_request()
        assert request is not None
        answer(model, backend, request)
    request = model.next_request()
    assert request is not None and request.kind == "walk"
    model.apply_failure(request, "server error: try again later")
    assert not model.walking
    assert model.cursor == 2100 and model.row(2100).kind is RowKind.ERROR
    assert model.retry_at_cursor()
    model.set_viewport(2095, 10)
    retry = model.next_request()
    assert retry is not None and (retry.token, retry.limit) == (request.token, request.limit)
    assert not retry.preview  # the rows under the cursor are wanted now


def test_walk_can_be_cancelled() -> None:
    backend = Backend(5000)
    model = make(page_size=100, walk_limit=1000)
    serve(model, backend)
    assert model.start_walk()
    request = model.next_request()
    assert request is not None and request.kind == "walk"
    assert model.cancel_walk()
    answer(model, backend, request)
    assert not model.walking and model.cursor == 0  # the cursor did not jump
    assert model.next_request() is None  # nothing more: the view is loaded


def test_walk_on_a_complete_scope_just_moves_the_cursor() -> None:
    backend = Backend(15)
    model = make(page_size=20)
    serve(model, backend)
    assert not model.start_walk()
    assert model.cursor == 14


@pytest.mark.parametrize(("actual", "reported"), [(950, 1000), (150, 100), (3100, 2000)])
def test_total_is_corrected_by_the_last_page(actual: int, reported: int) -> None:
    backend = Backend(actual, reported_total=reported)
    model = make(page_size=100)
    serve(model, backend)
    assert model.total == max(reported, 101)
    model.start_walk()
    serve(model, backend)
    assert model.complete and model.total == actual
    assert model.cursor == actual - 1
    assert model.highlighted_order == backend.orders[-1]
