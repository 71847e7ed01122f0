"""Benchmark (not a test): ``orders --cached`` and the console's export of a view, in one run.

Two indexes are built by a child process (``bench_index.child_build``: synthetic orders shaped
like the demo's, written as a sweep writes them), ``--small`` and ``--orders`` orders, each
where ``orders --cached`` looks for the index of its own fake config (a temporary home, one
base URL per size). Then:

1. ``artistree-tui orders --cached --format csv`` (spawn → exit, output to a pipe read and
   dropped) at both sizes: wall time and peak RSS (the child's ``ru_maxrss``), so the memory
   can be seen not to grow with the number of orders. Baseline in the same run: the same
   number of orders from the API, ``artistree-tui orders --demo --demo-orders N --format csv``
   (streamed over loopback from the in-process demo API).
2. In this process, the console's export (``export_view``) of the whole big index to CSV and
   to JSON: orders per second, against reading the same view without writing (``iter_rows``).

Run: ``.venv/bin/python bench/bench_export.py`` (``--orders``, ``--small``, ``--keep DIR`` to
reuse the built indexes, ``--no-api`` to skip the API baseline).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_index import run_child  # noqa: E402  (the index builder, in a child process)

ENTRY = Path(sys.executable).with_name("artistree-tui")


def environment(home: Path, size: int) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ARTISTREE_")}
    env.update(
        HOME=str(home),
        XDG_CONFIG_HOME=str(home / ".config"),
        XDG_CACHE_HOME=str(home / ".cache"),
        ARTISTREE_BASE_URL=f"https://bench-{size}.invalid",
        ARTISTREE_CLIENT_ID="bench",
    )
    return env


def index_for(env: dict[str, str]) -> Path:
    """Where ``orders --cached`` with ``env`` reads its index (the program's own rule)."""
    from artistree_tui.config import load_settings
    from artistree_tui.store.paths import index_files

    saved = dict(os.environ)
    os.environ.update(env)  # platformdirs reads XDG_CACHE_HOME from the environment
    try:
        return index_files(load_settings(env=env, require_credentials=False)).database
    finally:
        os.environ.clear()
        os.environ.update(saved)


def spawn(args: list[str], env: dict[str, str]) -> dict[str, float]:
    """Run the command to its end, output read and dropped: wall seconds, peak RSS (MB)."""
    started = time.perf_counter()
    process = subprocess.Popen(
        [str(ENTRY), *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env
    )
    assert process.stdout is not None
    size = 0
    while chunk := process.stdout.read(1 << 16):
        size += len(chunk)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    err = process.stderr.read().decode() if process.stderr else ""
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed: {err[-2000:]}")
    return {"seconds": seconds, "rss": usage.ru_maxrss / 1024, "bytes": size}


def export_rates(path: Path) -> dict[str, float]:
    from artistree_tui.export.view_export import export_view
    from artistree_tui.store import ReadOnlyIndex, ViewSpec

    reader = ReadOnlyIndex.open(path).reader()
    rates: dict[str, float] = {}
    out = Path(tempfile.mkdtemp(prefix="bench-export-out-"))
    try:
        started = time.perf_counter()
        count = sum(1 for _ in reader.view(ViewSpec.of()).iter_rows())
        rates["read"] = count / (time.perf_counter() - started)
        for fmt in ("csv", "json"):
            started = time.perf_counter()
            result = export_view(reader.view(ViewSpec.of()), out / f"all.{fmt}", fmt)
            rates[fmt] = result.rows / (time.perf_counter() - started)
            rates[f"{fmt}_mb"] = (out / f"all.{fmt}").stat().st_size / 1e6
        rates["rows"] = count
    finally:
        reader.close()
        for file in out.iterdir():
            file.unlink()
        out.rmdir()
    return rates


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=100_000)
    parser.add_argument("--small", type=int, default=10_000)
    parser.add_argument("--keep", type=Path, help="home folder to keep (and reuse) the indexes")
    parser.add_argument("--no-api", action="store_true", help="skip the API baseline")
    args = parser.parse_args()
    home = args.keep or Path(tempfile.mkdtemp(prefix="bench-export-"))
    sizes = (args.small, args.orders)
    cached: dict[int, dict[str, float]] = {}
    api: dict[int, dict[str, float]] = {}
    for size in sizes:
        env = environment(home, size)
        path = index_for(env)
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            built: dict[str, Any] = run_child("build", str(path), str(size))
            print(f"built {size:,} orders in {built['seconds']:.1f} s", flush=True)
        cached[size] = spawn(["orders", "--cached", "--format", "csv"], env)
        if not args.no_api:
            demo = ["orders", "--demo", "--demo-orders", str(size), "--format", "csv"]
            api[size] = spawn(demo, env)

    print("\norders --format csv, spawn → exit (output piped): seconds, peak RSS")
    for size in sizes:
        line = f"{size:>9,} orders  --cached {cached[size]['seconds']:6.2f} s "
        line += f"{cached[size]['rss']:6.1f} MB ({size / cached[size]['seconds']:,.0f} orders/s)"
        if size in api:
            ratio = cached[size]["seconds"] / api[size]["seconds"]
            line += f"   API {api[size]['seconds']:6.2f} s {api[size]['rss']:6.1f} MB   "
            line += f"cached/API {ratio:.2f}×"
        print(line)
    grow = cached[args.orders]["rss"] - cached[args.small]["rss"]
    print(f"--cached peak RSS, {args.small:,} → {args.orders:,} orders: {grow:+.1f} MB")

    rates = export_rates(index_for(environment(home, args.orders)))
    print(f"\nconsole export of {int(rates['rows']):,} orders (orders/s, this process)")
    print(f"  reading the view only (iter_rows)  {rates['read']:>9,.0f}")
    for fmt in ("csv", "json"):
        ratio = rates["read"] / rates[fmt]
        print(
            f"  export_view → {fmt:<4} ({rates[f'{fmt}_mb']:5.1f} MB)  {rates[fmt]:>9,.0f}"
            f"   ({ratio:.1f}× the read alone)"
        )
    if args.keep is None:
        print(f"(indexes in {home}; pass --keep DIR to reuse them)")


if __name__ == "__main__":
    main()
