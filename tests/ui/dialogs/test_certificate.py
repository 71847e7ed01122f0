"""Certificate PDFs: the ``c`` key, the copy/save choice, saving, refusals and expired links.

Pilot tests against the demo server over loopback HTTP; the file-name and saving rules are
tested on their own below.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import httpx
import pytest

from artistree_tui.api.certificate import CertificateLink
from artistree_tui.api.models import KNOWN_STATES, Order
from artistree_tui.ui.dialogs.certificate import (
    EXPIRY_MARGIN,
    CertificateChoice,
    Pending,
)
from artistree_tui.ui.dialogs.certificate_files import (
    certificate_filename,
    refusal,
    save_pdf,
)
from tests.support.app import (
    CERTIFIED,
    SIZE,
    certificate_console,
    choose,
    make_app,
    notifications,
    offer,
    open_order,
    order_ids,
    toasts_with,
    wait_for,
)


def files_in(folder: Path) -> list[Path]:
    return list(folder.iterdir())


def read(path: Path) -> bytes:
    return path.read_bytes()


def download(http: httpx.Client, url: str) -> bytes:
    return http.get(url).content


def pdf_requests(demo: Any) -> list[Any]:
    return demo.recorded("/v1/orders/pdf")


async def test_save_writes_the_pdf_into_a_new_folder_and_never_overwrites(
    make_demo: Any, demo_http: Any, tmp_path: Path
) -> None:
    demo = make_demo(orders=300, seed=7)
    downloads = tmp_path / "not" / "yet" / "there"
    async with certificate_console(demo, demo_http(demo), downloads) as console:
        app, pilot, order_id = console
        await choose(pilot, app, "s")
        first = downloads / f"artistree-certificate-{order_id}.pdf"
        await wait_for(pilot, lambda: toasts_with(app, str(first)))
        await choose(pilot, app, "s")
        second = downloads / f"artistree-certificate-{order_id}-1.pdf"
        await wait_for(pilot, lambda: toasts_with(app, str(second)))
    assert set(files_in(downloads)) == {first, second}
    assert read(first).startswith(b"%PDF-")
    assert read(second) == read(first)
    assert len(pdf_requests(demo)) == 2  # one link per key press


async def test_copy_puts_the_link_on_the_clipboard(
    make_demo: Any, demo_http: Any, http: httpx.Client, tmp_path: Path
) -> None:
    demo = make_demo(orders=300, seed=7)
    async with certificate_console(demo, demo_http(demo), tmp_path, index=1) as console:
        app, pilot, order_id = console
        await choose(pilot, app, "c")
        await wait_for(pilot, lambda: toasts_with(app, "Copied the certificate link"))
        url = app.clipboard
    assert url.startswith(f"{demo.base_url}/files/certificates/{order_id}.pdf?")
    assert download(http, url).startswith(b"%PDF-")  # the link works as it is
    assert files_in(tmp_path) == []  # nothing saved
    assert not [n for n in notifications(app) if "sig=" in n]  # the signature is not shown


async def test_enter_on_the_highlighted_choice_and_escape(
    make_demo: Any, demo_http: Any, tmp_path: Path
) -> None:
    demo = make_demo(orders=300, seed=7)
    async with certificate_console(demo, demo_http(demo), tmp_path) as console:
        app, pilot, order_id = console
        await choose(pilot, app, "escape")
        await pilot.pause(0.2)
        assert app.clipboard == ""
        await offer(pilot, app)
        await pilot.press("down", "enter")  # the second choice: save
        await wait_for(pilot, lambda: toasts_with(app, "Saved the certificate"))
    assert [p.name for p in files_in(tmp_path)] == [certificate_filename(order_id)]


async def test_not_certified_is_explained_without_calling_the_api(
    make_demo: Any, demo_http: Any, tmp_path: Path
) -> None:
    demo = make_demo(orders=300, seed=7)
    http = demo_http(demo)
    app = make_app(demo, downloads_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        for state in ("Reviewed", "In Progress", "Action Required", "Failed"):
            await open_order(pilot, app, order_ids(demo, http, state)[0])
            await pilot.press("c")
            await wait_for(pilot, lambda s=state: toasts_with(app, f"is {s}; only Human Certified"))
            assert not isinstance(app.screen, CertificateChoice)
    assert pdf_requests(demo) == []


async def test_api_refusal_is_one_line(make_demo: Any, demo_http: Any, tmp_path: Path) -> None:
    # The console's copy says certified, the server says otherwise (its state moved on).
    demo = make_demo(orders=300, seed=7)
    order_id = order_ids(demo, demo_http(demo), "Reviewed")[0]
    app = make_app(demo, downloads_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_order(pilot, app, order_id)
        order = app.main_screen.detail.order
        assert order is not None
        desk = app.main_screen.order_actions.desk
        desk.request(dataclasses.replace(order, order_state=CERTIFIED))
        await wait_for(pilot, lambda: toasts_with(app, "No certificate link for order"))
    (line,) = toasts_with(app, "No certificate link for order")
    assert "HTTP 400" in line and "\n" not in line
    assert len(pdf_requests(demo)) == 1


async def test_an_expired_link_is_fetched_again_once(
    make_demo: Any, demo_http: Any, tmp_path: Path
) -> None:
    demo = make_demo(orders=300, seed=7, url_ttl=60)
    async with certificate_console(demo, demo_http(demo), tmp_path) as console:
        app, pilot, _ = console
        await offer(pilot, app)
        demo.advance(600)  # the reviewer hesitated: the link offered has expired
        await pilot.press("s")
        await wait_for(pilot, lambda: toasts_with(app, "Saved the certificate"))
    assert len(pdf_requests(demo)) == 2
    assert [r.status for r in demo.recorded("/files/certificates")] == [403, 200]
    (saved,) = files_in(tmp_path)
    assert read(saved).startswith(b"%PDF-")


async def test_a_link_that_expires_again_is_explained(
    make_demo: Any, demo_http: Any, tmp_path: Path
) -> None:
    # url_ttl=0: every link is already expired when it arrives.
    demo = make_demo(orders=300, seed=7, url_ttl=0)
    async with certificate_console(demo, demo_http(demo), tmp_path) as console:
        app, pilot, _ = console
        await choose(pilot, app, "s")
        await wait_for(pilot, lambda: toasts_with(app, "expired again"))
    assert len(pdf_requests(demo)) == 2  # one fresh link, not a loop
    assert files_in(tmp_path) == []


async def test_offline_download_is_explained(
    make_demo: Any, demo_http: Any, tmp_path: Path
) -> None:
    demo = make_demo(orders=300, seed=7)
    async with certificate_console(demo, demo_http(demo), tmp_path) as console:
        app, pilot, _ = console
        await offer(pilot, app)
        demo.stop()
        await pilot.press("s")
        await wait_for(pilot, lambda: toasts_with(app, "Could not download the certificate"))
    (line,) = toasts_with(app, "Could not download the certificate")
    assert "could not be reached" in line
    assert files_in(tmp_path) == []


# -- file names and saving --------------------------------------------------------------


def test_file_name_comes_from_the_id_only() -> None:
    assert certificate_filename("A69AA701-60cb-4e3e-9126-2f4eaf31bc09") == (
        "artistree-certificate-A69AA701-60cb-4e3e-9126-2f4eaf31bc09.pdf"
    )
    assert (
        certificate_filename("../../etc/passwd\x1b]52;") == "artistree-certificate-etcpasswd52.pdf"
    )
    assert certificate_filename("/////") == "artistree-certificate-order.pdf"
    assert len(certificate_filename("9" * 5000)) < 100


def test_save_pdf_numbers_taken_names_and_leaves_no_partial_file(tmp_path: Path) -> None:
    first = save_pdf(tmp_path, "c.pdf", b"%PDF-1")
    second = save_pdf(tmp_path, "c.pdf", b"%PDF-2")
    assert (first.name, second.name) == ("c.pdf", "c-1.pdf")
    assert first.read_bytes() == b"%PDF-1"

    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    with pytest.raises(OSError):
        save_pdf(blocker / "sub", "c.pdf", b"%PDF-")
    with pytest.raises(TypeError):
        save_pdf(tmp_path, "d.pdf", "not bytes")  # type: ignore[arg-type]
    assert not (tmp_path / "d.pdf").exists()


def _order(state: str) -> Order:
    return Order(order_id="a69aa701-60cb-4e3e-9126-2f4eaf31bc09", order_state=state)


def test_only_human_certified_qualifies_and_unknown_states_ask_the_api() -> None:
    assert refusal(_order(CERTIFIED)) is None
    assert refusal(_order("Some Future State")) is None
    for state in KNOWN_STATES:
        if state != CERTIFIED:
            assert f"is {state}" in (refusal(_order(state)) or "")


async def test_certificate_keys_can_be_rebound(
    make_demo: Any, demo_http: Any, tmp_path: Path
) -> None:
    demo = make_demo(orders=300, seed=7)
    keymap = {"console.certificate": "C", "certificate.save": "w"}
    async with certificate_console(demo, demo_http(demo), tmp_path, keymap=keymap) as console:
        app, pilot, order_id = console
        await offer(pilot, app, "C")
        await pilot.press("w")
        await wait_for(pilot, lambda: toasts_with(app, "Saved the certificate"))
    assert not toasts_with(app, "[keymap] ignored")
    assert [p.name for p in files_in(tmp_path)] == [certificate_filename(order_id)]


def test_a_link_near_its_expiry_is_fetched_again_before_copying() -> None:
    link = CertificateLink(url="https://files.example/c.pdf?sig=x", expires_in=60)
    pending = Pending("a69aa701", "t", link, fetched_at=100.0)
    assert not pending.stale(100.0 + 60 - EXPIRY_MARGIN - 1)
    assert pending.stale(100.0 + 60 - EXPIRY_MARGIN)
    forever = Pending("a69aa701", "t", CertificateLink(url=link.url), fetched_at=0.0)
    assert not forever.stale(10**9)  # no lifetime given: never refetched


async def test_q_cancels_the_choice_and_never_quits(
    make_demo: Any, demo_http: Any, tmp_path: Path
) -> None:
    demo = make_demo(orders=300, seed=7)
    async with certificate_console(demo, demo_http(demo), tmp_path) as console:
        app, pilot, _order_id = console
        await choose(pilot, app, "q")
        await pilot.pause(0.2)
        assert app.is_running and app.clipboard == "" and files_in(tmp_path) == []
