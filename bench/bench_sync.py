"""Benchmark (not a test): how fast the sync fills the index, against the network-bound limit.

The demo API runs in this process with ``--orders`` orders (default 100,000) and a given
latency per request; a child process does the work, so its CPU is its own (``--rounds`` runs
of each, interleaved; medians):

- ``fetch``: walks every page of All Projects as the sync does (``preview=true``,
  ``limit=1000``) with the API client and writes nothing: the network-bound limit, pages ×
  round trip (the round trip includes the demo generating each page);
- ``sync``: a :class:`~artistree_tui.sync.SyncEngine` sweeping the same scope into a new index
  file, with no rate bound (``sync_rate`` off), then the same with the default ``sync_rate``.

For each latency (``--latency``, default 0 and 100 ms) it prints the seconds, orders per
second and the ratio sync / limit (1.0× = the sync costs nothing beyond the network).

Run: ``.venv/bin/python bench/bench_sync.py`` (``--orders``, ``--latency 0 100``,
``--no-default-rate`` to skip the paced run, ``--switch`` to also sweep at the console's GIL
switch interval, ``launch.SWITCH_INTERVAL``, against Python's 5 ms in the ``sync`` run).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


async def child(options: dict[str, Any]) -> dict[str, Any]:
    from artistree_tui.api.auth import ClientCredentials
    from artistree_tui.api.client import ArtistreeClient
    from artistree_tui.api.models import ALL_PROJECTS
    from artistree_tui.config.settings import DEFAULT_SYNC_RATE
    from artistree_tui.store import Index
    from artistree_tui.sync import SyncEngine, SyncSettings

    auth = ClientCredentials(options["token_url"], options["client_id"], options["secret"])
    async with ArtistreeClient(options["url"], auth) as client:
        await auth.get_token()
        started = time.perf_counter()
        if options["mode"] == "fetch":
            trips: list[float] = []
            rows = 0
            pages = client.iter_pages(ALL_PROJECTS, preview=True, limit=1000)
            while True:
                sent = time.perf_counter()
                try:
                    page = await pages.__anext__()
                except StopAsyncIteration:
                    break
                trips.append(time.perf_counter() - sent)
                rows += page.row_count
            seconds = time.perf_counter() - started
            trip = statistics.median(trips)
            return {"seconds": seconds, "rows": rows, "pages": len(trips), "trip": trip}
        if options["mode"] == "switch":  # the console's GIL switch interval (launch.py)
            from artistree_tui.launch import set_switch_interval

            set_switch_interval()
        rate = DEFAULT_SYNC_RATE if options["mode"] == "paced" else 0.0
        index = Index(Path(options["path"]))
        engine = SyncEngine(
            client,
            index,
            settings=SyncSettings(rate=rate, refresh_seconds=0, resync_minutes=0),
        )
        progress = await engine.sweep_to_end()
        seconds = time.perf_counter() - started
        await engine.aclose()
        index.close()
        return {"seconds": seconds, "rows": progress.indexed, "pages": progress.pages + 1}


def run_child(options: dict[str, Any]) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, __file__, "--child"],
        input=json.dumps(options),
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )
    if done.returncode != 0:
        raise SystemExit(f"{options['mode']} failed:\n{done.stderr[-3000:]}")
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def _median(runs: list[dict[str, Any]]) -> dict[str, Any]:
    ordered = sorted(runs, key=lambda r: float(r["seconds"]))
    return ordered[len(ordered) // 2]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=100_000)
    parser.add_argument("--latency", type=float, nargs="+", default=[0.0, 100.0])
    parser.add_argument("--no-default-rate", action="store_true")
    parser.add_argument("--rounds", type=int, default=3, help="runs of each (median)")
    parser.add_argument(
        "--switch",
        action="store_true",
        help="also sync at the console's GIL switch interval (launch.SWITCH_INTERVAL)",
    )
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(asyncio.run(child(json.loads(sys.stdin.read())))))
        return

    from artistree_tui.config.settings import DEFAULT_SYNC_RATE
    from artistree_tui.demo import DemoServer, FaultConfig

    print(f"sync of {args.orders:,} orders (demo API in the parent, the client in a child)")
    print(f"{'latency':>8} {'run':>22} {'seconds':>8} {'orders/s':>9} {'× limit':>8}")
    for latency in args.latency:
        server = DemoServer(
            orders=args.orders, seed=1, new_order_every=0, faults=FaultConfig(latency_ms=latency)
        ).start()
        base = {
            "url": server.base_url,
            "token_url": server.token_url,
            "client_id": server.client_id,
            "secret": server.client_secret,
        }
        modes = ["fetch", "sync"] + ([] if args.no_default_rate else ["paced"])
        modes += ["switch"] if args.switch else []
        results: dict[str, list[dict[str, Any]]] = {mode: [] for mode in modes}
        try:
            with tempfile.TemporaryDirectory(prefix="bench-sync-") as folder:
                for round_ in range(args.rounds):  # interleaved: load drifts hit all alike
                    for mode in modes:
                        path = str(Path(folder) / f"{mode}-{round_}.sqlite3")
                        results[mode].append(run_child({**base, "mode": mode, "path": path}))
        finally:
            server.stop()

        limit = _median(results["fetch"])
        runs = [("sync, no rate bound", _median(results["sync"]))]
        if not args.no_default_rate:
            runs.append((f"sync, sync_rate {DEFAULT_SYNC_RATE:g}/s", _median(results["paced"])))
        if args.switch:
            runs.append(("sync, switch interval 1 ms", _median(results["switch"])))
        trip = limit["trip"] * 1000
        print(
            f"{latency:>6.0f}ms {'limit: fetch only':>22} {limit['seconds']:8.1f} "
            f"{limit['rows'] / limit['seconds']:9,.0f} {1:>7.2f}×   "
            f"({limit['pages']} pages × {trip:.0f} ms round trip)"
        )
        for name, result in runs:
            assert result["rows"] == args.orders, result
            print(
                f"{'':>8} {name:>22} {result['seconds']:8.1f} "
                f"{result['rows'] / result['seconds']:9,.0f} "
                f"{result['seconds'] / limit['seconds']:7.2f}×"
            )


if __name__ == "__main__":
    main()
