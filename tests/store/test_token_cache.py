"""The OAuth access token is cached next to the index (0600), so a restart within its hour
asks the token server for nothing; a rejected or nearly expired cached token is replaced; a
static token is never cached; the client secret is never written."""

from __future__ import annotations

import json
import stat
import time
from pathlib import Path

import pytest

from artistree_tui.api.auth import ClientCredentials, StaticToken, credentials_fingerprint
from artistree_tui.api.client import ArtistreeClient
from artistree_tui.api.errors import ApiConfigError
from artistree_tui.api.models import ALL_PROJECTS
from artistree_tui.config import Settings
from artistree_tui.connect import build_client, token_source
from artistree_tui.demo import DemoServer
from artistree_tui.store import TokenCache
from artistree_tui.store.tokens import token_cache_for


def settings_for(server: DemoServer, cache_dir: Path, **extra: object) -> Settings:
    values: dict[str, object] = {
        "base_url": server.base_url,
        "token_url": server.token_url,
        "client_id": server.client_id,
        "client_secret": server.client_secret,
        "cache_dir": cache_dir,
    }
    values.update(extra)
    return Settings(**values)  # type: ignore[arg-type]


def owner(server: DemoServer) -> str:
    """Whom the token cache entries of ``server``'s credentials belong to."""
    return credentials_fingerprint(server.token_url, server.client_id, server.client_secret)


async def first_page(client: ArtistreeClient) -> int:
    async with client:
        page = await client.list_orders(ALL_PROJECTS, preview=True, limit=5)
    return page.row_count


async def test_a_restart_within_the_hour_asks_for_no_token(
    demo_server: DemoServer, tmp_path: Path
) -> None:
    settings = settings_for(demo_server, tmp_path / "cache")
    cache = token_cache_for(settings)
    assert cache is not None
    assert await first_page(build_client(settings, token_cache=cache)) == 5
    assert demo_server.token_requests == 1
    assert stat.S_IMODE(cache.path.stat().st_mode) == 0o600
    text = cache.path.read_text()
    assert demo_server.client_secret not in text and demo_server.client_id not in text
    entry = json.loads(text)
    assert entry["expires_at"] == pytest.approx(time.time() + 3600, abs=60)
    # A new process: a new client and token source, the same cache file.
    for _ in range(3):
        restarted = build_client(settings, token_cache=token_cache_for(settings))
        assert await first_page(restarted) == 5
    assert demo_server.token_requests == 1


async def test_a_token_cached_with_another_secret_is_not_used(
    demo_server: DemoServer, tmp_path: Path
) -> None:
    settings = settings_for(demo_server, tmp_path / "cache")
    await first_page(build_client(settings, token_cache=token_cache_for(settings)))
    wrong = settings_for(demo_server, tmp_path / "cache", client_secret="mistyped-secret")
    with pytest.raises(ApiConfigError):  # said at once, not when the cached token expires
        await first_page(build_client(wrong, token_cache=token_cache_for(wrong)))
    assert demo_server.token_requests == 2
    # The right secret again: the entry it saved is still there and still its own.
    await first_page(build_client(settings, token_cache=token_cache_for(settings)))
    assert demo_server.token_requests == 2
    assert "mistyped-secret" not in (token_cache_for(settings) or pytest.fail()).path.read_text()


async def test_a_cached_token_the_api_rejects_is_replaced(
    demo_server: DemoServer, tmp_path: Path
) -> None:
    settings = settings_for(demo_server, tmp_path / "cache")
    await first_page(build_client(settings, token_cache=token_cache_for(settings)))
    cache = token_cache_for(settings)
    assert cache is not None
    old = cache.load(owner(demo_server))
    demo_server.revoke_tokens()  # e.g. rotated server-side while the console was closed
    assert await first_page(build_client(settings, token_cache=token_cache_for(settings))) == 5
    assert demo_server.token_requests == 2
    new = cache.load(owner(demo_server))
    assert new is not None and old is not None and new[0] != old[0]


async def test_a_nearly_expired_cached_token_is_not_used(
    demo_server: DemoServer, tmp_path: Path
) -> None:
    cache = TokenCache(tmp_path / "token.json")
    cache.save("stale-but-valid-looking", time.time() + 30, owner(demo_server))
    source = ClientCredentials(
        demo_server.token_url, demo_server.client_id, demo_server.client_secret, cache=cache
    )
    token = await source.get_token()
    await source.aclose()
    assert token != "stale-but-valid-looking"
    assert demo_server.token_requests == 1
    entry = cache.load(owner(demo_server))
    assert entry is not None and entry[0] == token


async def test_invalidate_clears_the_cache(demo_server: DemoServer, tmp_path: Path) -> None:
    cache = TokenCache(tmp_path / "token.json")
    source = ClientCredentials(
        demo_server.token_url, demo_server.client_id, demo_server.client_secret, cache=cache
    )
    await source.get_token()
    assert cache.path.exists()
    source.invalidate()
    await source.aclose()
    assert not cache.path.exists()


def test_a_static_token_is_never_cached(demo_server: DemoServer, tmp_path: Path) -> None:
    settings = Settings(base_url=demo_server.base_url, token="static-token", cache_dir=tmp_path)
    assert token_cache_for(settings) is None
    assert isinstance(token_source(settings), StaticToken)
    assert not (tmp_path / "index").exists()


def test_broken_or_foreign_cache_files_are_ignored(tmp_path: Path) -> None:
    cache = TokenCache(tmp_path / "token.json")
    assert cache.load() is None
    for body in (
        b"",
        b"not json",
        b"[]",
        b'{"access_token": 5, "expires_at": 1}',
        b'{"access_token": "x"}',
        b'{"access_token": "x", "expires_at": "NaN"}',
    ):
        cache.path.write_bytes(body)
        cache.path.chmod(0o600)
        assert cache.load() is None, body
    target = tmp_path / "elsewhere.json"
    target.write_text('{"access_token": "x", "expires_at": 9999999999}')
    target.chmod(0o600)
    cache.path.unlink()
    cache.path.symlink_to(target)
    assert cache.load() is None  # a planted symlink is not followed


def test_the_demo_and_memory_store_keep_no_token(demo_server: DemoServer, tmp_path: Path) -> None:
    assert token_cache_for(settings_for(demo_server, tmp_path, store="memory")) is None
    assert token_cache_for(settings_for(demo_server, tmp_path, demo=True)) is None
