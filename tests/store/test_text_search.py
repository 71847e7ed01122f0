"""``/`` over the whole index: words prefix-match title, asset, people, tags, project and
analysis types; an order id prefix uses the id's index; FTS5 and the plain fallback (forced)
agree; text that looks like SQL or FTS syntax is inert; rows held in memory (``orders
--search`` walking the API) match exactly as the index does."""

from __future__ import annotations

import dataclasses
import sqlite3
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path

import httpx
import pytest

from artistree_tui.api.models import Order, OrderPreview, OrdersPage
from artistree_tui.demo import DemoServer
from artistree_tui.export.records import text_fields
from artistree_tui.store import Index, Reader, Scope, ViewSpec, plans, search, views
from artistree_tui.store.schema import fts5_available
from tests.support.demo import TLS, fetch_token

from .conftest import index_both_ways, preview, read_pages


@pytest.fixture(scope="module")
def demo() -> Iterator[DemoServer]:
    with DemoServer(orders=2500, seed=5) as server:
        yield server


@pytest.fixture(scope="module")
def source(demo: DemoServer) -> tuple[list[OrdersPage], list[Order]]:
    with httpx.Client(base_url=demo.base_url, timeout=30, verify=TLS) as http:
        http.headers["Authorization"] = f"Bearer {fetch_token(demo, http)}"
        previews = read_pages(http)
        full = [o for page in read_pages(http, preview=False) for o in page.orders]
    return previews, full


@pytest.fixture(scope="module")
def built(
    source: tuple[list[OrdersPage], list[Order]], tmp_path_factory: pytest.TempPathFactory
) -> dict[bool, Path]:
    """The same data in an FTS5 index and in a plain one (the fallback, forced)."""
    pages, full = source
    # asset names and people for some of them
    return index_both_ways(tmp_path_factory.mktemp("search"), pages, full[:1200])


@pytest.fixture
def readers(
    built: dict[bool, Path], reader_of_copy: Callable[[dict[bool, Path], bool], Reader]
) -> Callable[[bool], Reader]:
    return partial(reader_of_copy, built)


def ids(reader: Reader, text: str, **kwargs: object) -> list[str]:
    return [r.order_id for r in reader.view(ViewSpec.of(text=text, **kwargs)).iter_rows()]  # type: ignore[arg-type]


def test_this_python_has_fts5() -> None:
    assert fts5_available() is True  # the fallback tests below force it off


@pytest.mark.parametrize("fts", [True, False], ids=["fts5", "fallback"])
def test_the_oldest_order_is_found_by_its_id(
    readers: Callable[[bool], Reader], demo: DemoServer, fts: bool
) -> None:
    reader = readers(fts)
    oldest = demo.order_id(0)
    assert ids(reader, oldest) == [oldest]
    assert oldest in ids(reader, oldest[:8])
    assert ids(reader, oldest.upper()) == [oldest]
    assert ids(reader, f"  {oldest}  ") == [oldest]
    assert ids(
        reader,
        oldest,
        states={
            "Human Certified",
            "Reviewed",
            "Failed",
            "Action Required",
            "Unsupported File",
            "In Progress",
        },
    ) == [oldest]


def test_an_id_prefix_search_uses_the_id_index(readers: Callable[[bool], Reader]) -> None:
    reader = readers(True)
    statements: list[str] = []
    reader.run(lambda conn: conn.set_trace_callback(statements.append))
    reader.view(ViewSpec.of(text="3f2a9c")).count()
    reader.run(lambda conn: conn.set_trace_callback(None))
    lookups = [s for s in statements if "order_id >=" in s]
    assert lookups
    for statement in lookups:
        select = statement[statement.index("SELECT") :]
        plan = reader.run(lambda conn, q=select: conn.execute("EXPLAIN QUERY PLAN " + q).fetchall())
        details = " ".join(str(row[-1]) for row in plan)
        assert "SCAN" not in details
        assert "INDEX sqlite_autoindex_orders_1 (order_id>? AND order_id<?)" in details


@pytest.mark.parametrize("fts", [True, False], ids=["fts5", "fallback"])
def test_words_match_every_field(
    readers: Callable[[bool], Reader], source: tuple[list[OrdersPage], list[Order]], fts: bool
) -> None:
    reader = readers(fts)
    order = source[1][3]
    by_field = {
        "title": order.order_title.split()[-1],
        "asset": order.asset_name.split(".")[0].split("-")[0],
        "user": order.username.split(".")[0],
        "tag": order.tags[0] if order.tags else None,
        "project": order.project_name.split()[0],
        "analysis": order.analyses[0].analysis_type.split("_")[0] if order.analyses else None,
    }
    for field, word in by_field.items():
        if word:
            assert order.order_id in ids(reader, word), field
    # All words must match (in any fields); case does not matter.
    title_words = order.order_title.upper().split()
    assert order.order_id in ids(reader, " ".join(title_words))
    assert order.order_id not in ids(reader, order.order_title + " zzzqqqxxx")


