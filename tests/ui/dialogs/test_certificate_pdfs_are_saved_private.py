"""Certificate PDFs saved from the console (over real loopback HTTP) are private whatever the
umask, and never land in a folder others can write to.

Saved PDFs used to take the umask's mode (0666 under ``umask 000``) and their folder was made
with ``mkdir(parents=True)`` (0777). Now the folder is created 0700 and the file 0600, unless
``certificate_file_mode`` says otherwise; a downloads folder others can write to is refused
with one line naming the ``chmod`` that fixes it.

Helpers come from the ``tests/support/app.py`` and ``tests/test_app_support.py``.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.support.app import certificate_console, choose, toasts_with, wait_for

OTHER_UID = 54_321


@pytest.fixture
def umask_000() -> Iterator[None]:
    old = os.umask(0)
    try:
        yield
    finally:
        os.umask(old)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.usefixtures("umask_000")
@pytest.mark.parametrize("configured", [None, 0o644])
async def test_saved_pdfs_and_their_new_folder_are_private_under_umask_000(
    make_demo: Any, demo_http: Any, tmp_path: Path, configured: int | None
) -> None:
    demo = make_demo(orders=300, seed=7)
    downloads = tmp_path / "new" / "downloads"
    settings = {} if configured is None else {"certificate_file_mode": configured}
    async with certificate_console(demo, demo_http(demo), downloads, **settings) as console:
        app, pilot, order_id = console
        await choose(pilot, app, "s")
        saved = downloads / f"artistree-certificate-{order_id}.pdf"
        await wait_for(pilot, lambda: toasts_with(app, str(saved)))
    assert saved.read_bytes().startswith(b"%PDF-")
    assert mode(saved) == (configured or 0o600), oct(mode(saved))
    assert mode(downloads) == 0o700
    assert mode(downloads.parent) == 0o700


@pytest.mark.parametrize("swap", ["mode", "owner"])
async def test_a_downloads_folder_others_can_write_to_is_refused(
    make_demo: Any, demo_http: Any, tmp_path: Path, swap: str
) -> None:
    demo = make_demo(orders=300, seed=7)
    downloads = tmp_path / "shared"
    downloads.mkdir()
    if swap == "mode":
        downloads.chmod(0o777)
        fix = f"chmod 700 {downloads}"
    else:
        os.chown(downloads, OTHER_UID, OTHER_UID)
        fix = "chown"
    async with certificate_console(demo, demo_http(demo), downloads) as console:
        app, pilot, _order_id = console
        await choose(pilot, app, "s")
        await wait_for(pilot, lambda: toasts_with(app, "Could not save the certificate"))
        (line,) = toasts_with(app, "Could not save the certificate")
    assert fix in line and str(downloads) in line
    assert list(downloads.iterdir()) == []
