"""The verdict first, in a real terminal (tmux) at 120×40 and 100×30: with the state filter on
Failed, the highlighted order's analyses, with their failures, and its failed items are on
screen without scrolling; ``?`` then ``q`` closes help and the console keeps running; ``/``
typed in the detail pane opens the order filter; ``ctrl+d`` moves the list half a page."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.tmux import NEEDS_TMUX, Tmux

pytestmark = NEEDS_TMUX

VERDICT = re.compile(r"✗ Failed · confidence \d+(\.\d)?% · remediation \w+")
ANALYSES = re.compile(r"Analyses · (\d+) of (\d+) failed")
INDEXED = re.compile(r"\b2,0\d\d orders indexed")
ROW = re.compile(r"row ([\d,]+)/([\d,]+)")


def list_row(screen: str) -> int:
    """The list's cursor row, as its border says (``row 8/12``)."""
    found = ROW.search(screen)
    assert found, screen
    return int(found.group(1).replace(",", ""))


@pytest.fixture(params=[(120, 40), (100, 30)], ids=["120x40", "100x30"])
def tmux(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Tmux]:
    session = Tmux(tmp_path, "tmux-256color", ("--demo", "--demo-orders=2000"), size=request.param)
    try:
        yield session
    finally:
        session.close()


def detail_lines(screen: str) -> list[str]:
    """The detail pane's text lines, from its header down (borders stripped; beside a preview
    the picture's cells follow the text on the same line)."""
    lines = screen.splitlines()
    top = next(i for i, line in enumerate(lines) if VERDICT.search(line))
    return [line.split("│")[-2] if line.count("│") >= 2 else line for line in lines[top:]]


def failed_names(lines: list[str]) -> list[str]:
    """The analyses named on the "✗ fail" line and its continuation lines."""
    names: list[str] = []
    start = next(i for i, line in enumerate(lines) if "✗ fail    " in line)
    text = lines[start].split("✗ fail    ", 1)[1]
    for follow in lines[start + 1 :]:
        if not follow.startswith(" " * 11) or not follow.strip():
            break
        text += " " + follow.strip().split("   ")[0]
    for part in text.split(","):
        name = part.strip().split()[0] if part.strip() else ""
        if name:
            names.append(name)
    return names


def test_a_failed_orders_verdict_is_on_screen_without_scrolling(tmux: Tmux) -> None:
    tmux.wait(lambda: "row 1/" in tmux.screen(), "the first rows")
    # The whole organization indexed (the status line says "2,000 orders indexed").
    tmux.wait(lambda: INDEXED.search(tmux.screen()) is not None, "the sync's first sweep")
    for _ in range(len(["running", "certified", "action", "reviewed", "failed"])):
        tmux.keys("s")
    tmux.wait(lambda: "state ✗ failed" in tmux.screen(), "the state filter on Failed")
    tmux.wait(lambda: VERDICT.search(tmux.screen()) is not None, "a Failed order's verdict")
    tmux.wait(lambda: "Failed items" in tmux.screen(), "the failed items")
    screen = tmux.screen()
    lines = detail_lines(screen)
    found = ANALYSES.search(screen)
    assert found, screen
    failing, total = int(found.group(1)), int(found.group(2))
    assert 1 <= failing <= total
    # Every failing analysis named on screen, under "✗ fail", before the failed items.
    names = failed_names(lines)
    assert len(names) == failing, (names, screen)
    items = next(line for line in lines if "Failed items  " in line)
    assert "none" not in items.split("Failed items  ", 1)[1][:6]
    assert screen.index("Analyses ·") < screen.index("Failed items")

    # ctrl+d in the list: half a page down (the list shows at least 10 rows at these sizes).
    tmux.keys("2")
    assert list_row(tmux.screen()) == 1
    tmux.keys("C-d")
    tmux.wait(lambda: list_row(tmux.screen()) > 1, "the cursor half a page down")
    moved = list_row(tmux.screen()) - 1
    assert 4 <= moved <= 20, tmux.screen()
    tmux.wait(lambda: VERDICT.search(tmux.screen()) is not None, "the verdict at rest")

    # ? then q: help closes and the console keeps running.
    pid = int(tmux.pane("#{pane_pid}"))
    tmux.keys("?")
    tmux.wait(lambda: "Press ?, f1, esc, q to close." in tmux.screen(), "help")
    tmux.keys("q")
    tmux.wait(lambda: "to close." not in tmux.screen(), "help closed")
    assert tmux.exit_status(pid) is None
    # The frame that closes help repaints the whole screen: tmux may show its first part.
    tmux.wait(lambda: VERDICT.search(tmux.screen()) is not None, "the verdict after help")

    # / typed in the detail pane opens the order filter.
    tmux.keys("3", "/")
    tmux.wait(lambda: "filter:" in tmux.screen(), "the filter box")
    tmux.keys("c", "o", "v", "e", "r")
    tmux.wait(lambda: "filter “cover”" in tmux.screen(), "the list filtered by the typed text")
    assert tmux.exit_status(pid) is None
    tmux.keys("Escape")
    tmux.wait(lambda: "filter:" not in tmux.screen(), "the filter cleared")
    tmux.keys("q")
    tmux.wait(lambda: tmux.exit_status(pid) is not None, "the console to exit")
    assert tmux.exit_status(pid) == "0/"
