"""Helpers for the console's Pilot tests (no tests here): settings for a demo server, the app,
waiting for a condition, the screen as plain text, keys typed ahead in one burst, an order
opened in the detail pane."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
from textual import events
from textual.command import CommandList, CommandPalette
from textual.css.query import NoMatches
from textual.pilot import Pilot

from artistree_tui.api.models import Order
from artistree_tui.config import Settings
from artistree_tui.connect import build_client
from artistree_tui.sync import SyncSettings
from artistree_tui.ui.app import ConsoleApp
from artistree_tui.ui.dialogs.certificate import CertificateChoice
from artistree_tui.ui.dialogs.help import HelpBox, HelpScreen
from artistree_tui.ui.screen.main import MainScreen

SIZE = (120, 40)


def demo_settings(demo: Any, **overrides: Any) -> Settings:
    """Settings pointing at a running demo server (its credentials are not secrets)."""
    values: dict[str, Any] = {
        "base_url": demo.base_url,
        "token_url": demo.token_url,
        "client_id": demo.client_id,
        "client_secret": demo.client_secret,
        "refresh_seconds": 0.0,
        "demo": True,
        # No image cache on disk, no preview unless a test asks for it.
        "image_cache_mb": 0,
        "preview": "off",
        # Nothing fetched ahead unless a test asks for it: tests count requests per order.
        "prefetch": False,
        # The order index in memory: nothing under the user's cache folder (a test that
        # wants a file passes store="disk" and a cache_dir of its own).
        "store": "memory",
    }
    values.update(overrides)
    return Settings(**values)


def make_app(demo: Any, *, sync: SyncSettings | None = None, **overrides: Any) -> ConsoleApp:
    """The console on ``demo``; ``sync``: how its sync paces itself (default: as configured)."""
    settings = demo_settings(demo, **overrides)
    return ConsoleApp(settings, build_client(settings), sync=sync)


async def wait_for(
    pilot: Pilot[Any],
    predicate: Callable[[], object],
    *,
    limit: float = 20.0,
    state: Callable[[], object] | None = None,
) -> None:
    """Let the app run until ``predicate()`` is true (fails the test after ``limit`` s,
    saying what ``state()`` was then).

    Not a timing assertion: the bound only keeps a broken test from hanging, and is generous
    because CI runs the suite on two loaded cores.
    """
    loop = asyncio.get_running_loop()
    deadline = loop.time() + limit
    while not predicate():
        if loop.time() > deadline:
            found = f": {state()!r}" if state is not None else ""
            raise AssertionError(f"condition not met within {limit} s{found}")
        await pilot.pause(0.02)
    await pilot.pause()


async def wait_steady(
    pilot: Pilot[Any],
    predicate: Callable[[], object],
    *,
    checks: int = 3,
    limit: float = 20.0,
    state: Callable[[], object] | None = None,
) -> None:
    """Like :func:`wait_for`, but ``predicate()`` must hold ``checks`` times in a row, each
    after the app handled what was pending: a state that holds only between a message and the
    work it starts (a page arrived, the next request not asked yet) does not count."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + limit
    held = 0
    while held < checks:
        if loop.time() > deadline:
            found = f": {state()!r}" if state is not None else ""
            raise AssertionError(f"condition not steady within {limit} s{found}")
        await pilot.pause(0.01)
        held = held + 1 if predicate() else 0
    await pilot.pause()


def screen_text(app: ConsoleApp) -> str:
    """What the terminal shows now, as plain text lines."""
    strips = app.screen._compositor.render_strips()
    return "\n".join("".join(segment.text for segment in strip) for strip in strips)


def help_box(app: ConsoleApp) -> HelpBox | None:
    """The help box on screen: the main screen's (over the panes) when it is open, or the one
    of a help screen on top; None when help is closed."""
    screen = app.screen
    if isinstance(screen, HelpScreen):
        return screen.box
    main = app.screen_stack[0]
    if isinstance(main, MainScreen) and main is screen and main.help_shown:
        return main.help_box
    return None


def help_open(app: ConsoleApp) -> bool:
    return help_box(app) is not None


def help_keys(app: ConsoleApp) -> str:
    """The keys the open help lists, as plain text ("" when help is closed)."""
    box = help_box(app)
    return box.keys_text if box is not None else ""


def notifications(app: ConsoleApp) -> list[str]:
    return [n.message for n in app._notifications]


def order_requests(demo: Any) -> list[Any]:
    """Recorded GET /v1/orders list requests (not /v1/orders/{id})."""
    return [r for r in demo.recorded("/v1/orders") if r.path.rstrip("/") == "/v1/orders"]


def list_loaded(app: ConsoleApp) -> bool:
    """True once the order list has rows and the detail shows an order."""
    try:
        screen = app.main_screen
        return screen.orders.loaded_count > 0 and screen.detail.order is not None
    except (IndexError, AssertionError, NoMatches):  # still starting up
        return False


def sync_done(app: ConsoleApp) -> bool:
    """The sync has read the whole organization once and waits, and the list shows the index
    as it is now (no view being prepared, none out of date)."""
    try:
        screen = app.main_screen
    except (IndexError, AssertionError):
        return False
    progress = screen.live.progress
    model = screen.orders.order_list.model
    view = model.window.view
    return (
        progress is not None
        and progress.complete
        and progress.phase == "idle"
        and model.ready
        and model.pending is None
        and view is not None
        and not view.stale
    )


