"""On a terminal the list commands write a table and show their progress on standard error;
in a pipe they write NDJSON (or JSON) and standard error stays silent."""

from __future__ import annotations

import io
import json
import os
import pty
import re
import subprocess
from collections.abc import Callable
from pathlib import Path

from artistree_tui.api.retry import ClientEvent
from artistree_tui.cli.output import Progress
from artistree_tui.demo import DemoServer
from tests.support.processes import TIMEOUT, api_env, entry_point

ESCAPES = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]")


def screen_lines(output: str) -> list[str]:
    """The lines a terminal shows: a carriage return starts the line over (the progress line
    is redrawn in place, and erased before rows are written)."""
    lines = []
    for raw in output.split("\n"):
        visible = ESCAPES.sub("", raw.rstrip("\r").split("\r")[-1])
        if visible.strip():
            lines.append(visible)
    return lines


def on_pty(env: dict[str, str], *args: str, stdout_tty: bool) -> tuple[int, str, str]:
    """Run with standard error (and standard output if ``stdout_tty``) on a pty."""
    master, slave = pty.openpty()
    try:
        process = subprocess.Popen(
            [*entry_point(), *args],
            stdin=subprocess.DEVNULL,
            stdout=slave if stdout_tty else subprocess.PIPE,
            stderr=slave,
            env=env,
        )
        os.close(slave)
        chunks: list[bytes] = []
        while True:
            try:
                chunk = os.read(master, 65536)
            except OSError:  # the child closed the pty
                break
            if not chunk:
                break
            chunks.append(chunk)
        piped = process.stdout.read().decode() if process.stdout else ""
        status = process.wait(timeout=TIMEOUT)
    finally:
        os.close(master)
    return status, b"".join(chunks).decode("utf-8", "replace"), piped


def test_a_terminal_gets_a_table_and_progress(
    isolated: Path, make_demo: Callable[..., DemoServer]
) -> None:
    demo = make_demo(orders=2500)
    env = api_env(isolated, demo.base_url, COLUMNS="140", TERM="xterm")
    status, terminal, _ = on_pty(env, "orders", stdout_tty=True)
    assert status == 0
    assert "page 3 · 2,500 orders" in terminal  # progress, on standard error
    lines = screen_lines(terminal)
    header = next(line for line in lines if line.startswith("order_id"))
    assert header.split() == [
        "order_id",
        "order_state",
        "creation_time",
        "project_name",
        "order_title",
    ]
    assert sum(bool(re.match(r"[0-9a-f]{8}-", line)) for line in lines) == 2500


def test_a_pipe_gets_ndjson_and_progress_stays_on_the_terminal(
    isolated: Path, make_demo: Callable[..., DemoServer]
) -> None:
    demo = make_demo(orders=1200)
    env = api_env(isolated, demo.base_url)
    status, terminal, piped = on_pty(env, "orders", "--state", "failed", stdout_tty=False)
    assert status == 0
    rows = [json.loads(line) for line in piped.splitlines()]
    assert rows and all(row["order_state"] == "Failed" for row in rows)
    assert "page 2 · 1,200 orders" in terminal and "match" in terminal
    assert "order_id" not in terminal  # no data on standard error


def test_no_terminal_no_progress(isolated: Path, make_demo: Callable[..., DemoServer]) -> None:
    demo = make_demo(orders=1200)
    result = subprocess.run(
        [*entry_point(), "orders", "--format", "csv"],
        capture_output=True,
        text=True,
        env=api_env(isolated, demo.base_url),
        timeout=TIMEOUT,
        check=False,
    )
    assert result.returncode == 0 and result.stderr == ""


def test_the_progress_line_is_drawn_once_until_it_changes() -> None:
    """Every answer's "ok" redrew the same line (``projects`` showed "looking up project ids:
    page 1" twice); after the line was erased for rows, it is drawn again."""
    out = io.StringIO()
    progress = Progress(out, enabled=True)
    progress.show("looking up project ids: page 1")
    progress.client_event(ClientEvent("ok"))
    progress.client_event(ClientEvent("ok"))
    assert out.getvalue().count("page 1") == 1
    progress.show("looking up project ids: page 2")
    with progress.hidden():
        pass
    assert out.getvalue().count("page 2") == 2
