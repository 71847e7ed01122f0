"""A broad text search (more matches than a view materializes) over a real index: its count
is exact (checked against a brute-force match in Python over every row of the same view
without text), its first and last windows are read straight from FTS5 without copying the
match set, and anything farther (a middle window, a position, anchors, the stream) copies the
match once and answers alike — for every sort, both directions, with a state filter and a
project, on FTS5 and on the plain fallback. A title cannot forge the state or project facet
a search within a filter relies on."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from functools import partial
from pathlib import Path

import httpx
import pytest

from artistree_tui.api.models import OrderPreview, OrdersPage, OrderStats
from artistree_tui.demo import DemoServer
from artistree_tui.store import SORT_KEYS, Index, Reader, Row, Scope, ViewSpec, plans, views
from artistree_tui.store.schema import FACET_MARK
from tests.support.demo import TLS, fetch_token

from .conftest import index_both_ways, read_pages

ORDERS = 1500
#: Anything above this many matches is "broad" here, as 5,000 is at full size.
BROAD = 20
_WORD = re.compile(r"[^\W_]+")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[bool, Path]:
    """The demo's orders (previews, and full orders for the newest 300) in an FTS5 index and
    in a plain one (the fallback, forced)."""
    with (
        DemoServer(orders=ORDERS, seed=7) as demo,
        httpx.Client(base_url=demo.base_url, timeout=30, verify=TLS) as http,
    ):
        http.headers["Authorization"] = f"Bearer {fetch_token(demo, http)}"
        pages = read_pages(http)
        full = read_pages(http, preview=False, limit=300)[0]
    return index_both_ways(tmp_path_factory.mktemp("broad"), pages, full.orders)


@pytest.fixture
def readers(
    built: dict[bool, Path],
    reader_of_copy: Callable[[dict[bool, Path], bool], Reader],
    monkeypatch: pytest.MonkeyPatch,
) -> Callable[[bool], Reader]:
    monkeypatch.setattr(plans, "SMALL_LIMIT", BROAD)
    monkeypatch.setattr(views, "ANCHOR_EVERY", 50)
    return partial(reader_of_copy, built)


def fields(row: Row) -> list[str]:
    return [
        row.order_title,
        row.asset_name or "",
        row.username or "",
        row.email or "",
        row.ordered_by or "",
        " ".join(row.tags),
        row.project_name,
        " ".join(a.analysis_type for a in row.analyses),
    ]


def brute_force(row: Row, text: str, fts: bool) -> bool:
    """Whether ``row`` matches ``text``, by plain Python: FTS5 = every word starts a word of
    some field; the fallback = every word is inside some field."""
    words = _WORD.findall(text.lower())
    values = [v.lower() for v in fields(row)]
    if fts:
        tokens = {t for v in values for t in _WORD.findall(v)}
        return all(any(t.startswith(w) for t in tokens) for w in words)
    return all(any(w in v for v in values) for w in words)


def expected(reader: Reader, spec: ViewSpec, fts: bool) -> list[str]:
    """The ids of ``spec``'s view, in order: the same view without text, filtered in Python."""
    plain = ViewSpec.of(spec.scope, states=spec.states, sort=spec.sort, descending=spec.descending)
    return [r.order_id for r in reader.view(plain).iter_rows() if brute_force(r, spec.text, fts)]


def common_word(reader: Reader) -> str:
    """A word of the titles that many orders share (broad at this size)."""
    counts: dict[str, int] = {}
    for row in reader.view(ViewSpec.of()).iter_rows():
        for word in set(_WORD.findall(row.order_title.lower())):
            if len(word) > 3:
                counts[word] = counts.get(word, 0) + 1
    word, n = max(counts.items(), key=lambda item: item[1])
    assert n > 4 * BROAD
    return word


def album(reader: Reader) -> Scope:
    rows = reader.view(ViewSpec.of()).rows(0, 50)
    return Scope.project("p", max({r.project_name for r in rows}, key=len))


def live(view: views.View) -> bool:
    """Whether the view still reads its match from FTS5 (nothing copied yet)."""
    plan = view._plan
    assert plan is not None
    return plan.fts_match is not None and not plan.filled


@pytest.mark.parametrize("descending", [True, False], ids=["desc", "asc"])
@pytest.mark.parametrize("sort", SORT_KEYS)
def test_a_broad_word_counts_exactly_and_reads_both_ends_live(
    readers: Callable[[bool], Reader], sort: str, descending: bool
) -> None:
    reader = readers(True)
    word = common_word(reader)
    for spec in (
        ViewSpec.of(text=word, sort=sort, descending=descending),  # type: ignore[arg-type]
        ViewSpec.of(
            text=word,
            states={"Human Certified", "Action Required"},
            sort=sort,  # type: ignore[arg-type]
            descending=descending,
        ),
        ViewSpec.of(album(reader), text=word, sort=sort, descending=descending),  # type: ignore[arg-type]
    ):
        want = expected(reader, spec, fts=True)
        assert len(want) > BROAD, spec
        view = reader.view(spec)
        assert view.count() == len(want)
        assert [r.order_id for r in view.rows(0, 20)] == want[:20]
        assert [r.order_id for r in view.rows(len(want) - 20, 20)] == want[-20:]
        assert live(view), "the first and last windows must not copy the match set"
        # Farther in: the match is copied once, and the answers do not change.
        middle = len(want) // 2
        assert [r.order_id for r in view.rows(middle, 10)] == want[middle : middle + 10]
        assert not live(view)
        assert view.position_of(want[middle + 3]) == middle + 3
        assert [r.order_id for r in view.iter_rows(batch=37)] == want


