"""The index's folder is 0700 and its files 0600, whatever the umask; names never hold a
secret; ``store = "memory"`` writes nothing."""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from artistree_tui.config import Settings
from artistree_tui.demo import DemoServer
from artistree_tui.store import ALL, Index, TokenCache
from artistree_tui.store.paths import index_files
from artistree_tui.store.tokens import token_cache_for


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture(params=[0o022, 0o000, 0o277], ids=["umask-022", "umask-000", "umask-277"])
def umask(request: pytest.FixtureRequest) -> Iterator[int]:
    old = os.umask(request.param)
    try:
        yield request.param
    finally:
        os.umask(old)


def test_folder_0700_and_files_0600_whatever_the_umask(
    umask: int,
    open_index: Callable[..., Index],
    index_file: Path,
    demo_server: DemoServer,
    fetch_pages: Callable[..., list],
) -> None:
    index = open_index()
    assert index.mode == "disk" and index.path == index_file
    writer = index.writer()
    for page in fetch_pages(demo_server):
        writer.write_page(page)
    reader = index.reader()
    assert reader.status(ALL).indexed == demo_server.stats()["total_orders"]
    # The folders the index created (cache/ and cache/index/) and every file in them.
    assert mode(index_file.parent) == 0o700
    assert mode(index_file.parent.parent) == 0o700
    files = sorted(index_file.parent.iterdir())
    assert index_file in files and Path(f"{index_file}-wal") in files
    assert {p.name: mode(p) for p in files} == {p.name: 0o600 for p in files}
    reader.close()


def test_an_existing_loose_folder_of_ours_is_tightened(
    open_index: Callable[..., Index], index_file: Path
) -> None:
    index_file.parent.mkdir(parents=True)
    index_file.parent.chmod(0o755)
    open_index()
    assert mode(index_file.parent) == 0o700
    assert mode(index_file) == 0o600


def test_token_cache_file_is_0600_under_umask_000(umask: int, tmp_path: Path) -> None:
    cache = TokenCache(tmp_path / "cache" / "index" / "token-x.json")
    cache.save("access-token-value", 4_000_000_000.0)
    assert mode(cache.path) == 0o600
    assert mode(cache.path.parent) == 0o700
    assert cache.load() == ("access-token-value", 4_000_000_000.0)
    # A cache file others can read is not trusted (nor one that is not a regular file).
    cache.path.chmod(0o644)
    assert cache.load() is None


def test_file_names_hold_no_secret_and_separate_apis_and_clients(tmp_path: Path) -> None:
    secret, token = "s3cr3t-client-secret", "static-bearer-token-xyz"
    base = Settings(cache_dir=tmp_path, client_id="client-a", client_secret=secret)
    files = index_files(base)
    assert files.folder == tmp_path / "index"
    assert files.token is not None and files.token.parent == files.folder
    static = Settings(cache_dir=tmp_path, token=token)
    names = [files.database.name, files.token.name, index_files(static).database.name]
    assert not any(secret in n or token in n or "client-a" in n for n in names)
    # A static token is never cached; each API and client has its own database.
    assert index_files(static).token is None and token_cache_for(static) is None
    other_client = Settings(cache_dir=tmp_path, client_id="client-b", client_secret=secret)
    other_api = Settings(
        cache_dir=tmp_path, base_url="https://api.other.example", client_id="client-a"
    )
    databases = {index_files(s).database for s in (base, static, other_client, other_api)}
    assert len(databases) == 4
    # The in-process demo's port changes every run; its index does not.
    demo_a = Settings(cache_dir=tmp_path, base_url="http://127.0.0.1:4001", demo=True)
    demo_b = Settings(cache_dir=tmp_path, base_url="http://127.0.0.1:4002", demo=True)
    assert index_files(demo_a).database == index_files(demo_b).database


def test_store_memory_writes_nothing(tmp_path: Path) -> None:
    settings = Settings(cache_dir=tmp_path / "cache", client_id="c", store="memory")
    index = Index.for_settings(settings)
    try:
        assert index.mode == "memory" and index.path is None
        assert token_cache_for(settings) is None
        assert index.take_notices() == []  # memory by choice is no event
    finally:
        index.close()
    assert not (tmp_path / "cache").exists()
