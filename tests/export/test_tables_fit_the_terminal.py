"""A table fits the terminal it is printed on: at 80 columns the default columns of
``orders`` and ``watch`` fit on one line each (the id gives up cells first, keeping its start,
then the columns that share the room, their headers cut), and a wide terminal shows every id
whole. Rows come from the real demo API through the real command."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from rich.cells import cell_len

from artistree_tui.cli.query import TABLE_FIELDS
from artistree_tui.cli.watch import TABLE_FIELDS as WATCH_FIELDS
from artistree_tui.demo import DemoServer
from artistree_tui.export.formats import TableWriter, column_widths, write_one
from tests.support.processes import api_env, run_cli


@pytest.mark.parametrize(
    ("fields", "width"), [(TABLE_FIELDS, 80), (WATCH_FIELDS, 80), (WATCH_FIELDS, 100)]
)
def test_the_default_columns_fit(fields: tuple[str, ...], width: int) -> None:
    out = io.StringIO()
    writer = TableWriter(out, fields, width=width)
    record = {name: "x" * 60 for name in fields}
    record["order_id"] = "add5bffe-1b83-46bc-bf88-b355e940e9b0"
    writer.write(record)
    writer.close()
    lines = out.getvalue().splitlines()
    assert len(lines) == 2 and all(cell_len(line.rstrip()) <= width for line in lines)
    assert "add5bffe-1b8" in lines[1]  # the id's start, readable (and typed back: `order`)


def test_the_title_gets_the_room() -> None:
    """A title is what a reader reads: at 80 columns the id gives up cells for it (it had 11
    cells for 16 of id), and a wide terminal gives it most of what is left, not the
    project's name (62 cells of mostly blank at 200 columns)."""
    for width in (80, 120, 200):
        widths = dict(zip(TABLE_FIELDS, column_widths(TABLE_FIELDS, width), strict=True))
        assert sum(widths.values()) + 2 * (len(widths) - 1) <= width
        assert widths["order_title"] > widths["project_name"] or width == 80
    narrow = dict(zip(TABLE_FIELDS, column_widths(TABLE_FIELDS, 80), strict=True))
    assert narrow["order_title"] >= 14 and narrow["order_id"] == 13
    wide = dict(zip(TABLE_FIELDS, column_widths(TABLE_FIELDS, 200), strict=True))
    assert wide["order_id"] == 36 and wide["order_title"] >= 2 * wide["project_name"]


def test_orders_at_80_and_at_200_columns(
    make_demo: Callable[..., DemoServer], isolated: Path
) -> None:
    demo = make_demo(orders=30, seed=3)
    narrow = run_cli(
        "orders", "--format", "table", env=api_env(isolated, demo.base_url, COLUMNS="80")
    )
    assert narrow.returncode == 0, narrow.stderr
    lines = narrow.stdout.splitlines()
    assert len(lines) == 31 and all(cell_len(line.rstrip()) <= 80 for line in lines)
    wide = run_cli(
        "orders", "--format", "table", env=api_env(isolated, demo.base_url, COLUMNS="200")
    )
    ids = [line.split()[0] for line in wide.stdout.splitlines()[1:]]
    assert ids == demo.order_ids()  # whole


def test_a_table_says_scores_and_counts_as_the_console_does() -> None:
    """The API sends confidence 0 for an order it has no score for (In Progress, Unsupported
    File): a table shows "—", as the console, and a score as a percentage; the data formats
    keep the API's numbers."""

    def shown(record: dict[str, object], fmt: str) -> str:
        out = io.StringIO()
        write_one(record, out, fmt)
        return out.getvalue()

    running = {"order_state": "In Progress", "confidence": 0.0}
    assert "confidence   —" in shown(running, "table")
    assert "0.0" in shown(running, "ndjson")
    scored = {"order_state": "Reviewed", "confidence": 0.0}
    assert "confidence   0%" in shown(scored, "table")
    # A score reads as the console reads it, and a count with its thousands, aligned.
    assert "confidence   96%" in shown({"order_state": "Reviewed", "confidence": 0.957}, "table")
    assert "0.957" in shown({"order_state": "Reviewed", "confidence": 0.957}, "ndjson")
    counts = shown({"total_failed": 573, "total_orders": 20000}, "table").splitlines()
    assert counts == ["total_failed     573", "total_orders  20,000"]
    fields = ("order_id", "order_state", "confidence")
    out = io.StringIO()
    writer = TableWriter(out, fields, width=80)
    writer.write({"order_id": "a1", "order_state": "Unsupported File", "confidence": 0})
    writer.close()
    assert out.getvalue().splitlines()[1].split()[-1] == "—"


def test_a_confidence_reads_the_same_whatever_the_other_fields(
    make_demo: Callable[..., DemoServer], isolated: Path
) -> None:
    """A tryout saw ``--fields order_id,confidence`` print ``0.00`` for an Unsupported File
    order and ``--fields order_id,order_state,confidence`` print ``—``: the table read the
    score without the state. The state is read along, and written only where asked."""
    demo = make_demo(orders=300, seed=3)
    env = api_env(isolated, demo.base_url, COLUMNS="120")
    query = ("--state", "unsupported", "--limit", "1", "--fields")
    bare = run_cli("orders", *query, "order_id,confidence", "--format", "table", env=env)
    with_state = run_cli(
        "orders", *query, "order_id,order_state,confidence", "--format", "table", env=env
    )
    assert bare.returncode == with_state.returncode == 0, bare.stderr + with_state.stderr
    assert bare.stdout.splitlines()[0].split() == ["order_id", "confidence"]
    assert bare.stdout.splitlines()[1].split()[-1] == "—" == with_state.stdout.split()[-1]
    order_id = bare.stdout.splitlines()[1].split()[0]
    one = run_cli("order", order_id, "--fields", "confidence", "--format", "table", env=env)
    assert one.stdout.split() == ["confidence", "—"], one.stdout + one.stderr
    # The data formats keep the API's number, and only the fields asked for.
    data = run_cli("orders", *query, "order_id,confidence", "--format", "ndjson", env=env)
    assert list(json.loads(data.stdout)) == ["order_id", "confidence"]
    assert json.loads(data.stdout)["confidence"] == 0
