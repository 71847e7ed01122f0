"""Benchmark (not a test): ``j`` in the real console on a pty → the next preview painted, against
Pillow decoding the same PNG, for flat and for painterly demo artwork in the same run.

``bench_preview.py`` times the preview inside a headless app (its ``console`` row is
``ConsoleApp`` under Textual's test driver, which draws nothing to a terminal). This one runs
the console as a user does: ``python -m artistree_tui`` in its own process on a 160×50
pseudo-terminal (``TERM=xterm-256color``, ``COLORTERM=truecolor``), pointed by a config file
at a demo API in a child process (1024×768 previews, no disk cache: every preview is
downloaded), and reads what it writes to the terminal. For each of ``--presses`` orders:

- ``pillow``: ``Image.open(...).load()`` of the very PNG the console is about to download,
  timed right before the press (both see the same machine load);
- ``console``: the time from writing ``j`` to the pty until the console has written most of
  the new picture: at least ``--fraction`` of a picture's rows (counted on a warm-up press)
  have each received picture cells (``▀``/``▄``) since the press. Rows, not cells: the
  preview is encoded for the wire (a cell of one colour is a space, ``▄`` where it keeps the
  colours of the cell before), so how many picture cells a picture takes depends on the
  picture (a row of flat art may have a single one); its height in rows does not. The
  console's CPU (user + system, all threads, from ``/proc``, 10 ms ticks) over the same span;
- ``cursor``: from writing ``j`` until the console's first bytes after it (the list's cursor
  moved: the first frame of the press, before the detail and the picture).

Presses are spaced so the cursor is at rest each time (the preview loads once the cursor
rests: a single press loads at once). Each artwork is measured in each mode, in one console
per mode on the same demo:

- ``ahead``: as configured by default (``prefetch = true``): while the cursor rests, the
  console fetches the next order's full order and picture, so ``j`` finds them cached — the
  real use (read an order, then ``j``);
- ``cold``: ``prefetch = false``: ``j`` fetches the full order and downloads, decodes and
  renders the picture then — what a move the prefetch cannot predict costs (a jump, ``/``);
- ``ahead60``, ``cold60``: the same at Textual's own frame cap of 60 a second (the console
  raises it to ``launch.FRAME_RATE``), to show what the cap costs in the same run.

It prints medians, and the ratio console / Pillow per artwork and mode (target ≤ 2×). Run:
``.venv/bin/python bench/bench_preview_pty.py [--presses 12] [--modes ahead,cold]``.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import httpx  # noqa: E402
from bench_preview import ChildDemo, list_page, pillow_ms  # noqa: E402

from artistree_tui.demo import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET  # noqa: E402
from tests.support.pty_console import PtyConsole  # noqa: E402

#: What moves the cursor to another row (a position, a line feed), and a picture cell.
_TOKENS = re.compile(rb"\x1b\[(\d+);\d+H|(\n)|(\xe2\x96[\x80\x84])")
#: A row counts as painted with this many picture cells on it.
ROW_CELLS = 1
median = statistics.median


class PictureRows:
    """Which rows of the screen received picture cells (``▀``/``▄``) in the console's output
    from ``start`` on, read incrementally (a sequence cut at the end of what was read is read
    next time)."""

    def __init__(self, terminal: PtyConsole, start: int) -> None:
        self.terminal = terminal
        self.offset = start
        self.row = 0
        self.cells: dict[int, int] = {}

    def update(self) -> int:
        """Read what was written since the last call; the rows painted so far."""
        output = self.terminal.output
        end = len(output)
        escape = output.rfind(b"\x1b", max(self.offset, end - 16), end)
        if escape >= 0 and not re.match(rb"\x1b\[\d+;\d+H", output[escape:end]):
            end = escape  # maybe cut in the middle: wait for the rest
        if end - self.offset >= 2 and output[end - 2] == 0xE2:
            end -= 2  # a cut UTF-8 sequence
        elif end - self.offset >= 1 and output[end - 1] == 0xE2:
            end -= 1
        for match in _TOKENS.finditer(output, self.offset, end):
            row, feed, _cell = match.groups()
            if row is not None:
                self.row = int(row)
            elif feed is not None:
                self.row += 1
            else:
                self.cells[self.row] = self.cells.get(self.row, 0) + 1
        self.offset = end
        return self.painted

    @property
    def painted(self) -> int:
        return sum(count >= ROW_CELLS for count in self.cells.values())


def cpu_seconds(pid: int) -> float:
    """User + system CPU of ``pid`` so far (all threads), from /proc (10 ms ticks)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def console_for(
    server: ChildDemo, home: Path, *, extra: str = "", fps: int | None = None
) -> PtyConsole:
    """The console on a pty 160×50, configured for ``server`` (previews on, no disk cache;
    ``extra`` config lines override)."""
    home.mkdir(mode=0o700, parents=True, exist_ok=True)
    config = home / "config.toml"
    config.write_text(
        f'base_url = "{server.base_url}"\n'
        f'token_url = "{server.token_url}"\n'
        f'client_id = "{DEMO_CLIENT_ID}"\n'
        f'client_secret = "{DEMO_CLIENT_SECRET}"\n'
        "refresh_seconds = 0\n"
        'preview = "halfblock"\n'
        + ("" if "image_cache_mb" in extra else "image_cache_mb = 0\n")
        + extra
    )
    config.chmod(0o600)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ARTISTREE_", "TEXTUAL"))}
    env.pop("COLUMNS", None)
    env.pop("LINES", None)
    env.update(
        TERM="xterm-256color",
        COLORTERM="truecolor",
        HOME=str(home),
        XDG_CONFIG_HOME=str(home / "config"),
        XDG_CACHE_HOME=str(home / "cache"),
    )
    if fps is not None:
        env["TEXTUAL_FPS"] = str(fps)
    argv = [sys.executable, "-m", "artistree_tui", "--config", str(config)]
    return PtyConsole(argv, env, size=(160, 50))


