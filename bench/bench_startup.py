"""Benchmark (not a test): startup, process spawn → first order rows on the screen.

Every program is started the same way, in the same run, interleaved (bare, console, …, bare,
console, …), each in a fresh pseudo-terminal of 120×40 (TERM=xterm-256color, an empty HOME so
no user config or cache applies unless the scenario prepares one):

- ``bare``: a bare Textual ``App`` showing one ``Static``: spawn → that text on the pty;
- ``demo``: ``artistree-tui --demo`` (the venv's entry script), its demo API in a child
  process: spawn → its first frame (the sidebar's title, before any data) and spawn → the
  first order rows (a row's state symbol and word, whoever painted it);
- ``demo-in-process``: the same with the demo API in the console's own process
  (``ARTISTREE_TUI_DEMO_IN_PROCESS=1``), as before it moved to a child process;
- ``first``: the console pointed (a config file) at a demo API ``--latency-ms`` away (served
  by this process), nothing cached: a fresh HOME every run. Besides frame and rows, what the
  server saw: when the token request and the first list request arrived (the first byte on
  the wire), and when the console had imported its UI (the trace hook of startup.py): the
  requests overlap the imports when they arrive before it;
- ``second``: the same API, a HOME prepared as a console leaves it: the OAuth token cached and
  the index filled by a sync sweep. What the first rows need then is the index, not the network
  (once the order list paints from the index; until then its rows come from the network, after
  the first frame). It also reports the token requests made (0 expected), and the modules
  imported by the time the console let the network in (none of httpx's).

The floor of a first start is the bare app's first frame plus the round trips it cannot avoid
(the token, then the first page), measured by a plain httpx client on the same API in the same
run. The clock runs from just before the spawn until the text appears in what the child wrote
to the pty (escape sequences stripped); the child is then killed. One warm-up round is not
counted. It prints medians and p95, the CPU time the main thread and the other threads had used
at the end point (Linux /proc; medians), and the ratios to the bare app (targets: ≤ 1.5× for
``--demo``, ≤ 1.6× for ``second``). ``--importtime`` also prints the slowest imports of the
console (``python -X importtime``).

Wall-clock and CPU times swing by tens of percent on a busy machine (a shared 2-core CI box),
and the startup is CPU-bound, so ``--instructions N`` also counts the instructions ``bare`` and
``demo`` execute from spawn to the same end point (valgrind's callgrind, N runs each, all
threads and processes counted). A run under valgrind takes about a minute.

Run: ``.venv/bin/python bench/bench_startup.py [--runs 15] [--latency-ms 400]
[--only demo,first,second] [--instructions 3]``
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import fcntl
import json
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
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
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
#: An order row: its state symbol and word (ui/states.py), whether the row came from the
#: network or from the index. Not the stats bar (symbols and numbers), not the detail pane
#: (symbol and the API's state name).
CONSOLE_ROWS = re.compile(r"[◌✓!●✗⊘?] (?:running|certified|action|reviewed|failed|unsupported)\b")
#: The longest a start from the index is watched after its first rows, for when it lets the
#: network in (not part of its times).
AFTER_ROWS_WAIT = 5.0
#: Demo orders of the remote API, its seed and the scope the console opens.
REMOTE_ORDERS = 2000
ALL_PROJECTS = "All Projects"


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
    return main, max(total - main, 0.0)  # clock ticks: the two may round apart


@dataclass
class Startup:
    """One start: seconds to the first frame and to the ready text, CPU seconds by then, and
    what the scenario measured besides (seconds after the spawn, counts)."""

    first_frame: float
    ready: float
    cpu_main: float
    cpu_other: float
    extra: dict[str, float] = field(default_factory=dict)


@contextlib.contextmanager
def _on_pty(
    argv: list[str], env: dict[str, str]
) -> Iterator[tuple[subprocess.Popen[bytes], int, float]]:
    """``argv`` started on a fresh 120×40 pty: (process, pty master, start time on the
    monotonic clock); killed after."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLUMNS, 0, 0))
    start = time.monotonic()
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
            now = time.monotonic() - start
            text = ESCAPES.sub(b"", bytes(output)).decode("utf-8", "replace")
            while len(seen) < len(patterns) and patterns[len(seen)].search(text):
                seen.append(now)
            if len(seen) == len(patterns):
                return seen
        if process.poll() is not None or time.monotonic() - start > timeout:
            break
    tail = ESCAPES.sub(b"", bytes(output[-1500:])).decode("utf-8", "replace")
    missing = patterns[len(seen)].pattern
    raise RuntimeError(f"{name}: {missing!r} never appeared; last output:\n{tail}")


