"""Preview and layer images of the demo orders, their presigned URLs, and the image faults."""

from __future__ import annotations

import io
import struct
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageStat

from artistree_tui.demo import DemoServer
from artistree_tui.demo.images import ImageCache
from tests.support.demo import page_orders

Http = Callable[[DemoServer], httpx.Client]
SMALL = (320, 240)


def annotated(client: httpx.Client) -> dict[str, Any]:
    """The first order with a preview and at least three annotations."""
    return next(
        o for o in page_orders(client) if o["asset_preview_url"] and len(o["annotations"]) >= 3
    )


def decode(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def test_preview_is_a_png_of_the_configured_size(
    demo_server: DemoServer, demo_http: Http, http: httpx.Client
) -> None:
    order = annotated(demo_http(demo_server))
    response = http.get(order["asset_preview_url"])
    assert response.status_code == 200 and response.headers["content-type"] == "image/png"
    image = decode(response.content)
    assert image.format == "PNG" and image.size == (1024, 768)


def test_previews_are_deterministic_per_order(
    make_demo: Callable[..., DemoServer], demo_http: Http, http: httpx.Client
) -> None:
    first, second = (demo_http(make_demo(orders=100, seed=4, preview_size=SMALL)) for _ in range(2))
    a, b = page_orders(first, 10), page_orders(second, 10)
    with_preview = [n for n, o in enumerate(a) if o["asset_preview_url"]][:2]
    blobs = []
    for n in with_preview:
        one, two = http.get(a[n]["asset_preview_url"]), http.get(b[n]["asset_preview_url"])
        assert one.content == two.content
        blobs.append(one.content)
    assert blobs[0] != blobs[1]


def _roughness(image: Image.Image, mask: Image.Image) -> float:
    """Mean difference between horizontally adjacent pixels, inside ``mask``."""
    grey = image.convert("L")
    shifted = ImageChops.offset(grey, 1, 0)
    return float(ImageStat.Stat(ImageChops.difference(grey, shifted), mask).mean[0])


def test_annotation_regions_look_different_from_the_rest(
    demo_server: DemoServer, demo_http: Http, http: httpx.Client
) -> None:
    order = annotated(demo_http(demo_server))
    image = decode(http.get(order["asset_preview_url"]).content)
    outside = Image.new("L", image.size, 255)
    regions = []
    for annotation in order["annotations"]:
        selector = annotation["target"]["selector"]
        geometry = selector["geometry"]
        bounds = geometry["bounds"]
        box = (bounds["minX"], bounds["minY"], bounds["maxX"], bounds["maxY"])
        ImageDraw.Draw(outside).rectangle(box, fill=0)
        inside = Image.new("L", image.size, 0)
        if selector["type"] == "RECTANGLE":
            x, y, w, h = (geometry[k] for k in "xywh")
            ImageDraw.Draw(inside).rectangle((x, y, x + w - 1, y + h - 1), fill=255)
        else:
            ImageDraw.Draw(inside).polygon([tuple(p) for p in geometry["points"]], fill=255)
        regions.append(inside.filter(ImageFilter.MinFilter(7)))  # away from the edges
    calm = _roughness(image, outside)
    for inside in regions:
        if inside.getbbox() is not None:
            assert _roughness(image, inside) > 4 * calm


def test_layers_are_smaller_pngs(
    make_demo: Callable[..., DemoServer], demo_http: Http, http: httpx.Client
) -> None:
    client = demo_http(make_demo(orders=300, preview_size=SMALL))
    layered = next(o for o in page_orders(client) if len(o["layers_info"]) >= 2)
    assert layered["asset_name"].endswith(".psd")
    blobs = []
    for layer in layered["layers_info"][:2]:
        assert layer["layer_name"]
        response = http.get(layer["layer_url"])
        assert response.status_code == 200
        image = decode(response.content)
        assert image.size == (SMALL[0] // 2, SMALL[1] // 2)
        blobs.append(response.content)
    assert blobs[0] != blobs[1]
    missing = layered["layers_info"][0]["layer_url"].replace("/0.png", "/99.png")
    assert http.get(missing).status_code == 403  # the signature covers the path


def test_presigned_urls_expire_and_refuse_tampering(
    demo_server: DemoServer, demo_http: Http, http: httpx.Client
) -> None:
    url = annotated(demo_http(demo_server))["asset_preview_url"]
    assert http.get(url.split("?")[0]).status_code == 403
    assert http.get(url.replace("expires=", "expires=9")).status_code == 403
    demo_server.advance(901)  # url_ttl defaults to 900 s
    expired = http.get(url)
    assert expired.status_code == 403
    assert expired.headers["content-type"] == "application/xml"
    assert b"<Code>AccessDenied</Code>" in expired.content


def test_files_record_and_refuse_an_authorization_header(
    demo_server: DemoServer, demo_http: Http, http: httpx.Client
) -> None:
    url = annotated(demo_http(demo_server))["asset_preview_url"]
    demo_server.clear_requests()
    assert http.get(url).status_code == 200
    leaked = http.get(url, headers={"Authorization": "Bearer leaked"})
    assert leaked.status_code == 400 and b"InvalidArgument" in leaked.content
    assert [r.had_auth for r in demo_server.recorded("/files/")] == [False, True]


def test_image_cache_is_bounded() -> None:
    cache = ImageCache(capacity=3)
    for n in range(10):
        cache.put(("preview", n), b"x")
        assert cache.get(("preview", 0)) == b"x" or n >= 3  # touching keeps entry 0 alive
    assert len(cache) == 3 and cache.get(("preview", 0)) == b"x"
    assert cache.get(("preview", 5)) is None


# -- image faults --------------------------------------------------------------------------


@pytest.fixture
def faulty(make_demo: Callable[..., DemoServer], demo_http: Http) -> tuple[DemoServer, str]:
    server = make_demo(orders=50, preview_size=SMALL)
    url = annotated(demo_http(server))["asset_preview_url"]
    return server, url


def set_image_fault(server: DemoServer, mode: str) -> None:
    server.faults.image = mode


def test_oversized_announces_a_huge_length(
    faulty: tuple[DemoServer, str], http: httpx.Client
) -> None:
    server, url = faulty
    set_image_fault(server, "oversized")
    with http.stream("GET", url) as response:
        assert response.status_code == 200
        assert int(response.headers["content-length"]) > 1 << 30
        assert next(response.iter_bytes()).startswith(b"\x89PNG")


def test_oversized_stream_never_ends(faulty: tuple[DemoServer, str], http: httpx.Client) -> None:
    server, url = faulty
    set_image_fault(server, "oversized-stream")
    with http.stream("GET", url) as response:
        assert "content-length" not in response.headers
        received = 0
        for chunk in response.iter_bytes():
            received += len(chunk)
            if received > 4 << 20:
                break
        assert received > 4 << 20


@pytest.mark.parametrize(
    ("mode", "content_type"), [("wrong-type", "text/html"), ("svg", "image/svg+xml")]
)
def test_wrong_content_types(
    faulty: tuple[DemoServer, str], mode: str, content_type: str, http: httpx.Client
) -> None:
    server, url = faulty
    set_image_fault(server, mode)
    response = http.get(url)
    assert response.status_code == 200 and response.headers["content-type"].startswith(content_type)
    with pytest.raises(OSError):
        decode(response.content)


def test_bomb_is_small_but_claims_a_huge_size(
    faulty: tuple[DemoServer, str], http: httpx.Client
) -> None:
    server, url = faulty
    set_image_fault(server, "bomb")
    data = http.get(url).content
    assert len(data) < 4096 and data.startswith(b"\x89PNG\r\n\x1a\n") and data[12:16] == b"IHDR"
    assert struct.unpack(">II", data[16:24]) == (30_000, 30_000)
    with pytest.raises(Image.DecompressionBombError):
        Image.open(io.BytesIO(data))


def test_truncated_png_fails_to_decode(faulty: tuple[DemoServer, str], http: httpx.Client) -> None:
    server, url = faulty
    good = http.get(url).content
    set_image_fault(server, "truncated")
    data = http.get(url).content
    assert good.startswith(data) and len(data) < len(good)
    with pytest.raises(OSError):
        decode(data)


def test_slow_image_trickles(faulty: tuple[DemoServer, str], http: httpx.Client) -> None:
    server, url = faulty
    set_image_fault(server, "slow")
    timeout = httpx.Timeout(5.0, read=0.05)
    with pytest.raises(httpx.ReadTimeout), http.stream("GET", url, timeout=timeout) as response:
        assert int(response.headers["content-length"]) > 512
        for _ in response.iter_bytes():
            pass


def test_expired_fault_and_pdfs_unaffected(
    faulty: tuple[DemoServer, str], demo_http: Http, http: httpx.Client
) -> None:
    server, url = faulty
    set_image_fault(server, "expired")
    assert http.get(url).status_code == 403
    client = demo_http(server)
    certified = next(o for o in page_orders(client) if o["order_state"] == "Human Certified")
    link = client.get(f"/v1/orders/pdf/{certified['order_id']}").json()["url"]
    assert http.get(link).content.startswith(b"%PDF")
