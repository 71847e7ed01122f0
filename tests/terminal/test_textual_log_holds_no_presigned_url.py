"""With ``TEXTUAL_LOG`` set, the console's debug log holds no presigned URL and no secret.

Textual writes every worker's description to that file, and a worker's default description
quotes its arguments: the preview loader's presigned URL (``?expires=…&sig=…`` on the demo,
``X-Amz-Signature`` on S3) ended up in a 0644 file. The real console on a pty, on the demo
(previews over real loopback HTTP), moves through a few orders; then the log must hold no
query string of a presigned link, no bearer token and no client secret, and be private (0600).

Helpers come from the ``tests/support/pty_console.py``.
"""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from artistree_tui.demo.tokens import DEMO_CLIENT_SECRET
from tests.support.pty_console import PtyConsole, console_env, demo_argv

pytestmark = pytest.mark.pty

LEAKS = ("sig=", "expires=", "X-Amz-", "Bearer ", "access_token", DEMO_CLIENT_SECRET)


def test_the_debug_log_holds_no_presigned_url_or_secret(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir(mode=0o700)
    log = tmp_path / "textual.log"
    terminal = PtyConsole(demo_argv(), console_env(home, TEXTUAL_LOG=str(log)), size=(170, 50))
    try:
        terminal.wait_for("row 1/")
        for _ in range(4):
            mark = terminal.press(b"j")
            terminal.wait_for("Analyses ·", start=mark)
            terminal.settle_idle()
        terminal.press(b"q")
        assert terminal.wait_exit() == 0
    finally:
        terminal.close()
    text = log.read_text(encoding="utf-8", errors="replace")
    assert "preview load" in text  # the preview workers were logged, by description
    found = [leak for leak in LEAKS if leak in text]
    assert not found, f"the log holds {found}"
    assert stat.S_IMODE(log.stat().st_mode) == 0o600