def settled(app: ConsoleApp) -> bool:
    """:func:`sync_done`, and project discovery is over, its full pages written."""
    screen = app.main_screen
    return sync_done(app) and screen.discovery_state == "done" and not screen.sync.writing


async def cursor_shown(pilot: Pilot[Any], app: ConsoleApp) -> Order:
    """Wait until the order under the list's cursor has reached the rest of the screen (the
    highlight is debounced: a timer, late on a loaded machine): the detail pane shows it.
    Returns that order."""
    screen = app.main_screen

    def shown() -> bool:
        order = screen.orders.highlighted_order
        return order is not None and screen.detail.order_id == order.order_id

    await wait_for(pilot, shown, state=lambda: (screen.orders.highlighted_order, screen.detail))
    order = screen.orders.highlighted_order
    assert order is not None
    return order


def palette_hits(app: ConsoleApp) -> list[str]:
    """The first line (title) of each hit the open command palette lists."""
    if not isinstance(app.screen, CommandPalette):
        return []
    options = app.screen.query_one(CommandList).options
    return [str(option.prompt).split("\n")[0].split("  ·")[0] for option in options]


#: The characters a terminal sends for the named keys :func:`burst` types.
CHARACTERS = {"slash": "/", "enter": "\r", "question_mark": "?"}


def burst(app: ConsoleApp, *keys: str) -> None:
    """Queue ``keys`` at once, the way a terminal delivers typed-ahead keys in one read (a
    pilot.press waits for each key to be handled, which hides ordering bugs)."""
    for key in keys:
        app.post_message(events.Key(key, CHARACTERS.get(key, key if len(key) == 1 else None)))


def order_ids(demo: Any, http: httpx.Client, state: str) -> list[str]:
    """Ids of the server's orders in ``state`` (the first page of All Projects), read with
    ``http``, a client holding a token (the ``demo_http`` fixture)."""
    page = http.get("/v1/orders", params={"project_id": "All Projects", "limit": "200"}).json()
    return [o["order_id"] for o in page["orders"] if o["order_state"] == state]


async def open_order(pilot: Pilot[Any], app: ConsoleApp, order_id: str) -> None:
    """Show ``order_id`` in the detail pane ("go to order id"), fully loaded."""
    await wait_for(pilot, lambda: list_loaded(app))
    app.main_screen.go_to_order(order_id)
    detail = app.main_screen.detail
    await wait_for(pilot, lambda: detail.order_id == order_id and detail.complete)


async def move_to_order(
    pilot: Pilot[Any],
    app: ConsoleApp,
    wanted: Callable[[Order], object],
    *,
    what: str = "a matching order",
    moves: int = 200,
) -> Order:
    """Press ``j`` down the list until the detail pane shows, complete, an order for which
    ``wanted(order)`` holds; returns it. Bounded: fails after ``moves`` presses (the demo data
    has no such order near the top)."""
    screen = app.main_screen
    detail = screen.detail

    def shown() -> Order | None:
        order = screen.orders.highlighted_order
        if order is None or detail.order_id != order.order_id or not detail.complete:
            return None
        return detail.order

    for _ in range(moves):
        await wait_for(pilot, lambda: shown() is not None, state=lambda: (detail, detail.complete))
        order = shown()
        assert order is not None
        if wanted(order):
            return order
        await pilot.press("j")
    raise AssertionError(f"no {what} within {moves} orders of the demo data")


async def offer(pilot: Pilot[Any], app: ConsoleApp, key: str = "c") -> None:
    """Press ``key`` (certificate) and wait for the copy/save choice."""
    await pilot.press(key)
    await wait_for(pilot, lambda: isinstance(app.screen, CertificateChoice))


async def choose(pilot: Pilot[Any], app: ConsoleApp, key: str) -> None:
    """Press ``c`` (certificate), wait for the choice, then press ``key``."""
    await offer(pilot, app)
    await pilot.press(key)
    await wait_for(pilot, lambda: not isinstance(app.screen, CertificateChoice))


async def detail_settled(pilot: Pilot[Any]) -> None:
    """Wait for the whole organization indexed, project discovery done, the list up to date
    and the full order in the detail pane (also a snapshot's ``run_before``)."""
    app = pilot.app
    assert isinstance(app, ConsoleApp)
    await wait_for(pilot, lambda: list_loaded(app))
    detail = app.main_screen.detail
    await wait_steady(pilot, lambda: settled(app) and detail.complete)


CERTIFIED = "Human Certified"


@asynccontextmanager
async def certificate_console(
    demo: Any, http: httpx.Client, downloads: Path, *, index: int = 0, **settings: Any
) -> AsyncIterator[tuple[ConsoleApp, Pilot[Any], str]]:
    """The console on ``demo`` saving into ``downloads``, with Human Certified order number
    ``index`` open in the detail pane; yields the app, its pilot and that order's id."""
    order_id = order_ids(demo, http, CERTIFIED)[index]
    app = make_app(demo, downloads_dir=downloads, **settings)
    async with app.run_test(size=SIZE) as pilot:
        await open_order(pilot, app, order_id)
        yield app, pilot, order_id


def toasts_with(app: ConsoleApp, text: str) -> list[str]:
    return [n for n in notifications(app) if text in n]
