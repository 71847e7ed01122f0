"""Holding ``j`` through the list downloads and decodes only the preview it stops on.

The preview used to be throttled (a 50 ms delay per load) where the detail is debounced: at
key-repeat speed most presses still downloaded and decoded a picture (50 downloads for 150
presses), a third of a core and most of the memory growth. Over real loopback HTTP against the
demo, with the real console: fifteen presses of ``j`` at about 12 a second (a held key) cost
at most a couple of downloads, the picture shown at the end is the last order's, and a single
press after a rest still loads at once (no added wait).

Keys are posted as a terminal delivers them (``pilot.press`` waits for each to be handled,
which takes far longer than a key repeat on a loaded machine). A row where the loaded machine
itself kept the cursor for a rest may load as a stop does (``tests/support/held_keys.py``).
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from textual import events

from artistree_tui.ui.preview import panel as panel_module
from artistree_tui.ui.preview.panel import SHOWN, PreviewPanel
from tests.support.app import cursor_shown, list_loaded, make_app, wait_for
from tests.support.held_keys import moves_seen, stalls

PRESSES = 15
KEY_REPEAT = 1 / 12  # seconds between two presses of a held key (an input rate, not a wait)
# The rest that starts a load, widened from 0.12 s: on a loaded machine the highlight reaches
# the panel late and unevenly, and a held key must still read as one movement.
REST = 0.6


def downloads(demo: Any) -> int:
    return len(demo.recorded("/files/previews"))


async def test_a_held_key_loads_only_where_it_stops(
    make_demo: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(panel_module, "REST", REST)
    demo = make_demo(orders=300, seed=7)
    app = make_app(demo, preview="halfblock")
    async with app.run_test(size=(170, 50)) as pilot:
        await wait_for(pilot, lambda: list_loaded(app))
        panel = app.main_screen.query_one(PreviewPanel)
        await wait_for(pilot, lambda: panel.status == SHOWN)
        before = downloads(demo)
        moves = moves_seen(app, monkeypatch)
        for _ in range(PRESSES):
            # As a terminal delivers a held key: one event at a time, at the repeat rate,
            # whether or not the console has finished with the previous one.
            app.post_message(events.Key("j", "j"))
            await asyncio.sleep(KEY_REPEAT)
        last = await cursor_shown(pilot, app)
        await wait_for(
            pilot,
            lambda: (
                panel.status == SHOWN
                and panel.order is not None
                and panel.order.order_id == last.order_id
            ),
        )
        held = downloads(demo) - before
        # Where the loaded machine itself kept the cursor for a rest, a load is right.
        stalled = stalls(moves, REST)
        assert len(moves) - len(stalled) >= 3, moves
        assert 1 <= held <= 3 + len(stalled), f"{held} downloads for {PRESSES} presses"
        # One press after a rest loads at once: no rest timer stands in its way.
        await pilot.pause(REST * 1.5)
        before = downloads(demo)
        await pilot.press("j")
        order = await cursor_shown(pilot, app)
        await wait_for(
            pilot,
            lambda: (
                panel.status == SHOWN
                and panel.order is not None
                and panel.order.order_id == order.order_id
            ),
        )
        assert downloads(demo) - before == 1
