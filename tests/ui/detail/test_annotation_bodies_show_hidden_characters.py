"""Annotation bodies fetched over real HTTP from a hostile demo show what is hidden in them.

The demo's hostile mode puts into annotation bodies a bare carriage return
(``approved\\rREJECTED``), 298 stacked U+0489 (a combining mark outside the "combining"
blocks), invisible fillers (Hangul fillers, the combining grapheme joiner) and a pile of
variation selectors. Walking through an order's annotations shows each body whole in the
detail pane; every rendered line must show the CR as ``␍`` (not glue the words together),
carry at most two combining marks per character, no filler as it is, and never two variation
selectors in a row.

Helpers come from the ``tests/support/app.py`` and ``tests/test_certificate.py``.
"""

from __future__ import annotations

import unicodedata
from typing import Any

import httpx

from artistree_tui.demo import FaultConfig
from artistree_tui.display import MAX_MARKS
from tests.support.app import make_app, open_order, wait_for

SIZE = (170, 60)
FILLERS = frozenset("\u115f\u1160\u3164\uffa0\u034f")
PAYLOAD_MARKS = ("approved\r", "\u0489\u0489\u0489", "\u3164", "\ufe01\U000e0105")


def _order_with_every_payload(http: httpx.Client) -> str:
    page = http.get("/v1/orders", params={"project_id": "All Projects", "limit": "200"}).json()
    for order in page["orders"]:
        bodies = " ".join(
            body.get("value", "")
            for annotation in order.get("annotations") or []
            for body in annotation.get("bodies") or []
        )
        if all(mark in bodies for mark in PAYLOAD_MARKS):
            return str(order["order_id"])
    raise AssertionError("the hostile demo has no order carrying every payload")


def _problems(line: str) -> list[str]:
    found: list[str] = []
    run = longest = 0
    for previous, ch in zip(" " + line, line, strict=False):
        run = run + 1 if unicodedata.category(ch) in ("Mn", "Me") else 0
        longest = max(longest, run)
        if ch in FILLERS:
            found.append(f"filler U+{ord(ch):04X}")
        if _selector(ch) and _selector(previous):
            found.append("two variation selectors")
    if longest > MAX_MARKS:
        found.append(f"{longest} stacked marks")
    return found


def _selector(ch: str) -> bool:
    return "\ufe00" <= ch <= "\ufe0f" or "\U000e0100" <= ch <= "\U000e01ef"


def _lines(app: Any) -> list[str]:
    strips = app.screen._compositor.render_strips()
    return ["".join(segment.text for segment in strip) for strip in strips]


async def test_bodies_show_carriage_returns_and_cap_marks_fillers_and_selectors(
    make_demo: Any, demo_http: Any
) -> None:
    demo = make_demo(orders=300, seed=7, faults=FaultConfig(hostile=True))
    order_id = _order_with_every_payload(demo_http(demo))
    app = make_app(demo)
    shown: list[str] = []
    async with app.run_test(size=SIZE) as pilot:
        await open_order(pilot, app, order_id)
        await pilot.press("3")
        detail = app.main_screen.detail
        count = len(detail.order.annotations) if detail.order else 0
        assert count >= 4
        for step in range(count):
            await pilot.pause(0.05)
            lines = _lines(app)
            problems = [p for line in lines for p in _problems(line)]
            assert not problems, f"annotation {step}: {sorted(set(problems))}"
            shown.extend(lines)
            await pilot.press("j")
        await wait_for(pilot, lambda: app.is_running)
    text = "\n".join(shown)
    assert "approved␍REJECTED" in text
    assert "approvedREJECTED" not in text
    assert "fill␦␦␦␦␦ers" in text
