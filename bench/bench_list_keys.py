"""Benchmark (not a test): j/k → repaint in the order list over an index of 1,000,000 orders,
against the same over 10,000, in one run.

The list is the real one: ``OrdersPane`` (its ``OrderList``, ``ListModel`` and
``source.RowWindow``) over a real :class:`~artistree_tui.store.Index` file, hosted alone in a
small Textual app, headless at 120×40, as the console composes it but without the rest of the
screen (no detail pane, no sync, no network: the sync is what changes the index, and here
nothing does). Its first view is prepared in ``on_mount`` as in the console.

The indexes are built by ``bench_index.py``'s builder (synthetic orders shaped like the demo's,
written through ``Writer.write_page`` as a sweep writes them) into ``orders-N.sqlite3`` files of
a folder (``--keep DIR`` keeps them, and a rerun reuses them: the 1M build takes minutes).

Each scenario runs in its own Python process, so its RSS is its own: a bare Textual app (the
RSS baseline), then for each view the list over the small index and over the big one:

- ``top``: the default view (newest first), from its first row;
- ``end``: the same after ``G`` (the last row of the whole index);
- ``state``: ``s s s`` (state = Action Required, ~12 % of the orders);
- ``sort``: ``<`` (by title A–Z);
- ``text``: ``/hero`` then enter (a tag carried by ~15 % of the orders, matched by FTS5).

The view is set up by its keys; the key that changes the view, pressed on an idle list, is
timed to the frame showing the new view (one sample). Then ``j``/``k`` are pressed
(``--presses``, default 400: runs of 80 away from the start and 20 back, so the cursor moves
on screen, scrolls, and reads new blocks of rows from the index on the UI thread, as someone
reading down the list does). For each press:

- wall: from the key event entering the app to the end of the frame that shows the cursor on
  its new row (compositor render and ANSI encoding; headless, so no terminal write). It
  includes the wait for Textual's frame tick (up to 1/60 s), as a user sees it;
- cpu: the process's CPU time over the same span (every thread; the work without the wait).

It prints median, p95 and max of both, how many blocks of rows were read from the index during
the presses, the medians of the presses that moved the cursor on screen and of those that
scrolled the list (a different cost), the big/small ratios (flat = a key costs the same
whatever the index holds), and the RSS of each process against the bare app's (target ≤ bare
+ 60 MB), with the load average. A last child gives Textual's own cost of the same presses:
a bare line-API ``ScrollView`` of a million one-segment lines with a cursor (the floor).

Run: ``.venv/bin/python bench/bench_list_keys.py`` (``--orders``, ``--small``, ``--presses``,
``--only top,end,...``, ``--keep DIR``).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, ClassVar

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

# The index builder and the bare app's RSS, in child processes.
from bench_index import rss_mb  # noqa: E402
from bench_index import run_child as index_child  # noqa: E402

#: Each view: what it shows, the keys pressed to set it up, the one of them that is timed
#: (the one that makes the list show the view), and which way j/k go first from where it
#: starts.
VIEWS: dict[str, tuple[str, list[str], int, str]] = {
    "top": ("newest first, from the top", [], 0, "j"),
    "end": ("newest first, after G (the end)", ["G"], 0, "k"),
    "state": ("s s s: state = Action Required", ["s", "s", "s"], 2, "j"),
    "sort": ("<: by title A–Z", ["less_than_sign"], 0, "j"),
    "text": ("/hero: a tag (~15 %)", ["slash", "h", "e", "r", "o", "enter"], 4, "j"),
}
RUN_AWAY, RUN_BACK = 80, 20


def key_plan(first: str, presses: int) -> list[str]:
    """``presses`` keys: runs of RUN_AWAY ``first`` then RUN_BACK of the other one."""
    other = "k" if first == "j" else "j"
    cycle = [first] * RUN_AWAY + [other] * RUN_BACK
    return (cycle * (presses // len(cycle) + 1))[:presses]


# -- children -------------------------------------------------------------------------------
class Frames:
    """Key presses timed to the end of the frame that shows them, in a running test app.

    Every frame goes through the app's ``_display``: here it is also rendered to the ANSI a
    terminal would be sent, and the waiting press is told if the frame shows what it waits
    for (``until()``, asked as the frame is displayed)."""

    def __init__(self, app: Any, pilot: Any) -> None:
        from textual._compositor import CompositorUpdate

        self.pilot = pilot
        self.frame = asyncio.Event()
        self.until: Callable[[], bool] = lambda: True
        self.driver = app._driver
        original = app._display

        def display(screen: Any, update: Any) -> None:
            original(screen, update)
            if isinstance(update, CompositorUpdate):
                update.render_segments(app.console)
            if self.until():
                self.frame.set()

        app._display = display

    async def press(self, key: str, until: Callable[[], bool]) -> tuple[float, float]:
        """Send ``key``; wall and CPU ms to the end of the first frame where ``until()``."""
        from textual import events

        await self.pilot.pause(0.02)  # start each press from an idle app
        self.frame.clear()
        self.until = until
        character = key if len(key) == 1 else None
        wall0, cpu0 = time.perf_counter(), time.process_time()
        self.driver.send_message(events.Key(key, character))
        await asyncio.wait_for(self.frame.wait(), 30)
        return (time.perf_counter() - wall0) * 1000, (time.process_time() - cpu0) * 1000

    async def moves(
        self, first: str, presses: int, cursor: Callable[[], int], widget: Any
    ) -> dict[str, list[Any]]:
        """The j/k presses of :func:`key_plan`: wall, CPU, and whether each one scrolled."""
        latency: list[float] = []
        cpu: list[float] = []
        scrolled: list[bool] = []
        for key in key_plan(first, presses):
            target = cursor() + (1 if key == "j" else -1)
            top = widget.scroll_offset.y
            wall, used = await self.press(key, lambda target=target: cursor() == target)
            latency.append(wall)
            cpu.append(used)
            scrolled.append(widget.scroll_offset.y != top)
        return {"latency": latency, "cpu": cpu, "scrolled": scrolled}


async def child_list(path: str, view: str, presses: int, expected: int) -> dict[str, Any]:
    """The order list over the index at ``path``, set to ``view``, then j/k."""
    from textual.app import App, ComposeResult

    from artistree_tui.store import Index
    from artistree_tui.ui.orders.pane import OrdersPane

    index = Index(Path(path))

    class BenchApp(App[None]):
        def compose(self) -> ComposeResult:
            yield OrdersPane(index, id="pane")

        def on_mount(self) -> None:
            self.query_one(OrdersPane).order_list.focus()

    app = BenchApp()
    result: dict[str, Any] = {}
    async with app.run_test(headless=True, size=(120, 40)) as pilot:
        order_list = app.query_one(OrdersPane).order_list
        model = order_list.model
        while not model.ready or model.pending is not None:
            await pilot.pause(0.01)
        if model.count != expected:
            raise SystemExit(
                f"{path} holds {model.count:,} orders, not {expected:,} (an interrupted "
                "build?): delete it and run again"
            )
        await pilot.pause(0.2)
        frames = Frames(app, pilot)

        # Set the view up with its keys; the one that shows it is timed to the frame that does.
        _, keys, timed, first = VIEWS[view]
        shown: dict[str, Callable[[], bool]] = {
            "end": lambda: model.cursor == model.count - 1,
            "state": lambda: model.pending is None and model.query.state == "Action Required",
            "sort": lambda: (
                model.pending is None
                and (model.query.sort, model.query.descending) == ("title", False)
            ),
            "text": lambda: model.pending is None and model.query.text == "hero",
        }
        # The seconds the worker took to prepare each view shown (source.prepare).
        prepared: list[float] = []
        apply = model.apply

        def recorded(view: Any, *, purpose: str = "show") -> bool:
            prepared.append(view.seconds)
            return apply(view, purpose=purpose)

        model.apply = recorded  # type: ignore[method-assign]
        for number, key in enumerate(keys):
            if number == timed:
                while model.pending is not None:  # from an idle list: "her" was prepared
                    await pilot.pause(0.01)
                prepared.clear()
                wall = (await frames.press(key, shown[view]))[0]
                result["setup"] = {"key": key, "wall": wall, "prepared": prepared[-1:]}
            else:
                await pilot.press(key)
        assert order_list.has_focus, "the list does not have the keyboard"
        result.update(count=model.count, start=model.cursor)

        window = model.window
        reads = window.reads
        result.update(await frames.moves(first, presses, lambda: model.cursor, order_list))
        await pilot.pause(0.2)
        result.update(reads=window.reads - reads, held=window.held, rss=rss_mb())
    index.close()
    return result


async def child_floor(presses: int) -> dict[str, Any]:
    """Textual's own cost of the same presses: a line-API ``ScrollView`` of a million rows of
    one pre-rendered styled segment each (no columns, no data, no status line updates)."""
    from rich.segment import Segment
    from rich.style import Style
    from textual.app import App, ComposeResult
    from textual.binding import Binding
    from textual.geometry import Size
    from textual.scroll_view import ScrollView
    from textual.strip import Strip
    from textual.widgets import Static

    class Lines(ScrollView, can_focus=True):
        BINDINGS: ClassVar = [Binding("j", "move(1)"), Binding("k", "move(-1)")]
        DEFAULT_CSS = "Lines { height: 1fr; overflow-y: scroll; }"
        cursor = 0

        def on_mount(self) -> None:
            self.virtual_size = Size(self.scrollable_content_region.width, 1_000_000)

        def render_line(self, y: int) -> Strip:
            row = round(self.scroll_offset.y) + y
            style = Style(reverse=True) if row == self.cursor else Style(color="green")
            text = f"{row:>9}  order {row}".ljust(self.scrollable_content_region.width)
            return Strip([Segment(text, style)])

        def action_move(self, step: int) -> None:
            old, top, height = self.cursor, round(self.scroll_offset.y), self.size.height
            self.cursor = max(0, old + step)
            if self.cursor < top:
                self.scroll_to(y=self.cursor, animate=False, force=True)
            elif self.cursor >= top + height:
                self.scroll_to(y=self.cursor - height + 1, animate=False, force=True)
            else:
                self.refresh_line(old - top)
                self.refresh_line(self.cursor - top)

    class Floor(App[None]):
        def compose(self) -> ComposeResult:
            yield Lines()
            yield Static("status")

    app = Floor()
    async with app.run_test(headless=True, size=(120, 40)) as pilot:
        lines = app.query_one(Lines)
        lines.focus()
        await pilot.pause(0.2)
        frames = Frames(app, pilot)
        result = await frames.moves("j", presses, lambda: lines.cursor, lines)
        return {**result, "rss": rss_mb()}


# -- parent ---------------------------------------------------------------------------------
def run_list(path: Path, view: str, presses: int, expected: int) -> dict[str, Any]:
    command = [sys.executable, __file__, "--child", str(path), view, str(presses), str(expected)]
    done = subprocess.run(command, capture_output=True, text=True, check=False, cwd=ROOT)
    if done.returncode != 0:
        raise SystemExit(f"{view} on {path.name} failed:\n{done.stderr[-3000:]}")
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1]


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=1_000_000)
    parser.add_argument("--small", type=int, default=10_000)
    parser.add_argument("--presses", type=int, default=400)
    parser.add_argument("--only", help=f"views to run, of {','.join(VIEWS)}")
    parser.add_argument("--keep", type=Path, help="folder to keep (and reuse) the indexes")
    parser.add_argument("--child", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        path, view, presses, expected = args.child
        if view == "floor":
            coroutine = child_floor(int(presses))
        else:
            coroutine = child_list(path, view, int(presses), int(expected))
        print(json.dumps(asyncio.run(coroutine)))
        return

    views = args.only.split(",") if args.only else list(VIEWS)
    unknown = set(views) - set(VIEWS)
    if unknown:
        raise SystemExit(f"unknown view(s) {', '.join(sorted(unknown))}: of {', '.join(VIEWS)}")
    folder = args.keep or Path(tempfile.mkdtemp(prefix="bench-list-keys-"))
    folder.mkdir(parents=True, exist_ok=True)
    if args.small == args.orders:
        raise SystemExit("--small and --orders must differ")
    sizes = (args.small, args.orders)
    print(f"load average at start: {load()}", flush=True)
    for size in sizes:
        path = folder / f"orders-{size}.sqlite3"  # bench_index.py's names: --keep shares them
        if path.exists():
            continue
        print(f"building {size:,} orders into {path} …", flush=True)
        built = index_child("build", str(path), str(size))
        print(f"  {built['seconds']:.0f} s ({size / built['seconds']:,.0f} orders/s)", flush=True)

    bare = index_child("bare")
    floor = run_list(Path(os.devnull), "floor", args.presses, 0)
    results: dict[tuple[str, int], dict[str, Any]] = {}
    for view in views:  # small then big, view by view: a load change hits both alike
        for size in sizes:
            path = folder / f"orders-{size}.sqlite3"
            results[(view, size)] = run_list(path, view, args.presses, size)
    end_load = load()
    rows = [
        (VIEWS[view][0] if size == args.small else "", f"{size:,}", results[(view, size)])
        for view in views
        for size in sizes
    ]
    floor_name = "Textual floor: a bare line-API list"

    print(
        f"\norder list, j/k → repaint: {args.small:,} vs {args.orders:,} indexed orders "
        f"(OrdersPane over the index, headless 120×40, {args.presses} presses a view; ms)"
    )
    print(
        f"{'view':36} {'orders':>9} {'rows':>9}  {'wall med':>8} {'p95':>6} {'max':>6}  "
        f"{'cpu med':>7} {'p95':>6}  {'reads':>5} {'RSS MB':>7}"
    )
    for name, size_text, row in rows:
        lat, cpu = row["latency"], row["cpu"]
        print(
            f"{name:36} {size_text:>9} {row['count']:>9,}  {statistics.median(lat):>8.2f} "
            f"{p95(lat):>6.2f} {max(lat):>6.2f}  {statistics.median(cpu):>7.2f} "
            f"{p95(cpu):>6.2f}  {row['reads']:>5} {row['rss']:>7.1f}"
        )

    print(
        "\nby kind of press, medians (ms): the cursor moving on screen (two lines redrawn) | "
        "the list scrolling one row (the whole list redrawn)"
    )
    print(
        f"{'view':36} {'orders':>9}  {'moves':>5} {'wall':>6} {'cpu':>6}  "
        f"{'scrolls':>7} {'wall':>6} {'cpu':>6}"
    )
    for name, size_text, row in [*rows, (floor_name, "", floor)]:
        cells = []
        for scrolls, width in ((False, 5), (True, 7)):
            picked = [i for i, done in enumerate(row["scrolled"]) if done == scrolls]
            wall = statistics.median(row["latency"][i] for i in picked) if picked else 0.0
            cpu = statistics.median(row["cpu"][i] for i in picked) if picked else 0.0
            cells.append(f"{len(picked):>{width}} {wall:>6.2f} {cpu:>6.2f}")
        print(f"{name:36} {size_text:>9}  " + "  ".join(cells))

    print(f"\nratios {args.orders:,} / {args.small:,} (flat: ≈ 1×)")
    print(f"{'view':36} {'wall med':>8} {'p95':>6} {'cpu med':>8} {'p95':>6}")
    for view in views:
        small, big = results[(view, args.small)], results[(view, args.orders)]
        ratios = [
            statistic(big[kind]) / statistic(small[kind])
            for kind in ("latency", "cpu")
            for statistic in (statistics.median, p95)
        ]
        widths = (7, 5, 7, 5)
        cells = " ".join(f"{r:>{w}.2f}×" for r, w in zip(ratios, widths, strict=True))
        print(f"{VIEWS[view][0]:36} {cells}")

    setups = [(view, size) for view in views for size in sizes if "setup" in results[(view, size)]]
    if setups:
        print("\nthe key that changes the view → the frame showing it (one sample)")
        for view, size in setups:
            setup, start = results[(view, size)]["setup"], results[(view, size)]["start"]
            worker = (
                f"; the worker prepared it in {setup['prepared'][0] * 1000:.1f} ms"
                if setup["prepared"]
                else ""
            )
            print(
                f"  {VIEWS[view][0]:36} {size:>9,} orders: {setup['wall']:7.1f} ms"
                f" (cursor then on row {start + 1:,}{worker})"
            )

    worst = max(results.values(), key=lambda r: r["rss"])
    print(
        f"\nRSS: bare Textual app {bare['rss']:.1f} MB; the list, largest "
        f"{worst['rss']:.1f} MB = bare + {worst['rss'] - bare['rss']:.1f} MB (target ≤ +60 MB)"
    )
    print(f"load average at the end: {end_load} (1, 5, 15 min; {os.cpu_count()} CPUs)")
    if args.keep is None:
        print(f"(indexes in {folder}; pass --keep DIR to reuse them)")


if __name__ == "__main__":
    main()
