"""``orders --since`` reads the pages it needs and no more: the API lists newest first, so
the walk stops after the first page created wholly before the date (a daily ``--since 24h`` cron
job reads the last day's pages, not the whole organization). Over real loopback HTTP against an
in-process demo API, whose request log says what was read."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from artistree_tui.demo import DemoServer
from tests.support.processes import api_env, run_cli

ORDERS = 5_000  # five preview pages of 1,000


def ids(stdout: str) -> list[str]:
    return [json.loads(line)["order_id"] for line in stdout.splitlines()]


def test_since_stops_at_the_first_page_older_than_the_date(
    make_demo: Callable[..., DemoServer], isolated: Path
) -> None:
    demo = make_demo(orders=ORDERS, seed=5, new_order_every=0)
    env = api_env(isolated, demo.base_url)
    every = run_cli("orders", "--format", "ndjson", env=env)
    assert every.returncode == 0, every.stderr
    rows = [json.loads(line) for line in every.stdout.splitlines()]
    assert len(rows) == ORDERS
    assert len(demo.recorded("/v1/orders")) == 5
    demo.clear_requests()

    since = rows[300]["creation_time"]  # within the first page
    recent = run_cli("orders", "--since", since, "--format", "ndjson", env=env)
    assert recent.returncode == 0, recent.stderr
    expected = [r["order_id"] for r in rows if r["creation_time"] >= since]
    assert ids(recent.stdout) == expected and len(expected) >= 301
    # The first page holds newer orders; the second is older than the date: the walk ends.
    assert len(demo.recorded("/v1/orders")) == 2


def test_since_before_every_order_still_reads_them_all(
    make_demo: Callable[..., DemoServer], isolated: Path
) -> None:
    demo = make_demo(orders=2_500, seed=5, new_order_every=0)
    env = api_env(isolated, demo.base_url)
    result = run_cli("orders", "--since", "2000-01-01", "--format", "ndjson", env=env)
    assert result.returncode == 0, result.stderr
    assert len(ids(result.stdout)) == 2_500
    assert len(demo.recorded("/v1/orders")) == 3
