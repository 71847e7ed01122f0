"""Benchmark (not a test): the bytes the console writes to the terminal per action.

Over SSH every byte written to the terminal crosses the network, so what a key costs is what
the program writes to its pty. Both programs run, in the same run, on a real pseudo-terminal
of 160×48 (TERM=xterm-256color, COLORTERM=truecolor, an empty HOME), and this script reads the
pty's master end directly, counting every byte:

- ``console``: ``artistree-tui --demo`` with auto-refresh off (a config file with
  ``refresh_seconds = 0``: no refresh lands in the middle of a measurement);
- ``bare``: a bare Textual ``DataTable`` of 200 rows of seven columns, ``j`` bound to its
  cursor (the baseline: what Textual itself writes for a cursor move).

After the first rows are on screen each program is left until it is quiet (no byte for
``--quiet`` seconds), then for each action the keys are sent and the bytes counted until it is
quiet again:

- one ``j``, the cursor at rest afterwards (median and largest of ``--repeat`` presses, from
  the top of the list, so that no press scrolls it): everything the move costs, the detail and
  its preview drawn for the new order included. The first time an order is shown its full
  order is read and written to the index, which refreshes the list's view; so the same presses
  are measured again over the orders just seen ("seen before");
- holding ``j``: 60 presses 30 ms apart, from the top (the list scrolls after its first
  screenful, about 40 rows); "per key" counts the bytes written from the first press to 30 ms
  after the last, divided by 60; "after" is what follows once the keys stop (the list catching
  up, the detail and the preview drawn for the order the cursor rests on); "all / 60" is both,
  per key. The same with 20 presses, within the first screenful (no scrolling);
- opening help (``?``) and closing it (``escape``);
- the same ``j`` with the preview hidden (``v``), over orders seen before.

The console's figures are also split by where on the screen the bytes went (the cursor position
each run of output starts at): the order list's columns (:data:`LIST_COLUMNS`, the layout at
160×48 with the demo's projects) and everything else (the detail and its preview, the sidebar,
the status line, the footer, help).

The console's targets (issue 12): ≤ 2 KiB per key in a burst, ≤ 40 KiB for the detail with
its preview at rest, ≤ 20 KiB to open help.

The console fetches the next order ahead while the cursor rests (``prefetch``, on by default):
its full order, written to the index, repaints that order's line of the list during the rest
of the press before. ``--config "prefetch = false"`` measures without it.

Run: ``.venv/bin/python bench/bench_bytes.py [--repeat 5] [--quiet 0.8] [--json]
[--config LINE]``
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import json
import os
import pty
import re
import select
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
#: The order list's columns (1-based, borders included) at 160×48 on the demo: after a sidebar
#: of 28 (its longest project name) and before the detail pane.
LIST_COLUMNS = (29, 97)
_MOVE = re.compile(rb"\x1b\[(\d+);(\d+)H")
COLUMNS, ROWS = 160, 48
TIMEOUT = 60.0
BURST_KEYS = 60
#: A burst that stays within the list's first screenful (no scrolling).
SHORT_BURST_KEYS = 20
BURST_GAP = 0.030
KIB = 1024

BARE_APP = """\
from textual.app import App
from textual.binding import Binding
from textual.widgets import DataTable


class Table(DataTable):
    BINDINGS = [
        Binding("j", "cursor_down", "Down"),
        Binding("k", "cursor_up", "Up"),
        Binding("g", "scroll_top", "Top"),  # each figure starts from the top, as the console's
    ]


class Bare(App[None]):
    def compose(self):
        yield Table(cursor_type="row")

    def on_mount(self):
        table = self.query_one(Table)
        table.add_columns("State", "Title", "Asset", "Ordered by", "Created", "Conf", "Tags")
        for n in range(200):
            table.add_row(
                "running", f"Order title number {n}", f"asset-{n}.png", "mara.kowalski",
                "2026-12-06 08:53", f"{n % 100}%", "cover, draft",
            )
        table.focus()
        self.notify("bare table ready", timeout=1)


