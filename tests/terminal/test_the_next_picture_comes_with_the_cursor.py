"""``j`` onto an order fetched ahead, in the real console on a pty: its picture is written in the
cursor's frame, before the detail pane's text, and ``y`` pressed right after copies that order.

The console fetches the next order's full order and picture while the cursor rests (prefetch,
on by default). Then ``j`` paints the cursor, the detail's header and the new picture in one
frame; the list's row count follows once that frame is made, and the detail pane draws the rest
of the order once it is on the terminal (ui/screen/follow.py ``CursorFollow``). Seen on the wire
at 160×50: after the press, the header's verdict line (``· confidence``, which nothing else on
screen says; at the pane's top), picture cells (a run of ``▀``/``▄``; a frame is written by
screen row), then ``row N/``. A picture painted after the detail's draw (the order not fetched
ahead) comes after both.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from artistree_tui.demo import DemoServer
from tests.support.demo import TLS, fetch_token, page_orders
from tests.support.pty_console import PtyConsole, api_console

pytestmark = pytest.mark.pty

StartConsole = Callable[..., PtyConsole]

#: The detail header's verdict line (the list and the stats bar never say it).
VERDICT = "· confidence "
#: A run of picture cells (a scrollbar's thumb is one ``▄`` a line).
PICTURE = re.compile("(?:[▀▄](?:\x1b\\[[0-9;]*m)*){6,}")
CLIPBOARD = re.compile(rb"\x1b\]52;c;([A-Za-z0-9+/=]*)(?:\x07|\x1b\\)")
#: Orders walked through before the presses measured.
SEEN = 6


def first_rows(demo: DemoServer) -> list[dict[str, Any]]:
    """The orders in the list's order (the API's newest first), read over plain HTTP."""
    token = fetch_token(demo)
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=demo.base_url, headers=headers, verify=TLS) as client:
        return page_orders(client, limit=SEEN + 1)


def fetched_ahead(demo: DemoServer, order: dict[str, Any]) -> bool:
    """The console has asked for ``order`` in full and downloaded its picture."""
    preview = httpx.URL(order["asset_preview_url"]).path
    full = f"/v1/orders/{order['order_id']}"
    return bool(demo.recorded(full)) and bool(demo.recorded(preview))


def test_j_paints_the_picture_with_the_cursor_and_y_copies_that_order(
    make_demo: Callable[..., DemoServer], tmp_path: Path, start_console: StartConsole
) -> None:
    demo = make_demo(orders=40, seed=5)
    rows = first_rows(demo)
    argv, env = api_console(demo, tmp_path / "home", COLORTERM="truecolor")
    terminal = start_console(argv, env, size=(160, 50))
    terminal.wait_for("row 1/")
    terminal.wait_for(VERDICT)  # the first order is drawn

    # Down through the first orders, then back to the top: each is drawn, and the pane's
    # sections reach the height the tallest of them needs (a section keeps it, so moving
    # through them again changes no height: nothing moves the picture).
    for index in range(1, SEEN + 1):
        terminal.press_until(b"j", f"row {index + 1}/")
    terminal.press_until(b"g", "row 1/")

    picture_first: list[bool] = []
    for index in range(1, SEEN):
        order = rows[index]
        terminal.settle_idle(0.5)  # at rest: the next order is fetched ahead meanwhile
        mark = terminal.press(b"j")
        terminal.wait_for(f"row {index + 1}/", start=mark)
        if not order.get("asset_preview_url"):
            continue  # no picture to paint
        terminal.wait_until(lambda m=mark: PICTURE.search(terminal.text(m)), "the picture")
        terminal.settle_idle(0.3)  # and the detail's draw after it
        text = terminal.text(mark)
        picture, verdict = PICTURE.search(text), text.find(VERDICT)
        row = text.find(f"row {index + 1}/")
        assert picture is not None and row != -1, text[-500:]
        if verdict != -1:  # else the verdict line read as before (no confidence): not drawn
            # One frame holds the cursor, the detail's header and the picture, written by
            # screen row: the header's verdict (the pane's top), then the picture; the list's
            # row count comes after it, then the rest of the detail. A picture painted after the
            # detail's draw came after the row count.
            picture_first.append(verdict < picture.start() < row)
    # A press that finds the picture not decoded yet (a loaded machine) draws the detail
    # first, as before; the others go picture first.
    assert len(picture_first) >= 3, picture_first
    assert sum(picture_first) >= 0.75 * len(picture_first), picture_first

    # j then y at once, onto an order fetched ahead: y acts on the order the cursor is on
    # (its picture shown, the detail's text not drawn yet), not on the one the detail shows.
    order = rows[SEEN]  # the cursor is on row SEEN (index SEEN - 1)
    terminal.wait_until(lambda: fetched_ahead(demo, order), "the next order fetched")
    terminal.settle_idle(0.3)
    mark = terminal.press(b"jy")
    terminal.wait_until(lambda: CLIPBOARD.search(terminal.output[mark:]), "y's copy")
    match = CLIPBOARD.search(terminal.output[mark:])
    assert match is not None
    assert base64.b64decode(match.group(1)).decode() == order["order_id"]

    terminal.press(b"q")
    assert terminal.wait_exit() == 0, terminal.text()[-2000:]
