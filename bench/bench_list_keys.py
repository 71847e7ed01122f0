"""Benchmark (not a test): the cost of a key press in the order list at 100 vs 100,000 orders.

What it measures, each scenario in its own Python process (so RSS is that process's alone):

- ``bare``: a bare Textual ``App`` after its first frame: RSS baseline.
- ``small`` / ``big``: a tiny app hosting ``OrdersPane`` on a demo API server (started by this
  script, in this parent process, so its memory is not counted) with 100 and 100,000 orders.
  The list loads, ``G`` walks to the end (``limit=1000`` pages: previews, then the last
  screens as full pages; ``bench_walk.py`` times the walk itself), then ``k``/``j`` are pressed
  (40 up, 40 down, repeated: moving and scrolling inside the held rows) and for each press:

  * latency: wall time from the key event entering the app to the end of the frame that shows
    it (compositor render plus ANSI encoding; headless, so no terminal write). It includes the
    wait for Textual's frame timer (up to 1/60 s), as a user sees it;
  * cpu: process CPU time over the same span (the work itself, without the frame wait).

It prints median and p95 of both, the big/small ratios (flat = the cost does not grow with the
number of loaded orders), and RSS of each process. ``--direct`` feeds pages from memory instead
of a demo server (no HTTP), ``--orders N`` changes the big size (e.g. 1000000: RSS after paging
through a million orders).

Run: ``.venv/bin/python bench/bench_list_keys.py``
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


# tests/support/soak.py has the same function; it is not imported from there because that
# module imports the whole console, which would inflate the bare app's RSS baseline.
def rss_mb() -> float:
    """Resident set size of this process, from /proc (Linux), else ru_maxrss."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# -- children --------------------------------------------------------------------------------
async def child_bare() -> dict[str, Any]:
    from textual.app import App
    from textual.widgets import Static

    class Bare(App[None]):
        def compose(self) -> Any:
            yield Static("bare")

    async with Bare().run_test(headless=True, size=(120, 40)) as pilot:
        await pilot.pause(0.2)
        return {"rss": rss_mb()}


def memory_fetcher(count: int) -> Any:
    from artistree_tui.api.models import KNOWN_STATES, Order, OrdersPage, OrderStats

    async def fetch(
        project_id: str, token: str | None, limit: int, *, preview: bool = False
    ) -> OrdersPage:
        # Full orders whatever ``preview`` says: the model keeps a full answer to a preview
        # request as full rows, so this measures the list, not the page format.
        start = int(token) if token else 0
        stop = min(count, start + limit)
        orders = tuple(
            Order(
                order_id=f"{index:08d}-0000-4000-8000-000000000000",
                order_title=f"Artwork number {index}",
                asset_name=f"asset-{index}.png",
                ordered_by=f"Artist {index % 17}",
                order_state=KNOWN_STATES[index % len(KNOWN_STATES)],
                confidence=(index % 100) / 100,
                tags=("hero", f"batch-{index % 9}"),
            )
            for index in range(start, stop)
        )
        nxt = str(stop) if stop < count else None
        return OrdersPage(stats=OrderStats(total=count), next_page_token=nxt, orders=orders)

    return fetch


