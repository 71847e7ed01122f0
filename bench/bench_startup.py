"""Benchmark (not a test): startup, process spawn → first order rows on the screen.

Both programs are started the same way, in the same run, alternately (bare, console, bare,
console, …), each in a fresh pseudo-terminal of 120×40 (TERM=xterm-256color, an empty HOME so
no user config or cache applies):

- ``bare``: a bare Textual ``App`` showing one ``Static``: spawn → that text on the pty;
- ``console``: ``artistree-tui --demo`` (the venv's entry script, else ``python -m
  artistree_tui``): spawn → its first frame (the sidebar's title, before any data) and spawn →
  the order list's status line "row 1/2,000", which is painted in the same frame as the
  first rows (both come from the first page's handler).

The clock runs from just before the spawn until the text appears in what the child wrote to the
pty (escape sequences stripped); the child is then killed. One warm-up run of each is not
counted. It prints medians and p95, the CPU time the main thread and the other threads (the
in-process demo API, Textual's input and output threads) had used at the end point (Linux
/proc; medians), and the ratio first rows / bare first frame of the medians (target ≤ 1.5×).
``--importtime`` also prints the slowest imports of the console (``python -X importtime``).

Wall-clock and CPU times swing by tens of percent on a busy machine (a shared 2-core CI box),
and the startup is CPU-bound, so ``--instructions N`` also counts the instructions each program
executes from spawn to the same end point (valgrind's callgrind, N runs each, all threads
counted: with the GIL they take turns on one core anyway). Counts vary by ~1–2 % from run to
run whatever else the machine does; the ratio of their medians is the load-independent twin of
the wall-clock ratio (the wall-clock ratio is lower: part of the bare app's time is spawning
and terminal I/O, not instructions). A run under valgrind takes about a minute.

Run: ``.venv/bin/python bench/bench_startup.py [--runs 15] [--instructions 3]``
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import os
import pty
import re
import select
import shutil
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COLUMNS, ROWS = 120, 40
TIMEOUT = 60.0
#: Under valgrind a start takes ~50× longer.
VALGRIND_TIMEOUT = 600.0
ESCAPES = re.compile(
    rb"\x1b\[[0-?]*[ -/]*[@-~]"  # CSI
    rb"|\x1b[\]P_^][^\x07\x1b]*(?:\x07|\x1b\\)"  # OSC, DCS, APC, PM
    rb"|\x1b[@-Z\\-_]|\x1b[()][0-9A-B]"  # two-byte escapes, charset selection
)
BARE_APP = """\
from textual.app import App
from textual.widgets import Static


class Bare(App[None]):
    def compose(self):
        yield Static("bare textual app ready")


Bare().run()
"""
BARE_MARKER = re.compile(r"bare textual app ready")
#: The console's first frame: the sidebar's border title, drawn before any data arrives.
CONSOLE_FRAME = re.compile(r"Projects")
#: The list's status line once it has rows (painted with them: from the index, or from the
#: sync's first answer): the cursor's position, "row 1/2,000". Before any row it is absent.
CONSOLE_ROWS = re.compile(r"row 1/[1-9][\d,]*")


def thread_cpu(pid: int) -> tuple[float, float]:
    """CPU seconds used so far by the main thread of ``pid`` and by all its other threads
    (ended ones included: the process total minus the main thread)."""

    def used(stat: Path) -> float:
        fields = stat.read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime

    try:
        total = used(Path(f"/proc/{pid}/stat"))
        main = used(Path(f"/proc/{pid}/task/{pid}/stat"))
    except (OSError, ValueError, IndexError):  # not Linux, or the process is gone
        return float("nan"), float("nan")
    return main, total - main


@dataclass(frozen=True)
class Startup:
    """One start: seconds to the first frame and to the ready text, CPU seconds by then."""

    first_frame: float
    ready: float
    cpu_main: float
    cpu_other: float


def spawn_until(
    argv: list[str], first_frame: re.Pattern[str], ready: re.Pattern[str], env: dict[str, str]
) -> Startup:
    """Spawn ``argv`` on a fresh pty; time until ``first_frame`` and then ``ready`` appear."""
    with _on_pty(argv, env) as (process, master, start):
        framed, done = _watch(process, master, start, (first_frame, ready), TIMEOUT, argv[-1])
        return Startup(framed, done, *thread_cpu(process.pid))


@contextlib.contextmanager
def _on_pty(
    argv: list[str], env: dict[str, str]
) -> Iterator[tuple[subprocess.Popen[bytes], int, float]]:
    """``argv`` started on a fresh 120×40 pty: (process, pty master, start time); killed after."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLUMNS, 0, 0))
    start = time.perf_counter()
    process = subprocess.Popen(
        argv, stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True
    )
    os.close(slave)
    try:
        yield process, master, start
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
        os.close(master)


