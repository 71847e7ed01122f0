"""Views answer over every indexed order of a scope — counts, windows by position, positions
of ids, the last rows, every row streamed, new-or-changed marks — for every sort, both
directions, state filters and projects, on both strategies (keyset walk with anchors, and a
small materialized result)."""

from __future__ import annotations

import random
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from artistree_tui.api.models import KNOWN_STATES, OrdersPage, has_score
from artistree_tui.demo import DemoServer
from artistree_tui.store import SORT_KEYS, Index, Reader, Scope, ViewSpec, plans, views
from tests.support.demo import TLS, fetch_token

from .conftest import read_pages

ORDERS = 3000
ALBUM = Scope.project("p", "Album Art — Night Drive")


@dataclass(frozen=True)
class Truth:
    created: float
    state: str
    title: str
    project: str
    confidence: float | None


@pytest.fixture(scope="module")
def demo() -> Iterator[DemoServer]:
    with DemoServer(orders=ORDERS, seed=11) as server:
        yield server


@pytest.fixture(scope="module")
def source(demo: DemoServer) -> tuple[list[OrdersPage], OrdersPage]:
    """Every preview page of the demo, and a full page of its newest 400 (read once)."""
    with httpx.Client(base_url=demo.base_url, timeout=30, verify=TLS) as http:
        http.headers["Authorization"] = f"Bearer {fetch_token(demo, http)}"
        return read_pages(http), read_pages(http, preview=False, limit=400)[0]


@pytest.fixture(scope="module")
def built(
    source: tuple[list[OrdersPage], OrdersPage], tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, dict[str, Truth]]:
    """An index file of the demo, built once; each test opens its own copy."""
    pages, full = source
    path = tmp_path_factory.mktemp("views") / "orders.sqlite3"
    index = Index(path)
    writer = index.writer()
    truth: dict[str, Truth] = {}
    for page in pages:
        writer.write_page(page)
        for p in page.previews:
            assert p.creation_time is not None
            truth[p.order_id] = Truth(
                p.creation_time.timestamp(), p.order_state, p.order_title, p.project_name, None
            )
    # Full orders for the newest 400: they bring confidence (the rest sort as unknown).
    writer.write_orders(full.orders)
    for order in full.orders:
        truth[order.order_id] = Truth(
            truth[order.order_id].created,
            order.order_state,
            order.order_title,
            order.project_name,
            order.confidence,
        )
    index.close()  # the last connection: SQLite folds the WAL into the file
    return path, truth


@pytest.fixture
def loaded(
    built: tuple[Path, dict[str, Truth]], open_index: Callable[..., Index], index_file: Path
) -> tuple[Reader, dict[str, Truth]]:
    path, truth = built
    index_file.parent.mkdir(parents=True)
    shutil.copyfile(path, index_file)
    return open_index().reader(), truth


def expected(truth: dict[str, Truth], spec: ViewSpec) -> list[str]:
    def key(item: tuple[str, Truth]) -> tuple[object, ...]:
        t = item[1]
        score = t.confidence if has_score(t.state, t.confidence) else None
        return {
            "created": (t.created,),
            "state": (KNOWN_STATES.index(t.state), -t.created),
            "confidence": (-1.0 if score is None else score, t.created),
            "title": (t.title[:48].casefold(), -t.created),
        }[spec.sort]

    chosen = [
        (i, t)
        for i, t in truth.items()
        if (spec.scope.is_all or t.project == spec.scope.name)
        and (not spec.states or t.state in spec.states)
    ]
    if spec.sort == "confidence" and not spec.descending:
        # Lowest first, the orders without a score still last: minus the score, descending
        # (ties newest first, as highest first).
        def lowest(item: tuple[str, Truth]) -> tuple[float, float]:
            score = key(item)[0]
            return (-1.0e9 if score == -1.0 else -score, item[1].created)  # type: ignore[operator]

        chosen.sort(key=lowest, reverse=True)
    else:
        chosen.sort(key=key, reverse=spec.descending)
    return [i for i, _ in chosen]


SPECS = [
    *(ViewSpec.of(sort=s, descending=d) for s in SORT_KEYS for d in (True, False)),
    ViewSpec.of(states={"Action Required"}),
    ViewSpec.of(states={"Action Required", "Failed"}, sort="title", descending=False),
    ViewSpec.of(states={"In Progress"}, sort="state"),
    ViewSpec.of(ALBUM),
    ViewSpec.of(ALBUM, states={"Reviewed"}, sort="confidence"),
    ViewSpec.of(Scope.project("Personal Certificates"), descending=False),
]


