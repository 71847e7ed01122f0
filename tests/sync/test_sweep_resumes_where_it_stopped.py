"""A sweep interrupted (the console quit, the network went away) resumes from its saved page
token, not from the start; a page token the API refuses restarts the sweep from the head; a
token that expires mid-sweep is renewed without a hitch."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest

from artistree_tui.demo import DemoServer, FaultConfig
from artistree_tui.store import ALL, Index, ViewSpec
from artistree_tui.store.writer import SweepState

from .conftest import Run


def list_requests(server: DemoServer) -> list[dict[str, str]]:
    return [r.query for r in server.recorded() if r.path == "/v1/orders"]


async def test_a_sweep_interrupted_by_a_quit_resumes_after_a_restart(
    make_demo: Callable[..., DemoServer], syncing: Callable[..., Run], tmp_path: Path
) -> None:
    server = make_demo(orders=8000, seed=3, new_order_every=0)
    path = tmp_path / "index" / "orders.sqlite3"
    first = syncing(server, path=path).start()
    await first.until(lambda p: p.phase == "sweeping" and p.pages >= 3)
    await first.stop()  # the console quits mid-sweep
    saved = first.index.writer().sweep_state(ALL)
    first.index.close()
    assert saved.sweeping and saved.next_token and saved.pages >= 3
    walked = [q for q in list_requests(server) if q["limit"] == "1000"]
    server.clear_requests()

    second = syncing(server, path=path).start()
    done = await second.until(lambda p: p.last_sweep == "complete")
    assert done.indexed == 8000
    resumed = [q for q in list_requests(server) if q["limit"] == "1000"]
    # The first page of 1,000 asked after the restart is the one the index saved: the sweep
    # went on from where it was. The whole walk took 8 pages in all, plus at most the one
    # read ahead when the console quit.
    assert resumed[0].get("page_token") == saved.next_token
    assert len(walked) + len(resumed) <= 8 + 1
    assert done.pages == 8 and done.swept == 8000


def later(path: Path, minutes: float) -> Index:
    """The index at ``path`` opened by a console started ``minutes`` from now."""
    return Index(path, clock=lambda: time.time() + minutes * 60)


async def walked_once(server: DemoServer, syncing: Callable[..., Run], tmp_path: Path) -> Path:
    """An index of ``server`` walked to its end once by a console that then quit; its file."""
    path = tmp_path / "index" / "orders.sqlite3"
    first = syncing(server, path=path, resync_minutes=15).start()
    await first.until(lambda p: p.last_sweep == "complete")
    await first.stop()
    first.index.close()
    return path


async def interrupted(run: Run) -> SweepState:
    """Quit ``run`` once its sweep has read 3 pages; the sweep's saved bookkeeping."""
    run.start()
    await run.until(lambda p: p.phase == "sweeping" and p.pages >= 3)
    await run.stop()  # the console quits mid-walk
    saved = run.index.writer().sweep_state(ALL)
    run.index.close()
    assert saved.sweeping and saved.next_token
    return saved


@pytest.mark.parametrize("resync_minutes", [15, 0])
async def test_a_re_walk_left_for_longer_than_a_re_walk_starts_again(
    make_demo: Callable[..., DemoServer],
    syncing: Callable[..., Run],
    tmp_path: Path,
    resync_minutes: float,
) -> None:
    # A console quit mid re-walk and started 24 minutes later: the rows read before are older
    # than a walk every resync_minutes may leave them, and stitched to the rest they made a
    # walk that looked complete while the counts stayed behind the API's (a tryout saw 82
    # orders In Progress for minutes that the API had certified). With re-walks off
    # (resync_minutes = 0) it is resumed, however old.
    server = make_demo(orders=8000, seed=3, new_order_every=0)
    path = await walked_once(server, syncing, tmp_path)
    # 16 minutes on, the re-walk is due: it starts, and the console quits in its middle.
    again = syncing(server, index=later(path, 16), resync_minutes=15)
    saved = await interrupted(again)
    server.clear_requests()

    third = syncing(server, index=later(path, 40), resync_minutes=resync_minutes).start()
    done = await third.until(lambda p: p.last_sweep == "complete" and p.phase == "idle")
    assert done.indexed == 8000
    # (The quitting console's read-ahead may still arrive meanwhile: it has a page token.)
    walked = [q for q in list_requests(server) if q["limit"] == "1000"]
    tokens = [q.get("page_token") for q in walked]
    if resync_minutes:
        assert None in tokens  # a walk from the head: a new one
    else:
        assert None not in tokens and saved.next_token in tokens


