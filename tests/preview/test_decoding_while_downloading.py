"""Decoding while downloading: the ByteStream a decoder thread reads while the download feeds
it, decode_stream's guards on partial data, the fetcher's sink, and the loader's pipeline
(stream → decode → first rendering in the same thread, disk cache written afterwards)."""

from __future__ import annotations

import asyncio
import io
import threading
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from artistree_tui.api.assets import AssetFetcher, AssetTimeoutError, AssetTypeError
from artistree_tui.demo import DemoServer, FaultConfig
from artistree_tui.demo.images import bomb_png
from artistree_tui.preview.cache import DiskCache, asset_key
from artistree_tui.preview.decode import DecodedImage, DecodeError, decode_image, decode_stream
from artistree_tui.preview.loader import PreviewLoader
from artistree_tui.preview.stream import ByteStream, StreamAborted
from tests.support.demo import first_preview_url


def png(size: tuple[int, int] = (64, 48)) -> bytes:
    image = Image.new("RGB", size)
    image.putdata(
        [
            ((x * 7) % 256, (y * 5) % 256, (x * y) % 256)
            for y in range(size[1])
            for x in range(size[0])
        ]
    )
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def in_thread(target, *args):  # type: ignore[no-untyped-def]
    """Run ``target(*args)`` in a thread; returns (thread, result holder)."""
    box: dict[str, object] = {}

    def run() -> None:
        try:
            box["value"] = target(*args)
        except BaseException as error:
            box["error"] = error

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread, box


# -- ByteStream --------------------------------------------------------------------------


def test_a_read_waits_for_the_bytes_it_needs() -> None:
    stream = ByteStream()
    thread, box = in_thread(stream.read, 6)
    stream.feed(b"abc")
    thread.join(0.05)
    assert thread.is_alive()  # three bytes are not six
    stream.feed(b"defgh")
    thread.join(5)
    assert box["value"] == b"abcdef" and stream.tell() == 6
    stream.finish()
    assert stream.read() == b"gh" and stream.read(10) == b""  # then end of file


def test_seeking_back_and_reading_everything() -> None:
    stream = ByteStream()
    stream.feed(b"0123456789")
    assert stream.read(4) == b"0123"
    stream.seek(1)
    assert stream.read(2) == b"12"
    stream.seek(2, io.SEEK_CUR)
    assert stream.read(1) == b"5"
    stream.finish()
    assert stream.seek(-2, io.SEEK_END) == 8 and stream.read() == b"89"
    assert stream.getvalue() == b"0123456789" and stream.peek_head(3) == b"012"


def test_abort_wakes_a_blocked_reader_and_fails_every_later_read() -> None:
    stream = ByteStream()
    stream.feed(b"x")
    thread, box = in_thread(stream.read, 100)
    stream.abort()
    thread.join(5)
    assert not thread.is_alive() and isinstance(box["error"], StreamAborted)
    with pytest.raises(StreamAborted):
        stream.getvalue()
    stream.feed(b"more")  # ignored once aborted
    with pytest.raises(StreamAborted):
        stream.read(1)


# -- decode_stream -----------------------------------------------------------------------


def test_decoding_a_stream_fed_piece_by_piece_gives_the_same_image() -> None:
    data = png((300, 200))
    stream = ByteStream()
    thread, box = in_thread(decode_stream, stream)
    for start in range(0, len(data), 997):
        stream.feed(data[start : start + 997])
    stream.finish()
    thread.join(10)
    decoded = box["value"]
    assert isinstance(decoded, DecodedImage)
    assert decoded.image.tobytes() == decode_image(data).image.tobytes()
    assert decoded.source_size == (300, 200)


def test_a_bomb_is_refused_from_its_header_before_the_rest_arrives() -> None:
    stream = ByteStream()
    stream.feed(bomb_png()[:64])  # the header and a little more; never finished
    thread, box = in_thread(decode_stream, stream)
    thread.join(5)
    assert not thread.is_alive()
    error = box["error"]
    assert isinstance(error, DecodeError) and error.reason == "image too big to decode"
    stream.abort()


