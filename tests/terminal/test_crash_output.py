"""No traceback and no secret ever reaches the terminal, whatever fails and where.

Each case runs the real console in its own process on a pty (Textual's real driver, so its
crash screen would be printed if anything let it through), against a demo server started by
the test, with a real access token and a recognizable fake client secret in the settings
(through ``ARTISTREE_TOKEN`` / ``ARTISTREE_CLIENT_SECRET``, as a user would set them). A small
driver injects one failure whose frame holds both secrets as local variables — what Textual's
default crash screen would print — then calls the CLI's ``main``:

- fatal (a message handler, compose, the CSS, ``run_console`` itself): one sanitized line
  ``artistree-tui stopped: ...`` and exit status 1;
- not fatal (a worker started with ``exit_on_error=True``, a request failing inside the API
  client, a thread, a stray asyncio task): a toast, the console stays, ``q`` exits with 0.

Textual's log file (``TEXTUAL_LOG``) is checked for the secrets too.
"""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

from tests.support import REPO
from tests.support.demo import fetch_token
from tests.support.pty_console import PtyConsole, StartConsole, console_env

pytestmark = pytest.mark.pty

FAKE_SECRET = "FAKE-client-secret-7f3a9c1e5b"

DRIVER = textwrap.dedent(
    """
    import asyncio, os, sys, threading

    from artistree_tui import cli
    from artistree_tui.ui import app as app_module
    from artistree_tui.ui.detail.pane import DetailPane
    from artistree_tui.ui.screen.main import MainScreen
    from artistree_tui.ui.stats.bar import StatsBar

    def secrets_in_scope():
        token = os.environ["ARTISTREE_TOKEN"]
        client_secret = os.environ["ARTISTREE_CLIENT_SECRET"]
        return token, client_secret

    def boom(*args, **kwargs):
        token, client_secret = secrets_in_scope()
        raise RuntimeError("injected failure")

    case = sys.argv[1]
    if case == "handler":
        StatsBar.show_counts = boom
    elif case == "compose":
        DetailPane.compose = boom
    elif case == "css":
        app_module.ConsoleApp.CSS = "Screen { colour-of-the-day: red; }"
    elif case == "run_console":
        app_module.ConsoleApp.__init__ = boom
    elif case == "request":
        import artistree_tui.api.client as client_module
        client_module.read_capped = boom
    else:
        mount = MainScreen.on_mount

        def on_mount(self):
            mount(self)
            if case == "worker":
                async def work():
                    boom()
                self.run_worker(work(), exit_on_error=True)
            elif case == "thread":
                threading.Thread(target=boom, name="boom-thread").start()
            elif case == "task":
                async def stray():
                    boom()
                asyncio.get_running_loop().create_task(stray())

        MainScreen.on_mount = on_mount

    sys.exit(cli.main(sys.argv[2:]))
    """
)

FATAL = ["handler", "compose", "css", "run_console"]
# case -> what the toast says
SURVIVED = {
    "worker": "A background task failed",
    "request": "(RuntimeError)",  # the page's error row and toast name the type only
    "thread": "A background task failed",
    "task": "A background task failed",
}


def run_case(
    start_console: StartConsole, case: str, demo: Any, tmp_path: Path
) -> tuple[PtyConsole, str, Path]:
    token = fetch_token(demo)
    driver = tmp_path / "driver.py"
    driver.write_text(DRIVER)
    log_file = tmp_path / "textual.log"
    env = console_env(
        tmp_path,
        ARTISTREE_TOKEN=token,
        ARTISTREE_CLIENT_ID=demo.client_id,
        ARTISTREE_CLIENT_SECRET=FAKE_SECRET,
        TEXTUAL_LOG=str(log_file),
    )
    argv = [sys.executable, str(driver), case, "--base-url", demo.base_url]
    argv += ["--token-url", demo.token_url]
    return start_console(argv, env, cwd=str(REPO)), token, log_file


def assert_nothing_leaked(terminal: PtyConsole, token: str, log_file: Path) -> None:
    raw = bytes(terminal.output)
    text = terminal.text()
    assert "Traceback" not in text
    assert "injected failure" not in text  # an arbitrary exception's message is not shown
    for secret in (token, FAKE_SECRET):
        assert secret.encode() not in raw
        if log_file.exists():
            assert secret not in log_file.read_text(errors="replace")


@pytest.mark.parametrize("case", FATAL)
def test_a_fatal_error_prints_one_sanitized_line(
    case: str, demo_server: Any, tmp_path: Path, start_console: StartConsole
) -> None:
    terminal, token, log_file = run_case(start_console, case, demo_server, tmp_path)
    status = terminal.wait_exit(30)
    assert status == 1, terminal.text()[-2000:]
    assert_nothing_leaked(terminal, token, log_file)
    text = terminal.text()
    assert text.count("artistree-tui stopped: ") == 1, text[-2000:]
    line = text[text.index("artistree-tui stopped: ") :].splitlines()[0]
    assert "RuntimeError" in line or "Stylesheet" in line or "CSS" in line, line


@pytest.mark.parametrize("case", sorted(SURVIVED))
def test_a_background_error_is_a_toast_and_the_console_goes_on(
    case: str, demo_server: Any, tmp_path: Path, start_console: StartConsole
) -> None:
    terminal, token, log_file = run_case(start_console, case, demo_server, tmp_path)
    terminal.wait_for(SURVIVED[case])
    terminal.settle(0.3)
    terminal.press(b"q")
    status = terminal.wait_exit(15)
    assert status == 0, terminal.text()[-2000:]
    assert_nothing_leaked(terminal, token, log_file)
    assert "artistree-tui stopped" not in terminal.text()