def spawn_until(
    argv: list[str],
    first_frame: re.Pattern[str],
    ready: re.Pattern[str],
    env: dict[str, str],
    after: Callable[[float], dict[str, float]] | None = None,
) -> Startup:
    """Spawn ``argv`` on a fresh pty; time until ``first_frame`` and then ``ready`` appear.
    ``after(start)`` (the spawn's monotonic time) adds what the scenario measured."""
    with _on_pty(argv, env) as (process, master, start):
        framed, done = _watch(process, master, start, (first_frame, ready), TIMEOUT, argv[-1])
        result = Startup(framed, done, *thread_cpu(process.pid))
        if after is not None:
            result.extra = after(start)
        return result


def instructions_until(argv: list[str], ready: re.Pattern[str], env: dict[str, str]) -> int:
    """Instructions ``argv`` executes (all threads and child processes) from spawn until
    ``ready`` is on its pty.

    The program runs under callgrind; when the text appears it is stopped at once (SIGSTOP),
    then terminated, and callgrind writes its count on the way out.
    """
    with tempfile.TemporaryDirectory(prefix="bench-callgrind-") as scratch:
        out = Path(scratch) / "callgrind.out.%p"
        command = [
            "valgrind",
            "--tool=callgrind",
            "--trace-children=yes",
            f"--callgrind-out-file={out}",
            *argv,
        ]
        with _on_pty(command, env) as (process, master, start):
            _watch(process, master, start, (ready,), VALGRIND_TIMEOUT, argv[-1])
            os.killpg(process.pid, signal.SIGSTOP)  # no more work counted after the text
            os.killpg(process.pid, signal.SIGTERM)
            os.killpg(process.pid, signal.SIGCONT)
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=VALGRIND_TIMEOUT)
            time.sleep(1)  # the child processes write their counts too
        total = 0
        for written in Path(scratch).glob("callgrind.out.*"):
            for line in written.read_text().splitlines():
                if line.startswith("summary:"):
                    total += int(line.split()[1])
        if total:
            return total
    raise RuntimeError(f"{argv[-1]}: callgrind wrote no instruction count")


def entry_point() -> list[str]:
    script = Path(sys.executable).with_name("artistree-tui")
    if script.exists():
        return [str(script)]
    return [sys.executable, "-m", "artistree_tui"]


def console_argv() -> list[str]:
    """``artistree-tui --demo`` (bench_cli_help.py starts it too)."""
    return [*entry_point(), "--demo"]


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


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def import_times(env: dict[str, str], top: int) -> list[tuple[float, str]]:
    """The slowest imports (cumulative ms) of the console's startup path."""
    code = "import artistree_tui.cli, artistree_tui.launch, artistree_tui.ui.app"
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


# -- the remote API (first and second launch) -------------------------------------------------


