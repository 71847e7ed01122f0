"""``order`` takes what a user copies from an 80-column table of ``orders``, whose id column
is cut (``add5bffe-1b8…``): a unique start of an id in the local index names its order (the
order itself comes from the API); several is a one-line "ambiguous" with their count; none
(or no index: ``--demo``, ``store = "memory"``) is a one-line error asking for the whole id,
and nothing is asked of the API (it takes whole ids only). ``certificate`` takes the same.
Real subprocesses against the demo API over loopback, and an index a real sync filled."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from artistree_tui.config import load_settings
from artistree_tui.demo import DemoServer
from tests.support.config_file import write
from tests.support.index import index_path, sweep_into
from tests.support.processes import api_env, one_error_line, run_cli


async def indexed_demo(
    make_demo: Callable[..., DemoServer], home: Path, *, orders: int
) -> tuple[DemoServer, dict[str, str]]:
    """A demo API of ``orders`` orders, and the CLI's environment for it under ``home``, its
    local index filled by a real sync."""
    server = make_demo(orders=orders, seed=7, new_order_every=0)
    env = api_env(home, server.base_url)
    await sweep_into(server, index_path(load_settings(env=env, require_credentials=False)))
    return server, env


def cut_ids(table: str) -> list[str]:
    """The id cells of a table, as shown (the first column)."""
    lines = table.splitlines()
    assert lines[0].startswith("order_id"), table
    return [line.split("  ")[0] for line in lines[1:]]


async def test_a_cut_id_from_an_80_column_table_opens_its_order(
    make_demo: Callable[..., DemoServer], isolated: Path
) -> None:
    server, env = await indexed_demo(make_demo, isolated, orders=300)

    table = run_cli("orders", "--limit", "5", "--format", "table", env=env | {"COLUMNS": "80"})
    assert table.returncode == 0, table.stderr
    shown = cut_ids(table.stdout)
    newest = server.order_ids()[:5]
    assert len(shown) == 5 and all(cell.endswith("…") for cell in shown), table.stdout
    for cell, whole in zip(shown, newest, strict=True):
        visible = cell.removesuffix("…")
        assert whole.startswith(visible) and len(visible) >= 8  # the start, nothing cut inside
    others = [i for i in server.order_ids() if i != newest[0]]
    copied = shown[0].removesuffix("…")
    assert not any(i.startswith(copied) for i in others)  # unique, as it is in practice

    for pasted in (copied, shown[0], copied.upper()):  # with or without the ellipsis, any case
        answer = run_cli("order", pasted, "--format", "json", env=env)
        assert answer.returncode == 0, answer.stderr
        assert json.loads(answer.stdout)["order_id"] == newest[0]
        assert answer.stderr == ""

    # certificate takes the start of a certified order's id the same way.
    certified = next(i for i in server.order_ids() if server.order_state(i) == "Human Certified")
    start = next(
        certified[:n]
        for n in range(8, 37)
        if sum(i.startswith(certified[:n]) for i in server.order_ids()) == 1
    )
    server.clear_requests()
    link = run_cli("certificate", start + "…", "--url", env=env)
    assert link.returncode == 0, link.stderr
    assert link.stdout.startswith("http") and link.stderr == ""
    assert [r.path for r in server.recorded("/v1/orders/pdf/")] == [f"/v1/orders/pdf/{certified}"]


async def test_a_shared_start_is_ambiguous_and_says_how_many(
    make_demo: Callable[..., DemoServer], isolated: Path
) -> None:
    server, env = await indexed_demo(make_demo, isolated, orders=600)
    starts = Counter(i[:4] for i in server.order_ids())
    shared, count = starts.most_common(1)[0]
    assert count >= 2
    server.clear_requests()
    answer = run_cli("order", shared, env=env)
    assert answer.returncode == 2
    line = one_error_line(answer.stderr)
    assert f"order id '{shared}' is ambiguous: {count} orders in the local index" in line
    assert "orders --cached --search" in line
    assert server.recorded("/v1/orders/") == []  # nothing asked of the API


async def test_a_start_the_index_lacks_asks_for_the_whole_id(
    make_demo: Callable[..., DemoServer], isolated: Path
) -> None:
    server, env = await indexed_demo(make_demo, isolated, orders=200)
    missing = next(
        p
        for p in (f"{n:04x}" for n in range(0x10000))
        if not any(i.startswith(p) for i in server.order_ids())
    )
    server.clear_requests()
    answer = run_cli("order", missing, env=env)
    assert answer.returncode == 1
    line = one_error_line(answer.stderr)
    assert f"'{missing}' is the start of an order id" in line
    assert "no order in the local index starts with it" in line and "whole id" in line
    assert server.recorded("/v1/orders/") == []  # the API takes whole ids only


def test_without_an_index_a_start_says_so_and_a_whole_id_goes_to_the_api(
    isolated: Path,
) -> None:
    env = api_env(isolated, "https://127.0.0.1:9")  # --demo replaces it
    short = run_cli("--demo", "order", "0123abcd", env=env)
    assert short.returncode == 1
    line = one_error_line(short.stderr)
    assert "'0123abcd' is the start of an order id" in line
    assert "--demo keeps no local order index" in line and "whole id" in line
    whole = "00000000-0000-4000-8000-000000000000"
    answer = run_cli("--demo", "order", whole, env=env)
    assert answer.returncode == 1
    line = one_error_line(answer.stderr)
    assert "order not found (HTTP 404)" in line and "index" not in line
    config = write(isolated.parent / "memory.toml", 'store = "memory"\n')
    memory = run_cli("order", "0123abcd", "--config", str(config), env=env)
    assert memory.returncode == 1
    assert 'store = "memory" keeps no order index' in one_error_line(memory.stderr)


def test_text_that_is_no_start_of_an_id_is_a_usage_error(isolated: Path) -> None:
    env = api_env(isolated, "https://127.0.0.1:9")
    for text in ("abc", "ab%d", "not-an-id", "0123_abcd"):
        answer = run_cli("order", text, env=env)
        assert answer.returncode == 2, text
        line = one_error_line(answer.stderr)
        assert "not an order id" in line and "first 4 or more characters" in line
