"""A toast stacks up from above the status line and the footer: at 80×24 it covered the
status line (the sync's progress, the connection) for as long as it showed. Read off what the
terminal shows: the toast's last row (its bottom padding) is the line above the status line."""

from __future__ import annotations

from typing import Any

import pytest

from artistree_tui.ui.notify import toast
from tests.support.app import list_loaded, make_app, screen_text, wait_for

NOTICE = "A notice long enough to wrap at 80 columns: the status line stays in sight."


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_a_toast_covers_neither_the_status_line_nor_the_footer(
    demo_server: Any, size: tuple[int, int]
) -> None:
    app = make_app(demo_server)
    async with app.run_test(size=size, notifications=True) as pilot:
        await wait_for(pilot, lambda: list_loaded(app))
        before = screen_text(app).splitlines()
        toast(app, NOTICE)
        await wait_for(pilot, lambda: "A notice long" in screen_text(app))
        lines = screen_text(app).splitlines()
        assert lines[-1] == before[-1]  # the footer, untouched
        assert lines[-2].startswith(" ● online ·") and "▌" not in lines[-2]  # the status line
        # The toast's rows carry its left edge (▌): the last is the line above the status line.
        last = max(i for i, line in enumerate(lines) if "▌" in line)
        assert last == len(lines) - 3