async def test_a_long_re_walk_that_was_never_left_goes_on(
    make_demo: Callable[..., DemoServer], syncing: Callable[..., Run], tmp_path: Path
) -> None:
    # What counts is how long the walk was left, not how long ago it started: a re-walk of a
    # big organization may take longer than resync_minutes while the console runs (its head
    # refreshed all along); a console started again soon after resumes it.
    server = make_demo(orders=8000, seed=3, new_order_every=0)
    path = await walked_once(server, syncing, tmp_path)
    offset = [16.0]  # minutes on: the re-walk is due
    moving = Index(path, clock=lambda: time.time() + offset[0] * 60)
    again = syncing(server, index=moving, resync_minutes=15).start()
    await again.until(lambda p: p.phase == "sweeping" and p.pages >= 2)
    offset[0] = 40.0  # 24 minutes into the walk, its head refreshed
    seen = len(again.progress)
    again.engine.wake()
    await again.until(lambda p: len(again.progress) > seen + 1 and p.pages >= 3)
    await again.stop()
    saved = again.index.writer().sweep_state(ALL)
    again.index.close()
    assert saved.sweeping and saved.next_token
    server.clear_requests()

    third = syncing(server, index=later(path, 45), resync_minutes=15).start()
    await third.until(lambda p: p.last_sweep == "complete" and p.phase == "idle")
    tokens = [q.get("page_token") for q in list_requests(server) if q["limit"] == "1000"]
    assert None not in tokens and saved.next_token in tokens  # resumed


async def test_a_first_walk_resumes_however_old(
    make_demo: Callable[..., DemoServer], syncing: Callable[..., Run], tmp_path: Path
) -> None:
    # The first walk of an organization is resumed whenever the console comes back: its
    # counts say "so far" until it ends, and starting it over at every start would never
    # end it for an organization whose walk outlasts a console's session.
    server = make_demo(orders=8000, seed=3, new_order_every=0)
    path = tmp_path / "index" / "orders.sqlite3"
    saved = await interrupted(syncing(server, path=path, resync_minutes=15))
    server.clear_requests()
    second = syncing(server, index=later(path, 60), resync_minutes=15).start()
    done = await second.until(lambda p: p.last_sweep == "complete")
    assert done.indexed == 8000
    walked = [q for q in list_requests(server) if q["limit"] == "1000"]
    assert walked[0].get("page_token") == saved.next_token


async def test_a_sweep_pauses_while_offline_and_resumes_with_its_token(
    make_demo: Callable[..., DemoServer], syncing: Callable[..., Run]
) -> None:
    server = make_demo(orders=6000, seed=3, new_order_every=0)
    run = syncing(server)
    run.at_page(2, lambda: setattr(server.faults, "rate_drop", 1.0))  # every connection dropped
    run.start()
    offline = await run.until(lambda p: p.phase == "offline")
    assert offline.error and offline.retry_in is not None and offline.retry_in <= 0.2
    assert "paused: " in offline.describe()
    server.faults.rate_drop = 0.0
    done = await run.until(lambda p: p.last_sweep == "complete")
    assert done.indexed == 6000 and done.pages == 6
    requests = [r for r in server.recorded() if r.path == "/v1/orders"]
    dropped = [r for r in requests if r.status == 0]
    assert dropped
    tokens = {r.query.get("page_token") for r in dropped}
    assert len(tokens) == 1 and None not in tokens  # every try asked for the same page
    back = requests[requests.index(dropped[-1]) + 1]
    # Back online, the engine asked for that very page, then went on.
    assert back.status == 200 and back.query.get("page_token") in tokens