class Remote:
    """A demo API ``latency_ms`` away, served by this process (the API of ``artistree-tui
    demo-server --latency-ms``; here so its request log can be read), and the homes of the
    consoles pointed at it."""

    def __init__(self, scratch: Path, latency_ms: float) -> None:
        from artistree_tui.demo import DemoServer

        self.latency_ms = latency_ms
        self.server = DemoServer(
            orders=REMOTE_ORDERS,
            latency_ms=latency_ms,
            new_order_every=0,
            epoch=float(int(time.time())),
        ).start()
        self.scratch = scratch
        self._homes = 0
        self.second_home = self.new_home()
        self._prepare_second(self.second_home)

    def stop(self) -> None:
        self.server.stop()

    def new_home(self) -> Path:
        """A fresh HOME whose config file points the console at the API."""
        self._homes += 1
        home = self.scratch / f"home-{self._homes}"
        config = home / "config" / "artistree-tui" / "config.toml"
        config.parent.mkdir(parents=True)
        server = self.server
        config.write_text(
            f'base_url = "{server.base_url}"\n'
            f'token_url = "{server.token_url}"\n'
            f'client_id = "{server.client_id}"\n'
            f'client_secret = "{server.client_secret}"\n'
        )
        config.chmod(0o600)
        return home

    def settings(self, home: Path) -> Any:
        from artistree_tui.config import Settings

        server = self.server
        return Settings(
            base_url=server.base_url,
            token_url=server.token_url,
            client_id=server.client_id,
            client_secret=server.client_secret,
            cache_dir=home / "cache" / "artistree-tui",
        )

    def _prepare_second(self, home: Path) -> None:
        """As a console leaves its home: the token cached, the index swept full."""
        from artistree_tui.connect import build_client
        from artistree_tui.store import Index
        from artistree_tui.store.tokens import token_cache_for
        from artistree_tui.sync import SyncEngine, SyncSettings

        settings = self.settings(home)
        latency, self.server.faults.latency_ms = self.server.faults.latency_ms, 0

        async def sweep() -> None:
            cache = token_cache_for(settings)
            async with build_client(settings, token_cache=cache) as client:
                index = Index.for_settings(settings)
                engine = SyncEngine(client, index, settings=SyncSettings(rate=100.0))
                try:
                    await engine.sweep_to_end()
                finally:
                    await engine.aclose()
                    index.close()

        try:
            asyncio.run(sweep())
        finally:
            self.server.faults.latency_ms = latency

    def floor(self, runs: int) -> float:
        """Median seconds of the round trips a first start cannot avoid: a token, then the
        first page (the head request), on one connection, by a plain httpx client."""
        import httpx

        from artistree_tui.config.settings import HEAD_ROWS

        server, times = self.server, []
        form = {
            "grant_type": "client_credentials",
            "client_id": server.client_id,
            "client_secret": server.client_secret,
        }
        for _ in range(runs):
            with httpx.Client(timeout=30) as http:
                started = time.monotonic()
                token = http.post(server.token_url, data=form).json()["access_token"]
                http.get(
                    f"{server.base_url}/v1/orders",
                    params={"project_id": ALL_PROJECTS, "preview": "true", "limit": HEAD_ROWS},
                    headers={"Authorization": f"Bearer {token}"},
                ).raise_for_status()
                times.append(time.monotonic() - started)
        return statistics.median(times)

    def after(self, trace: Path, *, from_index: bool) -> Callable[[float], dict[str, float]]:
        """What the server and the trace saw of a start at ``start`` (seconds after it).

        A start from the index (``from_index``) paints its rows before it lets the network
        in, so once they are on screen this waits (at most :data:`AFTER_ROWS_WAIT` seconds)
        for the trace's ``network-let-in`` and for the first list request to reach the
        server. Requests that reached the server before the spawn (a console of the run
        before, killed with requests on their way) are not this start's."""

        def measured(start: float) -> dict[str, float]:
            deadline = time.monotonic() + AFTER_ROWS_WAIT
            while from_index and time.monotonic() < deadline:
                let_in = trace.exists() and '"network-let-in"' in trace.read_text()
                asked = any(r.time >= start for r in self.server.recorded("/v1/orders"))
                if let_in and asked:
                    break
                time.sleep(0.02)
            records = [r for r in self.server.recorded("/") if r.time >= start]
            self.server.clear_requests()
            found: dict[str, float] = {
                "token requests": float(sum(r.path == "/oauth2/token" for r in records)),
            }
            for record in records:
                key = "token arrived" if record.path == "/oauth2/token" else "page asked"
                if key == "page asked" and record.path != "/v1/orders":
                    continue
                found.setdefault(key, record.time - start)
            wall = time.time() - (time.monotonic() - start)  # the spawn, on the wall clock
            if trace.exists():
                for line in trace.read_text().splitlines():
                    event = json.loads(line)
                    name = event["event"]
                    if event["time"] < wall:  # written by the console of the run before
                        continue
                    if name in ("console-imported", "network-let-in"):
                        found.setdefault(name, event["time"] - wall)
                    if name == "network-let-in":
                        found["modules before the network"] = float(len(event["modules"]))
                        httpx = [m for m in event["modules"] if m.split(".")[0] == "httpx"]
                        found["httpx modules before the network"] = float(len(httpx))
                trace.unlink()
            return found

        return measured


# -- scenarios --------------------------------------------------------------------------------


@dataclass
class Scenario:
    label: str
    start: Callable[[], Startup]
    runs: list[Startup] = field(default_factory=list)


