"""Usage errors say what is wrong and what to do: demo flags without ``--demo``, a
sub-command's own usage for its own mistakes, and a console started without a terminal."""

from __future__ import annotations

import os
import pty
import subprocess
from pathlib import Path

import pytest

from artistree_tui import cli
from tests.support.processes import TIMEOUT, child_env, entry_point, one_error_line


@pytest.mark.parametrize(
    ("argv", "flag"),
    [
        (["--demo-orders", "50"], "--demo-orders"),
        (["--demo-faults", "hostile"], "--demo-faults"),
        (["config", "show", "--demo-faults", "hostile"], "--demo-faults"),
    ],
)
def test_a_demo_flag_without_demo_says_it_needs_demo(
    argv: list[str], flag: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cli, "_launch", lambda settings: pytest.fail("must not start"))
    assert cli.main(argv) == 2
    message = one_error_line(capsys.readouterr().err)
    assert message.startswith(f"{flag} needs --demo")
    assert "credentials" not in message


def test_the_demo_flags_with_demo_still_start_the_demo(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[object] = []
    monkeypatch.setattr(cli, "_launch", lambda settings: seen.append(settings) or 0)
    assert cli.main(["--demo", "--demo-orders", "30"]) == 0
    assert len(seen) == 1


@pytest.mark.parametrize(
    ("argv", "usage"),
    [
        (["config", "init", "--bogus"], "usage: artistree-tui config init "),
        (["config", "show", "--bogus"], "usage: artistree-tui config show "),
        (["demo-server", "--bogus"], "usage: artistree-tui demo-server "),
        (["config", "nope"], "usage: artistree-tui config "),
    ],
)
def test_a_sub_command_mistake_prints_that_sub_command_usage(
    argv: list[str], usage: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit:
        cli.main(argv)
    assert exit.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith(usage), err
    assert "COMMAND ..." not in err  # not the top-level usage


def console_without_terminal(home: Path, *, stdin_tty: bool) -> tuple[int, bytes, bytes]:
    """Start the console (``--demo``) with one of stdin/stdout on a pty and the other not."""
    master, slave = pty.openpty()
    try:
        process = subprocess.Popen(
            [*entry_point(), "--demo", "--demo-orders", "20"],
            stdin=slave if stdin_tty else subprocess.DEVNULL,
            stdout=subprocess.PIPE if stdin_tty else slave,
            stderr=subprocess.PIPE,
            env=child_env(home, TERM="xterm-256color"),
        )
        os.close(slave)
        out, err = process.communicate(timeout=TIMEOUT)
        if not stdin_tty:
            os.set_blocking(master, False)
            try:
                out = os.read(master, 65536)
            except OSError:  # nothing written: the pty reads as closed
                out = b""
        return process.returncode, out, err
    finally:
        os.close(master)


@pytest.mark.parametrize("stdin_tty", [True, False], ids=["stdout-piped", "stdin-not-a-tty"])
def test_the_console_without_a_terminal_exits_2_with_one_line(
    isolated: Path, stdin_tty: bool
) -> None:
    status, out, err = console_without_terminal(isolated, stdin_tty=stdin_tty)
    assert status == 2
    assert b"\x1b" not in out, "no escape sequence may reach the file"
    message = one_error_line(err.decode())
    assert message.startswith("the console needs a terminal")
    stream = "standard output" if stdin_tty else "standard input"
    assert stream in message
    for command in ("orders", "watch"):
        assert command in message  # points at the scripting commands


@pytest.mark.parametrize(
    "argv",
    [
        ["orders", "--fields", ""],
        ["orders", "--cached", "--fields", " , "],
        ["order", "3f2b8c1e", "--fields", ""],
        ["watch", "--fields", ""],
    ],
    ids=["orders", "orders --cached", "order", "watch"],
)
def test_empty_fields_are_a_usage_error_not_the_default_fields(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    """``--fields ''`` (a script's empty variable) says so, before any request: it does not
    quietly print the default columns."""
    assert cli.main([*argv[:1], "--demo", *argv[1:]]) == 2
    assert one_error_line(capsys.readouterr().err).startswith("--fields: no field names given")