Bare().run()
"""


class Terminal:
    """A program on a fresh pty of COLUMNS×ROWS; counts what it writes."""

    def __init__(self, argv: list[str], env: dict[str, str]) -> None:
        self.master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLUMNS, 0, 0))
        self.process = subprocess.Popen(
            argv, stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True
        )
        os.close(slave)
        self.seen = bytearray()  # the last bytes, to look for a text
        self.total = 0
        self.in_list = 0  # of those, written in the list's columns (see list_bytes)

    def read(self, seconds: float) -> int:
        """Read for ``seconds``; returns the bytes read."""
        deadline = time.perf_counter() + seconds
        count = 0
        while (left := deadline - time.perf_counter()) > 0:
            ready, _, _ = select.select([self.master], [], [], left)
            if not ready:
                break
            try:
                chunk = os.read(self.master, 1 << 16)
            except OSError:
                raise RuntimeError("the program closed its terminal") from None
            count += len(chunk)
            self.in_list += list_bytes(chunk)
            self.seen += chunk
            del self.seen[: max(0, len(self.seen) - (1 << 20))]
        self.total += count
        return count

    def settle(self, quiet: float) -> int:
        """Read until nothing was written for ``quiet`` seconds; returns the bytes read."""
        count = 0
        start = time.perf_counter()
        while True:
            got = self.read(quiet)
            count += got
            if not got:
                return count
            if time.perf_counter() - start > TIMEOUT:
                raise RuntimeError("the program never went quiet")

    def wait_for(self, text: bytes) -> None:
        start = time.perf_counter()
        while text not in self.seen:
            self.read(0.2)
            if time.perf_counter() - start > TIMEOUT or self.process.poll() is not None:
                raise RuntimeError(f"{text!r} never appeared")

    def send(self, keys: str) -> None:
        os.write(self.master, keys.encode())

    def close(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)
        os.close(self.master)


def list_bytes(chunk: bytes) -> int:
    """Bytes of ``chunk`` written from a cursor position in :data:`LIST_COLUMNS` (a run of
    output lasts until the next cursor position; a chunk cut mid-run is counted from its first
    position on, which the figures, summed over many chunks, do not notice)."""
    moves = list(_MOVE.finditer(chunk))
    count = 0
    for index, move in enumerate(moves):
        end = moves[index + 1].start() if index + 1 < len(moves) else len(chunk)
        if LIST_COLUMNS[0] <= int(move.group(2)) <= LIST_COLUMNS[1] and int(move.group(1)) > 1:
            count += end - move.start()
    return count


@contextlib.contextmanager
def running(argv: list[str], env: dict[str, str]) -> Iterator[Terminal]:
    terminal = Terminal(argv, env)
    try:
        yield terminal
    finally:
        terminal.close()


def press(terminal: Terminal, keys: str, quiet: float) -> int:
    terminal.send(keys)
    return terminal.settle(quiet)


def at_rest(terminal: Terminal, key: str, quiet: float, repeat: int) -> tuple[float, int]:
    """Median and largest bytes of ``key`` pressed ``repeat`` times from the top of the list,
    each followed by quiet."""
    press(terminal, "g", quiet)
    counts = [press(terminal, key, quiet) for _ in range(repeat)]
    return statistics.median(counts), max(counts)


def burst(
    terminal: Terminal, key: str, quiet: float, keys: int = BURST_KEYS
) -> tuple[float, int, float]:
    """(bytes per key while the keys arrive, bytes after the last key until quiet, bytes per
    key of all of it outside the list's columns), ``keys`` presses from the top of the list."""
    press(terminal, "g", quiet)
    during = 0
    in_list = terminal.in_list
    for _ in range(keys):
        terminal.send(key)
        during += terminal.read(BURST_GAP)
    after = terminal.settle(quiet)
    outside = during + after - (terminal.in_list - in_list)
    return during / keys, after, outside / keys


def console_argv() -> list[str]:
    script = Path(sys.executable).with_name("artistree-tui")
    if script.exists():
        return [str(script), "--demo"]
    return [sys.executable, "-m", "artistree_tui", "--demo"]


def clean_env(home: Path) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("ARTISTREE_", "TEXTUAL", "NO_COLOR", "PYTHON", "COLUMNS", "LINES"))
    }
    env.update(
        TERM="xterm-256color",
        COLORTERM="truecolor",
        HOME=str(home),
        XDG_CONFIG_HOME=str(home / "config"),
        XDG_CACHE_HOME=str(home / "cache"),
        PYTHONPATH=str(ROOT),
    )
    return env


def measure_console(env: dict[str, str], quiet: float, repeat: int, extra: list[str]) -> dict:
    figures: dict[str, float] = {}
    with running([*console_argv(), *extra], env) as terminal:
        terminal.wait_for(b"row 1/")
        figures["first frames"] = terminal.total + terminal.settle(quiet)
        figures["j at rest, preview on"], figures["j at rest, preview on, largest"] = at_rest(
            terminal, "j", quiet, repeat
        )
        figures["j at rest, preview on, seen"], figures["j at rest, preview on, seen, largest"] = (
            at_rest(terminal, "j", quiet, repeat)
        )
        (
            figures["short burst per key, preview on"],
            figures["after the short burst, preview on"],
            _,
        ) = burst(terminal, "j", quiet, SHORT_BURST_KEYS)
        (
            figures["burst per key, preview on"],
            figures["after the burst, preview on"],
            figures["burst outside the list, preview on"],
        ) = burst(terminal, "j", quiet)
        figures["open help"] = press(terminal, "?", quiet)
        figures["close help"] = press(terminal, "\x1b", quiet)
        press(terminal, "v", quiet)
        figures["j at rest, preview off"], figures["j at rest, preview off, largest"] = at_rest(
            terminal, "j", quiet, repeat
        )
        (
            figures["burst per key, preview off"],
            figures["after the burst, preview off"],
            figures["burst outside the list, preview off"],
        ) = burst(terminal, "j", quiet)
    return figures


