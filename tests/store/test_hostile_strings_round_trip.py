"""What goes into the index comes back exactly: the demo's hostile data (markup, escape
sequences, bidi, zero-width, lone surrogates, 100 KB titles), SQL-looking text, and the
index's own escape character. The layer returns raw strings; the display boundary still makes
them safe."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import fields
from datetime import UTC, datetime

from artistree_tui.api.models import Analysis, Order, OrderPreview, OrdersPage, Project
from artistree_tui.demo import DemoServer, FaultConfig
from artistree_tui.display import clean
from artistree_tui.store import Index, ViewSpec
from artistree_tui.store.codec import ESCAPE, from_db, to_db

PREVIEW_FIELDS = [f.name for f in fields(OrderPreview)]


def test_the_demos_hostile_data_round_trips(
    make_demo: Callable[..., DemoServer],
    open_index: Callable[..., Index],
    fetch_pages: Callable[..., list[OrdersPage]],
) -> None:
    server = make_demo(orders=1500, seed=2, faults=FaultConfig(hostile=True))
    index = open_index()
    writer = index.writer()
    pages = fetch_pages(server)
    full = fetch_pages(server, preview=False, limit=700)[0].orders
    for page in pages:
        writer.write_page(page)
    writer.write_orders(full)
    reader = index.reader()
    previews = [p for page in pages for p in page.previews]
    hostile = [p for p in previews if "\x1b" in p.order_title or "[" in p.order_title]
    assert len(hostile) > 100  # the demo poisons about one order in seven
    assert any("\ud83d" in p.order_title for p in previews)  # a lone surrogate is in there
    # A full order written after its preview brings its own presigned URL (signed when the
    # full page was read, maybe a second later): the index keeps the newer one.
    signed_later = {order.order_id: order.asset_preview_url for order in full}
    for p in previews:
        row = reader.row(p.order_id)
        assert row is not None
        for name in PREVIEW_FIELDS:
            expected = getattr(p, name)
            if name == "asset_preview_url" and p.order_id in signed_later:
                expected = signed_later[p.order_id]
            assert getattr(row, name) == expected, name
    for order in full:
        assert reader.order(order.order_id) == order  # every field, nested ones too
        row = reader.row(order.order_id)
        assert row is not None and row.full
        assert (row.asset_name, row.username, row.email, row.ordered_by) == (
            order.asset_name,
            order.username,
            order.email,
            order.ordered_by,
        )
        assert row.confidence == order.confidence
    # Read through a view too, and shown through the display boundary as before.
    for row in reader.view(ViewSpec.of(text="clipboard")).iter_rows():
        assert "\x1b" in row.order_title or "\x1b" in row.project_name or row.tags
        assert "\x1b" not in clean(row.order_title)


NASTY = [
    "'); DROP TABLE orders; --",
    "Robert'); DELETE FROM history WHERE ('1'='1",
    '" OR ""="',
    "%' OR 1=1 --",
    f"escape {ESCAPE} char {ESCAPE}{ESCAPE} doubled",
    f"surrogate \ud800 and {ESCAPE}\U00010000 lookalike",
    "nul \x00 inside",
    "\udfff",
    "",
]


def test_sql_looking_and_escape_strings_are_inert_and_exact(
    open_index: Callable[..., Index],
) -> None:
    index = open_index()
    created = datetime(2026, 1, 2, 3, 4, 5, 678000, tzinfo=UTC)
    previews = [
        OrderPreview(
            order_id=f"00000000-0000-4000-8000-{n:012d}",
            order_title=text,
            creation_time=created,
            order_state=text or "Reviewed",
            asset_preview_url=text or None,
            project_name=text or "Personal Certificates",
            analyses=(Analysis(text, None), Analysis("ai_detection", False)),
            tags=(text, "x"),
        )
        for n, text in enumerate(NASTY)
    ]
    index.writer().write_previews(previews)
    order = Order(
        order_id="00000000-0000-4000-8000-000000000000",
        username=NASTY[0],
        email=NASTY[5],
        order_state="Failed",
        order_title=NASTY[4],
        asset_name=NASTY[1],
        ordered_by=NASTY[7],
        creation_time=created,
        failed_items=tuple(NASTY),
        tags=tuple(NASTY),
        confidence=0.5,
        project=Project(NASTY[6], NASTY[3], NASTY[2]),
        reviewed_by=NASTY[5],
    )
    index.writer().write_orders([order])
    reader = index.reader()
    for p in previews[1:]:
        row = reader.row(p.order_id)
        assert row is not None
        assert [getattr(row, n) for n in PREVIEW_FIELDS] == [getattr(p, n) for n in PREVIEW_FIELDS]
    assert reader.order(order.order_id) == order
    assert reader.view(ViewSpec.of()).count() == len(NASTY)
    states = {r.order_state for r in reader.view(ViewSpec.of()).iter_rows()}
    assert NASTY[1] in states and "Failed" in states  # unknown states are kept as they came
    assert reader.view(ViewSpec.of(states={NASTY[1]})).count() == 1


def test_text_escaping_is_the_identity_on_ordinary_text() -> None:
    for text in ("plain", "Crème brûlée ☕ 𝄞", "", "[b]x[/b]\x1b[31m"):
        assert to_db(text) is text or to_db(text) == text
        assert from_db(to_db(text)) == text
    for text in NASTY:
        stored = to_db(text)
        stored.encode("utf-8")  # what SQLite needs: no lone surrogates left
        assert from_db(stored) == text