async def test_an_outage_costs_one_try_per_backoff_step(
    make_demo: Callable[..., DemoServer], syncing: Callable[..., Run]
) -> None:
    server = make_demo(orders=3000, seed=3, new_order_every=0)
    run = syncing(server, backoff_base=0.05, backoff_cap=0.1)

    def outage() -> None:
        server.faults.rate_5xx = 1.0
        server.clear_requests()

    run.at_page(1, outage).start()
    await run.until(lambda p: p.phase == "offline")
    seen = len(run.progress) - 1
    # Four rounds of "the client gave up, the engine waited": one offline report each.
    await run.until(lambda p: sum(x.phase == "offline" for x in run.progress[seen:]) >= 4)
    failed = [r.status for r in server.recorded() if r.path == "/v1/orders" and r.status != 200]
    # Each round is the client's 2 tries (FAST_RETRY), never a storm on top of it.
    assert len(failed) <= 2 * 5 and set(failed) <= {500, 502, 503, 504}
    server.faults.rate_5xx = 0.0
    done = await run.until(lambda p: p.last_sweep == "complete")
    assert done.indexed == 3000


async def test_a_refused_page_token_restarts_from_the_head(
    make_demo: Callable[..., DemoServer], syncing: Callable[..., Run]
) -> None:
    # Each answer waits 500 ms before the server reads the request, so the page asked ahead
    # while page 2 is written has its token checked after the rotation below.
    server = make_demo(orders=5000, seed=8, new_order_every=0, latency_ms=500)
    run = syncing(server)

    def rotate() -> None:
        server.clear_requests()
        server.rotate_page_tokens()  # the server forgets every token it handed out

    run.at_page(2, rotate).start()
    done = await run.until(lambda p: p.last_sweep == "complete")
    assert done.indexed == 5000 and done.complete
    requests = [r for r in server.recorded() if r.path == "/v1/orders"]
    refused = [r for r in requests if r.status == 400]
    assert len(refused) == 1  # not retried: a 4xx on a token means "start again"
    after = requests[requests.index(refused[0]) + 1]
    assert after.status == 200 and "page_token" not in after.query  # from the head
    assert run.index.reader().view(ViewSpec.of()).count() == 5000


async def test_a_stale_saved_token_after_a_server_restart(
    make_demo: Callable[..., DemoServer], syncing: Callable[..., Run], tmp_path: Path
) -> None:
    server = make_demo(orders=4000, seed=8, new_order_every=0)
    path = tmp_path / "orders.sqlite3"
    first = syncing(server, path=path).start()
    await first.until(lambda p: p.phase == "sweeping" and p.pages >= 2)
    await first.stop()
    first.index.close()
    server.rotate_page_tokens()
    second = syncing(server, path=path).start()
    done = await second.until(lambda p: p.last_sweep == "complete")
    assert done.indexed == 4000


async def test_a_token_that_expires_mid_sweep_is_renewed(
    make_demo: Callable[..., DemoServer], syncing: Callable[..., Run]
) -> None:
    server = make_demo(orders=6000, seed=9, new_order_every=0, faults=FaultConfig(token_ttl=30))
    run = syncing(server)
    run.at_page(2, lambda: server.advance(31))  # the demo clock jumps: the token has expired
    run.start()
    done = await run.until(lambda p: p.last_sweep == "complete")
    assert done.indexed == 6000 and done.error is None
    statuses = [r.status for r in server.recorded() if r.path == "/v1/orders"]
    assert 401 in statuses  # the expired token was refused once...
    assert server.token_requests >= 2  # ...and a new one was fetched
