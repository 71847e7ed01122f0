"""Hostile data (the demo's ``hostile`` fault: markup, escape sequences, C1 controls, bidi
overrides, zero-width characters, a lone surrogate, spreadsheet formulas, 100 KB strings)
stays inert in every output format: no terminal control reaches a table, no CSV cell runs as
a formula, and JSON carries the exact strings, escaped by the encoder."""

from __future__ import annotations

import csv
import io
import json
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from artistree_tui.demo import DemoServer, FaultConfig
from artistree_tui.demo.hostile import PAYLOADS
from artistree_tui.display import clean
from artistree_tui.export.formats import CSV_CELL_LIMIT, FORMULA_STARTS, csv_cell, defuse_formula
from tests.support.inert import dangerous
from tests.support.processes import TIMEOUT, api_env, entry_point

ORDERS = 300


def run_bytes(env: dict[str, str], *args: str) -> bytes:
    result = subprocess.run(
        [*entry_point(), *args], capture_output=True, env=env, timeout=TIMEOUT, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == b""
    return result.stdout


@pytest.fixture
def hostile(make_demo: Callable[..., DemoServer]) -> DemoServer:
    return make_demo(orders=ORDERS, seed=7, faults=FaultConfig(hostile=True))


@pytest.fixture
def truth(hostile: DemoServer, demo_http: Callable[[DemoServer], httpx.Client]) -> list[Any]:
    """Every order as the server sends it (full), newest first."""
    client = demo_http(hostile)
    page = client.get("/v1/orders", params={"project_id": "All Projects", "limit": "1000"})
    orders: list[Any] = page.json()["orders"]
    assert len(orders) == ORDERS
    return orders


def test_the_table_holds_no_terminal_control(hostile: DemoServer, isolated: Path) -> None:
    fields = "order_id,order_title,username,email,ordered_by,asset_name,tags,project_name"
    env = api_env(isolated, hostile.base_url, COLUMNS="200")
    out = run_bytes(env, "orders", "--format", "table", "--full", "--fields", fields)
    text = out.decode("utf-8")
    assert dangerous(text) == []
    lines = text.splitlines()
    assert len(lines) == ORDERS + 1
    # The payloads are there, made visible: ESC as ␛, markup literally.
    assert "␛" in text and "[@click=app.quit]" in text


def test_csv_cells_are_defused_and_clean(
    hostile: DemoServer, truth: list[Any], isolated: Path
) -> None:
    env = api_env(isolated, hostile.base_url)
    fields = "order_id,order_title,username,email,ordered_by,asset_name,tags"
    out = run_bytes(env, "orders", "--format", "csv", "--full", "--fields", fields)
    text = out.decode("utf-8")
    assert dangerous(text, {"\n", "\r"}) == []
    assert text.count("\r\n") == text.count("\n") == ORDERS + 1  # one line per record
    rows = list(csv.reader(io.StringIO(text, newline=""), strict=True))
    assert rows[0] == fields.split(",")
    formulas = 0
    for row in rows[1:]:
        for cell in row:
            assert cell.lstrip(" ")[:1] not in FORMULA_STARTS, cell[:80]
            formulas += cell.startswith("'")
    assert formulas > 0, "the hostile data holds formulas: some cells must have been defused"
    # The defused cells are the hostile orders' formula payloads, nothing else changed.
    by_id = {order["order_id"]: order for order in truth}
    for row in rows[1:]:
        order = by_id[row[0]]
        title = order["order_title"]
        if title.startswith(("=", "@", "\t")):
            assert row[1].startswith("'"), row[1][:80]
        elif title.isprintable() and len(title) < CSV_CELL_LIMIT and clean(title) == title:
            assert row[1] == title
        else:  # made visible, or cut at a spreadsheet cell's limit
            assert len(row[1]) <= CSV_CELL_LIMIT


def test_json_is_ascii_and_round_trips_every_payload(
    hostile: DemoServer, truth: list[Any], isolated: Path
) -> None:
    env = api_env(isolated, hostile.base_url)
    for fmt in ("json", "ndjson"):
        out = run_bytes(
            env, "orders", "--format", fmt, "--full", "--fields", "order_id,order_title,tags"
        )
        assert out.isascii()  # every control, C1, bidi and non-ASCII character escaped
        text = out.decode("ascii")
        rows = (
            json.loads(text) if fmt == "json" else [json.loads(line) for line in text.splitlines()]
        )
        by_id = {order["order_id"]: order for order in truth}
        assert len(rows) == ORDERS
        seen = set()
        for row in rows:
            assert row["order_title"] == by_id[row["order_id"]]["order_title"]
            assert row["tags"] == by_id[row["order_id"]]["tags"]
            seen.update(p for p in PAYLOADS if p in row["order_title"])
        assert len(seen) >= 5  # many kinds of payload went through untouched


def test_one_order_as_a_table_is_clean(
    hostile: DemoServer, truth: list[Any], isolated: Path
) -> None:
    worst = next(o for o in truth if "\x1b" in o["order_title"] and o["annotations"])
    env = api_env(isolated, hostile.base_url)
    out = run_bytes(env, "order", worst["order_id"], "--format", "table").decode("utf-8")
    assert dangerous(out) == []
    assert "order_title" in out and "␛" in out


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ("=1+1", "'=1+1"),
        ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "' =1"),  # the tab shows as a space, the cell is still defused
        ("\r=1", "'␍=1"),
        ("  =1", "'  =1"),
        ("-12", "-12"),
        ("+0.5", "+0.5"),
        ("-1e3", "-1e3"),
        ("-", "'-"),
        ("plain = text", "plain = text"),
        (-3.5, "-3.5"),
        (None, ""),
        (["a", "=b"], "a; =b"),
        ("bell\x07", "bell␇"),
    ],
)
def test_csv_cells_one_by_one(value: object, cell: str) -> None:
    assert csv_cell(value) == cell


def test_defuse_formula_leaves_numbers() -> None:
    assert defuse_formula("-inf") == "'-inf"
    assert defuse_formula("+nan") == "'+nan"
    assert defuse_formula("=") == "'="
