"""The scripting commands never import Textual, not even when they run: a fresh interpreter
runs the CLI's ``main`` and reports which heavy packages got loaded."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from artistree_tui.demo import DemoServer
from tests.support.processes import TIMEOUT, api_env

PROBE = """
import sys
from artistree_tui.cli import main
try:
    status = main(sys.argv[1:])
except SystemExit as exit:
    status = exit.code
loaded = sorted(m for m in ("textual", "httpx") if m in sys.modules)
print("LOADED", ",".join(loaded), file=sys.stderr)
sys.exit(status)
"""


def loaded_by(env: dict[str, str], *args: str) -> tuple[int, list[str]]:
    result = subprocess.run(
        [sys.executable, "-c", PROBE, *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=TIMEOUT,
        check=False,
    )
    line = next(line for line in result.stderr.splitlines() if line.startswith("LOADED"))
    return result.returncode, [name for name in line.removeprefix("LOADED ").split(",") if name]


@pytest.mark.parametrize(
    "command", ["orders", "order", "stats", "projects", "certificate", "watch", "config"]
)
def test_help_loads_neither_textual_nor_httpx(isolated: Path, command: str) -> None:
    status, loaded = loaded_by(api_env(isolated, "http://127.0.0.1:1"), command, "--help")
    assert (status, loaded) == (0, [])


def test_running_the_commands_loads_no_textual(
    isolated: Path, make_demo: Callable[..., DemoServer]
) -> None:
    demo = make_demo(orders=50)
    env = api_env(isolated, demo.base_url)
    order_id = demo.order_id(3)
    for args in (
        ("orders", "--limit", "3"),
        ("orders", "--project", demo.projects[0].name.lower(), "--limit", "3"),
        ("order", order_id, "--format", "table"),
        ("stats",),
        ("projects",),
        ("certificate", order_id, "--url"),
        ("config", "show"),
    ):
        status, loaded = loaded_by(env, *args)
        assert "textual" not in loaded, args
        assert status in (0, 1), args  # certificate: 1 if that order is not certified
    # The probe is not blind: the console does load Textual (and stops: no terminal here).
    status, loaded = loaded_by(env, "--demo")
    assert status == 2 and "textual" not in loaded  # refused before the UI is imported