def scenarios(
    names: set[str], scratch: Path, console: list[str], remote: Remote | None, before: Path | None
) -> list[Scenario]:
    bare_script = scratch / "bare_app.py"
    bare_script.write_text(BARE_APP)
    env = clean_env(scratch / "home-empty")
    found = [
        Scenario(
            "bare Textual app",
            lambda: spawn_until([sys.executable, str(bare_script)], BARE_MARKER, BARE_MARKER, env),
        )
    ]
    found += console_scenarios(names, scratch, console, remote, ROOT, "")
    if before is not None:
        found += console_scenarios(names, scratch, console, remote, before, " (before)")
    return found


def console_scenarios(
    names: set[str],
    scratch: Path,
    console: list[str],
    remote: Remote | None,
    tree: Path,
    tag: str,
) -> list[Scenario]:
    """The console's scenarios, running the code of ``tree`` (PYTHONPATH)."""
    env = {**clean_env(scratch / "home-empty"), "PYTHONPATH": str(tree)}
    trace = scratch / "trace.jsonl"
    found: list[Scenario] = []
    demo = [*entry_point(), "--demo", *console]
    if "demo" in names:
        found.append(
            Scenario(
                "artistree-tui --demo" + tag,
                lambda: spawn_until(demo, CONSOLE_FRAME, CONSOLE_ROWS, env),
            )
        )
    if "demo-in-process" in names and not tag:  # before, it always was
        inline = {**env, "ARTISTREE_TUI_DEMO_IN_PROCESS": "1"}
        found.append(
            Scenario(
                "--demo, API in-process",
                lambda: spawn_until(demo, CONSOLE_FRAME, CONSOLE_ROWS, inline),
            )
        )
    if remote is not None:
        argv = [*entry_point(), *console]
        traced = {"ARTISTREE_TUI_STARTUP_TRACE": str(trace), "PYTHONPATH": str(tree)}

        def first() -> Startup:
            home_env = {**clean_env(remote.new_home()), **traced}
            measured = remote.after(trace, from_index=False)
            return spawn_until(argv, CONSOLE_FRAME, CONSOLE_ROWS, home_env, measured)

        def second() -> Startup:
            home_env = {**clean_env(remote.second_home), **traced}
            measured = remote.after(trace, from_index=True)
            return spawn_until(argv, CONSOLE_FRAME, CONSOLE_ROWS, home_env, measured)

        if "first" in names:
            found.append(Scenario(f"first start, API {remote.latency_ms:g} ms{tag}", first))
        if "second" in names:
            found.append(Scenario(f"second start, API {remote.latency_ms:g} ms{tag}", second))
    return found


def report(found: list[Scenario], floor: float | None, latency: float) -> None:
    bare = found[0]
    bare_frame = median([r.ready for r in bare.runs])
    print(f"{'':>50} {'median':>7} {'p95':>7} {'CPU main':>9} {'CPU other':>10} {'/ bare':>7}")

    def line(label: str, values: list[float], cpu: list[Startup] | None = None) -> None:
        row = f"{label:>50} {median(values):7.3f} {p95(values):7.3f}"
        if cpu is not None:
            row += f" {median([r.cpu_main for r in cpu]):9.3f}"
            row += f" {median([r.cpu_other for r in cpu]):10.3f}"
        else:
            row += f" {'':9} {'':10}"
        print(row + f" {median(values) / bare_frame:6.2f}×")

    line(f"{bare.label} → first frame", [r.ready for r in bare.runs], bare.runs)
    for scenario in found[1:]:
        runs = scenario.runs
        line(f"{scenario.label} → first frame", [r.first_frame for r in runs])
        line(f"{scenario.label} → first rows", [r.ready for r in runs], runs)
        keys = sorted(
            {k for r in runs for k in r.extra},
            key=lambda k: median([r.extra[k] for r in runs if k in r.extra]),
        )
        for key in keys:
            values = [r.extra[key] for r in runs if key in r.extra]
            if key.endswith(("requests", "modules", "network")):
                print(f"{'  ' + key:>50} {median(values):7.0f}")
            else:
                print(f"{'  ' + key + ' at':>50} {median(values):7.3f} {p95(values):7.3f}")
    if floor is not None:
        first = [s for s in found if s.label.startswith("first start")]
        print(
            f"\nfloor of a first start: bare first frame {bare_frame:.3f} + token and first page "
            f"({latency:g} ms API, plain httpx) {floor:.3f} = {bare_frame + floor:.3f} s"
        )
        for scenario in first:
            rows = median([r.ready for r in scenario.runs])
            label = "first rows / floor" + scenario.label.partition("ms")[2]
            print(f"{label:>50} {rows / (bare_frame + floor):7.2f}×")
    print("targets: --demo first rows ≤ 1.5× bare; second start first rows ≤ 1.6× bare")


