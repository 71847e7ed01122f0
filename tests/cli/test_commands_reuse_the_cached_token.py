"""The commands keep the OAuth access token next to the index, like the console: a second
command within the token's hour asks the token server for nothing; ``cache clear`` forgets it;
a static ``token`` is never written anywhere."""

from __future__ import annotations

import stat
from collections.abc import Callable
from pathlib import Path

from artistree_tui.demo import DemoServer
from tests.support.demo import fetch_token
from tests.support.processes import api_env, run_cli


def token_files(home: Path) -> list[Path]:
    return sorted((home / ".cache").rglob("token-*.json"))


def one_order(env: dict[str, str]) -> str:
    result = run_cli("orders", "--limit", "1", "--fields", "order_id", "--format", "csv", env=env)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_a_second_command_makes_no_token_request(
    make_demo: Callable[..., DemoServer], isolated: Path
) -> None:
    demo = make_demo(orders=20, seed=4)
    env = api_env(isolated, demo.base_url)
    first = one_order(env)
    assert demo.token_requests == 1
    [cached] = token_files(isolated)
    assert stat.S_IMODE(cached.stat().st_mode) == 0o600
    assert one_order(env) == first
    assert demo.token_requests == 1  # the cached token was used
    assert [r.had_auth for r in demo.recorded("/v1/orders")] == [True, True]
    cleared = run_cli("cache", "clear", env=env)
    assert cleared.returncode == 0 and "cached access token" in cleared.stdout
    assert token_files(isolated) == []
    one_order(env)
    assert demo.token_requests == 2  # asked again after `cache clear`


def test_a_static_token_is_never_cached(
    make_demo: Callable[..., DemoServer], isolated: Path
) -> None:
    demo = make_demo(orders=20, seed=4)
    token = fetch_token(demo)
    env = api_env(isolated, demo.base_url, ARTISTREE_TOKEN=token)
    one_order(env)
    assert token_files(isolated) == []
    assert token not in "".join(p.read_text() for p in (isolated / ".cache").rglob("*.json"))
