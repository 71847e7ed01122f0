"""``certificate ID``: the PDF through the safe asset fetcher, saved 0600, never over an
existing file without ``--force``; ``--url`` prints the link; other states are refused."""

from __future__ import annotations

import os
import stat
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from artistree_tui.demo import DemoServer
from tests.support.processes import TIMEOUT, api_env, entry_point, one_error_line, run_cli


@pytest.fixture
def demo(make_demo: Callable[..., DemoServer]) -> DemoServer:
    return make_demo(orders=60, seed=3)


def order_in(demo: DemoServer, state: str) -> str:
    return next(i for i in demo.order_ids() if demo.order_state(i) == state)


def test_it_saves_the_pdf_once_and_overwrites_only_with_force(
    demo: DemoServer, isolated: Path, tmp_path: Path
) -> None:
    order_id = order_in(demo, "Human Certified")
    env = api_env(isolated, demo.base_url)
    folder = tmp_path / "out"  # its own folder: the home beside it holds the token cache
    folder.mkdir()
    target = folder / "cert.pdf"
    result = run_cli("certificate", order_id, "-o", str(target), env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"{target}\n"
    assert target.read_bytes().startswith(b"%PDF-")
    assert stat.S_IMODE(target.stat().st_mode) == 0o600

    target.write_bytes(b"my own file")
    again = run_cli("certificate", order_id, "-o", str(target), env=env)
    assert again.returncode == 2
    assert one_error_line(again.stderr) == f"{target} exists: add --force to overwrite it"
    assert target.read_bytes() == b"my own file"
    # Refused before any request: the server saw no certificate request.
    demo.clear_requests()
    run_cli("certificate", order_id, "-o", str(target), env=env)
    assert demo.recorded("/v1/orders/pdf") == []

    forced = run_cli("certificate", order_id, "-o", str(target), "--force", env=env)
    assert forced.returncode == 0, forced.stderr
    assert target.read_bytes().startswith(b"%PDF-")
    assert sorted(p.name for p in folder.iterdir()) == ["cert.pdf"]  # no temporary left


def test_the_default_is_the_downloads_folder_made_private(demo: DemoServer, isolated: Path) -> None:
    order_id = order_in(demo, "Human Certified")
    previous = os.umask(0o022)  # the command inherits it: folders would be 0755
    try:
        result = run_cli("certificate", order_id, env=api_env(isolated, demo.base_url))
    finally:
        os.umask(previous)
    assert result.returncode == 0, result.stderr
    saved = isolated / "Downloads" / f"artistree-certificate-{order_id}.pdf"
    assert result.stdout == f"{saved}\n"
    assert saved.read_bytes().startswith(b"%PDF-")
    assert stat.S_IMODE(saved.parent.stat().st_mode) == 0o700  # as the console makes it
    assert stat.S_IMODE(saved.stat().st_mode) == 0o600


def test_a_downloads_folder_others_can_write_is_refused(demo: DemoServer, isolated: Path) -> None:
    order_id = order_in(demo, "Human Certified")
    shared = isolated / "Downloads"
    shared.mkdir(parents=True)
    shared.chmod(0o777)
    result = run_cli("certificate", order_id, env=api_env(isolated, demo.base_url))
    assert result.returncode == 1
    assert "chmod" in one_error_line(result.stderr)
    assert list(shared.iterdir()) == []


def test_url_prints_the_link_and_dash_writes_the_pdf(demo: DemoServer, isolated: Path) -> None:
    order_id = order_in(demo, "Human Certified")
    env = api_env(isolated, demo.base_url)
    link = run_cli("certificate", order_id, "--url", env=env)
    assert link.returncode == 0
    assert link.stdout.startswith(f"{demo.base_url}/files/certificates/{order_id}.pdf?")
    piped = subprocess.run(
        [*entry_point(), "certificate", order_id, "-o", "-"],
        capture_output=True,
        env=env,
        timeout=TIMEOUT,
        check=False,
    )
    assert piped.returncode == 0 and piped.stdout.startswith(b"%PDF-")


def test_an_order_without_a_certificate_is_one_line_exit_1(
    demo: DemoServer, isolated: Path, tmp_path: Path
) -> None:
    order_id = order_in(demo, "Failed")
    result = run_cli(
        "certificate", order_id, "-o", str(tmp_path / "x.pdf"), env=api_env(isolated, demo.base_url)
    )
    assert result.returncode == 1
    assert "only Human Certified orders have one" in one_error_line(result.stderr)
    assert not (tmp_path / "x.pdf").exists()