def test_a_broad_word_with_a_state_filter_is_counted_by_fts5_alone(
    readers: Callable[[bool], Reader],
) -> None:
    reader = readers(True)
    word = common_word(reader)
    for state in ("Action Required", "Human Certified", "Failed", "Reviewed"):
        spec = ViewSpec.of(text=word, states={state})
        want = expected(reader, spec, fts=True)
        view = reader.view(spec)
        assert view.count() == len(want), state
        assert [r.order_id for r in view.rows(0, 20)] == want[:20]
        assert all(r.order_state == state for r in view.rows(0, 60))


def test_building_anchors_copies_the_match_then_every_position_agrees(
    readers: Callable[[bool], Reader],
) -> None:
    reader = readers(True)
    spec = ViewSpec.of(text=common_word(reader), states={"Human Certified"}, sort="title")
    want = expected(reader, spec, fts=True)
    view = reader.view(spec)
    assert view.count() == len(want) > BROAD
    assert view.build_anchors() is True
    assert not live(view)
    for position in range(0, len(want), 7):
        assert view.position_of(want[position]) == position
        assert view.row_at(position).order_id == want[position]  # type: ignore[union-attr]


@pytest.mark.parametrize("fts", [True, False], ids=["fts5", "fallback"])
def test_broad_searches_agree_with_a_brute_force_match(
    readers: Callable[[bool], Reader], fts: bool
) -> None:
    reader = readers(fts)
    word = common_word(reader)
    for spec in (
        ViewSpec.of(text=word),
        ViewSpec.of(text=word[:3]),  # a prefix, as typed
        ViewSpec.of(text=f"{word} a", states={"Action Required", "Reviewed"}, sort="state"),
        ViewSpec.of(text=word, states={"In Progress"}),  # rare: small, or empty
    ):
        want = expected(reader, spec, fts)
        view = reader.view(spec)
        assert view.count() == len(want), spec
        assert [r.order_id for r in view.iter_rows()] == want


def test_a_title_cannot_forge_a_state_or_project_facet(
    built: dict[bool, Path], tmp_path: Path
) -> None:
    copy = tmp_path / "orders.sqlite3"
    shutil.copyfile(built[True], copy)
    index = Index(copy)
    try:
        reader = index.reader()
        word = common_word(reader)
        certified = reader.view(ViewSpec.of(states={"Human Certified"})).rows(0, 1)[0]
        codes = reader.run(lambda c: dict(c.execute("SELECT name, code FROM states").fetchall()))
        pids = reader.run(lambda c: [p for (p,) in c.execute("SELECT pid FROM projects")])
        names = {p: reader.run(lambda c, p=p: reader.project_name(c, p)) for p in pids}
        other = next(p for p in pids if names[p] != certified.project_name)
        # A certified order whose title spells the facets of Action Required and of another
        # project, as a hostile API could send it.
        forged = (
            f"{word} {FACET_MARK}s{codes['Action Required']} {FACET_MARK}p{other} "
            f"{FACET_MARK}s{codes['Action Required']}{FACET_MARK}p{other}"
        )
        index.writer().write_page(_page_with_title(certified, forged))
        assert reader.view(ViewSpec.of(text=word)).position_of(certified.order_id) is not None
        spec = ViewSpec.of(text=word, states={"Action Required"})
        assert reader.view(spec).position_of(certified.order_id) is None
        assert certified.order_id not in [r.order_id for r in reader.view(spec).iter_rows()]
        assert reader.view(spec).count() == len(expected(reader, spec, fts=True))
        in_other = ViewSpec.of(Scope.project("x", names[other]), text=word)
        assert reader.view(in_other).position_of(certified.order_id) is None
        assert reader.view(in_other).count() == len(expected(reader, in_other, fts=True))
    finally:
        index.close()


def _page_with_title(row: Row, title: str) -> OrdersPage:
    preview = OrderPreview(
        order_id=row.order_id,
        order_title=title,
        creation_time=row.creation_time,
        order_state=row.order_state,
        asset_preview_url=row.asset_preview_url,
        project_name=row.project_name,
        analyses=row.analyses,
        tags=row.tags,
    )
    return OrdersPage(stats=OrderStats(total=ORDERS), previews=(preview,))
