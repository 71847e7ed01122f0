"""Hostile data through every pane and palette: shown, never interpreted.

The demo's hostile mode (``FaultConfig(hostile=True)``) puts markup (``[@click=app.quit]``,
``[/]``, ``[link=…]``), escape sequences (CSI, OSC 52/8/0, DCS, APC), 8-bit C1 controls, bidi
overrides, zero-width characters, a lone surrogate and 100 KB strings into every
user-controlled field and one project name. A Pilot walk goes through the list, the detail
(fields, annotations and their huge bodies, layers, the preview's title), the sidebar and a
hostile project's scope (border title, stats bar), both command palettes, the help screen,
the certificate choice, error toasts and error lines, and after every step checks what the
app rendered:

- no control, C1, bidi, zero-width or surrogate character in any rendered segment;
- no segment carries a ``@click`` action or a hyperlink in its style (markup was parsed);
- no notification holds such characters either;
- and the app is still running (a ``MarkupError`` would have stopped it).

The same hostile strings must also be *visible*, literally: the walk collects the screen text
and checks that the markup and the escape sequences' visible pictures (``␛``) were shown, so
the walk cannot pass by not showing the hostile orders at all. The 100 KB strings must not
freeze anything: every step waits with a bound (not a timing assertion).
"""

from __future__ import annotations

import unicodedata
from typing import Any

import httpx
from textual.command import CommandPalette
from textual.pilot import Pilot

from artistree_tui.demo import FaultConfig
from artistree_tui.demo.hostile import project_name
from artistree_tui.ui.app import ConsoleApp
from artistree_tui.ui.dialogs.certificate import CertificateChoice
from tests.support.app import (
    cursor_shown,
    help_open,
    list_loaded,
    make_app,
    notifications,
    open_order,
    screen_text,
    wait_for,
)

SIZE = (170, 50)
_FORBIDDEN_RANGES = (
    (0x00, 0x1F),
    (0x7F, 0x9F),
    (0x200B, 0x200F),
    (0x2028, 0x202E),
    (0x2060, 0x206F),
    (0xD800, 0xDFFF),
    (0xFEFF, 0xFEFF),
    (0xFFF9, 0xFFFB),
    (0xE0000, 0xE007F),
)


def forbidden(ch: str) -> bool:
    code = ord(ch)
    if any(low <= code <= high for low, high in _FORBIDDEN_RANGES):
        return True
    return unicodedata.category(ch) in ("Cc", "Cf", "Cs")


class Walk:
    """Checks the rendered screen after each step and keeps what it showed."""

    def __init__(self, app: ConsoleApp, pilot: Pilot[Any]) -> None:
        self.app = app
        self.pilot = pilot
        self.shown: list[str] = []

    async def check(self, where: str) -> None:
        await self.pilot.pause(0.05)
        app = self.app
        assert app.is_running, f"the app stopped at {where}: {app.fatal_error}"
        problems: list[str] = []
        for strip in app.screen._compositor.render_strips():
            for segment in strip:
                bad = {f"U+{ord(ch):04X}" for ch in segment.text if forbidden(ch)}
                if bad:
                    problems.append(f"{sorted(bad)} in {segment.text[:60]!r}")
                style = segment.style
                if style is not None:
                    if style.link:
                        problems.append(f"link {style.link!r}")
                    meta = style.meta if style._meta else {}
                    if any("@click" in str(value) for value in meta.values()):
                        problems.append(f"action {meta!r}")
        for message in notifications(app):
            bad = {f"U+{ord(ch):04X}" for ch in message if forbidden(ch)}
            if bad:
                problems.append(f"{sorted(bad)} in toast {message[:60]!r}")
        assert not problems, f"at {where}: {problems[:5]}"
        self.shown.append(screen_text(app))

    async def press(self, *keys: str, where: str) -> None:
        for key in keys:
            await self.pilot.press(key)
        await self.check(where)

    @property
    def all_text(self) -> str:
        return "\n".join(self.shown)


