"""After a sweep of a 20,000-order demo (the issue's "done means"), the Action Required view
lists exactly the API's ``total_action_required`` orders, the id of the oldest order finds
exactly it, and the progress reported on the way was honest."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable

from artistree_tui.demo import DemoServer, FaultConfig
from artistree_tui.store import ALL, Scope, ViewSpec

from .conftest import Run


async def test_action_required_and_the_oldest_order_after_a_sweep(
    make_demo: Callable[..., DemoServer], syncing: Callable[..., Run]
) -> None:
    server = make_demo(orders=20_000, seed=1, new_order_every=0)
    run = syncing(server).start()
    done = await run.until(lambda p: p.last_sweep == "complete")
    stats = server.stats()
    assert done.complete and done.indexed == done.total == stats["total_orders"] == 20_000
    assert (
        done.counts.complete
        and done.counts.get("Action Required") == (stats["total_action_required"])
    )
    reader = run.index.reader()
    view = reader.view(ViewSpec.of(states={"Action Required"}))
    assert view.count() == stats["total_action_required"]
    truth = {i for i in server.order_ids() if server.order_state(i) == "Action Required"}
    assert {r.order_id for r in view.iter_rows()} == truth
    oldest = server.order_id(0)
    found = reader.view(ViewSpec.of(text=oldest))
    assert found.count() == 1 and found.rows(0, 1)[0].order_id == oldest
    # The whole sweep went by preview pages of 1,000, plus one first-page refresh.
    pages = [r for r in server.recorded() if r.path == "/v1/orders"]
    assert all(r.query["preview"] == "true" for r in pages)
    assert sum(r.query["limit"] == "1000" for r in pages) == 20
    # Honest progress on the way: incomplete counts said so, totals came from the API.
    during = [p for p in run.progress if p.phase == "sweeping"]
    assert during and all(not p.complete and not p.counts.complete for p in during)
    assert all(p.total == 20_000 for p in during)
    assert [p.swept for p in during] == sorted(p.swept for p in during)
    assert any(p.eta is not None and p.rate for p in during)
    assert during[0].describe().startswith("indexed ")
    assert "sync " in during[0].describe() and "%" in during[0].describe()
    assert done.describe().startswith("indexed 20,000 / 20,000 · complete as of ")


async def test_a_project_sweep_completes_that_project_only(
    make_demo: Callable[..., DemoServer], syncing: Callable[..., Run]
) -> None:
    server = make_demo(orders=3000, seed=4, new_order_every=0)
    project = server.projects[2]
    scope = Scope.project(project.id)  # the name is learnt from the pages
    run = syncing(server, scope=scope).start()
    done = await run.until(lambda p: p.last_sweep == "complete")
    expected = server.stats(project.id)
    assert done.indexed == expected["total_orders"] and done.complete
    reader = run.index.reader()
    view = reader.view(ViewSpec.of(scope))
    assert view.count() == expected["total_orders"]
    assert {r.order_id for r in view.iter_rows()} == set(server.order_ids(project.id))
    assert all(r.project_name == project.name for r in view.iter_rows())
    assert reader.status(scope).complete and not reader.status(ALL).complete


async def test_counts_that_are_not_numbers_neither_cut_the_sweep_nor_count(
    make_demo: Callable[..., DemoServer], syncing: Callable[..., Run]
) -> None:
    """Every page says ``total_orders`` is infinity and ``total_certified`` NaN: the sweep
    reads every order all the same (a total read as 0 called the paging broken after 1,200
    rows and the sync stopped there), and no zero is stored as the API's counts."""
    server = make_demo(orders=1500, seed=4, new_order_every=0)
    server.faults = FaultConfig(script=deque(["malformed-nan"] * 100))
    run = syncing(server, page_limit=200).start()
    done = await run.until(lambda p: p.last_sweep is not None and p.phase == "idle")
    assert done.last_sweep == "complete" and done.problem is None, done
    assert run.index.reader().state_counts(ALL).total == 1500
    assert run.index.reader().api_stats(ALL) is None  # never told a count it could read
    pages = len(server.recorded("/v1/orders"))
    assert pages > 8 and len(server.faults.script) == 100 - pages  # every page had them
