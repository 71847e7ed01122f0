"""Benchmark (not a test): a long soak of the console and its memory curve.

Runs the driver of tests/ui/live/test_soak.py (``tests/support/soak.py``) for a longer simulated
shift: the console headless against a demo API with every fault on (latency, 429, 5xx, dropped
connections, malformed answers, tokens expiring every ten simulated minutes), new orders every
30 simulated seconds, auto-refresh every 0.25 s, a scripted reviewer moving around. It prints
the process's RSS (console, demo server and test driver together: one process) every
``--every`` steps with the rows the list holds, then the end state: whether the list equals
the server's truth, and the growth over the second half.

The list holds at most 3,000 orders (``max_rows``, ~5 KB each parsed): RSS climbs while the
held rows grow towards that bound (new orders arriving, pages read), then stays flat.

Run: ``.venv/bin/python bench/soak_rss.py [--hours 24] [--every 40]``
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.support.soak import SoakResult, run_soak  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hours", type=float, default=24.0, help="simulated shift length")
    parser.add_argument("--step", type=float, default=120.0, help="simulated seconds per step")
    parser.add_argument("--every", type=int, default=40, help="steps between RSS samples")
    args = parser.parse_args()
    logging.disable(logging.WARNING)  # the API layer logs every retry; the curve is the point
    steps = max(2, round(args.hours * 3600 / args.step))
    print(f"soak: {steps} steps of {args.step:g} simulated s ({args.hours:g} h)", flush=True)
    print(f"{'step':>6} {'sim h':>6} {'RSS MiB':>8} {'held rows':>9}", flush=True)

    def progress(result: SoakResult) -> None:
        step, mb, held = result.rss[-1]
        hours = step * args.step / 3600
        print(f"{step:6d} {hours:6.1f} {mb:8.1f} {held:9d}", flush=True)

    result = asyncio.run(
        run_soak(steps=steps, step_seconds=args.step, sample_every=args.every, progress=progress)
    )
    print(
        f"wall {result.wall_seconds:.0f} s; {result.refreshes} refreshes; "
        f"{result.new_orders} new orders; {result.token_requests} token requests; "
        f"client events {dict(result.events)}"
    )
    print(
        f"list vs server truth: {result.compared_rows} rows compared, "
        f"{len(result.mismatches)} mismatched pages, {result.duplicates} duplicates, "
        f"{result.window_state_mismatches} stale states in the refreshed window"
    )
    print(f"RSS growth over the second half: {result.growth_second_half():.1f} MiB")
    return 0 if not result.mismatches and not result.duplicates else 1


if __name__ == "__main__":
    raise SystemExit(main())