def first_burst(terminal: PtyConsole, start: int, quiet: float = 0.03) -> int:
    """The picture's rows painted after ``start`` by the first paint: read until some were
    painted and then no more for ``quiet`` seconds."""
    rows = PictureRows(terminal, start)
    deadline = time.perf_counter() + 30.0
    count, since = 0, time.perf_counter()
    while time.perf_counter() < deadline:
        terminal.read(0.002)
        now = rows.update()
        if now != count:
            count, since = now, time.perf_counter()
        elif count and time.perf_counter() - since > quiet:
            return count
    return count


def read_until_rows(
    terminal: PtyConsole, start: int, needed: int, limit: float
) -> tuple[float, float]:
    """Read until ``needed`` rows of a picture were painted after ``start``; the time the
    first bytes came after ``start`` (the cursor's frame), and the time then."""
    rows = PictureRows(terminal, start)
    first = None
    deadline = time.perf_counter() + limit
    while time.perf_counter() < deadline:
        terminal.read(0.001)
        if first is None and len(terminal.output) > start:
            first = time.perf_counter()
        if rows.update() >= needed:
            now = time.perf_counter()
            return (first if first is not None else now), now
    raise TimeoutError(f"the preview was never painted ({rows.painted} of {needed} rows)")


#: The console's config for each mode (module docstring).
#: Mode -> (config lines, Textual's frame cap or None for the console's own: launch.FRAME_RATE).
MODES: dict[str, tuple[str, int | None]] = {
    "ahead": ("prefetch = true\n", None),
    "cold": ("prefetch = false\n", None),
    "ahead60": ("prefetch = true\n", 60),  # Textual's default cap, for comparison
    "cold60": ("prefetch = false\n", 60),
}


