"""The safe asset fetcher against the demo server (real loopback HTTP) and its URL rules."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator

import httpx
import pytest

from artistree_tui.api.assets import (
    AssetExpiredError,
    AssetFetcher,
    AssetRefusedError,
    AssetTimeoutError,
    AssetTooLargeError,
    AssetTypeError,
    AssetUnavailableError,
    forbidden_address,
    origin_of,
    sniff_content_type,
)
from artistree_tui.api.errors import ApiError
from artistree_tui.demo import DemoServer, FaultConfig
from tests.support.demo import demo_rows, fetch_token

DEMO = {"orders": 120, "seed": 3}


@pytest.fixture(autouse=True)
def clean_server(server: DemoServer) -> None:
    server.faults = FaultConfig()
    server.clear_requests()


def orders_json(server: DemoServer) -> list[dict]:
    return demo_rows(server, limit=100)


@pytest.fixture(scope="module")
def urls(server: DemoServer) -> dict[str, str]:
    orders = orders_json(server)
    preview = next(o["asset_preview_url"] for o in orders if o.get("asset_preview_url"))
    layer = next(o["layers_info"][0]["layer_url"] for o in orders if o.get("layers_info"))
    return {"preview": preview, "layer": layer}


def fetcher_for(server: DemoServer, **kw: object) -> AssetFetcher:
    return AssetFetcher(allow_http_origins=frozenset({server.base_url}), **kw)  # type: ignore[arg-type]


async def test_fetches_a_preview_without_authorization(
    server: DemoServer, urls: dict[str, str]
) -> None:
    async with fetcher_for(server) as fetcher:
        asset = await fetcher.fetch(urls["preview"])
    assert asset.content_type == "image/png"
    assert asset.content.startswith(b"\x89PNG")
    records = server.recorded("/files")
    assert [r.status for r in records] == [200]
    assert records[0].had_auth is False


async def test_an_authorization_header_never_leaves_even_if_injected(
    server: DemoServer, urls: dict[str, str]
) -> None:
    async with fetcher_for(server) as fetcher:
        # Someone configures the client badly: the request hook still strips credentials.
        fetcher._client.headers["Authorization"] = "Bearer leaked"
        await fetcher.fetch(urls["preview"])
    assert [r.had_auth for r in server.recorded("/files")] == [False]


async def test_plain_http_to_an_origin_not_allowed_is_refused_before_connecting(
    server: DemoServer, urls: dict[str, str]
) -> None:
    async with AssetFetcher() as fetcher:
        with pytest.raises(AssetRefusedError) as info:
            await fetcher.fetch(urls["preview"])
    assert info.value.reason == "insecure link"
    assert server.recorded("/files") == []


@pytest.mark.parametrize(
    "url",
    [
        "http://169.254.169.254/latest/meta-data/iam/security-credentials/",
        "https://169.254.169.254/latest/meta-data/",
        "https://169.254.10.20/x.png",
        "https://[fe80::1]/x.png",
        "https://[fd00:ec2::254]/latest/meta-data/",
        "https://[::ffff:169.254.169.254]/latest/",
        "https://metadata.google.internal/computeMetadata/v1/",
        "https://METADATA.google.internal./computeMetadata/v1/",
        "https://100.100.100.200/latest/meta-data/",
        "https://0.0.0.0/x.png",
    ],
)
async def test_link_local_and_metadata_addresses_are_refused(url: str) -> None:
    # Even with the origin allowed over http, the address itself is forbidden.
    allow = frozenset({"http://169.254.169.254"})
    async with AssetFetcher(allow_http_origins=allow, timeout=2) as fetcher:
        with pytest.raises(AssetRefusedError) as info:
            await fetcher.fetch(url)
    assert info.value.reason == "refused address"
    assert "sig=" not in str(info.value) and "169" not in str(info.value)


async def test_every_resolved_address_is_checked(monkeypatch: pytest.MonkeyPatch) -> None:
    fetcher = AssetFetcher(timeout=2)

    async def resolve(host: str, port: int) -> list[str]:
        assert host == "assets.example.test"
        return ["93.184.216.34", "169.254.169.254"]  # one good, one forbidden: refused

    monkeypatch.setattr(fetcher, "_resolve", resolve)
    with pytest.raises(AssetRefusedError):
        await fetcher.fetch("https://assets.example.test/preview.png?sig=abc")
    await fetcher.aclose()


@pytest.mark.parametrize(
    "url,reason",
    [
        ("ftp://example.com/x.png", "bad link"),
        ("file:///etc/passwd", "bad link"),
        ("https://user:pw@example.com/x.png", "bad link"),
        ("not a url at all", "bad link"),
    ],
)
async def test_other_bad_links_are_refused(url: str, reason: str) -> None:
    async with AssetFetcher(timeout=2) as fetcher:
        with pytest.raises(AssetRefusedError) as info:
            await fetcher.fetch(url)
    assert info.value.reason == reason


def test_forbidden_address_rules() -> None:
    forbidden = ["169.254.169.254", "169.254.0.1", "fe80::1", "fd00:ec2::254", "::ffff:169.254.1.1"]
    forbidden += ["64:ff9b::a9fe:a9fe", "224.0.0.1", "0.0.0.0", "::", "100.100.100.200"]
    # Loopback and private networks too (issue 13): only the demo's trusted origin may be there.
    forbidden += ["127.0.0.1", "::1", "10.0.0.5", "192.168.1.2", "172.16.0.1", "100.64.0.1"]
    forbidden += ["fd00::1", "::ffff:127.0.0.1", "::ffff:10.1.2.3", "2002:7f00:1::"]
    allowed = ["93.184.216.34", "2606:4700::1", "8.8.8.8", "::ffff:8.8.8.8", "64:ff9b::808:808"]
    assert [a for a in forbidden if not forbidden_address(a)] == []
    assert [a for a in allowed if forbidden_address(a)] == []


def test_origin_normalisation() -> None:
    assert origin_of("HTTP://LocalHost:8080/x?y") == "http://localhost:8080"
    assert origin_of("https://example.com/a") == "https://example.com:443"
    assert origin_of("http://[::1]/a") == "http://[::1]:80"


def test_sniffing() -> None:
    assert sniff_content_type(b"\x89PNG\r\n\x1a\n....") == "image/png"
    assert sniff_content_type(b"\xff\xd8\xff\xe0") == "image/jpeg"
    assert sniff_content_type(b"GIF89a") == "image/gif"
    assert sniff_content_type(b"RIFF\x10\x00\x00\x00WEBPVP8 ") == "image/webp"
    assert sniff_content_type(b"%PDF-1.7") == "application/pdf"
    assert sniff_content_type(b"<svg xmlns=") is None
    assert sniff_content_type(b"RIFF\x10\x00\x00\x00WAVEfmt ") is None


async def test_oversized_content_length_is_refused_before_reading(
    server: DemoServer, urls: dict[str, str]
) -> None:
    server.faults.image = "oversized"
    async with fetcher_for(server, max_bytes=1 << 20) as fetcher:
        with pytest.raises(AssetTooLargeError) as info:
            await fetcher.fetch(urls["preview"])
    assert info.value.reason == "too large"


async def test_oversized_stream_without_length_is_cut_at_the_cap(
    server: DemoServer, urls: dict[str, str]
) -> None:
    server.faults.image = "oversized-stream"
    async with fetcher_for(server, max_bytes=1 << 20) as fetcher:
        with pytest.raises(AssetTooLargeError):
            await fetcher.fetch(urls["preview"])


@pytest.mark.parametrize("fault", ["wrong-type", "svg"])
async def test_not_an_image_is_refused(
    server: DemoServer, urls: dict[str, str], fault: str
) -> None:
    server.faults.image = fault
    async with fetcher_for(server) as fetcher:
        with pytest.raises(AssetTypeError) as info:
            await fetcher.fetch(urls["preview"])
    assert info.value.reason == "not an image"


async def test_a_trickling_server_hits_the_overall_deadline(
    server: DemoServer, urls: dict[str, str]
) -> None:
    server.faults.image = "slow"
    async with fetcher_for(server, timeout=0.6) as fetcher:
        with pytest.raises(AssetTimeoutError) as info:
            await fetcher.fetch(urls["preview"])
    assert info.value.reason == "timed out"


async def test_expired_link_is_a_typed_error(server: DemoServer, urls: dict[str, str]) -> None:
    server.faults.image = "expired"
    async with fetcher_for(server) as fetcher:
        with pytest.raises(AssetExpiredError) as info:
            await fetcher.fetch(urls["preview"])
    assert info.value.reason == "expired link"
    assert info.value.status == 403
    assert isinstance(info.value, ApiError)


async def test_real_expiry_on_the_demo_clock() -> None:
    with DemoServer(orders=20, seed=5, url_ttl=900) as own:  # its own clock to move
        url = next(o["asset_preview_url"] for o in orders_json(own) if o["asset_preview_url"])
        async with fetcher_for(own) as fetcher:
            await fetcher.fetch(url)
            own.advance(901)
            with pytest.raises(AssetExpiredError):
                await fetcher.fetch(url)


async def test_tampered_signature_and_missing_file(
    server: DemoServer, urls: dict[str, str]
) -> None:
    async with fetcher_for(server) as fetcher:
        with pytest.raises(AssetExpiredError):  # S3 says 403 for a bad signature too
            await fetcher.fetch(urls["preview"].replace("sig=", "sig=0"))
        with pytest.raises(AssetUnavailableError) as info:
            await fetcher.fetch(f"{server.base_url}/files/nothing-here.png")
    assert info.value.reason == "not found"


@pytest.fixture(scope="module")
def certificate_url(server: DemoServer) -> str:
    certified = next(o for o in orders_json(server) if o["order_state"] == "Human Certified")
    return httpx.get(
        f"{server.base_url}/v1/orders/pdf/{certified['order_id']}",
        headers={"Authorization": f"Bearer {fetch_token(server)}"},
    ).json()["url"]


async def test_certificate_pdf_kind(
    server: DemoServer, urls: dict[str, str], certificate_url: str
) -> None:
    link = certificate_url
    async with fetcher_for(server) as fetcher:
        pdf = await fetcher.fetch(link, kinds=("pdf",), max_bytes=50 << 20)
        assert pdf.content_type == "application/pdf"
        assert pdf.content.startswith(b"%PDF-")
        with pytest.raises(AssetTypeError) as info:
            await fetcher.fetch(link, kinds=("image",))
        assert info.value.reason == "not an image"
        with pytest.raises(AssetTypeError) as info:
            await fetcher.fetch(urls["preview"], kinds=("pdf",))
        assert info.value.reason == "not a PDF"
        with pytest.raises(ValueError):
            await fetcher.fetch(urls["preview"], kinds=("exe",))


async def test_unreachable_server_is_a_typed_error() -> None:
    # A port nothing listens on (bound then closed).
    import socket

    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    async with AssetFetcher(allow_http_origins=frozenset({f"http://127.0.0.1:{port}"})) as f:
        with pytest.raises(AssetUnavailableError) as info:
            await f.fetch(f"http://127.0.0.1:{port}/x.png")
    assert info.value.reason == "unreachable"


class _Redirector(http.server.BaseHTTPRequestHandler):
    """Answers every GET with a redirect to ``self.server.target`` (the demo cannot)."""

    def do_GET(self) -> None:
        self.send_response(302)
        self.send_header("Location", self.server.target)  # type: ignore[attr-defined]
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def redirector() -> Iterator[http.server.HTTPServer]:
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Redirector)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()


async def test_redirect_hops_are_checked_like_the_first_url(
    server: DemoServer, urls: dict[str, str], redirector: http.server.HTTPServer
) -> None:
    here = f"http://127.0.0.1:{redirector.server_port}"
    allow = frozenset({here, server.base_url})
    async with AssetFetcher(allow_http_origins=allow, timeout=15) as fetcher:
        redirector.target = urls["preview"]  # type: ignore[attr-defined]
        asset = await fetcher.fetch(f"{here}/go")
        assert asset.content_type == "image/png"
        redirector.target = "http://169.254.169.254/latest/meta-data/"  # type: ignore[attr-defined]
        with pytest.raises(AssetRefusedError):
            await fetcher.fetch(f"{here}/go")
        redirector.target = "http://example.com/x.png"  # type: ignore[attr-defined]
        with pytest.raises(AssetRefusedError) as info:
            await fetcher.fetch(f"{here}/go")
        assert info.value.reason == "insecure link"
        redirector.target = f"{here}/again"  # type: ignore[attr-defined]
        with pytest.raises(AssetRefusedError) as info:
            await fetcher.fetch(f"{here}/go")
        assert info.value.reason == "redirected"
