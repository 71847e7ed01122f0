"""``orders --cached`` answers from the local index a real sync filled (the sync engine over
loopback against the demo API), run as a real subprocess: the same rows as the API for the
same filters, one line on stderr saying how old they are, hostile strings inert in every
format, the index file untouched, and a one-line error (status 1) when there is no index."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx

from artistree_tui.cli.cached import age_line
from artistree_tui.cli.query import order_filter
from artistree_tui.config import Settings, load_settings
from artistree_tui.demo import DemoServer, FaultConfig
from artistree_tui.export.formats import FORMULA_STARTS
from artistree_tui.store import ALL, Index, ScopeStatus
from tests.support.config_file import write
from tests.support.import_probe import loaded_by
from tests.support.index import index_path, sweep_into
from tests.support.inert import dangerous
from tests.support.processes import api_env, one_error_line, run_cli

AGE = re.compile(r"from the local index as of \d\d:\d\d \(([\d,]+) orders indexed; complete\)")


def settings_of(env: dict[str, str]) -> Settings:
    """The settings the child process reads from ``env`` (the ``isolated`` home's XDG folders
    are this process's too)."""
    return load_settings(env=env, require_credentials=False)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def ndjson(text: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in text.splitlines()]


def without_links(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows without their presigned preview link (signed anew by every answer)."""
    return [{k: v for k, v in row.items() if k != "asset_preview_url"} for row in rows]


async def test_cached_rows_are_the_apis_rows(
    make_demo: Callable[..., DemoServer], isolated: Path
) -> None:
    server = make_demo(orders=700, seed=3, new_order_every=0)
    env = api_env(isolated, server.base_url)
    database = index_path(settings_of(env))
    await sweep_into(server, database)
    # An order the API then removes is marked gone by the next sweep: kept, but not listed.
    victim = next(i for i in server.order_ids() if server.order_state(i) == "Action Required")
    server.remove_order(victim)
    done = await sweep_into(server, database)
    assert done.indexed == 699 and done.gone == 1
    before = digest(database)

    state = ("--state", "action-required")
    cached = run_cli("orders", "--cached", *state, "--format", "ndjson", env=env)
    assert cached.returncode == 0, cached.stderr
    found = AGE.fullmatch(cached.stderr.strip())
    assert found and found.group(1) == "699", cached.stderr
    api = run_cli("orders", *state, "--format", "ndjson", env=env)
    assert api.returncode == 0, api.stderr
    rows = ndjson(cached.stdout)
    truth = ndjson(api.stdout)
    assert len(rows) == server.stats()["total_action_required"] > 0
    assert without_links(rows) == without_links(truth)  # same rows, fields and order
    assert {row["order_state"] for row in rows} == {"Action Required"}
    assert victim not in {row["order_id"] for row in rows}

    # --since a moment taken from the data (no clock involved): the newest rows up to it.
    since = ("--since", truth[10]["creation_time"])
    cached = run_cli("orders", "--cached", *state, *since, "--format", "ndjson", env=env)
    assert cached.returncode == 0, cached.stderr
    assert without_links(ndjson(cached.stdout)) == without_links(truth[:11])

    # A project by name in any case, with a limit: the API's newest rows of that project.
    project = server.projects[1].name
    scoped = ("--project", project.upper(), "--limit", "7", "--format", "csv")
    cached = run_cli("orders", "--cached", *scoped, env=env)
    api = run_cli("orders", *scoped, env=env)
    assert cached.returncode == api.returncode == 0, cached.stderr + api.stderr
    mine = list(csv.reader(io.StringIO(cached.stdout, newline="")))
    theirs = list(csv.reader(io.StringIO(api.stdout, newline="")))
    column = mine[0].index("asset_preview_url")
    assert len(mine) == 8 and mine[0] == theirs[0]
    assert [r[:column] + r[column + 1 :] for r in mine] == [
        r[:column] + r[column + 1 :] for r in theirs
    ]
    assert digest(database) == before  # read, never written


async def test_hostile_strings_from_the_index_stay_inert(
    make_demo: Callable[..., DemoServer],
    demo_http: Callable[[DemoServer], httpx.Client],
    isolated: Path,
) -> None:
    server = make_demo(orders=300, seed=7, faults=FaultConfig(hostile=True))
    env = api_env(isolated, server.base_url, COLUMNS="200")
    await sweep_into(server, index_path(settings_of(env)))
    page = demo_http(server).get(
        "/v1/orders", params={"project_id": "All Projects", "limit": "1000"}
    )
    by_id = {order["order_id"]: order for order in page.json()["orders"]}
    fields = "order_id,order_title,tags,project_name"

    table = run_cli("orders", "--cached", "--format", "table", "--fields", fields, env=env)
    assert table.returncode == 0 and dangerous(table.stdout) == []
    assert dangerous(table.stderr) == []
    assert "␛" in table.stdout and "[@click=app.quit]" in table.stdout

    for fmt in ("json", "ndjson"):
        out = run_cli("orders", "--cached", "--format", fmt, "--fields", fields, env=env)
        assert out.returncode == 0 and out.stdout.isascii()
        rows = json.loads(out.stdout) if fmt == "json" else ndjson(out.stdout)
        assert len(rows) == 300
        for row in rows:  # the exact strings, escaped by the encoder
            assert row["order_title"] == by_id[row["order_id"]]["order_title"]
            assert row["tags"] == by_id[row["order_id"]]["tags"]

    out = run_cli("orders", "--cached", "--format", "csv", "--fields", fields, env=env)
    assert out.returncode == 0 and dangerous(out.stdout, {"\n", "\r"}) == []
    rows = list(csv.reader(io.StringIO(out.stdout, newline=""), strict=True))
    assert len(rows) == 301
    defused = 0
    for row in rows[1:]:
        for cell in row:
            assert cell.lstrip(" ")[:1] not in FORMULA_STARTS, cell[:80]
        title = by_id[row[0]]["order_title"]
        if title.startswith(("=", "@", "+", "-")):
            assert row[1].startswith("'"), row[1][:80]
            defused += 1
    assert defused > 0


def test_no_index_is_one_line_and_creates_nothing(
    make_demo: Callable[..., DemoServer], isolated: Path
) -> None:
    server = make_demo(orders=20)
    env = api_env(isolated, server.base_url)
    folder = index_path(settings_of(env)).parent
    for args in (("orders", "--cached"), ("orders", "--cached", "--state", "failed")):
        result = run_cli(*args, env=env)
        assert result.returncode == 1, result.stderr
        line = one_error_line(result.stderr)
        assert line.startswith("no local order index for this config and profile"), line
        assert "open the console" in line and "without --cached" in line
        assert result.stdout == ""
    assert not folder.exists()  # neither the file nor its folder was created
    assert server.recorded("/v1/orders") == []  # and the API was not asked

    config = write(isolated.parent / "memory.toml", 'store = "memory"\n')
    result = run_cli("orders", "--cached", "--config", str(config), env=env)
    assert result.returncode == 1
    line = one_error_line(result.stderr)
    assert 'store = "memory" keeps no order index on disk' in line
    # Opening a console would not help: it keeps its index in memory too.
    assert "open the console once (it builds" not in line and 'store = "disk"' in line


def test_an_index_never_synced_is_no_answer_not_an_empty_one(
    make_demo: Callable[..., DemoServer], isolated: Path
) -> None:
    """A console that only ever ran against a down API left an index file with nothing read
    into it: ``--cached`` says so and fails, rather than print a header and exit 0."""
    server = make_demo(orders=20)
    env = api_env(isolated, server.base_url)
    Index.for_settings(settings_of(env)).close()  # made, never written
    result = run_cli("orders", "--cached", "--format", "csv", env=env)
    assert result.returncode == 1 and result.stdout == "", result
    line = one_error_line(result.stderr)
    assert line.startswith("the local order index holds nothing for this scope yet"), line


async def test_cached_loads_neither_httpx_nor_textual(
    make_demo: Callable[..., DemoServer], isolated: Path
) -> None:
    server = make_demo(orders=50)
    env = api_env(isolated, server.base_url)
    status, loaded = loaded_by(env, "orders", "--cached", "--limit", "3")
    assert (status, loaded) == (1, [])  # no index yet: the error, and nothing heavy loaded
    await sweep_into(server, index_path(settings_of(env)))
    status, loaded = loaded_by(env, "orders", "--cached", "--search", "a", "--full")
    assert (status, loaded) == (0, [])
    # The probe is not blind: the same command without --cached loads httpx.
    status, loaded = loaded_by(env, "orders", "--limit", "3")
    assert (status, loaded) == (0, ["httpx"])


def test_demo_flag_says_the_demo_index_is_in_memory(isolated: Path) -> None:
    env = api_env(isolated, "http://127.0.0.1:9")  # no API at all: nothing is asked
    result = run_cli("--demo", "orders", "--cached", "--limit", "3", env=env)
    assert result.returncode == 1
    assert one_error_line(result.stderr).startswith("--demo keeps its index in memory")


def test_the_age_line_says_how_old_and_how_complete() -> None:
    noon = datetime(2026, 3, 2, 12, 0).timestamp()
    at = datetime(2026, 3, 2, 9, 41).timestamp()

    def status(**values: Any) -> ScopeStatus:
        base: dict[str, Any] = {
            "scope": ALL, "indexed": 34_000, "api_total": 100_000, "complete": False,
            "swept_at": None, "refreshed_at": at, "sweeping": True,
        }  # fmt: skip
        return ScopeStatus(**{**base, **values})

    assert age_line(status(), noon) == (
        "from the local index as of 09:41 (34,000 of 100,000 orders indexed; incomplete)"
    )
    done = status(indexed=100_000, complete=True, swept_at=at - 60, sweeping=False)
    assert (
        age_line(done, noon)
        == "from the local index as of 09:41 (100,000 orders indexed; complete)"
    )
    assert age_line(done, noon, behind=11) == (
        "from the local index as of 09:41 (100,000 orders indexed; complete, 11 behind the "
        "API's counts)"
    )
    yesterday = status(refreshed_at=at - 86_400, api_total=None)
    assert age_line(yesterday, noon) == (
        "from the local index as of 2026-03-01 09:41 (34,000 orders indexed; incomplete)"
    )
    never = status(indexed=0, refreshed_at=None, api_total=None)
    assert age_line(never, noon) == (
        "from the local index, never synced for this scope (0 orders indexed; incomplete)"
    )
    broken = status(problem="the API's paging looks broken\x1b[2J")
    assert age_line(broken, noon).endswith(
        "; the last sync stopped: the API's paging looks broken␛[2J)"
    )


async def test_search_finds_the_same_orders_with_or_without_cached(
    make_demo: Callable[..., DemoServer], isolated: Path
) -> None:
    """Walking the API, ``--search`` matches as the index does (store/search.py): the same
    orders, for a word's start, for text inside a word (neither finds it), for two words."""
    server = make_demo(orders=600, seed=4, new_order_every=0)
    env = api_env(isolated, server.base_url)
    await sweep_into(server, index_path(settings_of(env)))
    oldest = server.order_id(0)
    fields = ("--format", "ndjson", "--fields", "order_id")
    title = ndjson(
        run_cli("orders", "--cached", "--search", oldest, "--format", "ndjson", env=env).stdout
    )[0]["order_title"]
    first, *_, last = (w for w in title.split() if w.isalpha() and len(w) > 4)
    for text in (first[:3], first[1:5], f"{first[:4]} {last[:2]}", oldest[:8]):
        cached = run_cli("orders", "--cached", "--search", text, *fields, env=env)
        api = run_cli("orders", "--search", text, *fields, env=env)
        assert cached.returncode == api.returncode == 0, (cached.stderr, api.stderr)
        assert ndjson(api.stdout) == ndjson(cached.stdout), text
        found = {row["order_id"] for row in ndjson(api.stdout)}
        assert (oldest in found) == (text != first[1:5]), text


async def test_a_field_not_read_yet_is_not_shown_as_empty(
    make_demo: Callable[..., DemoServer], isolated: Path
) -> None:
    """The sync reads list pages, which carry no confidence nor asset name: in a table such a
    field of an order never read in full reads "…" (not known yet, as in the console's list),
    not "—" (the API has none); a state without a score still reads "—". The data formats
    keep null, and no format writes the mark."""
    server = make_demo(orders=200, seed=4, new_order_every=0)
    env = api_env(isolated, server.base_url)
    await sweep_into(server, index_path(settings_of(env)))
    fields = ("--fields", "order_id,order_state,confidence,asset_name")
    table = run_cli(
        "orders", "--cached", *fields, "--format", "table", env=env | {"COLUMNS": "160"}
    )
    assert table.returncode == 0, table.stderr
    rows = [line.split() for line in table.stdout.splitlines()[1:]]
    certified = [row for row in rows if row[1:3] == ["Human", "Certified"]]
    running = [row for row in rows if row[1:3] == ["In", "Progress"]]
    assert certified and running
    assert all(row[-2:] == ["…", "…"] for row in certified), certified[:3]
    assert all(row[-2:] == ["—", "…"] for row in running), running[:3]
    for fmt in ("json", "ndjson", "csv"):
        data = run_cli("orders", "--cached", *fields, "--format", fmt, env=env)
        assert data.returncode == 0 and "__not_read__" not in data.stdout and "…" not in data.stdout
    records = ndjson(run_cli("orders", "--cached", *fields, "--format", "ndjson", env=env).stdout)
    assert all(r["confidence"] is None and r["asset_name"] is None for r in records)


def test_search_text_reaches_the_rule_as_typed() -> None:
    """``--search`` is not case-folded on the way (``casefold`` made "Straße" "strasse", which
    neither the index nor ``/`` finds in "Straße Nord"): the rule folds case itself."""
    wanted = order_filter(None, "  Straße ")
    assert wanted.search == "Straße"
    assert wanted.text is not None and wanted.text.matches("x", ["Straße Nord"])
