"""The ``--demo-faults SPEC`` flag (try the console against hostile data or a failing
network): parsed like ``demo-server --faults``, a one-line error when wrong, shown in
``--help`` with an example, and handed to the demo server."""

from __future__ import annotations

import httpx
import pytest

from artistree_tui import cli
from artistree_tui.config import Settings
from tests.support.demo import TLS


def test_a_bad_spec_is_one_line_and_exit_status_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["--demo", "--demo-faults", "bogus=1"]) == cli.EXIT_USAGE
    err = capsys.readouterr().err
    assert err.startswith("artistree-tui: error: --demo-faults: unknown fault 'bogus'")
    assert err.count("\n") == 1


def test_the_flag_is_in_help_with_an_example(capsys: pytest.CaptureFixture[str]) -> None:
    # The README invites users to try `--demo --demo-faults hostile`: --help must show it.
    with pytest.raises(SystemExit):
        cli.main(["--help"])
    out = capsys.readouterr().out
    assert "--demo-faults SPEC" in out
    assert "hostile" in out


def first_titles(settings: Settings) -> list[str]:
    """The titles of the first page of the demo API ``settings`` point at (plain httpx)."""
    form = {
        "grant_type": "client_credentials",
        "client_id": settings.client_id or "",
        "client_secret": settings.client_secret or "",
    }
    with httpx.Client(timeout=30, verify=TLS) as http:
        token = http.post(settings.token_url, data=form).json()["access_token"]
        page = http.get(
            f"{settings.base_url}/v1/orders",
            params={"project_id": "All Projects", "limit": "50"},
            headers={"Authorization": f"Bearer {token}"},
        ).json()
    return [order["order_title"] for order in page["orders"]]


@pytest.mark.parametrize("hostile", [True, False])
def test_the_spec_reaches_the_demo_server(monkeypatch: pytest.MonkeyPatch, hostile: bool) -> None:
    # The console's demo runs in a child process: ask it, over HTTP, while it runs.
    titles: list[str] = []
    monkeypatch.setattr(cli, "_launch", lambda settings: titles.extend(first_titles(settings)) or 0)
    faults = ["--demo-faults", "hostile"] if hostile else []
    assert cli.main(["--demo", "--demo-orders", "50", *faults]) == 0
    assert len(titles) == 50
    assert any("\x1b" in title for title in titles) is hostile