def print_instructions(argvs: dict[str, list[str]], env: dict[str, str], runs: int) -> None:
    """Median instruction counts to each program's end point, and their ratio."""
    if shutil.which("valgrind") is None:
        print("\n--instructions: valgrind is not installed", file=sys.stderr)
        return
    counts: dict[str, list[int]] = {name: [] for name in argvs}
    patterns = {"bare": BARE_MARKER, "console": CONSOLE_ROWS}
    for _ in range(runs):
        for name, argv in argvs.items():
            counts[name].append(instructions_until(argv, patterns[name], env))
    bare, console = (statistics.median(counts[name]) for name in ("bare", "console"))
    print(f"\ninstructions to the end point, median of {runs} (callgrind, all processes)")
    print(f"{'bare Textual app → first frame':>50} {bare / 1e6:9.0f} M")
    print(f"{'artistree-tui --demo → first rows':>50} {console / 1e6:9.0f} M")
    print(f"{'ratio':>50} {console / bare:9.2f}×")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15, help="runs of each (default: 15)")
    parser.add_argument(
        "--only",
        default="demo,demo-in-process,first,second",
        help="scenarios besides the bare app, comma-separated (default: all of "
        "demo,demo-in-process,first,second)",
    )
    parser.add_argument(
        "--latency-ms",
        type=float,
        default=400.0,
        help="latency of the remote demo API of the first and second starts (default: 400)",
    )
    parser.add_argument(
        "--before",
        type=Path,
        default=None,
        metavar="DIR",
        help="also run the console scenarios on the code in DIR (an older checkout, e.g. "
        "git archive OLD | tar -x -C DIR), same venv, in the same run",
    )
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
        help="also count instructions of bare and --demo, N runs each (needs valgrind)",
    )
    parser.add_argument(
        "--console-arg",
        action="append",
        default=[],
        metavar="ARG",
        help="extra argument for the console, repeatable (e.g. --console-arg=--demo-orders=100000)",
    )
    args = parser.parse_args()
    names = {name.strip() for name in args.only.split(",") if name.strip()}
    # Killed from outside (timeout, ctrl+c in a shell that sends TERM), the `finally` in
    # _on_pty must still run: an orphaned bare Textual app on a closed pty spins at 100 % CPU
    # forever and skews every later measurement on the machine.
    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, lambda signum, _frame: sys.exit(128 + signum))
    with tempfile.TemporaryDirectory(prefix="bench-startup-") as scratch_name:
        scratch = Path(scratch_name)
        remote = Remote(scratch, args.latency_ms) if names & {"first", "second"} else None
        try:
            found = scenarios(names, scratch, args.console_arg, remote, args.before)
            for run in range(args.runs + 1):
                for scenario in found:
                    measured = scenario.start()
                    if run:  # run 0 warms the page cache and the bytecode caches
                        scenario.runs.append(measured)
            floor = remote.floor(max(3, args.runs // 3)) if remote is not None else None
        finally:
            if remote is not None:
                remote.stop()
        print(
            f"startup on a pty {COLUMNS}×{ROWS}, {args.runs} runs each, interleaved "
            f"(seconds after the spawn; CPU: medians at the end point)"
        )
        report(found, floor, args.latency_ms)
        env = clean_env(scratch / "home-empty")
        if args.instructions:
            bare_script = scratch / "bare_app.py"
            argvs = {
                "bare": [sys.executable, str(bare_script)],
                "console": [*entry_point(), "--demo", *args.console_arg],
            }
            print_instructions(argvs, env, args.instructions)
        if args.importtime:
            print("\nslowest imports of the console (cumulative ms, -X importtime):")
            for ms, module in import_times(env, args.importtime):
                print(f"{ms:9.1f}  {module}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
