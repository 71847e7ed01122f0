"""Benchmark (not a test): ``artistree-tui orders --help`` against the console's start-up.

The scripting commands must answer in well under the console's start-up time: their parser
and command modules import only the standard library (no Textual, no httpx). In the same run,
alternately, this times:

- ``python -c pass``: the interpreter alone (the floor of any command);
- ``artistree-tui orders --help``: spawn → exit, its whole help read from a pipe;
- ``artistree-tui orders --demo --demo-orders 200 --limit 1 --format ndjson``: spawn → exit of
  a real command (the in-process demo API, one page, one row);
- the console, ``artistree-tui --demo``: spawn → its first frame on a 120×40 pty (as
  ``bench_startup.py`` measures it).

It prints medians and p95 and the ratios to the console's first frame (target for the help:
well under 1×, say ≤ 0.3×). The first run of each is a warm-up and is not counted.

Run: ``.venv/bin/python bench/bench_cli_help.py [--runs 15]``
"""

from __future__ import annotations

import argparse
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_startup import CONSOLE_FRAME, CONSOLE_ROWS, clean_env, console_argv, p95, spawn_until


def command_argv() -> list[str]:
    """The entry script (else ``python -m artistree_tui``), without the console's --demo."""
    return [arg for arg in console_argv() if arg != "--demo"]


def time_to_exit(argv: list[str], env: dict[str, str]) -> float:
    """Seconds from spawn to exit, with standard output read to its end from a pipe."""
    start = time.perf_counter()
    result = subprocess.run(argv, capture_output=True, env=env, timeout=120, check=False)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        raise RuntimeError(f"{argv}: exit {result.returncode}: {result.stderr[-500:]!r}")
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15, help="runs of each (default: 15)")
    args = parser.parse_args()
    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, lambda signum, _frame: sys.exit(128 + signum))
    with tempfile.TemporaryDirectory(prefix="bench-cli-") as scratch:
        env = clean_env(Path(scratch))
        cli = command_argv()
        piped = {
            "python -c pass": [sys.executable, "-c", "pass"],
            "orders --help": [*cli, "orders", "--help"],
            "orders --demo --limit 1": [
                *cli,
                "orders",
                "--demo",
                "--demo-orders",
                "200",
                "--limit",
                "1",
                "--format",
                "ndjson",
            ],
        }
        times: dict[str, list[float]] = {name: [] for name in [*piped, "console"]}
        for run in range(args.runs + 1):
            measured = {name: time_to_exit(argv, env) for name, argv in piped.items()}
            measured["console"] = spawn_until(
                console_argv(), CONSOLE_FRAME, CONSOLE_ROWS, env
            ).first_frame
            if run:  # run 0 warms the page cache and the bytecode caches
                for name, value in measured.items():
                    times[name].append(value)
    console = statistics.median(times["console"])
    print(
        f"spawn → exit (commands, stdout piped) and spawn → first frame (console, pty "
        f"120×40); {args.runs} runs each, interleaved; seconds"
    )
    print(f"{'':>36} {'median':>7} {'p95':>7} {'/ console':>10}")
    labels = {
        "python -c pass": "python -c pass (interpreter alone)",
        "orders --help": "artistree-tui orders --help",
        "orders --demo --limit 1": "orders --demo --limit 1 (one row)",
        "console": "artistree-tui --demo → first frame",
    }
    for name, label in labels.items():
        values = times[name]
        median = statistics.median(values)
        print(f"{label:>36} {median:7.3f} {p95(values):7.3f} {median / console:9.2f}×")
    return 0


if __name__ == "__main__":
    sys.exit(main())