def _watch(
    process: subprocess.Popen[bytes],
    master: int,
    start: float,
    patterns: tuple[re.Pattern[str], ...],
    timeout: float,
    name: str,
) -> list[float]:
    """Seconds from ``start`` until each of ``patterns``, in turn, is in the pty's output."""
    output = bytearray()
    seen: list[float] = []
    while True:
        ready_fds, _, _ = select.select([master], [], [], 0.5)
        if ready_fds:
            try:
                output += os.read(master, 65536)
            except OSError:  # the child closed the pty
                break
            now = time.perf_counter() - start
            text = ESCAPES.sub(b"", bytes(output)).decode("utf-8", "replace")
            while len(seen) < len(patterns) and patterns[len(seen)].search(text):
                seen.append(now)
            if len(seen) == len(patterns):
                return seen
        if process.poll() is not None or time.perf_counter() - start > timeout:
            break
    tail = ESCAPES.sub(b"", bytes(output[-1500:])).decode("utf-8", "replace")
    missing = patterns[len(seen)].pattern
    raise RuntimeError(f"{name}: {missing!r} never appeared; last output:\n{tail}")


def instructions_until(argv: list[str], ready: re.Pattern[str], env: dict[str, str]) -> int:
    """Instructions ``argv`` executes (all threads) from spawn until ``ready`` is on its pty.

    The program runs under callgrind; when the text appears it is stopped at once (SIGSTOP),
    then terminated, and callgrind writes its count on the way out.
    """
    with tempfile.TemporaryDirectory(prefix="bench-callgrind-") as scratch:
        out = Path(scratch) / "callgrind.out"
        command = ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", *argv]
        with _on_pty(command, env) as (process, master, start):
            _watch(process, master, start, (ready,), VALGRIND_TIMEOUT, argv[-1])
            os.kill(process.pid, signal.SIGSTOP)  # no more work counted after the text
            os.kill(process.pid, signal.SIGTERM)
            os.kill(process.pid, signal.SIGCONT)
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=VALGRIND_TIMEOUT)
        for line in out.read_text().splitlines():
            if line.startswith("summary:"):
                return int(line.split()[1])
    raise RuntimeError(f"{argv[-1]}: callgrind wrote no instruction count")


def console_argv() -> list[str]:
    script = Path(sys.executable).with_name("artistree-tui")
    if script.exists():
        return [str(script), "--demo"]
    return [sys.executable, "-m", "artistree_tui", "--demo"]


def clean_env(home: Path) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("ARTISTREE_", "TEXTUAL", "NO_COLOR", "PYTHON"))
    }
    env.update(
        TERM="xterm-256color",
        COLORTERM="truecolor",
        HOME=str(home),
        XDG_CONFIG_HOME=str(home / "config"),
        XDG_CACHE_HOME=str(home / "cache"),
        COLUMNS=str(COLUMNS),
        LINES=str(ROWS),
        PYTHONPATH=str(ROOT),
    )
    return env


