"""``client_secret_command`` cannot flood memory, leave processes behind, or smuggle a second
line into the secret.

- output is capped at 64 KB (a 10 MB "secret" used to be accepted);
- on timeout the whole process group is killed (a grandchild used to survive), and a
  grandchild that keeps the output open after the command exited is ended too;
- a NUL or a newline inside the secret is refused; one trailing newline is normal output.

Real processes, no mocks: each command is a small shell or Python program.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pytest

from artistree_tui.config import ConfigError
from artistree_tui.config.secret import MAX_OUTPUT, run_secret_command

pytestmark = pytest.mark.usefixtures("isolated")


def python(code: str) -> str:
    import shlex

    return shlex.join([sys.executable, "-c", code])


def gone(pid: int) -> bool:
    """The process has ended (no longer listed, or a zombie waiting to be reaped)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return True
    return stat.rsplit(")", 1)[-1].split()[0] in ("Z", "X")


def wait_gone(pid: int, limit: float = 10.0) -> bool:
    deadline = time.monotonic() + limit
    while not gone(pid):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def test_ten_megabytes_of_secret_are_refused() -> None:
    command = python("import sys; sys.stdout.write('x' * 10_000_000)")
    with pytest.raises(ConfigError, match=f"printed more than {MAX_OUTPUT // 1024} KB"):
        run_secret_command(command)


def test_the_whole_process_group_is_killed_on_timeout(tmp_path: Path) -> None:
    pidfile = tmp_path / "grandchild.pid"
    command = f"/bin/sh -c 'sleep 60 & echo $! > {pidfile}; sleep 60'"
    with pytest.raises(ConfigError, match="did not finish within 1 s"):
        run_secret_command(command, timeout=1.0)
    grandchild = int(pidfile.read_text())
    assert wait_gone(grandchild), "the grandchild survived the timeout"


def test_a_grandchild_holding_the_output_open_does_not_hold_the_console(tmp_path: Path) -> None:
    pidfile = tmp_path / "grandchild.pid"
    command = f"/bin/sh -c 'echo s3cret; sleep 60 & echo $! > {pidfile}'"
    started = time.monotonic()
    assert run_secret_command(command, timeout=20.0) == "s3cret"
    assert time.monotonic() - started < 15.0  # a bound for the test, well under the timeout
    assert wait_gone(int(pidfile.read_text()))


@pytest.mark.parametrize(
    "printed",
    [
        "s3cret\\x00tail",
        "s3cret\\nurl: example",
        "s3cret\\r\\nsecond",
        "s3cret\\rX",
        "s3cret\\n\\n",
    ],
)
def test_a_secret_with_a_nul_or_a_newline_inside_is_refused(printed: str) -> None:
    command = python(f"import sys; sys.stdout.write({printed!r}.encode().decode('unicode_escape'))")
    with pytest.raises(ConfigError, match="more than one line"):
        run_secret_command(command)


@pytest.mark.parametrize("printed", ["s3cret", "s3cret\\n", "s3cret\\r\\n", "  s3cret  \\n"])
def test_one_trailing_newline_is_normal_output(printed: str) -> None:
    command = python(f"import sys; sys.stdout.write({printed!r}.encode().decode('unicode_escape'))")
    assert run_secret_command(command) == "s3cret"
