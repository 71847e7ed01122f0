"""The commands share the console's API client: rate limiting, dropped connections and access
tokens that expire mid-walk are retried and renewed, and the output is still every order."""

from __future__ import annotations

import json
import re
from collections import deque
from collections.abc import Callable
from pathlib import Path

import pytest

from artistree_tui.demo import DemoServer, FaultConfig
from tests.support.processes import api_env, run_cli


def test_every_order_despite_429_drops_and_expiring_tokens(
    make_demo: Callable[..., DemoServer], isolated: Path
) -> None:
    demo = make_demo(orders=1200, seed=5)
    # Forced outcomes, in order: a 429 with Retry-After, a dropped connection, a 401 (the
    # token is refused: renewed once), then rates for the rest of the walk.
    demo.faults = FaultConfig(
        rate_429=0.15,
        retry_after="0",
        rate_drop=0.1,
        token_ttl=1,
        script=deque(["429", "drop", "401"]),
    )
    env = api_env(isolated, demo.base_url, ARTISTREE_TUI_CONFIG=str(isolated / "c.toml"))
    isolated.mkdir(parents=True, exist_ok=True)
    (isolated / "c.toml").write_text("page_size = 100\n")
    result = run_cli("orders", "--full", "--fields", "order_id", "--format", "ndjson", env=env)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    ids = [json.loads(line)["order_id"] for line in result.stdout.splitlines()]
    assert ids == demo.order_ids()
    statuses = [r.status for r in demo.recorded("/v1/orders")]
    assert 429 in statuses and 401 in statuses  # the faults did happen
    assert demo.token_requests >= 2  # a token was renewed


def test_counts_that_are_not_numbers_are_never_a_total_of_zero(
    make_demo: Callable[..., DemoServer], isolated: Path
) -> None:
    """The first page says ``total_orders`` is infinity and ``total_certified`` NaN: ``orders``
    still lists every order (the walk is not cut at the 1,000 rows a total of 0 would allow),
    and ``stats`` says in one line that the counts are unreadable rather than print zeros."""
    demo = make_demo(orders=1500, seed=5)
    demo.faults = FaultConfig(script=deque(["malformed-nan"]))
    env = api_env(isolated, demo.base_url)
    result = run_cli("orders", "--fields", "order_id", "--format", "ndjson", env=env)
    assert result.returncode == 0, result.stderr
    ids = [json.loads(line)["order_id"] for line in result.stdout.splitlines()]
    assert ids == demo.order_ids()
    assert result.stderr == ""

    demo.faults = FaultConfig(script=deque(["malformed-nan"]))
    stats = run_cli("stats", "--format", "json", env=env)
    assert stats.returncode == 1 and stats.stdout == ""
    assert stats.stderr.strip().endswith("the API's order counts are not numbers")
    assert len(stats.stderr.strip().splitlines()) == 1


def test_a_bad_page_is_asked_for_again_and_the_walk_goes_on(
    make_demo: Callable[..., DemoServer], isolated: Path
) -> None:
    """A page that comes back malformed or as HTTP 500 (the client does not retry those) is
    asked for again: a tryout's long export with 1 page in 3 malformed died after 2,000 rows.
    Each new try is a warning on stderr; a page bad three times ends the command, exit 1."""
    demo = make_demo(orders=1500, seed=5)
    env = api_env(isolated, demo.base_url)
    demo.faults = FaultConfig(script=deque(["ok", "malformed-truncated", "500"]))  # page 2
    result = run_cli("orders", "--fields", "order_id", "--format", "ndjson", env=env)
    assert result.returncode == 0, result.stderr
    ids = [json.loads(line)["order_id"] for line in result.stdout.splitlines()]
    assert ids == demo.order_ids()
    warnings = result.stderr.splitlines()
    assert len(warnings) == 2 and all(
        w.startswith("artistree-tui: warning: page 2 ") for w in warnings
    )
    assert "malformed" in warnings[0] and "again in 1 s" in warnings[0]

    bad = ["malformed-html"] * 3
    demo.faults = FaultConfig(script=deque(["ok", *bad]))
    failed = run_cli("orders", "--fields", "order_id", "--format", "ndjson", env=env)
    assert failed.returncode == 1
    lines = failed.stderr.splitlines()
    assert len(lines) == 3 and lines[-1].startswith("artistree-tui: error: ")
    assert len(failed.stdout.splitlines()) == 1000  # the first page's rows, written


def unsigned(text: str) -> str:
    """``text`` without its preview links (signed anew by every answer)."""
    return re.sub(r'"asset_preview_url": "[^"]*"', "", text)


@pytest.mark.parametrize(
    ("command", "what", "fault"),
    [
        (["stats", "--format", "json"], "the counts", "malformed-truncated"),
        (["order", "{oldest}", "--format", "json"], "the order", "500"),
        (["projects", "--no-ids", "--format", "ndjson"], "the projects", "500"),
        (["projects", "--format", "ndjson"], "page 1", "malformed-truncated"),
    ],
    ids=["stats", "order", "projects --no-ids", "projects"],
)
def test_every_command_asks_again_for_a_bad_answer(
    make_demo: Callable[..., DemoServer],
    isolated: Path,
    command: list[str],
    what: str,
    fault: str,
) -> None:
    """Not only ``orders``: a cron's ``stats`` (or ``order``, ``projects``) whose answer comes
    back malformed or as HTTP 500 asks again (a second later) and answers, with a warning."""
    demo = make_demo(orders=300, seed=5)
    env = api_env(isolated, demo.base_url)
    args = [arg.format(oldest=demo.order_id(0)) for arg in command]
    clean = run_cli(*args, env=env)
    assert clean.returncode == 0 and clean.stderr == "", clean.stderr
    demo.faults = FaultConfig(script=deque([fault]))
    result = run_cli(*args, env=env)
    assert result.returncode == 0, result.stderr
    assert unsigned(result.stdout) == unsigned(clean.stdout)
    assert result.stderr.startswith(f"artistree-tui: warning: {what} could not be read")
    assert len(result.stderr.splitlines()) == 1