async def test_hostile_strings_are_shown_literally_everywhere(
    make_demo: Any, demo_http: Any
) -> None:
    demo = make_demo(orders=300, seed=7, faults=FaultConfig(hostile=True))
    hostile, certified = hostile_orders(demo_http(demo))
    app = make_app(demo)
    async with app.run_test(size=SIZE) as pilot:
        walk = Walk(app, pilot)
        await wait_for(pilot, lambda: list_loaded(app))
        detail = app.main_screen.detail
        await wait_for(pilot, lambda: detail.complete)
        await walk.check("first screen")

        # The order list: a few rows down (the hostile rows are on the first screen).
        for row in range(3):
            await pilot.press("j")
            await cursor_shown(pilot, app)
            await wait_for(pilot, lambda: detail.complete)
            await walk.check(f"row {row + 2}")

        # The detail pane of hostile orders: fields, failed items, layers, and the
        # annotations (moving through them shows each body in full, 100 KB ones included).
        for order_id in hostile[:3]:
            await open_order(pilot, app, order_id)
            await walk.press("3", where=f"detail of {order_id}")
            for step in range(2):
                await walk.press("j", where=f"annotation {step} of {order_id}")
            await walk.press("2", where="back to the list")

        # The sidebar, then the hostile project: its name in the border title and stats bar.
        await walk.press("1", where="sidebar")
        entries = app.main_screen.sidebar.entries
        poisoned = next(i for i, e in enumerate(entries) if e.name.startswith("[b]"))
        await walk.press(*["j"] * poisoned, where="sidebar on the hostile project")
        await walk.press("enter", where="hostile project opened")
        await wait_for(pilot, lambda: list_loaded(app) and app.main_screen.scope_name != "")
        await walk.check("hostile scope")

        # Both palettes, with and without a query, and the help screen.
        await walk.press("p", where="project picker")
        assert isinstance(app.screen, CommandPalette)
        await walk.press("[", "b", where="project picker query")
        await walk.press("escape", where="picker closed")
        await walk.press("ctrl+p", where="command palette")
        await walk.press("c", "e", "r", where="command palette query")
        await walk.press("escape", where="palette closed")
        await walk.press("question_mark", where="help")
        assert help_open(app)
        await walk.press("question_mark", where="help closed")

        # The certificate choice on a hostile certified order shows its title literally.
        await open_order(pilot, app, certified)
        await walk.press("c", where="certificate key")
        await wait_for(pilot, lambda: isinstance(app.screen, CertificateChoice))
        await walk.check("certificate choice")
        await walk.press("escape", where="certificate closed")

        # Error toasts and lines: malformed answers for the next requests.
        demo.faults.script.extend(["malformed-html"] * 12)
        await walk.press("r", where="refresh with malformed answers")
        await wait_for(pilot, lambda: any("Could not" in n for n in notifications(app)))
        await walk.check("error toasts")

    shown = walk.all_text
    assert app.return_code in (None, 0)
    # The hostile strings were on screen, as text.
    assert "[@click=app.quit]Approve all[/]" in shown or "[@click=app.quit]Approve" in shown
    assert "[b]" in shown and "[/b]" in shown
    assert "␛]52;c;" in shown or "␛]8;;" in shown or "␛]0;" in shown
    assert "␛[" in shown  # a CSI shown as its picture
    # The poisoned project name ("[b]<name>[/b] ESC]0;pwned BEL RLO ESC[5m") in the sidebar.
    assert project_name("X").startswith("[b]X[/b]")
    assert "␛]0;pwned␇" in shown


def hostile_orders(http: httpx.Client) -> tuple[list[str], str]:
    """Ids of the orders whose title carries a payload (first page of the server), and one
    of them that is certified."""
    page = http.get("/v1/orders", params={"project_id": "All Projects", "limit": "200"}).json()
    hostile = [o for o in page["orders"] if is_hostile(o["order_title"])]
    certified = next(o for o in hostile if o["order_state"] == "Human Certified")
    return [o["order_id"] for o in hostile], certified["order_id"]


def is_hostile(title: str) -> bool:
    return "[" in title or not title.isprintable()
