"""The scripting commands against a standalone demo API of 5,000 orders (issue 11's "done"):
every case runs the real ``artistree-tui`` entry point in a child process, with pipes."""

from __future__ import annotations

import csv
import io
import json
import signal
import subprocess
import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.support.processes import (
    TIMEOUT,
    StandaloneDemo,
    entry_point,
    foreground,
    one_error_line,
    run_cli,
)

ORDERS = 5000


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StandaloneDemo]:
    home = tmp_path_factory.mktemp("demo-home")
    with StandaloneDemo(home, "--orders", str(ORDERS), "--new-order-every", "0") as server:
        yield server


@pytest.fixture(scope="module")
def api(demo: StandaloneDemo) -> Iterator[httpx.Client]:
    """The server's own truth, asked over HTTP without the CLI."""
    with httpx.Client(base_url=demo.base_url, timeout=30) as client:
        token = client.post(
            "/oauth2/token",
            data={
                "grant_type": "client_credentials",
                "client_id": demo.client_id,
                "client_secret": demo.client_secret,
            },
        ).json()["access_token"]
        client.headers["Authorization"] = f"Bearer {token}"
        yield client


def stats(api: httpx.Client) -> dict[str, int]:
    page = api.get("/v1/orders", params={"project_id": "All Projects", "limit": "1"}).json()
    result: dict[str, int] = page["order_stats"]
    return result


def ndjson(text: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in text.splitlines()]


def test_action_required_prints_exactly_that_many_lines(
    demo: StandaloneDemo, api: httpx.Client, isolated: Path
) -> None:
    args = ("orders", "--state", "Action Required", "--format", "ndjson")
    result = run_cli(*args, env=demo.env(isolated))
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""  # no progress: standard error is not a terminal
    rows = ndjson(result.stdout)
    expected = stats(api)["total_action_required"]
    assert expected > 0
    assert len(rows) == expected
    assert {row["order_state"] for row in rows} == {"Action Required"}
    assert len({row["order_id"] for row in rows}) == expected
    # The other spellings select the same orders.
    for spelling in ("action required", "action-required", "ACTION_REQUIRED"):
        again = run_cli(
            "orders", "--state", spelling, "--fields", "order_id", env=demo.env(isolated)
        )
        assert [row["order_id"] for row in ndjson(again.stdout)] == [r["order_id"] for r in rows]


