"""``artistree-tui cache clear`` typed in another shell while a console runs: the command
removes the index file under the running console, whose sync notices at its next step, says
so in one line, and walks the organization into a new file at the same path, which a second
``cache clear`` can remove again. The real console in tmux, the real command, a standalone
demo API: three processes. Skipped where tmux is missing.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.support.processes import StandaloneDemo, run_cli
from tests.support.pty_console import console_env
from tests.support.tmux import NEEDS_TMUX, Tmux

pytestmark = [*NEEDS_TMUX, pytest.mark.slow]

ORDERS = 1500
SYNC_DEADLINE = 120.0


@pytest.fixture
def api(standalone_api: Callable[[int, int], StandaloneDemo]) -> StandaloneDemo:
    return standalone_api(ORDERS, 2)


def cached(env: dict[str, str]) -> int:
    """Orders ``orders --cached`` lists (read from the file at the path, by another process)."""
    listed = run_cli("orders", "--cached", "--format", "ndjson", env=env)
    return len(listed.stdout.splitlines()) if listed.returncode == 0 else -1


def test_the_console_indexes_again_into_a_new_file(api: StandaloneDemo, tmp_path: Path) -> None:
    pointed = {k: v for k, v in api.env(tmp_path).items() if k.startswith("ARTISTREE_")}
    env = console_env(tmp_path, **pointed)
    where = run_cli("cache", "path", env=env)  # the file the console will make
    assert where.returncode == 0, where.stderr
    database = Path(where.stdout.strip())
    tmux = Tmux(tmp_path, "tmux-256color", (), env=env, size=(120, 40))
    try:
        indexed = f"{ORDERS:,} orders indexed"
        tmux.wait(lambda: indexed in tmux.screen(), "the first sweep", deadline=SYNC_DEADLINE)
        before = database.stat().st_ino

        cleared = run_cli("cache", "clear", env=env)
        assert cleared.returncode == 0, cleared.stderr
        assert "Traceback" not in cleared.stdout + cleared.stderr

        tmux.wait(lambda: "was removed" in tmux.screen(), "the console's one-line notice")
        tmux.wait(lambda: database.exists(), "a new index file at the same path")
        assert database.stat().st_ino != before
        tmux.wait(lambda: cached(env) == ORDERS, "every order indexed again", SYNC_DEADLINE)
        tmux.wait(lambda: indexed in tmux.screen(), "the status line says so")
        assert "Traceback" not in tmux.screen()

        pid = int(tmux.pane("#{pane_pid}"))
        tmux.keys("q")
        tmux.wait(lambda: tmux.exit_status(pid) is not None, "the console to exit")
        assert tmux.exit_status(pid) == "0/"
    finally:
        tmux.close()
