"""Layout snapshots (pytest-textual-snapshot): the main screen at 80×24, 120×40 and 200×60, the
detail of an order with annotations, and the help screen. (A Failed order's verdict on screen
is checked in a real terminal: tests/terminal/test_verdict_on_screen_under_tmux.py.)

Deterministic by construction: the demo's fixed seed and fixed clock epoch, local time pinned
to UTC, the list's and the status line's "now" frozen at the demo epoch, and each snapshot
taken only once the list and the full detail order have arrived. Update with
``pytest --snapshot-update`` after an intended layout change, and look at the SVGs before
committing them.
"""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot

from tests.support.app import detail_settled, make_app, move_to_order

SEED = 7
ORDERS = 300


def test_main_layout_80x24(snap_compare: Any, make_demo: Any, frozen: None) -> None:
    app = make_app(make_demo(orders=ORDERS, seed=SEED))
    assert snap_compare(app, terminal_size=(80, 24), run_before=detail_settled)


def test_main_layout_120x40(snap_compare: Any, make_demo: Any, frozen: None) -> None:
    app = make_app(make_demo(orders=ORDERS, seed=SEED))
    assert snap_compare(app, terminal_size=(120, 40), run_before=detail_settled)


def test_main_layout_200x60(snap_compare: Any, make_demo: Any, frozen: None) -> None:
    app = make_app(make_demo(orders=ORDERS, seed=SEED))
    assert snap_compare(app, terminal_size=(200, 60), run_before=detail_settled)


def test_detail_with_annotations_160x50(snap_compare: Any, make_demo: Any, frozen: None) -> None:
    """The wide layout (list and detail side by side) on an order with both region kinds."""
    demo = make_demo(orders=ORDERS, seed=SEED)
    app = make_app(demo)

    async def run_before(pilot: Pilot[Any]) -> None:
        await detail_settled(pilot)
        await move_to_order(
            pilot,
            app,
            lambda o: {"RECTANGLE", "POLYGON"} <= {a.selector_type for a in o.annotations},
            what="order with both region kinds",
        )
        await pilot.press("3", "j")
        await pilot.pause()

    assert snap_compare(app, terminal_size=(160, 50), run_before=run_before)


def test_help_screen(snap_compare: Any, make_demo: Any, frozen: None) -> None:
    app = make_app(make_demo(orders=ORDERS, seed=SEED))

    async def run_before(pilot: Pilot[Any]) -> None:
        await detail_settled(pilot)
        await pilot.press("question_mark")
        await pilot.pause()

    assert snap_compare(app, terminal_size=(100, 32), run_before=run_before)
