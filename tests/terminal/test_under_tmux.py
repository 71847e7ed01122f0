"""The real console inside tmux, as reviewers run it on a shared box.

tmux is a terminal of its own between the console and the user's: it sets ``TERM`` to
``screen`` or ``tmux-256color`` (so these runs also cover the ``screen`` terminal type GNU screen
uses), keeps its own idea of the window size, and turns the console's OSC 52 clipboard writes
into tmux paste buffers when ``set-clipboard`` is on. Each test starts a private tmux server
(its own socket, no user config), runs ``python -m artistree_tui --demo`` in a pane, drives it
with ``send-keys`` and reads it with ``capture-pane``. Skipped where tmux is not installed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.tmux import NEEDS_TMUX, Tmux

pytestmark = NEEDS_TMUX

ORDER_ID = re.compile(r"Order id\s+([0-9a-f-]{36})")
SIZE = (100, 40)


@pytest.fixture(params=["screen", "tmux-256color"])
def tmux(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Tmux]:
    # 40 rows: the detail's end (G) shows its Order section whole, the order id included.
    session = Tmux(tmp_path, request.param, size=SIZE)
    try:
        yield session
    finally:
        session.close()


def _order_id(screen: str) -> str | None:
    found = ORDER_ID.search(screen)
    return found.group(1) if found else None


def _full(verdict: str | None) -> bool:
    """The verdict of a full order: a list row alone has no remediation yet ("—")."""
    return verdict is not None and "remediation —" not in verdict


def _core(verdict: str | None) -> str | None:
    """State, confidence and remediation of a verdict line, without the title."""
    return verdict.split("   ")[0] if verdict is not None else None


def _verdict(screen: str) -> str | None:
    """The detail pane's header line (state, confidence, remediation, title), or None: the
    cell of the line between borders that holds it (not the sidebar beside it)."""
    for line in screen.splitlines():
        for cell in re.split("[│┃]", line):
            if " · confidence " in cell:
                return cell.strip()
    return None


def test_the_console_under_tmux(tmux: Tmux) -> None:
    tmux.wait(lambda: "row 1/" in tmux.screen() and _full(_verdict(tmux.screen())), "rows")
    first = _verdict(tmux.screen())  # the first order's full verdict (not its list row's)
    assert "All Projects" in tmux.screen()

    # j moves to the next order: the detail pane follows.
    tmux.keys("j")
    tmux.wait(
        lambda: _verdict(tmux.screen()) not in (None, first) and _full(_verdict(tmux.screen())),
        "the next order's full detail",
    )
    second = _verdict(tmux.screen())

    # y copies the highlighted order's id with OSC 52, which tmux keeps as a paste buffer:
    # the id the detail shows at its end (3 focuses the detail, G goes to its bottom).
    tmux.keys("y")
    tmux.wait(lambda: bool(tmux.buffers().strip()), "the copied id in a tmux buffer")
    tmux.keys("3", "G")
    tmux.wait(lambda: _order_id(tmux.screen()) is not None, "the order id, at the detail's end")
    assert tmux.buffers().splitlines()[0] == _order_id(tmux.screen())
    tmux.keys("g", "2")

    # tmux resizes the window under the console: tiny, then back; it redraws, no crash.
    tmux.resize(30, 8)
    tmux.wait(
        lambda: "Proj" in tmux.screen() and max(map(len, tmux.screen().splitlines())) <= 30,
        "the console redrawn at 30×8",
    )
    tmux.resize(*SIZE)
    # The same order's verdict (its title may be cut at another width once the layout settles).
    tmux.wait(
        lambda: _core(_verdict(tmux.screen())) == _core(second), "the detail after growing back"
    )

    pid = int(tmux.pane("#{pane_pid}"))
    tmux.keys("q")
    tmux.wait(lambda: tmux.exit_status(pid) is not None, "the console to exit")
    assert tmux.exit_status(pid) == "0/"
    assert "Traceback" not in tmux.screen()