async def child_list(options: dict[str, Any]) -> dict[str, Any]:
    from textual import events
    from textual._compositor import CompositorUpdate
    from textual.app import App

    from artistree_tui.api.models import ALL_PROJECTS
    from artistree_tui.ui.orders.pane import OrdersPane

    client = None
    if options.get("url"):
        from artistree_tui.api.auth import ClientCredentials
        from artistree_tui.api.client import ArtistreeClient

        auth = ClientCredentials(options["token_url"], options["client_id"], options["secret"])
        client = ArtistreeClient(options["url"], auth)

        async def fetch(
            project_id: str, token: str | None, limit: int, *, preview: bool = False
        ) -> Any:
            assert client is not None
            return await client.list_orders(
                project_id, preview=preview, page_token=token, limit=limit
            )

    else:
        fetch = memory_fetcher(options["orders"])

    class BenchApp(App[None]):
        def compose(self) -> Any:
            yield OrdersPane(fetch, page_size=200, id="pane")

        def on_mount(self) -> None:
            pane = self.query_one(OrdersPane)
            pane.load(ALL_PROJECTS)
            pane.order_list.focus()

    app = BenchApp()
    result: dict[str, Any] = {}
    async with app.run_test(headless=True, size=(120, 40)) as pilot:
        pane = app.query_one(OrdersPane)
        model = pane.order_list.model
        started = time.perf_counter()
        await pilot.press("G")
        while model.walking or model.in_flight is not None or not model.complete:
            await pilot.pause(0.05)
            if time.perf_counter() - started > options["walk_timeout"]:
                raise SystemExit("walk did not finish in time")
        result["walk_seconds"] = time.perf_counter() - started
        await pilot.pause(0.3)
        result.update(loaded=pane.loaded_count, held=model.held_rows, rss=rss_mb())

        frame = asyncio.Event()
        original = app._display

        def display(screen: Any, update: Any) -> None:
            original(screen, update)
            if isinstance(update, CompositorUpdate):
                update.render_segments(app.console)  # the ANSI a terminal would be sent
            frame.set()

        app._display = display  # type: ignore[method-assign]
        driver = app._driver
        assert driver is not None
        latency: list[float] = []
        cpu: list[float] = []
        keys = (["k"] * 40 + ["j"] * 40) * (options["presses"] // 80 + 1)
        for key in keys[: options["presses"]]:
            await pilot.pause(0.02)  # start each press from an idle app
            frame.clear()
            wall0, cpu0 = time.perf_counter(), time.process_time()
            driver.send_message(events.Key(key, key))
            await asyncio.wait_for(frame.wait(), 5)
            latency.append((time.perf_counter() - wall0) * 1000)
            cpu.append((time.process_time() - cpu0) * 1000)
        result.update(latency=latency, cpu=cpu, cursor=model.cursor)
    if client is not None:
        await client.aclose()
    return result


# -- parent ----------------------------------------------------------------------------------
def run_child(kind: str, options: dict[str, Any]) -> dict[str, Any]:
    # Options go through stdin: the demo's (public) credentials stay out of the process list.
    command = [sys.executable, __file__, "--child", kind]
    done = subprocess.run(
        command, input=json.dumps(options), capture_output=True, text=True, check=False, cwd=ROOT
    )
    if done.returncode != 0:
        raise SystemExit(f"{kind} failed:\n{done.stderr[-3000:]}")
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=100_000)
    parser.add_argument("--small", type=int, default=100)
    parser.add_argument("--presses", type=int, default=320)
    parser.add_argument("--direct", action="store_true", help="pages from memory, no HTTP")
    parser.add_argument("--walk-timeout", type=float, default=900.0)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.child:
        options = json.loads(sys.stdin.read() or "{}")
        coroutine = child_bare() if args.child == "bare" else child_list(options)
        print(json.dumps(asyncio.run(coroutine)))
        return

    servers = []
    results: dict[str, dict[str, Any]] = {"bare": run_child("bare", {})}
    for label, count in (("small", args.small), ("big", args.orders)):
        options: dict[str, Any] = {
            "orders": count,
            "presses": args.presses,
            "walk_timeout": args.walk_timeout,
        }
        if not args.direct:
            from artistree_tui.demo import DemoServer

            server = DemoServer(orders=count, seed=1).start()
            servers.append(server)
            options.update(
                url=server.base_url,
                token_url=server.token_url,
                client_id=server.client_id,
                secret=server.client_secret,
            )
        results[label] = run_child("list", options)
    for server in servers:
        server.stop()

    small, big, bare = results["small"], results["big"], results["bare"]
    source = "in-memory pages" if args.direct else "demo API over loopback"
    print(f"order list key press → repaint ({source}; {args.presses} presses, 120x40, headless)")
    print(f"{'':>22} {'median ms':>10} {'p95 ms':>8} {'cpu med':>8} {'cpu p95':>8}")
    for label in ("small", "big"):
        row = results[label]
        name = f"{row['loaded']:,} orders"
        print(
            f"{name:>22} {statistics.median(row['latency']):>10.2f} {p95(row['latency']):>8.2f}"
            f" {statistics.median(row['cpu']):>8.2f} {p95(row['cpu']):>8.2f}"
        )
    ratio = statistics.median(big["latency"]) / statistics.median(small["latency"])
    cpu_ratio = statistics.median(big["cpu"]) / statistics.median(small["cpu"])
    p95_ratio = p95(big["latency"]) / p95(small["latency"])
    print(
        f"ratio big/small: latency median {ratio:.2f}x, p95 {p95_ratio:.2f}x, cpu {cpu_ratio:.2f}x"
    )
    print(
        f"walk to end: {big['loaded']:,} orders in {big['walk_seconds']:.1f} s; "
        f"rows held after the walk: {big['held']:,}"
    )
    print(
        f"RSS: bare App {bare['rss']:.1f} MB; {small['loaded']:,} orders {small['rss']:.1f} MB; "
        f"{big['loaded']:,} orders {big['rss']:.1f} MB (+{big['rss'] - bare['rss']:.1f} MB)"
    )


if __name__ == "__main__":
    main()
