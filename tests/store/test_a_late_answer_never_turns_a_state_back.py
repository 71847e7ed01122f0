"""Answers can reach the index out of order: a full order asked for before the sync's page, but
answered (or written) after it, holds the state of before. The index keeps the newer of the two,
by when each was asked (``asked_at``, stamped by the API client): a late answer neither turns a
state back nor records a change that never happened, nor brings back an order a sweep found
removed since. An answer that agrees with the row's state still fills its full fields in. A 404
is an answer too: it removes an order only if nothing asked after it said the order is there,
and what is asked after it brings the order back.

The orders come from a demo API over loopback HTTP, read with the console's client; the index is
a real SQLite file.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Callable
from dataclasses import replace

import pytest

from artistree_tui.api.auth import ClientCredentials
from artistree_tui.api.client import ArtistreeClient
from artistree_tui.api.errors import ApiNotFoundError
from artistree_tui.api.models import ALL_PROJECTS, Order, OrdersPage
from artistree_tui.demo import DemoServer
from artistree_tui.store import ALL, Index, ViewSpec

RUNNING = "In Progress"


@pytest.fixture
def demo(make_demo: Callable[..., DemoServer]) -> DemoServer:
    server = make_demo(orders=200, seed=2, new_order_every=0)
    server.hold_clock()  # only advance() moves it: orders complete when the test says so
    return server


@pytest.fixture
def index(open_index: Callable[..., Index]) -> Index:
    return open_index()


async def every_order(client: ArtistreeClient) -> OrdersPage:
    """The demo's 200 orders, newest first, in one preview page."""
    return await client.list_orders(ALL_PROJECTS, preview=True, limit=200)


def kept_whole(index: Index, order: Order) -> bool:
    """The index holds ``order``'s full fields and the order itself as its document."""
    reader = index.reader()
    row = reader.row(order.order_id)
    full = row is not None and row.full and row.asset_name == order.asset_name
    return full and row.confidence == order.confidence and reader.order(order.order_id) == order


@pytest.fixture
async def client(demo: DemoServer) -> AsyncIterator[ArtistreeClient]:
    auth = ClientCredentials(demo.token_url, demo.client_id, demo.client_secret)
    async with ArtistreeClient(demo.base_url, auth) as api:  # a new token after advance()
        yield api


async def test_a_full_order_answered_late_does_not_turn_its_state_back(
    demo: DemoServer, client: ArtistreeClient, index: Index
) -> None:
    writer, reader = index.writer(), index.reader()
    writer.write_page(await every_order(client))
    order_id = next(reader.view(ViewSpec.of(states={RUNNING})).iter_rows()).order_id
    late = await client.get_order(order_id)  # asked now, written last
    assert late.order_state == RUNNING

    demo.advance(3600)  # an hour later every order has completed
    done = demo.order_state(order_id)
    assert done is not None and done != RUNNING
    newer = await every_order(client)
    changed = writer.write_page(newer)
    assert (order_id, RUNNING, done) in {(c.order_id, c.before, c.after) for c in changed.changes}

    result = writer.write_orders([late])  # the answer that was on its way meanwhile
    assert result.changes == ()  # no change recorded
    row = reader.row(order_id)
    assert row is not None and row.order_state == done
    assert [state for state, _ in reader.history(order_id)] == [RUNNING, done]
    assert reader.state_counts(ALL).get(RUNNING) == 0
    assert reader.order(order_id) is None  # nor kept as the order's whole document
    assert not row.full  # its full fields belonged to the old state

    fresh = await client.get_order(order_id)  # asked after the page: taken whole
    assert writer.write_orders([fresh]).changes == ()
    assert kept_whole(index, fresh)


async def test_a_late_answer_in_the_same_state_fills_the_full_fields(
    demo: DemoServer, client: ArtistreeClient, index: Index
) -> None:
    writer = index.writer()
    first = await every_order(client)
    order_id = next(p.order_id for p in first.previews if p.order_state != RUNNING)
    late = await client.get_order(order_id)
    writer.write_page(await every_order(client))
    writer.write_orders([late])  # older than the page, but it agrees with it
    assert kept_whole(index, late)


