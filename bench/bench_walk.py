"""Benchmark (not a test): ``G`` to the end of 100,000 orders, full-page walk vs preview walk.

The demo API runs in this (parent) process; each walk runs in its own child process hosting
``OrdersPane`` on a real API client (headless, 120×40), so the server's work and the client's
do not share a GIL. Both children press ``G`` on the same scope and time it until the last
order is highlighted (its row held as a full order, ready for the detail pane):

- ``full``: the walk as it was: every page of 1,000 fetched as a full page (the fetcher
  ignores ``preview``; the list keeps a full answer to a preview request as rows);
- ``preview``: the walk now: pages walked past are ``preview=true`` pages (only counted), the
  pages holding the last screens full pages.

For each: wall time, the requests by kind, the bytes the client received, and the longest
stall of the UI event loop during the walk (a 10 ms ticker's worst lateness: parsing happens
off the loop, so this stays around a frame). It prints the preview/full ratio measured in the
same run.

Run: ``.venv/bin/python bench/bench_walk.py`` (``--orders N``, ``--latency MS`` to add a
network round trip per request, ``--rounds K`` to alternate the two walks K times).
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


async def child(options: dict[str, Any]) -> dict[str, Any]:
    import httpx
    from textual.app import App

    from artistree_tui.api.auth import ClientCredentials
    from artistree_tui.api.client import ArtistreeClient
    from artistree_tui.api.models import ALL_PROJECTS, OrdersPage
    from artistree_tui.ui.orders.pane import OrdersPane

    received = [0]

    async def count_bytes(response: httpx.Response) -> None:
        received[0] += int(response.headers.get("content-length") or 0)

    auth = ClientCredentials(options["token_url"], options["client_id"], options["secret"])
    client = ArtistreeClient(options["url"], auth)
    client._http.event_hooks["response"].append(count_bytes)  # measurement only
    walk_previews = options["mode"] == "preview"
    sent: list[tuple[bool, int]] = []

    async def fetch(
        project_id: str, token: str | None, limit: int, *, preview: bool = False
    ) -> OrdersPage:
        preview = preview and walk_previews
        sent.append((preview, limit))
        return await client.list_orders(project_id, preview=preview, page_token=token, limit=limit)

    class BenchApp(App[None]):
        def compose(self) -> Any:
            yield OrdersPane(fetch, page_size=200, id="pane")

        def on_mount(self) -> None:
            pane = self.query_one(OrdersPane)
            pane.load(ALL_PROJECTS)
            pane.order_list.focus()

    stall = [0.0]

    async def ticker() -> None:
        tick = 0.01
        while True:
            before = time.perf_counter()
            await asyncio.sleep(tick)
            stall[0] = max(stall[0], time.perf_counter() - before - tick)

    result: dict[str, Any] = {}
    app = BenchApp()
    async with app.run_test(headless=True, size=(120, 40)) as pilot:
        pane = app.query_one(OrdersPane)
        model = pane.order_list.model
        while model.in_flight is not None or not pane.loaded_count:
            await pilot.pause(0.02)
        await pilot.pause(0.2)
        sent.clear()
        received[0] = 0
        watch = asyncio.create_task(ticker())
        started = time.perf_counter()
        await pilot.press("G")
        while model.walking or model.in_flight is not None or pane.highlighted_order is None:
            await pilot.pause(0.005)
            if time.perf_counter() - started > options["timeout"]:
                raise SystemExit("the walk did not finish in time")
        result["seconds"] = time.perf_counter() - started
        watch.cancel()
        result.update(
            stall_ms=stall[0] * 1000,
            loaded=pane.loaded_count,
            last=model.cursor == model.total - 1,
            previews=sum(1 for preview, _ in sent if preview),
            full=sum(1 for preview, _ in sent if not preview),
            megabytes=received[0] / 1e6,
            held=model.held_rows,
        )
    await client.aclose()
    return result


def run_child(options: dict[str, Any]) -> dict[str, Any]:
    # Options go through stdin: the demo's (public) credentials stay out of the process list.
    command = [sys.executable, __file__, "--child"]
    done = subprocess.run(
        command, input=json.dumps(options), capture_output=True, text=True, check=False, cwd=ROOT
    )
    if done.returncode != 0:
        raise SystemExit(f"{options['mode']} walk failed:\n{done.stderr[-3000:]}")
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=100_000)
    parser.add_argument("--latency", type=float, default=0.0, help="ms added to each request")
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--timeout", type=float, default=900.0)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(asyncio.run(child(json.loads(sys.stdin.read())))))
        return

    from artistree_tui.demo import DemoServer, FaultConfig

    faults = FaultConfig(latency_ms=args.latency)
    server = DemoServer(orders=args.orders, seed=1, faults=faults).start()
    base = {
        "url": server.base_url,
        "token_url": server.token_url,
        "client_id": server.client_id,
        "secret": server.client_secret,
        "timeout": args.timeout,
    }
    runs: dict[str, list[dict[str, Any]]] = {"full": [], "preview": []}
    try:
        for _ in range(args.rounds):
            for mode in ("full", "preview"):
                runs[mode].append(run_child({**base, "mode": mode}))
    finally:
        server.stop()

    latency = f", +{args.latency:g} ms per request" if args.latency else ""
    print(f"G to the end of {args.orders:,} orders (demo API over loopback{latency}; 120x40)")
    print(f"{'walk':>8} {'seconds':>9} {'pages':>14} {'MB recv':>8} {'UI stall':>9} {'held':>6}")
    for mode, rows in runs.items():
        last = rows[-1]
        assert all(row["last"] for row in rows), f"{mode}: did not land on the last order"
        seconds = statistics.median(row["seconds"] for row in rows)
        pages = f"{last['previews']} pv + {last['full']} full"
        print(
            f"{mode:>8} {seconds:>9.1f} {pages:>14} {last['megabytes']:>8.1f}"
            f" {max(row['stall_ms'] for row in rows):>7.0f}ms {last['held']:>6,}"
        )
    full = statistics.median(row["seconds"] for row in runs["full"])
    preview = statistics.median(row["seconds"] for row in runs["preview"])
    print(f"ratio preview/full: {preview / full:.2f}x ({full / preview:.1f}x faster)")


if __name__ == "__main__":
    main()