def measure_bare(env: dict[str, str], script: Path, quiet: float, repeat: int) -> dict:
    figures: dict[str, float] = {}
    with running([sys.executable, str(script)], env) as terminal:
        terminal.wait_for(b"bare table ready")
        terminal.settle(max(quiet, 1.5))  # the toast leaves
        figures["j at rest"], figures["j at rest, largest"] = at_rest(terminal, "j", quiet, repeat)
        figures["short burst per key"], figures["after the short burst"], _ = burst(
            terminal, "j", quiet, SHORT_BURST_KEYS
        )
        figures["burst per key"], figures["after the burst"], _ = burst(terminal, "j", quiet)
    return figures


def all_per_key(figures: dict, which: str) -> float:
    return (
        figures[f"burst per key, {which}"] * BURST_KEYS + figures[f"after the burst, {which}"]
    ) / BURST_KEYS


def kib(value: float) -> str:
    return f"{value / KIB:8.2f} KiB"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="presses per at-rest figure")
    parser.add_argument("--quiet", type=float, default=0.8, help="seconds of silence = at rest")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument(
        "--console-arg",
        action="append",
        default=[],
        metavar="ARG",
        help="extra argument for the console, repeatable",
    )
    parser.add_argument(
        "--config",
        action="append",
        default=[],
        metavar="LINE",
        help='extra line for the console\'s config file, repeatable (e.g. "prefetch = false")',
    )
    args = parser.parse_args()
    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, lambda signum, _frame: sys.exit(128 + signum))
    with tempfile.TemporaryDirectory(prefix="bench-bytes-") as scratch:
        home = Path(scratch)
        config = home / "config" / "artistree-tui" / "config.toml"
        config.parent.mkdir(parents=True)
        config.write_text("".join(f"{line}\n" for line in ["refresh_seconds = 0", *args.config]))
        script = home / "bare_table.py"
        script.write_text(BARE_APP)
        env = clean_env(home)
        bare = measure_bare(env, script, args.quiet, args.repeat)
        console = measure_console(env, args.quiet, args.repeat, args.console_arg)
    if args.json:
        print(json.dumps({"console": console, "bare": bare}, indent=2))
        return 0
    print(f"bytes written to a {COLUMNS}×{ROWS} pty per action (truecolor)")
    print(f"{'':>34} {'console':>12} {'bare DataTable':>16}")
    rows = [
        ("one j, at rest, preview on", console["j at rest, preview on"], bare["j at rest"]),
        ("  largest", console["j at rest, preview on, largest"], bare["j at rest, largest"]),
        ("  orders seen before", console["j at rest, preview on, seen"], None),
        ("  largest", console["j at rest, preview on, seen, largest"], None),
        ("one j, at rest, preview off (seen)", console["j at rest, preview off"], None),
        ("  largest", console["j at rest, preview off, largest"], None),
        (
            f"holding j, {SHORT_BURST_KEYS} keys, per key",
            console["short burst per key, preview on"],
            bare["short burst per key"],
        ),
        (
            "  after the burst",
            console["after the short burst, preview on"],
            bare["after the short burst"],
        ),
        (
            "holding j, 60 keys, per key",
            console["burst per key, preview on"],
            bare["burst per key"],
        ),
        ("  after the burst, preview on", console["after the burst, preview on"], None),
        ("  all / 60, preview on", all_per_key(console, "preview on"), None),
        ("  of it not the list, per key", console["burst outside the list, preview on"], None),
        (
            "holding j, 60 keys, preview off",
            console["burst per key, preview off"],
            bare["burst per key"],
        ),
        ("  after the burst, preview off", console["after the burst, preview off"], None),
        ("  all / 60, preview off", all_per_key(console, "preview off"), None),
        ("  of it not the list, per key", console["burst outside the list, preview off"], None),
        ("  after the burst (bare)", None, bare["after the burst"]),
        ("opening help", console["open help"], None),
        ("closing help", console["close help"], None),
        ("first frames (start to rest)", console["first frames"], None),
    ]
    for label, ours, theirs in rows:
        left = kib(ours) if ours is not None else " " * 12
        right = kib(theirs) if theirs is not None else ""
        print(f"{label:>34} {left:>12} {right:>16}")
    print(
        "targets: ≤ 2 KiB per key in a burst, ≤ 40 KiB for the detail with its preview at rest, "
        "≤ 20 KiB to open help"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