def measure(
    server: ChildDemo, presses: int, fraction: float, *, extra: str = "", fps: int | None = None
) -> dict[str, list[float]]:
    orders = list_page(server)
    token = httpx.post(
        server.token_url,
        data={
            "grant_type": "client_credentials",
            "client_id": DEMO_CLIENT_ID,
            "client_secret": DEMO_CLIENT_SECRET,
        },
    ).json()["access_token"]
    del token  # presigned URLs need none
    pngs = {}
    with httpx.Client() as http:  # the server draws each PNG once: not in the timings
        for order in orders[: presses * 2 + 3]:
            if order.asset_preview_url:
                pngs[order.order_id] = http.get(order.asset_preview_url).content
    results: dict[str, list[float]] = {
        "pillow": [],
        "pillow_cpu": [],
        "console": [],
        "cpu": [],
        "cursor": [],
    }
    with tempfile.TemporaryDirectory() as folder:
        terminal = console_for(server, Path(folder) / "home", extra=extra, fps=fps)
        try:
            terminal.wait_for("row 1/", timeout=60)
            terminal.settle_idle(0.5)
            # Warm-up press: how many rows one preview paints (its first burst).
            mark = terminal.press(b"j")
            full = first_burst(terminal, mark)
            terminal.settle_idle(0.6)
            if full < 5:
                raise RuntimeError(f"no preview painted on the warm-up press ({full} rows)")
            needed = max(1, int(full * fraction))
            index = 1  # the warm-up press moved the cursor to row 1
            while len(results["console"]) < presses:
                index += 1
                terminal.settle_idle(0.4)
                time.sleep(0.2)  # the cursor at rest: the press loads at once
                png = pngs.get(orders[index].order_id)
                if png is None:  # an order without a preview: step over it
                    terminal.press(b"j")
                    continue
                wall, cpu = pillow_ms(png)
                results["pillow"].append(wall)
                results["pillow_cpu"].append(cpu)
                cpu_before = cpu_seconds(terminal.pid)
                start = time.perf_counter()
                mark = terminal.press(b"j")
                cursor, painted = read_until_rows(terminal, mark, needed, 30.0)
                results["console"].append((painted - start) * 1000)
                results["cursor"].append((cursor - start) * 1000)
                results["cpu"].append((cpu_seconds(terminal.pid) - cpu_before) * 1000)
            terminal.press(b"q")
            terminal.wait_exit(15)
        finally:
            terminal.close()
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--presses", type=int, default=12)
    parser.add_argument("--fraction", type=float, default=0.9)
    parser.add_argument(
        "--modes",
        default="ahead,cold",
        help="of ahead, cold, ahead60, cold60 (60: at Textual's default frame cap)",
    )
    args = parser.parse_args()
    modes = [mode.strip() for mode in args.modes.split(",") if mode.strip()]
    print(
        f"j → preview painted, real console on a pty 160×50, {args.presses} presses per art "
        f"(medians, ms; console CPU in 10 ms ticks)"
    )
    print(
        f"{'artwork':>10} {'mode':>7} {'pillow':>8} {'console':>8} {'ratio':>6} {'CPU':>6} "
        f"{'CPU ratio':>9} {'cursor':>7}"
    )
    for painterly in (False, True):
        name = "painterly" if painterly else "flat"
        with ChildDemo(painterly=painterly) as server:
            for mode in modes:
                config, fps = MODES[mode]
                r = measure(server, args.presses, args.fraction, extra=config, fps=fps)
                pillow, console = median(r["pillow"]), median(r["console"])
                cpu, pillow_cpu = median(r["cpu"]), median(r["pillow_cpu"])
                print(
                    f"{name:>10} {mode:>7} {pillow:8.1f} {console:8.1f} {console / pillow:5.2f}× "
                    f"{cpu:6.0f} {cpu / max(pillow_cpu, 1.0):8.2f}× {median(r['cursor']):7.1f}",
                    flush=True,
                )
    print("target: console / pillow ≤ 2×")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
