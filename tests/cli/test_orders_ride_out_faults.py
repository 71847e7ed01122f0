"""The commands share the console's API client: rate limiting, dropped connections and access
tokens that expire mid-walk are retried and renewed, and the output is still every order."""

from __future__ import annotations

import json
from collections import deque
from collections.abc import Callable
from pathlib import Path

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