@pytest.fixture(params=["walk", "small"])
def strategy(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    if request.param == "walk":
        # Anchors every 64 rows and nothing materialized: 3,000 rows take the big-index path.
        monkeypatch.setattr(views, "ANCHOR_EVERY", 64)
        monkeypatch.setattr(plans, "SMALL_LIMIT", 0)
    else:
        monkeypatch.setattr(plans, "WALK_RATIO", 0)  # every result counts as sparse
    return str(request.param)


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: f"{s.sort}-{s.descending}-{len(s.states)}")
def test_windows_positions_and_stream_match_the_api(
    loaded: tuple[Reader, dict[str, Truth]], spec: ViewSpec, strategy: str
) -> None:
    reader, truth = loaded
    want = expected(truth, spec)
    view = reader.view(spec)
    assert view.count() == len(want) > 0
    if spec.sort == "confidence":  # how many come first with a score, the rest after them
        scored = [i for i in want if has_score(truth[i].state, truth[i].confidence)]
        assert view.scored() == len(scored) and want[: len(scored)] == scored
    else:
        assert view.scored() is None
    is_small = view._plan is not None and view._plan.small is not None
    assert is_small == (strategy == "small")
    rng = random.Random(3)
    n = len(want)
    starts = [0, n - 30, n // 2, *(rng.randrange(n) for _ in range(12))]
    for start in starts:  # forward from anchors, backward from the end, in any order
        assert [r.order_id for r in view.rows(start, 30)] == want[max(start, 0) : start + 30]
    for position in [0, n - 1, *(rng.randrange(n) for _ in range(12))]:
        assert view.position_of(want[position]) == position
    assert view.rows(n, 10) == [] and view.row_at(n) is None
    assert [r.order_id for r in view.iter_rows(batch=97)] == want
    assert view.build_anchors() is True
    for position in (rng.randrange(n) for _ in range(12)):
        assert view.position_of(want[position]) == position
        assert view.row_at(position).order_id == want[position]  # type: ignore[union-attr]


def test_an_order_outside_the_view_has_no_position(
    loaded: tuple[Reader, dict[str, Truth]],
) -> None:
    reader, truth = loaded
    view = reader.view(ViewSpec.of(states={"Failed"}))
    other = next(i for i, t in truth.items() if t.state != "Failed")
    assert view.position_of(other) is None
    assert view.position_of("no-such-order") is None


def test_a_project_the_index_has_not_seen_is_an_empty_view(
    loaded: tuple[Reader, dict[str, Truth]],
) -> None:
    reader, _ = loaded
    view = reader.view(ViewSpec.of(Scope.project("0000-unknown")))
    assert view.count() == 0 and view.rows(0, 10) == [] and list(view.iter_rows()) == []


def test_rows_carry_preview_and_full_fields(loaded: tuple[Reader, dict[str, Truth]]) -> None:
    reader, truth = loaded
    newest, oldest = (
        reader.view(ViewSpec.of()).rows(0, 1)[0],
        reader.view(ViewSpec.of(descending=False)).rows(0, 1)[0],
    )
    assert newest.full and newest.asset_name and newest.username is not None
    assert newest.project_id is not None
    assert not oldest.full
    assert (oldest.confidence, oldest.asset_name, oldest.ordered_by) == (None, None, None)
    assert oldest.order_title == truth[oldest.order_id].title
    assert oldest.first_seen <= oldest.last_seen and oldest.gone is None


@pytest.mark.parametrize("descending", [True, False])
def test_next_and_previous_marked_rows(
    loaded: tuple[Reader, dict[str, Truth]],
    descending: bool,
    strategy: str,
) -> None:
    reader, truth = loaded
    spec = ViewSpec.of(descending=descending)
    want = expected(truth, spec)
    view = reader.view(spec)
    since = max(r.last_seen for r in view.rows(0, 5))
    assert view.marked_count(since) == 0 and view.next_marked(-1, since) is None
    # Three orders change state (a later preview says so): they are marked.
    index = reader._index  # the same database
    picked = [want[5], want[len(want) // 2], want[-3]]
    page = OrdersPage(
        previews=tuple(
            _changed(reader.row(i))  # type: ignore[arg-type]
            for i in picked
        )
    )
    result = index.writer().write_previews(page.previews)
    assert {c.order_id for c in result.changes} == set(picked)
    view.refresh()
    positions = sorted(want.index(i) for i in picked)
    assert view.marked_count(since) == 3
    assert view.next_marked(-1, since) == positions[0]
    assert view.next_marked(positions[0], since) == positions[1]
    assert view.next_marked(positions[1], since) == positions[2]
    assert view.next_marked(positions[2], since) is None
    assert view.prev_marked(positions[2], since) == positions[1]
    assert view.prev_marked(positions[0], since) is None
    assert view.prev_marked(len(want), since) == positions[2]
    assert view.row_at(positions[1]).changed_at > since  # type: ignore[union-attr]


def _changed(row: object) -> object:
    from artistree_tui.api.models import OrderPreview

    assert row is not None
    state = "Failed" if row.order_state != "Failed" else "Reviewed"  # type: ignore[attr-defined]
    return OrderPreview(
        row.order_id,  # type: ignore[attr-defined]
        row.order_title,  # type: ignore[attr-defined]
        row.creation_time,  # type: ignore[attr-defined]
        state,
        row.asset_preview_url,  # type: ignore[attr-defined]
        row.project_name,  # type: ignore[attr-defined]
        row.analyses,  # type: ignore[attr-defined]
        row.tags,  # type: ignore[attr-defined]
    )


def test_a_view_knows_when_the_index_changed(loaded: tuple[Reader, dict[str, Truth]]) -> None:
    reader, truth = loaded
    view = reader.view(ViewSpec.of())
    count = view.count()
    assert not view.stale
    reader._index.writer().forget([next(iter(truth))])
    assert view.stale and view.count() == count  # a snapshot until refreshed
    view.refresh()
    assert not view.stale and view.count() == count - 1


def test_anchors_are_not_built_from_another_snapshot(
    loaded: tuple[Reader, dict[str, Truth]], monkeypatch: pytest.MonkeyPatch
) -> None:
    # The list's worker builds a view's anchors while the sync writes: an order written above
    # them would shift every anchor read after it, and the view's positions with them.
    monkeypatch.setattr(views, "ANCHOR_EVERY", 64)
    reader, truth = loaded
    view = reader.view(ViewSpec.of())
    view.count()
    reader._index.writer().forget([next(iter(truth))])
    assert view.stale
    assert view.build_anchors() is True  # stops: the view is prepared again, not extended
    assert view._anchors == []