def test_a_stream_that_stops_early_is_a_truncated_image() -> None:
    data = png((300, 200))
    stream = ByteStream()
    stream.feed(data[: len(data) // 2])
    stream.finish()
    with pytest.raises(DecodeError) as caught:
        decode_stream(stream)
    assert caught.value.reason == "truncated image"


def test_a_stream_that_is_not_an_image_is_refused() -> None:
    stream = ByteStream()
    stream.feed(b"<!DOCTYPE html><html>hello</html>")
    stream.finish()
    with pytest.raises(DecodeError) as caught:
        decode_stream(stream)
    assert caught.value.reason == "not an image"


# -- against the demo server -------------------------------------------------------------


DEMO = {"orders": 40, "seed": 3, "preview_size": (320, 240)}


@pytest.fixture
def url(server: DemoServer) -> str:
    server.faults = FaultConfig()
    return first_preview_url(server, limit=40)


def fetcher_for(server: DemoServer, timeout: float = 5.0) -> AssetFetcher:
    return AssetFetcher(allow_http_origins=frozenset({server.base_url}), timeout=timeout)


async def test_the_sink_gets_the_whole_body_in_order(server: DemoServer, url: str) -> None:
    chunks: list[bytes] = []
    async with fetcher_for(server) as fetcher:
        asset = await fetcher.fetch(url, sink=chunks.append)
    assert b"".join(chunks) == asset.content and asset.content.startswith(b"\x89PNG")


async def test_the_sink_never_sees_a_body_of_the_wrong_type(server: DemoServer, url: str) -> None:
    chunks: list[bytes] = []
    server.faults = FaultConfig(image="wrong-type")
    async with fetcher_for(server) as fetcher:
        with pytest.raises(AssetTypeError):
            await fetcher.fetch(url, sink=chunks.append)
    assert chunks == []


async def test_the_loader_renders_in_the_decoding_thread(server: DemoServer, url: str) -> None:
    threads: list[str] = []

    def then(decoded: DecodedImage) -> None:
        threads.append(threading.current_thread().name)
        loader.render(asset_key(url), decoded, box=(40, 15))

    loader = PreviewLoader(fetcher_for(server))
    decoded = await loader.load(url, then=then)
    await loader.aclose()
    assert decoded.source_size == (320, 240)
    assert threads and threads[0] != threading.main_thread().name
    assert len(loader.rendered) == 1  # the UI's render with the same box: a cache hit


async def test_a_failed_download_stops_the_decoder(server: DemoServer, url: str) -> None:
    server.faults = FaultConfig(image="slow")
    loader = PreviewLoader(fetcher_for(server, timeout=0.5))
    decoder_ended = threading.Event()
    decode = loader._decode_streamed

    def watched(*args: Any) -> Any:
        try:
            return decode(*args)
        finally:
            decoder_ended.set()

    loader._decode_streamed = watched  # type: ignore[method-assign]
    with pytest.raises(AssetTimeoutError):  # the download's error, not the decoder's
        await loader.load(url)
    await loader.aclose()
    # The decoding thread woke up and ended (a bound for the test, not a timing assertion).
    assert await asyncio.to_thread(decoder_ended.wait, 15)
    assert loader.decoded.get(asset_key(url)) is None


async def test_the_disk_copy_is_written_after_the_picture(
    server: DemoServer, url: str, tmp_path: Path
) -> None:
    loader = PreviewLoader(fetcher_for(server), DiskCache(tmp_path, max_bytes=10 << 20))
    decoded = await loader.load(url)
    await loader.flush()
    assert loader.disk is not None and loader.disk.contains(url)
    assert decode_image(loader.disk.get(url) or b"").image.tobytes() == decoded.image.tobytes()
    await loader.aclose()
