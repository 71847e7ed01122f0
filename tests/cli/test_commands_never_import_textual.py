"""The scripting commands never import Textual, not even when they run: a fresh interpreter
runs the CLI's ``main`` and reports which heavy packages got loaded."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from artistree_tui.demo import DemoServer
from tests.support.import_probe import loaded_by
from tests.support.processes import api_env


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
