"""`--demo` and `demo-server`: the demo API started from the command line, over real loopback."""

from __future__ import annotations

import asyncio
import os
import re
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest

from artistree_tui import cli
from artistree_tui.config import Settings
from artistree_tui.connect import build_client
from artistree_tui.demo import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET
from tests.support import REPO
from tests.support.demo import FAULTHANDLER_ENV, interrupt


async def first_page(settings: Settings) -> tuple[int, int]:
    async with build_client(settings) as client:
        page = await client.list_orders("All Projects", limit=5)
        return len(page.orders), page.stats.total


def refused(base_url: str) -> bool:
    parts = urlsplit(base_url)
    try:
        with socket.create_connection((parts.hostname, parts.port), timeout=2):
            return False
    except OSError:
        return True


def test_demo_serves_the_console_in_process_and_stops_after(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A config whose credentials are broken in every way must not block --demo, while its
    # other keys still apply.
    config = tmp_path / "config.toml"
    config.write_text(
        'base_url = "ftp://broken"\nclient_id = 3\ntoken = "stale"\n'
        'client_secret_command = "artistree-no-such-program"\ntheme = "nord"\n'
        '[keymap]\n"app.quit" = "ctrl+q"\n'
    )
    config.chmod(0o644)  # a secret readable by others: refused normally, ignored for the demo
    monkeypatch.setenv("ARTISTREE_TOKEN", "also-ignored")
    seen: list[tuple[Settings, tuple[int, int]]] = []

    def launch(settings: Settings) -> int:
        seen.append((settings, asyncio.run(first_page(settings))))
        return 0

    monkeypatch.setattr(cli, "_launch", launch)
    # No order arrives while the test runs: the total is exactly --demo-orders.
    monkeypatch.setattr(cli, "DEMO_NEW_ORDER_EVERY", 0.0)
    argv = ["--config", str(config), "--demo", "--demo-orders", "40", "--project", "Alpha"]
    assert cli.main(argv) == 0
    settings, (rows, total) = seen[0]
    assert settings.demo and settings.token is None
    assert (settings.client_id, settings.client_secret) == (DEMO_CLIENT_ID, DEMO_CLIENT_SECRET)
    assert urlsplit(settings.base_url).hostname == "127.0.0.1"
    assert settings.token_url.startswith(settings.base_url)
    assert (settings.theme, settings.keymap, settings.default_project) == (
        "nord",
        {"app.quit": "ctrl+q"},
        "Alpha",
    )
    assert (rows, total) == (5, 40)  # the client reached the demo with the demo credentials
    assert refused(settings.base_url), "the demo server is stopped on exit"


def test_demo_server_passes_its_options(monkeypatch: pytest.MonkeyPatch) -> None:
    import artistree_tui.demo

    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(
        artistree_tui.demo, "run_standalone", lambda **kwargs: calls.append(kwargs) or 0
    )
    argv = ["demo-server", "--port", "0", "--orders", "9", "--seed", "3", "--latency-ms", "5"]
    assert cli.main([*argv, "--faults", "429=0.5,hostile", "--new-order-every", "2"]) == 0
    (kwargs,) = calls
    faults = kwargs.pop("faults")
    assert (faults.rate_429, faults.hostile) == (0.5, True)
    assert kwargs == {
        "host": "127.0.0.1",
        "port": 0,
        "orders": 9,
        "seed": 3,
        "latency_ms": 5.0,
        "new_order_every": 2.0,
    }


def test_a_bad_fault_spec_is_a_one_line_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["demo-server", "--faults", "teapot=1"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("artistree-tui: error: --faults: unknown fault 'teapot'")
    assert err.count("\n") == 1


def test_demo_server_runs_standalone_until_interrupted(isolated: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ARTISTREE_")}
    env.update(PYTHONPATH=str(REPO), **FAULTHANDLER_ENV)
    args = ["demo-server", "--port", "0", "--orders", "25", "--new-order-every", "0"]
    with subprocess.Popen(
        [sys.executable, "-m", "artistree_tui", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    ) as proc:
        try:
            assert proc.stdout is not None
            banner = ""
            while "Ctrl-C" not in banner:
                line = proc.stdout.readline()
                assert line, f"the server exited early: {proc.stderr.read() if proc.stderr else ''}"
                banner += line
            found = re.search(r"base_url\s*=\s*(http://127\.0\.0\.1:\d+)", banner)
            assert found, banner
            base_url = found.group(1)
            token = httpx.post(
                f"{base_url}/oauth2/token",
                data={
                    "grant_type": "client_credentials",
                    "client_id": DEMO_CLIENT_ID,
                    "client_secret": DEMO_CLIENT_SECRET,
                },
            ).json()["access_token"]
            page = httpx.get(
                f"{base_url}/v1/orders",
                params={"project_id": "All Projects", "limit": "3"},
                headers={"Authorization": f"Bearer {token}"},
            ).json()
            assert page["order_stats"]["total_orders"] == 25
            status, _ = interrupt(proc)
            assert status == 0
        finally:
            if proc.poll() is None:
                proc.kill()