def test_the_fallback_finds_whatever_fts5_finds(readers: Callable[[bool], Reader]) -> None:
    fts, plain = readers(True), readers(False)
    for text in (
        "golden",
        "night drive",
        "portrait",
        "ai",
        "ma",
        "brand refresh",
        "gmail",
        "style consistency",
        "psd",
        "1",
    ):
        found = ids(fts, text)
        assert set(found) <= set(ids(plain, text)), text
    # Whole titles: both find the order (the fallback matches inside words too: "art" finds
    # "heart"); ids: the two agree exactly.
    for row in fts.view(ViewSpec.of()).rows(0, 40):
        found = ids(fts, row.order_title)
        assert row.order_id in found and set(found) <= set(ids(plain, row.order_title))
        assert ids(fts, row.order_id) == ids(plain, row.order_id) == [row.order_id]


INERT = [
    "'; DROP TABLE orders; --",
    '" OR 1=1 --',
    "title:golden",
    "NEAR(golden harbor)",
    "golden OR harbor",
    "*",
    '"',
    "%",
    "_",
    "\\",
    "-golden",
    "golden^",
    "\x00\x1b[2J",
    "\ud83d",
    "a" * 5000,
]


@pytest.mark.parametrize("fts", [True, False], ids=["fts5", "fallback"])
def test_text_that_looks_like_syntax_is_inert(readers: Callable[[bool], Reader], fts: bool) -> None:
    reader = readers(fts)
    total = reader.view(ViewSpec.of()).count()
    for text in INERT:
        view = reader.view(ViewSpec.of(text=text, sort="title"))
        found = list(view.iter_rows())
        assert view.count() == len(found)
        if text in ("%", "_", "*", '"', "\\"):
            # No words, no id: nothing is searched for, and wildcards match nothing.
            assert found == []
    assert reader.view(ViewSpec.of()).count() == total
    # "golden OR harbor" means both words, not either (OR is just a word here).
    both = set(ids(reader, "golden harbor or"))
    assert both <= set(ids(reader, "golden")) & set(ids(reader, "harbor"))
    tables = reader.run(lambda conn: {n for (n,) in conn.execute("SELECT name FROM sqlite_master")})
    assert {"orders", "history", "counts"} <= tables


def test_search_combines_with_scope_state_and_sort(readers: Callable[[bool], Reader]) -> None:
    reader = readers(True)
    everything = reader.view(ViewSpec.of()).rows(0, 3000)
    row = next(r for r in everything if r.order_state == "Action Required")
    word = row.order_title.split()[0]
    spec = ViewSpec.of(
        Scope.project("x", row.project_name),
        states={"Action Required"},
        text=word,
        sort="title",
        descending=False,
    )
    found = list(reader.view(spec).iter_rows())
    assert row.order_id in [r.order_id for r in found]
    assert all(
        r.project_name == row.project_name and r.order_state == "Action Required" for r in found
    )
    titles = [r.order_title[:48].casefold() for r in found]
    assert titles == sorted(titles)


def test_a_plain_connection_cannot_touch_fts_tables(built: dict[bool, Path]) -> None:
    with sqlite3.connect(built[False]) as conn:
        names = {n for (n,) in conn.execute("SELECT name FROM sqlite_master")}
    conn.close()
    assert not any(n.startswith("orders_fts") for n in names)


