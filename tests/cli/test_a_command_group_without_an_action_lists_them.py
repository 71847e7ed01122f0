"""``artistree-tui cache`` or ``artistree-tui config`` alone: the actions they take, one line
each, on stderr, and exit 2 (bad usage, so a script notices), as ``gh`` and ``kubectl`` show a
group's commands. argparse alone said only "the following arguments are required: ACTION"."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.processes import child_env, run_cli


@pytest.mark.parametrize(
    ("group", "actions"),
    [("cache", ["path", "clear"]), ("config", ["path", "init", "example", "show"])],
)
def test_a_group_alone_lists_its_actions(isolated: Path, group: str, actions: list[str]) -> None:
    done = run_cli(group, env=child_env(isolated))
    assert done.returncode == 2
    assert done.stdout == ""
    listed = [line.split()[0] for line in done.stderr.splitlines() if line.startswith("    ")]
    assert [name for name in listed if name in actions] == actions, done.stderr
    assert "Traceback" not in done.stderr


def test_an_action_still_runs(isolated: Path) -> None:
    done = run_cli("cache", "path", env=child_env(isolated))
    assert done.returncode == 0 and done.stdout.strip().endswith(".sqlite3"), done.stderr
