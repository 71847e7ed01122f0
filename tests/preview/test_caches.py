"""The preview caches: in-memory LRU bounds, disk cache keys, integrity, atomicity, eviction;
and the loader's use of them against the demo server (an expired URL still hits the disk)."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from artistree_tui.api.assets import AssetExpiredError, AssetFetcher
from artistree_tui.demo import DemoServer, FaultConfig
from artistree_tui.preview.cache import LRU, DiskCache, asset_key
from artistree_tui.preview.decode import DecodeError
from artistree_tui.preview.loader import PreviewLoader, build_preview_loader, loopback_http_origins
from tests.support.demo import first_preview_url


def test_lru_evicts_least_recently_used_by_count() -> None:
    lru: LRU[str, int] = LRU(max_items=2)
    lru.put("a", 1)
    lru.put("b", 2)
    assert lru.get("a") == 1  # a is now the most recent
    lru.put("c", 3)
    assert "b" not in lru and lru.get("a") == 1 and lru.get("c") == 3


def test_lru_is_bounded_by_bytes_too() -> None:
    lru: LRU[str, bytes] = LRU(max_items=100, max_bytes=10, sizeof=len)
    lru.put("a", b"12345")
    lru.put("b", b"12345")
    assert lru.total_bytes == 10
    lru.put("c", b"123")
    assert "a" not in lru and lru.total_bytes == 8
    lru.put("b", b"1")  # replacing updates the total
    assert lru.total_bytes == 4
    lru.put("huge", b"x" * 50)  # a single item over the bound is still kept (alone)
    assert list(lru._items) == ["huge"]


def test_asset_key_ignores_the_presigned_query_but_not_the_asset() -> None:
    a = "https://bucket.s3.example.com/previews/o1.png?X-Amz-Expires=900&X-Amz-Signature=aa"
    b = "https://bucket.s3.example.com/previews/o1.png?X-Amz-Expires=900&X-Amz-Signature=bb"
    assert (
        asset_key(a) == asset_key(b) == asset_key("https://BUCKET.s3.example.com/previews/o1.png")
    )
    assert asset_key(a) != asset_key("https://bucket.s3.example.com/previews/o2.png?sig=aa")
    assert asset_key(a) != asset_key("https://other.example.com/previews/o1.png")
    assert asset_key(a) != asset_key(a, variant="1700000000")
    assert len(asset_key(a)) == 64 and "o1" not in asset_key(a)


def test_disk_cache_round_trip_and_private_files(tmp_path: Path) -> None:
    cache = DiskCache(tmp_path / "assets", max_bytes=1 << 20)
    cache.put("https://h/a.png?sig=1", b"hello")
    assert cache.get("https://h/a.png?sig=2") == b"hello"
    path = cache.path_for("https://h/a.png")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE((tmp_path / "assets").stat().st_mode) == 0o700
    assert [p.name for p in (tmp_path / "assets").iterdir()] == [path.name]  # no temp files


def test_a_corrupt_cache_file_is_discarded_never_returned(tmp_path: Path) -> None:
    cache = DiskCache(tmp_path, max_bytes=1 << 20)
    cache.put("https://h/a.png", b"original bytes")
    path = cache.path_for("https://h/a.png")
    raw = bytearray(path.read_bytes())
    raw[-1] ^= 0xFF
    path.write_bytes(bytes(raw))
    assert cache.get("https://h/a.png") is None
    assert not path.exists()
    path.write_bytes(b"short")  # truncated below the header
    assert cache.get("https://h/a.png") is None
    assert not path.exists()


def test_disk_cache_evicts_the_oldest_beyond_its_size(tmp_path: Path) -> None:
    cache = DiskCache(tmp_path, max_bytes=3 * (1000 + 36))
    for number in range(3):
        cache.put(f"https://h/{number}.png", bytes(1000))
        path = cache.path_for(f"https://h/{number}.png")
        os.utime(path, ns=(number * 10**9, number * 10**9))  # distinct, ordered mtimes
    assert cache.get("https://h/0.png") is not None  # a hit makes 0 the most recent
    cache.put("https://h/3.png", bytes(1000))
    present = [n for n in range(4) if cache.path_for(f"https://h/{n}.png").exists()]
    assert present == [0, 2, 3]
    assert cache.total_bytes() <= cache.max_bytes


def test_disk_cache_off_or_unwritable_is_silent(tmp_path: Path) -> None:
    DiskCache(tmp_path / "off", max_bytes=0).put("https://h/a.png", b"x")
    assert not (tmp_path / "off").exists()
    blocker = tmp_path / "file"
    blocker.write_bytes(b"")
    cache = DiskCache(blocker / "sub", max_bytes=1 << 20)  # a path under a file: cannot mkdir
    cache.put("https://h/a.png", b"x")
    assert cache.get("https://h/a.png") is None


def test_loopback_http_origins() -> None:
    assert loopback_http_origins("http://127.0.0.1:8123") == frozenset({"http://127.0.0.1:8123"})
    assert loopback_http_origins("http://localhost:8123/") == frozenset({"http://localhost:8123"})
    assert loopback_http_origins("https://api.artistree.io") == frozenset()
    assert loopback_http_origins("http://api.artistree.io") == frozenset()
    assert loopback_http_origins(None) == frozenset()


def test_build_preview_loader_uses_the_assets_subdirectory(tmp_path: Path) -> None:
    loader = build_preview_loader(base_url="http://127.0.0.1:9", cache_dir=tmp_path, cache_mb=5)
    assert loader.disk is not None and loader.disk.directory == tmp_path / "assets"
    assert loader.disk.max_bytes == 5 * 1024 * 1024
    assert loader.fetcher.allow_http_origins == frozenset({"http://127.0.0.1:9"})
    assert build_preview_loader(cache_mb=0).disk is None


# -- the loader against the demo server -------------------------------------------------------


@pytest.fixture
def server() -> Iterator[DemoServer]:
    # A server per test (not tests/conftest.py's one per module): tests move its clock.
    with DemoServer(orders=30, seed=11, url_ttl=900) as demo:
        yield demo


def loader_for(server: DemoServer, directory: Path) -> PreviewLoader:
    fetcher = AssetFetcher(allow_http_origins=frozenset({server.base_url}))
    return PreviewLoader(fetcher, DiskCache(directory, max_bytes=50 << 20))


async def test_an_expired_presigned_url_still_hits_the_disk_cache(
    server: DemoServer, tmp_path: Path
) -> None:
    url = first_preview_url(server)
    first = loader_for(server, tmp_path)
    decoded = await first.load(url)
    await first.aclose()
    assert decoded.source_size == (1024, 768)
    server.advance(3600)  # the URL has expired on the server
    stale = url.replace("sig=", "sig=0")  # and a different query string, too
    server.clear_requests()
    second = loader_for(server, tmp_path)  # a fresh process: empty memory cache
    again = await second.load(stale)
    await second.aclose()
    assert again.source_size == (1024, 768)
    assert server.recorded("/files") == []  # served from disk, no request at all


async def test_a_corrupt_cached_file_is_refetched(server: DemoServer, tmp_path: Path) -> None:
    url = first_preview_url(server)
    loader = loader_for(server, tmp_path)
    assert loader.disk is not None
    # Plant bytes with a valid checksum that are not a decodable image: decode guards apply
    # to cached bytes too, the entry is dropped and the asset downloaded again.
    loader.disk.put(url, b"\x89PNG\r\n\x1a\n" + b"garbage" * 10)
    decoded = await loader.load(url)
    await loader.aclose()
    assert decoded.source_size == (1024, 768)
    assert [r.status for r in server.recorded("/files")] == [200]
    assert loader.disk.get(url) is not None and loader.disk.get(url)[:4] == b"\x89PNG"  # type: ignore[index]


async def test_memory_cache_hit_skips_disk_and_network(server: DemoServer, tmp_path: Path) -> None:
    url = first_preview_url(server)
    loader = loader_for(server, tmp_path)
    first = await loader.load(url)
    await loader.flush()  # the disk copy is written in the background
    server.faults = FaultConfig(image="expired")
    assert await loader.load(url) is first
    assert loader.cached(url.replace("sig=", "sig=1")) is first
    loader.decoded.clear()
    assert loader.disk is not None
    loader.disk.discard(url)
    with pytest.raises(AssetExpiredError):
        await loader.load(url)
    await loader.aclose()


async def test_hostile_bytes_are_not_cached(server: DemoServer, tmp_path: Path) -> None:
    url = first_preview_url(server)
    server.faults = FaultConfig(image="truncated")
    loader = loader_for(server, tmp_path)
    with pytest.raises(DecodeError):
        await loader.load(url)
    await loader.aclose()
    assert loader.disk is not None and loader.disk.get(url) is None


async def test_a_picture_loaded_without_a_variant_answers_for_any_in_memory_only(
    server: DemoServer, tmp_path: Path
) -> None:
    # A list row does not know the asset's modification time; its full order does. The
    # picture loaded for the row is the one the full order shows (state.same_picture), in
    # memory, for this session; on disk (another session) it is not: the artwork may have been
    # re-uploaded since. A picture loaded for one modification time is not another's.
    url = first_preview_url(server)
    loader = loader_for(server, tmp_path)
    decoded = await loader.load(url)
    await loader.flush()
    assert loader.cached(url, "1700000000") is decoded
    assert await loader.load(url, variant="1700000000") is decoded
    server.clear_requests()
    fresh = loader_for(server, tmp_path)  # a fresh process: empty memory, the same disk
    again = await fresh.load(url, variant="1700000000")
    assert again.source_size == decoded.source_size
    assert len(server.recorded("/files")) == 1  # downloaded: kept on disk for no variant
    assert fresh.cached(url, "1700000001") is None  # another modification time: not this
    server.clear_requests()
    assert await fresh.load(url) is not None
    assert server.recorded("/files") == []  # the row's own variant is on disk
    assert loader.cached(url.replace("previews/", "previews/x"), "1700000000") is None
    await loader.aclose()
    await fresh.aclose()
