"""Issue 10's "done": the whole organization at hand, keyboard only, in a real terminal.

A standalone demo API (``artistree-tui demo-server --orders 20000 --new-order-every 0``, its
own process) and the real console pointed at it, inside tmux at 120×40. Once the sync has
indexed the organization (the status line says so), ``s s s`` lists exactly the API's
``total_action_required`` orders, and ``/`` with the id of the oldest order finds exactly
that order. Expected values are read from the API itself. Skipped where tmux is missing.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from artistree_tui.demo import DemoServer
from tests.support.demo import TLS
from tests.support.processes import StandaloneDemo
from tests.support.pty_console import console_env
from tests.support.tmux import NEEDS_TMUX, Tmux

pytestmark = [*NEEDS_TMUX, pytest.mark.slow]

ORDERS = 20_000
#: The sync needs ~20 pages of 1,000 at 4 requests per second, plus the demo's time to make
#: each page: a few seconds idle, more on a loaded CI box.
SYNC_DEADLINE = 180.0
MATCHES = re.compile(r"([\d,]+) match(?:es)? · ")


@pytest.fixture
def api(standalone_api: Callable[[int, int], StandaloneDemo]) -> StandaloneDemo:
    return standalone_api(ORDERS, 1)


def api_truth(demo: StandaloneDemo) -> tuple[int, str]:
    """(``total_action_required``, the oldest order's id), asked of the API over HTTP."""
    oldest = DemoServer(orders=ORDERS, seed=1, new_order_every=0).order_id(0)  # same seed
    with httpx.Client(base_url=demo.base_url, timeout=30, verify=TLS) as http:
        form = {
            "grant_type": "client_credentials",
            "client_id": demo.client_id,
            "client_secret": demo.client_secret,
        }
        token = http.post(f"{demo.base_url}/oauth2/token", data=form).json()["access_token"]
        headers = {"Authorization": f"Bearer {token}"}
        params = {"project_id": "All Projects", "preview": "true", "limit": "1"}
        page = http.get("/v1/orders", params=params, headers=headers).json()
        found = http.get(f"/v1/orders/{oldest}", headers=headers)
    assert found.status_code == 200 and found.json()["order_id"] == oldest
    return int(page["order_stats"]["total_action_required"]), oldest


def matches(screen: str) -> int | None:
    found = MATCHES.search(screen)
    return int(found.group(1).replace(",", "")) if found else None


def test_action_required_and_the_oldest_order_over_every_indexed_order(
    api: StandaloneDemo, tmp_path: Path
) -> None:
    action_required, oldest = api_truth(api)
    pointed = {k: v for k, v in api.env(tmp_path).items() if k.startswith("ARTISTREE_")}
    env = console_env(tmp_path, **pointed)  # the console pointed at the standalone API
    tmux = Tmux(tmp_path, "tmux-256color", (), env=env, size=(120, 40))
    try:
        tmux.wait(
            lambda: f"{ORDERS:,} orders indexed" in tmux.screen(),
            "the sync to index every order",
            deadline=SYNC_DEADLINE,
        )
        tmux.keys("s", "s", "s")  # All → In Progress → Human Certified → Action Required
        tmux.wait(lambda: "state ! action" in tmux.screen(), "the Action Required filter")
        tmux.wait(lambda: matches(tmux.screen()) == action_required, "every Action Required")
        assert action_required > 1000  # far more than any page held in memory

        tmux.keys("Escape")
        tmux.wait(lambda: "state ! action" not in tmux.screen(), "the filter cleared")
        tmux.keys("/")
        tmux.wait(lambda: "filter:" in tmux.screen(), "the filter box")
        tmux.keys(*oldest, "Enter")
        tmux.wait(lambda: matches(tmux.screen()) == 1, "exactly one match")
        assert "row 1/1" in tmux.screen()
        # The one row is that order: y copies its id (OSC 52, kept by tmux as a buffer).
        tmux.keys("y")
        tmux.wait(
            lambda: tmux.buffers().splitlines()[:1] == [oldest], "the oldest order's id copied"
        )

        pid = int(tmux.pane("#{pane_pid}"))
        tmux.keys("q")
        tmux.wait(lambda: tmux.exit_status(pid) is not None, "the console to exit")
        assert tmux.exit_status(pid) == "0/"
        assert "Traceback" not in tmux.screen()
    finally:
        tmux.close()
