"""A short order id (the start of one, as a table cut it) names the indexed orders whose id
starts with it, like git's short SHAs: ``Reader.ids_starting`` counts them over the id's
unique index (a range, so ``%`` and ``_`` are literal), in any case, leaving out orders the
API removed."""

from __future__ import annotations

import dataclasses
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from artistree_tui.api.models import Order
from artistree_tui.demo import DemoServer
from artistree_tui.store import Index, search


@pytest.fixture
def orders(make_demo: Callable[..., DemoServer], fetch_pages: Callable[..., list]) -> list[Order]:
    server = make_demo(orders=40, seed=11, new_order_every=0)
    return [o for page in fetch_pages(server, preview=False) for o in page.orders]


def renamed(orders: list[Order], ids: list[str]) -> list[Order]:
    return [dataclasses.replace(o, order_id=i) for o, i in zip(orders, ids, strict=False)]


def test_a_unique_prefix_names_its_order(
    open_index: Callable[..., Index], orders: list[Order]
) -> None:
    index = open_index()
    index.writer().write_orders(orders)
    reader = index.reader()
    target = orders[7].order_id
    # The shortest start of its id that no other order shares, as a table would show it.
    short = next(
        target[:n]
        for n in range(3, 37)
        if sum(o.order_id.startswith(target[:n]) for o in orders) == 1
    )
    found = reader.ids_starting(short)
    assert (found.count, found.unique) == (1, target)
    assert reader.ids_starting(short.upper()).unique == target  # pasted in capitals
    assert reader.ids_starting(f"  {short}\n").unique == target
    assert reader.ids_starting(target).unique == target  # a whole id is its own prefix
    assert reader.ids_starting("").count == 0
    assert reader.ids_starting("zz-no-such").count == 0


def test_a_shared_prefix_is_ambiguous_with_its_count(
    open_index: Callable[..., Index], orders: list[Order]
) -> None:
    ids = [f"abcd{n:04x}-0000-4000-8000-{n:012x}" for n in range(5)]
    index = open_index()
    index.writer().write_orders(renamed(orders, [*ids, "abce0000-0000-4000-8000-000000000000"]))
    reader = index.reader()
    found = reader.ids_starting("abcd")
    assert found.count == 5 and found.unique is None
    assert found.ids == tuple(ids[:2])  # the first few, in id order
    assert reader.ids_starting("abcd", limit=10).ids == tuple(ids)
    assert reader.ids_starting("abc").count == 6
    assert reader.ids_starting("abce").unique == "abce0000-0000-4000-8000-000000000000"


def test_wildcards_in_a_prefix_are_literal(
    open_index: Callable[..., Index], orders: list[Order]
) -> None:
    # Hostile ids: the index keeps whatever the API sent.
    ids = ["ab_1-x", "abc1-x", "ab%1-x", "abZZ-x", "a\\b-x"]
    index = open_index()
    index.writer().write_orders(renamed(orders, ids))
    reader = index.reader()
    assert reader.ids_starting("ab_").ids == ("ab_1-x",)  # LIKE's _ would take all four
    assert reader.ids_starting("ab%").ids == ("ab%1-x",)  # LIKE's % would take all four
    assert reader.ids_starting("ab%").count == 1
    assert reader.ids_starting("a\\").unique == "a\\b-x"
    assert reader.ids_starting("ab").count == 4


def test_removed_orders_are_left_out(
    open_index: Callable[..., Index], orders: list[Order], index_file: Path
) -> None:
    ids = ["feed0001-0000-4000-8000-000000000000", "feed0002-0000-4000-8000-000000000000"]
    index = open_index()
    index.writer().write_orders(renamed(orders, ids))
    reader = index.reader()
    assert reader.ids_starting("feed").count == 2
    with sqlite3.connect(index_file) as conn:  # as a complete sweep marks an order gone
        conn.execute("UPDATE orders SET gone = 1.0 WHERE order_id = ?", (ids[1],))
    found = reader.ids_starting("feed")
    assert (found.count, found.unique) == (1, ids[0])


def test_the_lookup_uses_the_id_index(
    open_index: Callable[..., Index], orders: list[Order]
) -> None:
    index = open_index()
    index.writer().write_orders(orders)
    reader = index.reader()
    statements: list[str] = []
    reader.run(lambda conn: conn.set_trace_callback(statements.append))
    reader.ids_starting(orders[0].order_id[:6])
    reader.run(lambda conn: conn.set_trace_callback(None))
    lookups = [s for s in statements if "order_id >=" in s]
    assert len(lookups) == 2
    for statement in lookups:
        explain = "EXPLAIN QUERY PLAN " + statement
        plan = reader.run(lambda conn, q=explain: conn.execute(q).fetchall())
        details = " ".join(str(row[-1]) for row in plan)
        assert "SCAN" not in details, details
        assert "sqlite_autoindex_orders_1 (order_id>? AND order_id<?)" in details, details


@pytest.mark.parametrize(
    ("prefix", "expected"),
    [
        ("abc", ("abc", "abd")),
        ("ab-", ("ab-", "ab.")),
        ("a\U0010ffff", ("a\U0010ffff", "b")),
        ("\U0010ffff", ("\U0010ffff", None)),
        ("a\ud7ff", ("a\ud7ff", "a\ue000")),
    ],
)
def test_prefix_ranges(prefix: str, expected: tuple[str, str | None]) -> None:
    assert search.prefix_range(prefix) == expected
