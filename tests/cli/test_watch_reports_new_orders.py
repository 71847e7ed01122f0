"""``watch`` over loopback: a standalone demo API adds an order every second; the watch prints
it and its ``--exec`` command receives it, one at a time, without the API's credentials; a
failing or hanging command is reported and the watch goes on; Ctrl-C and SIGTERM end it."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from artistree_tui.cli.watch import SeenStates
from tests.support.processes import TIMEOUT, StandaloneDemo, entry_point, foreground

#: What the --exec command does: save its stdin and environment, then behave as told.
HOOK = textwrap.dedent(
    """
    import json, os, sys, time
    folder, behaviour = sys.argv[1], sys.argv[2]
    data = sys.stdin.read()
    order = json.loads(data)
    name = os.path.join(folder, order["order_id"] + ".json")
    started = time.monotonic()
    running = os.path.join(folder, "running")
    overlap = os.path.exists(running)
    open(running, "w").close()
    with open(name + ".tmp", "w") as file:
        json.dump({"order": order, "env": dict(os.environ), "overlap": overlap}, file)
    os.replace(name + ".tmp", name)
    print("hook output goes to stderr")
    if behaviour == "slow":
        time.sleep(0.3)
    os.remove(running)
    if behaviour == "fail":
        sys.exit(3)
    if behaviour == "hang":
        time.sleep(600)
    """
)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StandaloneDemo]:
    home = tmp_path_factory.mktemp("demo-home")
    with StandaloneDemo(home, "--orders", "40", "--new-order-every", "1") as server:
        yield server


class Watching:
    """``artistree-tui watch ARGS`` running; its standard output read line by line."""

    def __init__(self, env: dict[str, str], *args: str) -> None:
        self.process = subprocess.Popen(
            [*entry_point(), "watch", *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
            preexec_fn=foreground,
        )
        self.lines: list[str] = []
        self.errors: list[str] = []
        assert self.process.stdout is not None and self.process.stderr is not None
        self._readers = [
            threading.Thread(target=self._read, args=(stream, into), daemon=True)
            for stream, into in (
                (self.process.stdout, self.lines),
                (self.process.stderr, self.errors),
            )
        ]
        for reader in self._readers:
            reader.start()

    @staticmethod
    def _read(stream: Any, into: list[str]) -> None:
        for line in stream:
            into.append(line)

    def stop(self, signum: int) -> tuple[int, str]:
        """Send ``signum``; (exit status, standard error) once it and its --exec children
        have closed their output (a command left running would hold standard error open)."""
        self.process.send_signal(signum)
        status = self.process.wait(timeout=TIMEOUT)
        for reader in self._readers:
            reader.join(timeout=TIMEOUT)
            assert not reader.is_alive(), "an --exec command outlived the watch"
        return status, "".join(self.errors)

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()


def wait_until(condition: Callable[[], Any], what: str) -> Any:
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def saved(folder: Path) -> list[dict[str, Any]]:
    return [json.loads(path.read_text()) for path in sorted(folder.glob("*.json"))]


def watch_with_hook(
    demo: StandaloneDemo, home: Path, folder: Path, behaviour: str, *extra: str
) -> Watching:
    folder.mkdir(parents=True, exist_ok=True)
    hook = folder.parent / "hook.py"
    hook.write_text(HOOK)
    command = f"{sys.executable} {hook} {folder} {behaviour}"
    args = ("--interval", "0.3", "--format", "ndjson", "--exec", command, *extra)
    return Watching(demo.env(home), *args)


def test_watch_prints_a_new_order_and_exec_receives_it(
    demo: StandaloneDemo, isolated: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "events"
    watching = watch_with_hook(demo, isolated, folder, "slow")
    try:
        events = wait_until(lambda: len(saved(folder)) >= 3 and saved(folder), "three --exec runs")
        printed = wait_until(
            lambda: (
                [json.loads(line) for line in list(watching.lines)]
                if len(watching.lines) >= 3
                else None
            ),
            "three printed orders",
        )
        printed_ids = [row["order_id"] for row in printed]
        # Each line says what happened first: a script needs no --exec to tell.
        assert all(list(row)[:3] == ["event", "previous_state", "order_id"] for row in printed)
        assert {(row["event"], row["previous_state"]) for row in printed} == {("new", None)}
        assert all(row["project_name"] for row in printed)
        for event in events:
            order, env = event["order"], event["env"]
            assert order["order_id"] in printed_ids
            assert env["ARTISTREE_WATCH_EVENT"] == "new"
            assert env["ARTISTREE_ORDER_ID"] == order["order_id"]
            assert env["ARTISTREE_ORDER_STATE"] == order["order_state"]
            # The whole order, as `order ID --format json` gives it.
            assert {"order_id", "order_state", "analysis_list", "project"} <= set(order)
            # Never the API's credentials.
            assert "ARTISTREE_CLIENT_SECRET" not in env and "ARTISTREE_TOKEN" not in env
            assert not event["overlap"], "two --exec commands ran at once"
        status, err = watching.stop(signal.SIGINT)
    finally:
        watching.kill()
    assert status == 130
    assert "Traceback" not in err
    assert "hook output goes to stderr" in err  # the command's output, not on our stdout


def test_a_failing_command_is_reported_and_the_watch_goes_on(
    demo: StandaloneDemo, isolated: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "events"
    watching = watch_with_hook(demo, isolated, folder, "fail")
    try:
        wait_until(
            lambda: sum("warning: --exec" in line for line in list(watching.errors)) >= 2,
            "two failing --exec runs reported",
        )
        wait_until(lambda: len(watching.lines) >= 2, "the watch still printing")
        status, err = watching.stop(signal.SIGTERM)
    finally:
        watching.kill()
    assert status == 143
    warnings = [line for line in err.splitlines() if line.startswith("artistree-tui: warning:")]
    assert len(warnings) >= 2
    assert "--exec: python" in warnings[0] and "exited with 3 for order" in warnings[0]
    assert "Traceback" not in err


def test_a_hanging_command_is_killed_after_its_timeout(
    demo: StandaloneDemo, isolated: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "events"
    watching = watch_with_hook(demo, isolated, folder, "hang", "--exec-timeout", "0.5")
    try:
        wait_until(lambda: len(saved(folder)) >= 2, "a second --exec run after the first hung")
        status, err = watching.stop(signal.SIGINT)
    finally:
        watching.kill()
    assert status == 130
    assert "did not finish within 0.5 s for order" in err


def test_watch_filters_by_state(demo: StandaloneDemo, isolated: Path) -> None:
    # New demo orders start In Progress: a watch for Failed orders prints none of them.
    watching = Watching(demo.env(isolated), "--interval", "0.3", "--state", "failed")
    other = Watching(demo.env(isolated), "--interval", "0.3", "--state", "in-progress")
    try:
        wait_until(lambda: len(other.lines) >= 2, "two new In Progress orders")
        assert all(json.loads(line)["order_state"] == "In Progress" for line in other.lines)
        assert all(json.loads(line)["order_state"] == "Failed" for line in watching.lines)
    finally:
        watching.kill()
        other.kill()


def test_a_missing_exec_program_is_a_usage_error(demo: StandaloneDemo, isolated: Path) -> None:
    result = subprocess.run(
        [*entry_point(), "watch", "--exec", "no-such-program-9f2c --flag"],
        capture_output=True,
        text=True,
        env=demo.env(isolated),
        timeout=TIMEOUT,
        check=False,
    )
    assert result.returncode == 2
    assert result.stderr.startswith("artistree-tui: error: --exec: program 'no-such-program-9f2c'")


def test_the_memory_of_seen_states_is_bounded() -> None:
    seen = SeenStates(limit=100)
    for index in range(1000):
        assert seen.update(f"order-{index}", "In Progress") is None
    assert len(seen) == 100
    assert "order-999" in seen and "order-899" not in seen
    # Seeing an order again keeps it among the most recent.
    assert seen.update("order-900", "Failed") == "In Progress"
    for index in range(1000, 1099):
        seen.update(f"order-{index}", "In Progress")
    assert "order-900" in seen and "order-901" not in seen