@pytest.mark.parametrize("text", ["harb", "quiet harbour", "hero", "a", "lighthouse final", "ma"])
def test_narrow_and_broad_searches_answer_alike(
    readers: Callable[[bool], Reader], text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same search through a materialized (small) result and through the index walk
    (forced with SMALL_LIMIT 0 and anchors every 50 rows) gives the same rows and positions."""
    reader = readers(True)
    specs = [
        ViewSpec.of(text=text),
        ViewSpec.of(text=text, states={"Reviewed", "Failed"}, sort="title", descending=False),
    ]
    small = [[r.order_id for r in reader.view(s).iter_rows()] for s in specs]
    monkeypatch.setattr(plans, "SMALL_LIMIT", 0)
    monkeypatch.setattr(views, "ANCHOR_EVERY", 50)
    for spec, want in zip(specs, small, strict=True):
        view = reader.view(spec)
        assert view.count() == len(want)
        assert view._plan is not None and view._plan.small is None
        assert [r.order_id for r in view.iter_rows()] == want
        for position in range(0, len(want), max(len(want) // 7, 1)):
            assert view.position_of(want[position]) == position
            assert [r.order_id for r in view.rows(position, 5)] == want[position : position + 5]


def test_prefixes_are_spelled_out_from_the_vocabulary() -> None:
    vocabulary = ["harbour", "harbours", "hare", "lighthouse"]

    def starting(word: str) -> list[str]:
        return [t for t in vocabulary if t.startswith(word)]

    assert search.expanded_query("Harb", starting) == '("harbour" OR "harbours")'
    assert search.expanded_query("har light", starting) == (
        '("harbour" OR "harbours" OR "hare") AND ("lighthouse")'
    )
    assert search.expanded_query("zebra harb", starting) == ""  # nothing can match
    assert search.expanded_query("café", starting) == '"café"*'  # FTS5 folds it itself
    assert search.expanded_query("  --  ", starting) is None
    many = [f"h{i:03d}" for i in range(200)]
    assert search.expanded_query("h", lambda w: many[: search.MAX_EXPANSION + 1]) == '"h"*'


@pytest.mark.parametrize("fts", [True, False], ids=["fts5", "fallback"])
def test_a_dropped_search_view_frees_its_table(
    readers: Callable[[bool], Reader], fts: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    import gc

    # Every match is broad, and a window in the middle copies it into the view's table.
    monkeypatch.setattr(plans, "SMALL_LIMIT", 0)
    reader = readers(fts)

    def touch(view: views.View) -> None:
        view.rows(view.count() // 2, 2)

    def temp_tables() -> set[str]:
        return reader.run(
            lambda conn: {n for (n,) in conn.execute("SELECT name FROM temp.sqlite_master")}
        )

    kept = reader.view(ViewSpec.of(text="harb"))
    touch(kept)
    for word in ("golden", "quiet", "fox"):  # typed and abandoned, as a filter box does
        touch(reader.view(ViewSpec.of(text=word)))
    gc.collect()
    tables = {t for t in temp_tables() if t.startswith("view_match_")}
    assert len(tables) == 1  # only the view still referenced keeps one
    kept.close()
    assert not {t for t in temp_tables() if t.startswith("view_match_")}


def test_rows_in_memory_match_as_the_index_does(
    readers: Callable[[bool], Reader], source: tuple[list[OrdersPage], list[Order]]
) -> None:
    """``orders --search`` walking the API matches each row with :class:`search.TextMatch`:
    for every kind of text it finds exactly the orders the index's FTS5 query finds."""
    reader = readers(True)
    pages, full = source
    rows: dict[str, OrderPreview | Order] = {r.order_id: r for p in pages for r in p.previews}
    rows.update((o.order_id, o) for o in full[:1200])  # as in the index: full for some
    order = full[3]
    people = next(o for o in full[:1200] if not o.username.isascii() or "é" in o.ordered_by)
    texts = [
        order.order_title.split()[-1][:3],  # a word's start
        order.order_title.split()[-1][1:4],  # inside a word: not a match
        order.order_title.lower(),  # every word
        order.asset_name.split(".")[0][:4],
        order.username.split(".")[0],
        order.tags[0] if order.tags else "draft",
        order.project_name.split()[0],
        "night drive",
        "ai gen",
        people.ordered_by.split()[0],  # with its diacritics
        search.folded(people.ordered_by.split()[0]),  # and without
        order.order_id[:8],
        order.order_id.upper(),
        "'; DROP TABLE orders; --",
        "%",
        "zzzqqq",
    ]
    for text in texts:
        match = search.TextMatch(text)
        found = {i for i, row in rows.items() if match.matches(i, text_fields(row))}
        assert found == set(ids(reader, text)), text
    assert len(set(ids(reader, texts[0]))) > 1  # the queries do find orders
    inside = texts[1]
    assert inside not in {w[: len(inside)] for w in search.words(order.order_title)}
    assert order.order_id not in ids(reader, inside)  # found by a substring, not by the index


TRICKY_TITLES = [
    "Straße Nord",
    "ﬁle of x² and ＡＢＣ",
    "Σίσυφος at dawn",
    "Chloé's ÅNGSTRÖM café",
    "İstanbul nights",
    "naïve_art-piece.v2",
]


@pytest.mark.parametrize(
    "text",
    ["Straße", "strasse", "STRASSE", "file", "x2", "abc", "σισυφος", "Σίσυφος", "chloe",
     "CHLOÉ", "angstrom", "cafe", "istanbul", "naive art", "v2", "piece"],
)  # fmt: skip
def test_the_in_memory_rule_agrees_with_fts5_on_other_scripts(
    open_index: Callable[..., Index], text: str
) -> None:
    """Case, accents and letters beyond ASCII: :class:`search.TextMatch` (``orders --search``
    walking the API, the text passed as typed) finds what the index's FTS5 finds, order for
    order."""
    index = open_index()
    rows = [preview(n, "Reviewed") for n in range(len(TRICKY_TITLES))]
    rows = [dataclasses.replace(r, order_title=t) for r, t in zip(rows, TRICKY_TITLES, strict=True)]
    index.writer().write_previews(rows)
    indexed = set(ids(index.reader(), text))
    match = search.TextMatch(text)
    found = {r.order_id for r in rows if match.matches(r.order_id, text_fields(r))}
    assert found == indexed, (text, [r.order_title for r in rows if r.order_id in indexed])
