"""The presigned asset files: preview PNGs, layer PNGs and certificate PDFs, and image faults.

URLs look like ``/files/previews/<order id>.png?expires=..&sig=..``; they need no
Authorization header, and answer 403 with an S3-style XML body once expired (demo clock) or
when the signature is wrong. With ``FaultConfig.image`` set, previews and layers misbehave the
way hostile or broken storage could: a huge Content-Length, an endless body, HTML or SVG
instead of a PNG, a decompression bomb, a truncated PNG, a trickle, or an expired URL.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator

from artistree_tui.demo.api import certificate_bytes
from artistree_tui.demo.ids import hash64
from artistree_tui.demo.responses import Response, s3_error
from artistree_tui.demo.state import DemoState

_PREVIEW = re.compile(r"^/files/previews/([0-9a-f-]{36})\.png$")
_LAYER = re.compile(r"^/files/layers/([0-9a-f-]{36})/(\d{1,3})\.png$")
_CERTIFICATE = re.compile(r"^/files/certificates/([0-9a-f-]{36})\.pdf$")

#: Content-Length the "oversized" fault announces (5 GiB).
OVERSIZED_LENGTH = 5 << 30
#: Bytes actually sent by the oversized faults before giving up on a client that keeps reading.
OVERSIZED_SENT = 64 << 20
#: The "slow" fault sends this many bytes per interval (about 2 KB/s).
SLOW_CHUNK = 512
SLOW_INTERVAL = 0.25

_SVG = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="1024" height="768">'
    b'<script>alert("svg")</script><rect width="100%" height="100%" fill="red"/></svg>'
)
_HTML = b"<!DOCTYPE html><html><body><h1>Preview</h1><script>alert(1)</script></body></html>"


def serve(state: DemoState, path: str, query: dict[str, str]) -> Response:
    """Answer a ``/files/...`` request."""
    preview, layer, certificate = _PREVIEW.match(path), _LAYER.match(path), _CERTIFICATE.match(path)
    match = preview or layer or certificate
    if match is None:
        return s3_error(404, "NoSuchKey", "The specified key does not exist.")
    verdict = state.signer.check_url(path, query, state.now())
    if verdict == "forbidden":
        return s3_error(403, "AccessDenied", "The request signature does not match.")
    if verdict == "expired":
        return s3_error(403, "AccessDenied", "Request has expired")
    index = state.catalog.ids.decode(match.group(1))
    if index is None or not state.catalog.exists(index):
        return s3_error(404, "NoSuchKey", "The specified key does not exist.")
    if certificate:
        return Response(200, certificate_bytes(state, index), content_type="application/pdf")
    base = state.factory.base(index)
    if layer:
        number = int(layer.group(2))
        if number >= len(base.layers):
            return s3_error(404, "NoSuchKey", "The specified key does not exist.")
        key: tuple[object, ...] = ("layer", index, number)
    else:
        if not state.factory.outcome(index, base).has_preview:
            return s3_error(404, "NoSuchKey", "The specified key does not exist.")
        key = ("preview", index)
    fault = state.faults.image
    if fault is not None:
        return _image_fault(state, fault, index, key)
    return Response(200, _image(state, index, key), content_type="image/png")


def _image(state: DemoState, index: int, key: tuple[object, ...]) -> bytes:
    full_key = (*key, state.preview_size)
    cached = state.images.get(full_key)
    if cached is not None:
        return cached
    # Imported with the first image, not with the server: Pillow is ~20 ms of the console's
    # startup with --demo, and the first screen needs orders before it needs pictures.
    from artistree_tui.demo import images

    seed = hash64(state.catalog.seed, index, 21) & 0xFFFFFFFF
    if key[0] == "layer":
        assert isinstance(key[2], int)
        data = images.render_layer(seed, state.preview_size, key[2])
    else:
        outcome = state.factory.outcome(index, state.factory.base(index))
        data = images.render_preview(seed, state.preview_size, outcome.shapes)
    state.images.put(full_key, data)
    return data


def _image_fault(state: DemoState, fault: str, index: int, key: tuple[object, ...]) -> Response:
    stopping = state.stopping
    if fault == "expired":
        return s3_error(403, "AccessDenied", "Request has expired")
    if fault == "wrong-type":
        return Response(200, _HTML, content_type="text/html; charset=utf-8")
    if fault == "svg":
        return Response(200, _SVG, content_type="image/svg+xml")
    if fault == "bomb":
        from artistree_tui.demo.images import bomb_png  # no Pillow needed, see _image

        return Response(200, bomb_png(), content_type="image/png")
    data = _image(state, index, key)
    if fault == "truncated":
        return Response(200, data[: len(data) // 2], content_type="image/png")
    if fault == "slow":
        return Response(
            200,
            content_type="image/png",
            stream=_trickle(data, stopping),
            length=len(data),
            close=True,
        )
    if fault in ("oversized", "oversized-stream"):
        return Response(
            200,
            content_type="image/png",
            stream=_endless(data, stopping),
            length=OVERSIZED_LENGTH if fault == "oversized" else None,
            close=True,
        )
    return Response(200, data, content_type="image/png")


def _trickle(data: bytes, stopping: threading.Event) -> Iterator[bytes]:
    for start in range(0, len(data), SLOW_CHUNK):
        yield data[start : start + SLOW_CHUNK]
        if stopping.wait(SLOW_INTERVAL):
            return


def _endless(data: bytes, stopping: threading.Event) -> Iterator[bytes]:
    yield data
    sent = len(data)
    filler = bytes(64 << 10)
    while sent < OVERSIZED_SENT and not stopping.is_set():
        yield filler
        sent += len(filler)