async def test_an_answer_asked_before_a_sweep_removed_the_order_does_not_bring_it_back(
    demo: DemoServer, client: ArtistreeClient, index: Index
) -> None:
    writer, reader = index.writer(), index.reader()
    writer.write_page(await every_order(client))
    victim = demo.order_ids()[50]
    late = await client.get_order(victim)  # asked before the sweep
    started = writer.start_sweep(ALL)
    demo.remove_order(victim)
    page = await every_order(client)
    _result, gone = writer.write_sweep_page(
        page, scope=ALL, mark_new=True, pages=1, rows=page.row_count, last=True,
        started_at=started,
    )  # fmt: skip
    assert gone == 1
    writer.write_orders([late])
    row = reader.row(victim)
    assert row is not None and row.gone is not None  # still removed
    assert reader.order(victim) is None  # nor kept as its document

    demo.restore_order(victim)
    back = await client.get_order(victim)  # asked after the sweep: it is there again
    writer.write_orders([back])
    row = reader.row(victim)
    assert row is not None and row.gone is None


async def test_a_clock_gone_back_does_not_freeze_an_order_s_state(
    client: ArtistreeClient, index: Index
) -> None:
    """The wall clock stepped back an hour (NTP) after a row was written: answers asked since
    look older than the one it holds. The times cannot order them, so the last written wins."""
    writer, reader = index.writer(), index.reader()
    page = await every_order(client)
    order_id = next(p.order_id for p in page.previews if p.order_state != RUNNING)
    assert page.asked_at is not None
    writer.write_page(replace(page, asked_at=page.asked_at + 3600))  # asked "in an hour"
    moved = next(p for p in page.previews if p.order_id == order_id)
    state = "Reviewed" if moved.order_state != "Reviewed" else "Failed"
    later = replace(page, previews=(replace(moved, order_state=state),))
    writer.write_page(later)  # asked now, after the clock went back
    row = reader.row(order_id)
    assert row is not None and row.order_state == state


async def not_found(client: ArtistreeClient, order_id: str) -> float:
    """Ask for ``order_id``, which the API no longer has: when the 404 was asked for."""
    with pytest.raises(ApiNotFoundError) as caught:
        await client.get_order(order_id)
    assert caught.value.asked_at is not None
    return caught.value.asked_at


async def test_a_404_older_than_what_the_index_holds_does_not_remove_the_order(
    demo: DemoServer, client: ArtistreeClient, index: Index
) -> None:
    writer, reader = index.writer(), index.reader()
    victim = demo.order_ids()[20]
    demo.remove_order(victim)
    asked = await not_found(client, victim)  # on its way while the order came back
    demo.restore_order(victim)
    writer.write_page(await every_order(client))  # asked after the 404: the order is there
    assert writer.mark_gone([victim], asked) == 0
    row = reader.row(victim)
    assert row is not None and row.gone is None


async def test_an_answer_asked_after_a_404_brings_the_order_back(
    demo: DemoServer, client: ArtistreeClient, index: Index
) -> None:
    writer, reader = index.writer(), index.reader()
    writer.write_page(await every_order(client))
    victim = demo.order_ids()[20]
    demo.remove_order(victim)
    asked = await not_found(client, victim)
    demo.restore_order(victim)
    page = await every_order(client)  # asked after the 404, written after its mark
    assert writer.mark_gone([victim], asked) == 1
    row = reader.row(victim)
    assert row is not None and row.gone is not None
    assert writer.write_page(page).revived == 1
    row = reader.row(victim)
    assert row is not None and row.gone is None


async def test_a_refused_late_answer_is_not_counted_as_bringing_an_order_back(
    demo: DemoServer, client: ArtistreeClient, index: Index
) -> None:
    writer = index.writer()
    writer.write_page(await every_order(client))
    victim = demo.order_ids()[30]
    late = await client.get_order(victim)  # asked before the 404
    demo.remove_order(victim)
    writer.mark_gone([victim], await not_found(client, victim))
    assert writer.write_orders([late]).revived == 0


async def test_an_older_answer_in_the_same_state_fills_in_without_turning_back_the_rest(
    client: ArtistreeClient, index: Index
) -> None:
    """A full order read a while ago (the detail's, kept back while a sorted list was read)
    agrees with the row's state but not with its newer title and tags: it fills in the full
    fields the row lacks, and leaves the newer ones."""
    writer, reader = index.writer(), index.reader()
    page = await every_order(client)
    target = next(p for p in page.previews if p.order_state != RUNNING)
    late = await client.get_order(target.order_id)  # read first
    assert page.asked_at is not None and late.asked_at is not None
    renamed = replace(target, order_title="Renamed since", tags=("newer",))
    newer = replace(page, previews=(renamed,), asked_at=time.time())  # after the order's
    writer.write_page(newer)  # a later page: the title and tags changed
    writer.write_orders([late])
    row = reader.row(target.order_id)
    assert row is not None and row.order_title == "Renamed since" and row.tags == ("newer",)
    assert row.full and row.confidence == late.confidence  # what previews do not carry
    assert row.asset_name == late.asset_name