def test_csv_is_every_order_as_valid_rfc4180(demo: StandaloneDemo, isolated: Path) -> None:
    result = subprocess.run(
        [*entry_point(), "orders", "--format", "csv"],
        capture_output=True,
        env=demo.env(isolated),
        timeout=TIMEOUT,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    text = result.stdout.decode("utf-8")
    # RFC 4180: CRLF after every record, header included (no record spans lines here).
    assert text.count("\r\n") == ORDERS + 1
    assert text.count("\n") == ORDERS + 1 and text.endswith("\r\n")
    reader = csv.DictReader(io.StringIO(text, newline=""), strict=True)
    rows = list(reader)
    assert reader.fieldnames is not None and reader.fieldnames[0] == "order_id"
    assert len(rows) == ORDERS
    assert len({row["order_id"] for row in rows}) == ORDERS
    assert all(len(row) == len(reader.fieldnames) for row in rows)


def test_order_id_as_json_is_that_order(
    demo: StandaloneDemo, api: httpx.Client, isolated: Path
) -> None:
    listed = api.get("/v1/orders", params={"project_id": "All Projects", "limit": "30"}).json()
    # An order with annotations, so the nested shapes are compared too.
    wanted = next(o for o in listed["orders"] if o["annotations"] and o["project"])
    result = run_cli("order", wanted["order_id"], "--format", "json", env=demo.env(isolated))
    assert result.returncode == 0, result.stderr
    got = json.loads(result.stdout)
    truth = api.get(f"/v1/orders/{wanted['order_id']}").json()
    # The API's field names, all of them, and the project's name as previews name it.
    assert set(got) == {*truth, "project_name"}
    assert got["project_name"] == truth["project"]["name"]
    for name in ("creation_time", "review_timestamp"):
        if truth[name] is not None:
            assert datetime.fromisoformat(got[name]) == datetime.fromisoformat(truth[name])
        else:
            assert got[name] is None
    # Presigned URLs are signed per answer; everything else is the order as the API has it.
    skip = {"creation_time", "review_timestamp", "asset_preview_url", "layers_info"}
    for name in set(truth) - skip:
        if name == "annotations":
            for mine, theirs in zip(got[name], truth[name], strict=True):
                assert mine["id"] == theirs["id"] and mine["bodies"] == theirs["bodies"]
                assert mine["properties"] == theirs["properties"]
                assert mine["target"]["selector"]["type"] == theirs["target"]["selector"]["type"]
        else:
            assert got[name] == truth[name], name
    assert [la["layer_name"] for la in got["layers_info"]] == [
        la["layer_name"] for la in truth["layers_info"]
    ]
    assert got["asset_preview_url"].split("?")[0] == truth["asset_preview_url"].split("?")[0]


def test_a_pipe_closed_by_head_ends_cleanly(demo: StandaloneDemo, isolated: Path) -> None:
    started = time.monotonic()
    with (
        subprocess.Popen(
            [*entry_point(), "orders", "--format", "ndjson", "--full"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=demo.env(isolated),
        ) as cli,
        subprocess.Popen(["head", "-n", "1"], stdin=cli.stdout, stdout=subprocess.PIPE) as head,
    ):
        assert cli.stdout is not None and cli.stderr is not None
        cli.stdout.close()  # head holds the only reader now: its exit closes the pipe
        first, _ = head.communicate(timeout=TIMEOUT)
        err = cli.stderr.read()
        status = cli.wait(timeout=TIMEOUT)
    assert json.loads(first)["order_id"]
    assert status == 0
    assert err == b"", err  # no traceback, no "Exception ignored", no BrokenPipeError
    assert time.monotonic() - started < TIMEOUT


def test_ctrl_c_ends_quietly_with_130(demo: StandaloneDemo, isolated: Path) -> None:
    # Full pages, 50 at a time: the whole walk takes far longer than the wait below.
    env = demo.env(isolated)
    isolated.mkdir(parents=True, exist_ok=True)
    config = isolated / "small-pages.toml"
    config.write_text("page_size = 50\n")
    with subprocess.Popen(
        [*entry_point(), "--config", str(config), "orders", "--full", "--format", "csv"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        preexec_fn=foreground,
    ) as cli:
        assert cli.stdout is not None and cli.stderr is not None
        assert cli.stdout.readline().startswith(b"order_id,")
        assert cli.stdout.readline()  # rows are arriving: interrupt mid-walk
        cli.send_signal(signal.SIGINT)
        cli.stdout.read()
        status = cli.wait(timeout=TIMEOUT)
        err = cli.stderr.read()
    assert status == 130
    assert err == b"", err


@pytest.mark.parametrize(
    ("args", "status", "starts"),
    [
        (("order", "not-an-id"), 2, "not an order id: 'not-an-id'"),
        (("order", "00000000-0000-4000-8000-000000000000"), 1, "order not found"),
        (("orders", "--fields", "order_id,bogus"), 2, "--fields: unknown field 'bogus'"),
        (("orders", "--state", "pending"), 2, "--state: unknown state 'pending'"),
        (("orders", "--since", "last tuesday"), 2, "--since: 'last tuesday' is not a date"),
        (("certificate", "not-an-id"), 2, "not an order id"),
    ],
)
def test_mistakes_are_one_line_with_the_right_status(
    demo: StandaloneDemo, isolated: Path, args: tuple[str, ...], status: int, starts: str
) -> None:
    result = run_cli(*args, env=demo.env(isolated))
    assert result.returncode == status
    assert one_error_line(result.stderr).startswith(starts)
    assert result.stdout == ""


def test_unknown_fields_are_listed(demo: StandaloneDemo, isolated: Path) -> None:
    result = run_cli("orders", "--fields", "nope", env=demo.env(isolated))
    message = one_error_line(result.stderr)
    for name in ("order_id", "order_state", "project_name", "analysis_list"):
        assert name in message


def test_an_unreachable_api_is_exit_1_and_bad_credentials_exit_2(
    demo: StandaloneDemo, isolated: Path
) -> None:
    env = demo.env(isolated, ARTISTREE_BASE_URL="http://127.0.0.1:9")  # discard: nothing there
    result = run_cli("stats", env=env, timeout=TIMEOUT)
    assert result.returncode == 1
    assert "cannot reach" in one_error_line(result.stderr)
    env = demo.env(isolated, ARTISTREE_CLIENT_SECRET="wrong-secret-4b1d")
    result = run_cli("orders", env=env)
    assert result.returncode == 2
    message = one_error_line(result.stderr)
    assert "wrong-secret-4b1d" not in message and "client" in message


def test_limit_and_search_and_since(
    demo: StandaloneDemo, api: httpx.Client, isolated: Path
) -> None:
    first = run_cli("orders", "--limit", "7", env=demo.env(isolated))
    rows = ndjson(first.stdout)
    assert len(rows) == 7
    title_word = rows[3]["order_title"].split()[0]
    found = ndjson(run_cli("orders", "--search", title_word.upper(), env=demo.env(isolated)).stdout)
    assert found and all(title_word.casefold() in json.dumps(r).casefold() for r in found)
    assert rows[3]["order_id"] in {r["order_id"] for r in found}
    since = rows[5]["creation_time"]
    recent = ndjson(run_cli("orders", "--since", since, env=demo.env(isolated)).stdout)
    assert [r["order_id"] for r in recent] == [r["order_id"] for r in rows[:6]]


def test_stats_is_order_stats(demo: StandaloneDemo, api: httpx.Client, isolated: Path) -> None:
    result = run_cli("stats", env=demo.env(isolated))
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == stats(api)
