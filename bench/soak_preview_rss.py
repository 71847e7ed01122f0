"""Benchmark (not a test): the real console moving through previews for a long while, its RSS
against a bare Textual app's.

``soak_rss.py`` soaks the list and the live refresh headless, in one process with its demo
API. This one is about previews, as a reviewer uses them: the console runs as a user runs it
(``python -m artistree_tui`` on a 160×50 pseudo-terminal, truecolor), pointed by a config file
at a demo API in a child process (``--orders`` orders with 1024×768 painterly previews, so the
console's RSS is its own), with the disk cache off (every preview downloaded and decoded) or on
(``--disk-cache``). A driver moves through the list the whole time, in rounds:

- a held ``j`` or ``k`` (``--burst`` presses at ``--rate`` keys a second), then a rest of
  ``--rest`` seconds on the order it stops on (its preview loads);
- every tenth round a ``G`` (walk to the end) or ``g`` (back to the top).

Every ``--every`` seconds it samples the console's RSS (``/proc/PID/status``), and it prints
the curve, the bare Textual app's RSS on the same pty (the baseline, measured first), the
peak, and the growth over the second half of the run. Target: RSS ≤ bare + 100 MB, flat after
the first minutes.

Run: ``.venv/bin/python bench/soak_preview_rss.py [--minutes 10] [--every 20]``
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_preview_pty import console_for  # noqa: E402

from tests.support.pty_console import PtyConsole  # noqa: E402

BARE_APP = """\
from textual.app import App
from textual.widgets import Static


class Bare(App[None]):
    def compose(self):
        yield Static("bare textual app ready")


Bare().run()
"""

# The demo API in a child process: painterly 1024x768 previews, no new orders (steady data).
_CHILD = """
import sys
from artistree_tui.demo import DemoServer
server = DemoServer(orders={orders}, seed=1, preview_size=(1024, 768)).start()
print(server.base_url, flush=True)
sys.stdin.read()
server.stop()
"""


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def bare_rss(home: Path) -> float:
    """RSS of a bare Textual app on the same kind of pty, once it has drawn."""
    script = home / "bare_app.py"
    script.write_text(BARE_APP)
    env = {k: v for k, v in os.environ.items() if not k.startswith("TEXTUAL")}
    env.update(TERM="xterm-256color", COLORTERM="truecolor", HOME=str(home))
    env.pop("COLUMNS", None)
    env.pop("LINES", None)
    terminal = PtyConsole([sys.executable, str(script)], env, size=(160, 50))
    try:
        terminal.wait_for("bare textual app ready", timeout=60)
        terminal.settle(2.0)
        return rss_mb(terminal.pid)
    finally:
        terminal.close()


class ChildDemo:
    def __init__(self, orders: int) -> None:
        import subprocess

        self.process = subprocess.Popen(
            [sys.executable, "-c", _CHILD.format(orders=orders)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            cwd=ROOT,
        )
        assert self.process.stdout is not None
        self.base_url = self.process.stdout.readline().strip()
        self.token_url = self.base_url + "/oauth2/token"

    def close(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()
        self.process.wait(timeout=10)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--every", type=float, default=20.0, help="seconds between samples")
    parser.add_argument("--orders", type=int, default=2000)
    parser.add_argument("--burst", type=int, default=12, help="presses of a held key")
    parser.add_argument("--rate", type=float, default=30.0, help="key repeat, keys a second")
    parser.add_argument("--rest", type=float, default=0.6, help="seconds on the order")
    parser.add_argument("--disk-cache", action="store_true", help="keep the disk cache on")
    parser.add_argument("--memory-mb", type=int, help="memory_cache_mb (default: the default)")
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument("--no-walk", action="store_true", help="no G/g rounds")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory() as folder:
        home = Path(folder) / "home"
        home.mkdir(mode=0o700)
        bare = bare_rss(home)
        print(f"bare Textual app on a pty 160×50: {bare:.1f} MiB", flush=True)
        demo = ChildDemo(args.orders)
        extra = "" if args.memory_mb is None else f"memory_cache_mb = {args.memory_mb}\n"
        if args.disk_cache:
            extra += "image_cache_mb = 200\n"
        terminal = console_for(demo, home, extra=extra)  # type: ignore[arg-type]
        try:
            terminal.wait_for("row 1/", timeout=60)
            terminal.settle_idle(0.5)
            print(f"{'min':>6} {'RSS MiB':>8} {'over bare':>9} {'presses':>8}", flush=True)
            start = time.monotonic()
            samples: list[tuple[float, float]] = []
            presses, rounds, position = 0, 0, 0
            next_sample = start
            while time.monotonic() - start < args.minutes * 60:
                rounds += 1
                if rounds % 10 == 0 and not args.no_walk:
                    key = b"G" if position < args.orders // 2 else b"g"
                    terminal.press(key)
                    position = args.orders - 1 if key == b"G" else 0
                    presses += 1
                    terminal.settle(1.0)
                else:
                    down = position < 50 or rng.random() < 0.7
                    key = b"j" if down else b"k"
                    for _ in range(args.burst):
                        terminal.press(key)
                        terminal.read(1 / args.rate)
                    position = max(0, position + (args.burst if down else -args.burst))
                    presses += args.burst
                    terminal.settle(args.rest)
                if time.monotonic() >= next_sample:
                    minutes = (time.monotonic() - start) / 60
                    rss = rss_mb(terminal.pid)
                    samples.append((minutes, rss))
                    print(f"{minutes:6.1f} {rss:8.1f} {rss - bare:+9.1f} {presses:8d}", flush=True)
                    next_sample += args.every
            terminal.press(b"q")
            terminal.wait_exit(15)
        finally:
            terminal.close()
            demo.close()
    peak = max(rss for _, rss in samples)
    half = [rss for minutes, rss in samples if minutes >= args.minutes / 2]
    growth = (half[-1] - half[0]) if len(half) > 1 else 0.0
    print(
        f"bare {bare:.1f} MiB; console peak {peak:.1f} MiB (bare {peak - bare:+.1f} MiB); "
        f"last {samples[-1][1]:.1f} MiB; growth over the second half {growth:+.1f} MiB; "
        f"{presses} key presses"
    )
    print("target: ≤ bare + 100 MiB, flat after the first minutes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