def p95(values: list[float]) -> float:
    """Nearest-rank 95th percentile (the largest value for fewer than 20 runs)."""
    ordered = sorted(values)
    return ordered[max(0, -(-95 * len(ordered) // 100) - 1)]


def import_times(env: dict[str, str], top: int) -> list[tuple[float, str]]:
    """The slowest imports (cumulative ms) of the console's startup path."""
    code = (
        "import artistree_tui.cli, artistree_tui.demo, artistree_tui.ui.app, artistree_tui.connect"
    )
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", code],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    rows: list[tuple[float, str]] = []
    for line in result.stderr.splitlines():
        parts = line.split("|")
        if len(parts) == 3 and parts[1].strip().isdigit():
            rows.append((int(parts[1]) / 1000, parts[2].rstrip()))
    return sorted(rows, reverse=True)[:top]


def print_instructions(
    programs: dict[str, tuple[list[str], re.Pattern[str], re.Pattern[str]]],
    env: dict[str, str],
    runs: int,
) -> None:
    """Median instruction counts to each program's end point, and their ratio."""
    if shutil.which("valgrind") is None:
        print("\n--instructions: valgrind is not installed", file=sys.stderr)
        return
    counts: dict[str, list[int]] = {name: [] for name in programs}
    for _ in range(runs):
        for name, (argv, _frame, ready) in programs.items():
            counts[name].append(instructions_until(argv, ready, env))
    bare, console = (statistics.median(counts[name]) for name in ("bare", "console"))
    print(f"\ninstructions to the end point, median of {runs} (callgrind, all threads)")
    print(f"{'bare Textual app → first frame':>36} {bare / 1e6:9.0f} M")
    print(f"{'artistree-tui --demo → first rows':>36} {console / 1e6:9.0f} M")
    print(f"{'ratio':>36} {console / bare:9.2f}×")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15, help="runs of each (default: 15)")
    parser.add_argument(
        "--importtime",
        type=int,
        nargs="?",
        const=25,
        default=0,
        metavar="N",
        help="also print the N slowest imports of the console (default N: 25)",
    )
    parser.add_argument(
        "--instructions",
        type=int,
        default=0,
        metavar="N",
        help="also count instructions to the same end points, N runs each (needs valgrind)",
    )
    parser.add_argument(
        "--console-arg",
        action="append",
        default=[],
        metavar="ARG",
        help="extra argument for the console, repeatable (e.g. --console-arg=--demo-orders=100000)",
    )
    args = parser.parse_args()
    # Killed from outside (timeout, ctrl+c in a shell that sends TERM), the `finally` in
    # _on_pty must still run: an orphaned bare Textual app on a closed pty spins at 100 % CPU
    # forever and skews every later measurement on the machine.
    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, lambda signum, _frame: sys.exit(128 + signum))
    with tempfile.TemporaryDirectory(prefix="bench-startup-") as scratch:
        home = Path(scratch)
        bare_script = home / "bare_app.py"
        bare_script.write_text(BARE_APP)
        env = clean_env(home)
        programs = {
            "bare": ([sys.executable, str(bare_script)], BARE_MARKER, BARE_MARKER),
            "console": ([*console_argv(), *args.console_arg], CONSOLE_FRAME, CONSOLE_ROWS),
        }
        runs: dict[str, list[Startup]] = {name: [] for name in programs}
        for run in range(args.runs + 1):
            for name, (argv, frame, ready) in programs.items():
                measured = spawn_until(argv, frame, ready, env)
                if run:  # run 0 warms the page cache and the bytecode caches
                    runs[name].append(measured)
        bare, console = runs["bare"], runs["console"]
        print(
            f"startup on a pty {COLUMNS}×{ROWS}, {args.runs} runs each, interleaved "
            f"(seconds; CPU: medians at the end point)"
        )
        print(f"{'':>36} {'median':>7} {'p95':>7} {'CPU main':>9} {'CPU other':>10}")
        lines = [
            ("bare Textual app → first frame", [r.ready for r in bare], bare),
            ("artistree-tui --demo → first frame", [r.first_frame for r in console], None),
            ("artistree-tui --demo → first rows", [r.ready for r in console], console),
        ]
        for label, values, cpu in lines:
            row = f"{label:>36} {statistics.median(values):7.3f} {p95(values):7.3f}"
            if cpu is not None:
                row += f" {statistics.median(r.cpu_main for r in cpu):9.3f}"
                row += f" {statistics.median(r.cpu_other for r in cpu):10.3f}"
            print(row)
        ratio = statistics.median(r.ready for r in console) / statistics.median(
            r.ready for r in bare
        )
        print(f"{'ratio first rows / bare first frame':>36} {ratio:7.2f}×  (target ≤ 1.5×)")
        if args.instructions:
            print_instructions(programs, env, args.instructions)
        if args.importtime:
            print("\nslowest imports of the console (cumulative ms, -X importtime):")
            for ms, module in import_times(env, args.importtime):
                print(f"{ms:9.1f}  {module}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
