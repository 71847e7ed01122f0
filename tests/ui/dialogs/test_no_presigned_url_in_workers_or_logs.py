"""No presigned URL or token in a worker's name or description, a log record or a repr.

The console on the demo (real loopback HTTP) with previews on: it shows a few orders (each
preview is a presigned download) and saves a certificate PDF (another presigned download).
Every worker created meanwhile is recorded (Textual writes names and descriptions into its
``TEXTUAL_LOG``), and so is every log record at any level: none may hold a presigned query
string (``sig=``, ``expires=``), a bearer token or the client secret. An order's ``repr``
and a certificate link's keep the path but not the query.

Helpers come from the ``tests/support/app.py`` and ``tests/test_app_support.py``.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pytest
from textual.worker import Worker

from artistree_tui.api.certificate import CertificateLink
from artistree_tui.api.redact import redact_text, redact_url
from artistree_tui.demo.tokens import DEMO_CLIENT_SECRET
from tests.support.app import certificate_console, choose, cursor_shown, toasts_with, wait_for

LEAKS = ("sig=", "expires=", "Bearer ", DEMO_CLIENT_SECRET)


async def test_workers_and_logs_never_hold_a_presigned_url(
    make_demo: Any,
    demo_http: Any,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    described: list[str] = []
    original = Worker.__init__

    def recording(self: Worker[Any], *args: Any, **kwargs: Any) -> None:
        original(self, *args, **kwargs)
        described.append(f"{self.name} | {self.description} | {self!r}")

    monkeypatch.setattr(Worker, "__init__", recording)
    demo = make_demo(orders=300, seed=7)
    downloads = tmp_path / "downloads"
    with caplog.at_level(logging.DEBUG):
        async with certificate_console(
            demo, demo_http(demo), downloads, preview="halfblock"
        ) as console:
            app, pilot, order_id = console
            shown = app.main_screen.detail.order
            assert shown is not None and shown.asset_preview_url
            await wait_for(pilot, lambda: app.main_screen.detail.query("PreviewPanel"))
            await pilot.press("2")
            for _ in range(3):
                await pilot.press("j")
                await cursor_shown(pilot, app)
            await pilot.press("3")
            from tests.support.app import open_order

            await open_order(pilot, app, order_id)
            await choose(pilot, app, "s")
            saved = downloads / f"artistree-certificate-{order_id}.pdf"
            await wait_for(pilot, lambda: toasts_with(app, str(saved)))
    assert any("preview" in line for line in described)
    assert any("certificate" in line for line in described)
    leaked = [line for line in described if any(leak in line for leak in LEAKS)]
    assert not leaked, leaked[:3]
    records = [f"{r.name}: {r.getMessage()}" for r in caplog.records]
    leaked = [line for line in records if any(leak in line for leak in LEAKS)]
    assert not leaked, leaked[:3]
    # An order's repr keeps where its preview is, not the signature.
    assert "sig=" in shown.asset_preview_url and "sig=" not in repr(shown)
    assert redact_url(shown.asset_preview_url).split("?")[0] in repr(shown)


def test_redaction_keeps_the_place_and_drops_the_credentials() -> None:
    url = "https://user:pw@bucket.s3.example.com:8443/a/b.png?X-Amz-Signature=abc&x=1#frag"
    assert redact_url(url) == "https://bucket.s3.example.com:8443/a/b.png?…"
    text = f"GET {url} failed; also http://h/x?sig=1"
    assert (
        redact_text(text)
        == "GET https://bucket.s3.example.com:8443/a/b.png?… failed; also http://h/x?…"
    )
    assert "abc" not in repr(CertificateLink(url=url, expires_in=60))
