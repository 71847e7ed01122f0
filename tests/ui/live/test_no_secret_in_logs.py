"""Secrets stay out of logs and out of error reports, and stray errors never print tracebacks.

- A Pilot session against the demo with *every* logger at DEBUG and a capturing handler, run
  inside the console's own guards (:class:`QuietErrors`): token requests, a revoked token
  refreshed mid-session, order pages, details, previews and a certificate download. No
  record may contain the client secret, an access token or a presigned URL's signature
  (httpx logs full URLs at INFO and DEBUG: the guards hold it at WARNING).
- :func:`crash_line` never repeats an arbitrary exception's message (it may quote a secret).
- A thread's exception, an unraisable one and a stray task's become one line each in
  ``app.background_errors`` (and a toast), never a traceback on stderr.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import re
import threading
from pathlib import Path
from typing import Any

import pytest

from artistree_tui.api.errors import ApiUnavailableError
from artistree_tui.demo import DEMO_CLIENT_SECRET
from artistree_tui.ui.live.containment import (
    URL_LOGGERS,
    QuietErrors,
    crash_line,
    loop_exception_handler,
)
from tests.support.app import (
    choose,
    list_loaded,
    make_app,
    notifications,
    open_order,
    order_ids,
    wait_for,
)

TOKEN = re.compile(r"demo\.[A-Za-z0-9_-]{20,}")


class Capture(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(f"{record.name} {record.getMessage()} {record.args!r}")


@pytest.fixture
def captured() -> Any:
    root = logging.getLogger()
    handler = Capture()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    try:
        yield handler
    finally:
        root.removeHandler(handler)
        root.setLevel(level)


async def test_no_secret_token_or_signature_in_any_log_record(
    make_demo: Any, demo_http: Any, tmp_path: Path, captured: Capture
) -> None:
    demo = make_demo(orders=300, seed=7)
    certified = order_ids(demo, demo_http(demo), "Human Certified")[0]
    app = make_app(demo, downloads_dir=tmp_path, preview="halfblock")
    with QuietErrors(app):
        assert all(logging.getLogger(n).getEffectiveLevel() >= logging.WARNING for n in URL_LOGGERS)
        async with app.run_test(size=(160, 50)) as pilot:
            await wait_for(pilot, lambda: list_loaded(app))
            tokens = demo.token_requests
            demo.revoke_tokens()  # the next request gets a 401 and a fresh token
            await pilot.press("j", "j")
            await open_order(pilot, app, certified)
            await choose(pilot, app, "s")
            await wait_for(pilot, lambda: any("Saved" in n for n in notifications(app)))
    assert demo.token_requests == tokens + 1  # one refresh after the revoke
    assert captured.lines, "nothing was logged at all: the capture is not working"
    logged = "\n".join(captured.lines)
    assert DEMO_CLIENT_SECRET not in logged
    assert not TOKEN.findall(logged)
    assert "sig=" not in logged


def test_crash_line_names_the_type_and_place_never_the_message() -> None:
    secret = "sk-live-do-not-print"
    try:
        raise RuntimeError(f"failed with {secret}")
    except RuntimeError as error:
        line = crash_line(error)
    assert secret not in line
    assert line.startswith("artistree-tui stopped: unexpected error (RuntimeError) at ")
    assert Path(__file__).name in line
    # API errors are written to be shown: their text stays.
    assert "the API is offline" in crash_line(ApiUnavailableError("the API is offline"))


class FakeApp:
    """What the guards need from an app when it is not running: somewhere to keep lines."""

    is_running = False

    def __init__(self) -> None:
        self.background_errors: list[str] = []


def test_thread_unraisable_and_task_errors_become_one_line(
    capsys: pytest.CaptureFixture[str],
) -> None:
    app = FakeApp()

    class Finalizer:
        def __del__(self) -> None:
            raise ValueError("secret in __del__")

    async def stray() -> None:
        raise KeyError("secret in a task")

    async def leave_a_task() -> None:
        asyncio.get_running_loop().create_task(stray())
        await asyncio.sleep(0.01)

    with QuietErrors(app):
        thread = threading.Thread(target=lambda: 1 / 0, name="worker-x")
        thread.start()
        thread.join()
        Finalizer()
        gc.collect()
        with asyncio.Runner() as runner:
            runner.get_loop().set_exception_handler(loop_exception_handler(app))
            runner.run(leave_a_task())
            gc.collect()
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    assert "secret" not in out + err
    lines = app.background_errors
    assert any("(worker-x)" in line and "ZeroDivisionError" in line for line in lines)
    assert any("(cleanup)" in line and "ValueError" in line for line in lines)
    assert any("(task)" in line and "KeyError" in line for line in lines)
    assert not any("secret" in line for line in lines)
