"""Screenshots of the console on the demo API, written as SVG files (the README shows them).

Run ``python -m artistree_tui.screenshots`` (or ``... --out DIR main help``) to regenerate
``screenshots/``. Each shot starts its own demo API in-process and drives a real
:class:`~artistree_tui.ui.app.ConsoleApp` headless with Textual's Pilot, then exports the
screen with :meth:`App.export_screenshot`.

The output is byte-for-byte the same on every run, so a regenerated file only changes when the
console's look does. What would otherwise vary is pinned here:

- the data: a fixed seed and order count, the demo clock stopped at :data:`DEMO_EPOCH` (it
  normally moves with real time, so an In Progress order could complete between two runs);
- the environment (:data:`ENVIRONMENT`: ``TZ=UTC``, a true-colour terminal) and the console's
  wall clock (``datetime.now()`` in its modules: today's orders show as ``HH:MM``, the status
  line says when the list was refreshed);
- the terminal size of each shot; toasts off; the filter box's cursor blink off;
- the moment: each shot waits for the data it shows (first page, full order, project
  discovery, the preview painted), never for a fixed time.

Rich names the SVG's CSS classes from a hash of its content, so nothing random is embedded.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from pathlib import Path
from types import ModuleType

from textual.pilot import Pilot
from textual.widgets import Input

from artistree_tui.config import Settings
from artistree_tui.config.settings import PreviewMode
from artistree_tui.connect import build_client
from artistree_tui.demo import DEMO_EPOCH, DemoServer
from artistree_tui.demo.clock import DemoClock
from artistree_tui.ui.app import ConsoleApp
from artistree_tui.ui.live.connection import ClientEventRelay, Link

#: The same data as ``artistree-tui --demo`` (seed 1, 2,000 orders), seen at the demo epoch.
SEED = 1
ORDERS = 2000
#: Where ``python -m artistree_tui.screenshots`` writes by default (the repository's folder).
DEFAULT_OUT = Path("screenshots")
#: A selected order needs at least this many annotations to make a good detail shot.
DETAIL_MIN_ANNOTATIONS = 4
#: Upper bound on any single wait: a broken console fails the script instead of hanging it.
WAIT_LIMIT = 30.0
#: Checks in a row a condition must pass before a shot goes on (see wait_for).
STEADY = 3
#: What the filter shot types (a word in several demo titles).
FILTER_TEXT = "lighthouse"

Step = Callable[[Pilot[None]], Awaitable[None]]


class _StoppedClock(DemoClock):
    """The demo clock without the real-time part: "now" stays at the epoch (plus advances)."""

    def now(self) -> float:
        return self.epoch + self._advanced


class _FrozenDatetime(datetime):
    """``datetime.now()`` pinned to the demo epoch (the list's "today", "refreshed HH:MM")."""

    @classmethod
    def now(cls, tz: tzinfo | None = None) -> _FrozenDatetime:
        frozen = cls.fromtimestamp(DEMO_EPOCH, tz=UTC)
        return frozen.astimezone(tz) if tz is not None else frozen


def _modules_using_datetime() -> list[ModuleType]:
    """The console's modules that call ``datetime.now()`` through a module-level name."""
    return [
        module
        for name, module in list(sys.modules.items())
        if name.startswith("artistree_tui.") and getattr(module, "datetime", None) is datetime
    ]


#: The environment of every shot: local time UTC, a true-colour terminal (the preview picks
#: its colours from the terminal's, and a headless app otherwise reports 16), colour on.
ENVIRONMENT = {"TZ": "UTC", "COLORTERM": "truecolor", "NO_COLOR": None}


@contextlib.contextmanager
def pinned_time() -> Iterator[None]:
    """:data:`ENVIRONMENT` and the console's wall clock at the demo epoch; all restored."""
    from artistree_tui.ui.live import refresher

    saved = {name: os.environ.get(name) for name in ENVIRONMENT}
    patched = _modules_using_datetime()
    _set_environment(ENVIRONMENT)
    for module in patched:
        module.datetime = _FrozenDatetime  # type: ignore[attr-defined]
    # "refreshed HH:MM:SS" and "as of HH:MM" are times the index recorded: the epoch too.
    local_time = refresher.local_time
    refresher.local_time = lambda unix: _FrozenDatetime.now().astimezone()
    try:
        yield
    finally:
        for module in patched:
            module.datetime = datetime  # type: ignore[attr-defined]
        refresher.local_time = local_time
        _set_environment(saved)


def _set_environment(values: dict[str, str | None]) -> None:
    for name, value in values.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value
    time.tzset()


def start_demo() -> DemoServer:
    """A demo API with the screenshots' data and a stopped clock."""
    server = DemoServer(orders=ORDERS, seed=SEED, epoch=DEMO_EPOCH)
    server.state.clock = _StoppedClock(DEMO_EPOCH)
    return server.start()


def make_app(server: DemoServer, cache_dir: Path, *, preview: PreviewMode = "off") -> ConsoleApp:
    """The console on ``server``; no auto-refresh, no disk cache, preview only when asked, no
    fetching ahead (the full orders it fetches tell the sidebar more projects' roles at a
    moment that depends on timing, and the shots must repeat byte for byte)."""
    settings = Settings(
        base_url=server.base_url,
        token_url=server.token_url,
        client_id=server.client_id,
        client_secret=server.client_secret,
        refresh_seconds=0.0,
        demo=True,
        preview=preview,
        image_cache_mb=0,
        prefetch=False,
        cache_dir=cache_dir,
    )
    # As run_console builds it: the client's events feed the status line's connection state.
    events = ClientEventRelay()
    return ConsoleApp(settings, build_client(settings, on_event=events), client_events=events)


# -- waiting ---------------------------------------------------------------------------------


async def wait_for(pilot: Pilot[None], predicate: Callable[[], object], what: str) -> None:
    """Let the app run until ``predicate()`` holds :data:`STEADY` times in a row, each after
    the app handled what was pending (an error after :data:`WAIT_LIMIT` s): a state that holds
    only between a message and the work it starts does not count (on a loaded machine, a shot
    taken there differed from the same shot taken again)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + WAIT_LIMIT
    held = 0
    while held < STEADY:
        if loop.time() > deadline:
            raise RuntimeError(f"screenshot: gave up waiting for {what}")
        await pilot.pause(0.02)
        held = held + 1 if predicate() else 0
    await pilot.pause()


def _app(pilot: Pilot[None]) -> ConsoleApp:
    app = pilot.app
    assert isinstance(app, ConsoleApp)
    return app


async def settled(pilot: Pilot[None]) -> None:
    """First page listed, the highlighted order's full detail drawn, project ids resolved,
    the connection known, the sync idle and the list drawn from the index as it is."""
    app = _app(pilot)

    def ready() -> bool:
        try:
            screen = app.main_screen
        except (IndexError, AssertionError):  # still starting up
            return False
        progress, model = screen.live.progress, screen.orders.order_list.model
        view = model.window.view
        return (
            screen.orders.loaded_count > 0
            and screen.detail.complete
            and (screen.discovery_state == "done" or screen.directory.complete)
            and screen.live.connection.link is not Link.UNKNOWN
            # The sync waits and the list shows the index as it is now: the full orders that
            # discovery wrote have filled the rows' "…" columns (the list redraws from the
            # index at most every REFRESH_INTERVAL, so without this a shot may be taken
            # before or after that redraw, and two runs differ).
            and progress is not None
            and progress.complete
            and progress.phase == "idle"
            and not screen.sync.writing  # discovery's full pages: the "…" columns to come
            and model.pending is None
            and view is not None
            and not view.stale
        )

    await wait_for(pilot, ready, "the first page and the detail")


async def preview_painted(pilot: Pilot[None]) -> None:
    """The preview of the order in the detail pane is shown (or has given its reason)."""
    from artistree_tui.ui.preview.panel import LOADING, PreviewPanel

    app = _app(pilot)
    panel = app.main_screen.query_one(PreviewPanel)
    order_id = app.main_screen.detail.order_id
    await wait_for(
        pilot,
        lambda: (
            panel.order is not None
            and panel.order.order_id == order_id
            and panel.status != LOADING
            and not panel._loading
        ),
        "the preview",
    )


# -- the shots -------------------------------------------------------------------------------


async def main_view(pilot: Pilot[None]) -> None:
    await settled(pilot)


async def detail_view(pilot: Pilot[None]) -> None:
    """A Failed order's verdict: the state filter on Failed (``s``), down the list to one with
    several annotations, the detail given the room (``+`` twice: detail wide), the second
    annotation selected; the preview beside the verdict."""
    await settled(pilot)
    app = _app(pilot)
    detail = app.main_screen.detail
    order_list = app.main_screen.orders.order_list
    while order_list.query_shown.state != "Failed":
        await pilot.press("s")
        await pilot.pause()
    await wait_for(pilot, lambda: order_list.model.count, "the Failed orders")

    def interesting() -> bool:
        order = detail.order if detail.complete else None
        return (
            order is not None
            and order.order_state == "Failed"
            and len(order.annotations) >= DETAIL_MIN_ANNOTATIONS
        )

    for _ in range(200):
        await wait_for(pilot, lambda: detail.complete and not detail.pending, "the detail")
        if interesting():
            break
        await pilot.press("j")
        await pilot.pause(0.2)  # at rest: the pane draws the order the cursor is on
    else:
        raise RuntimeError("screenshot: no Failed order with several annotations")
    await pilot.press("plus", "plus")  # balanced → list wide → detail wide
    await pilot.press("3", "j")  # focus the annotations table, select the second region
    await wait_for(pilot, lambda: detail.annotations_table.cursor_row == 1, "the selection")
    await preview_painted(pilot)


async def help_view(pilot: Pilot[None]) -> None:
    await settled(pilot)
    await pilot.press("question_mark")
    await wait_for(pilot, lambda: _app(pilot).main_screen.help_shown, "help")


async def filter_view(pilot: Pilot[None]) -> None:
    """The text filter narrowing the loaded orders (``/``, a word, ``enter`` back to the list)."""
    await settled(pilot)
    await pilot.press("slash")
    orders = _app(pilot).main_screen.orders
    box = orders.query_one("#orders-filter", Input)
    await wait_for(pilot, lambda: box.has_focus, "the filter box")
    box.cursor_blink = False
    await pilot.press(*FILTER_TEXT, "enter")
    model = orders.order_list.model
    await wait_for(
        pilot, lambda: model.query.text == FILTER_TEXT and model.pending is None, "the filter"
    )
    await wait_for(pilot, lambda: _app(pilot).main_screen.detail.complete, "the detail")


@dataclass(frozen=True)
class Shot:
    """One screenshot: its file name (without .svg), terminal size, steps and preview mode."""

    name: str
    size: tuple[int, int]
    steps: Step
    caption: str
    preview: PreviewMode = "off"


SHOTS: tuple[Shot, ...] = (
    Shot("main", (120, 40), main_view, "Main view"),
    Shot("detail", (120, 40), detail_view, "A Failed order's verdict", preview="halfblock"),
    Shot("help", (120, 40), help_view, "Help"),
    Shot("small", (80, 24), main_view, "80×24"),
    Shot("filter", (120, 40), filter_view, "Filter"),
)


def chosen_shots(names: Sequence[str]) -> list[Shot]:
    """The shots named (all of them for none); ValueError for a name that is not a shot."""
    known = {shot.name: shot for shot in SHOTS}
    unknown = [name for name in names if name not in known]
    if unknown:
        raise ValueError(f"unknown screenshot(s): {', '.join(unknown)}; known: {', '.join(known)}")
    return [known[name] for name in names] if names else list(SHOTS)


async def take(shot: Shot, cache_dir: Path) -> str:
    """Run the console on a fresh demo API for one shot; returns the screen as SVG."""
    server = start_demo()  # one per shot: no shot sees another's requests or caches
    try:
        app = make_app(server, cache_dir, preview=shot.preview)
        async with app.run_test(size=shot.size, notifications=False) as pilot:
            await shot.steps(pilot)
            await pilot.wait_for_scheduled_animations()
            await pilot.pause()
            return app.export_screenshot(title=f"artistree-tui — {shot.caption}")
    finally:
        server.stop()


def capture(out_dir: Path, names: Sequence[str] = ()) -> list[Path]:
    """Take the named shots (all by default) and write ``out_dir/<name>.svg``; returns the
    paths. Runs its own event loop (call it from synchronous code)."""
    shots = chosen_shots(names)

    async def take_all(cache_dir: Path) -> list[str]:
        return [await take(shot, cache_dir) for shot in shots]

    with pinned_time(), tempfile.TemporaryDirectory(prefix="artistree-shots-") as cache:
        svgs = asyncio.run(take_all(Path(cache)))
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for shot, svg in zip(shots, svgs, strict=True):
        path = out_dir / f"{shot.name}.svg"
        path.write_text(svg, encoding="utf-8")
        paths.append(path)
    return paths


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m artistree_tui.screenshots",
        description="Write SVG screenshots of the console on the demo API.",
    )
    parser.add_argument(
        "--out", type=Path, default=DEFAULT_OUT, help="folder (default: %(default)s)"
    )
    shot_names = ", ".join(shot.name for shot in SHOTS)
    parser.add_argument("names", nargs="*", metavar="NAME", help=f"shots to take: {shot_names}")
    args = parser.parse_args(argv)
    try:
        paths = capture(args.out, args.names)
    except (ValueError, RuntimeError) as error:
        print(f"screenshots: error: {error}", file=sys.stderr)
        return 1
    for path in paths:
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
