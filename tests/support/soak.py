"""The soak driver (no tests here): a simulated shift of the console against a faulty demo.

:func:`run_soak` starts a demo API with every fault on (latency with jitter, 429, 5xx, dropped
connections, malformed answers, tokens that expire every ten simulated minutes) and new
orders arriving, runs the console headless on it with the sync's head refresh accelerated,
and for ``steps`` steps moves the demo clock on by ``step_seconds`` while a scripted reviewer
moves around the list. Then it turns the faults off, lets the console recover and refresh,
and compares the list (a view of the local order index) with the server's own truth. It
samples the process's RSS as it goes.

Used by tests/ui/live/test_soak.py (short) and bench/soak_rss.py (long, prints the RSS curve).
"""

from __future__ import annotations

import asyncio
import gc
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from artistree_tui.api.models import ALL_PROJECTS
from artistree_tui.api.retry import RetryPolicy
from artistree_tui.demo import DemoServer, FaultConfig
from artistree_tui.ui.live.messages import ConnectionEvent
from tests.support.app import SIZE, list_loaded, sync_done, wait_for
from tests.support.live import live_app, quick_recovery

#: Every fault on: a few percent of requests fail each way; tokens live ten simulated minutes
#: (five steps: a few tenths of a second of real time).
SOAK_FAULTS = dict(
    latency_ms=2,
    jitter_ms=6,
    rate_429=0.04,
    retry_after="1",
    rate_5xx=0.04,
    rate_drop=0.03,
    rate_malformed=0.02,
    token_ttl=600,
)
#: Retries in milliseconds (Retry-After is capped too), so a shift fits in seconds.
SOAK_RETRY = RetryPolicy(max_attempts=4, base_delay=0.005, max_delay=0.02, retry_after_cap=0.02)
#: What the scripted reviewer presses, one key every few steps, in turn.
KEYS = ("j", "j", "pagedown", "k", "pagedown", "j", "pageup", "g", "s", "s", "escape", "j")


def scaled_faults(scale: float) -> dict[str, Any]:
    """:data:`SOAK_FAULTS` with each ``rate_`` multiplied by ``scale``."""
    return {
        name: value * scale if name.startswith("rate_") else value
        for name, value in SOAK_FAULTS.items()
    }


def rss_mb() -> float:
    """Resident set size of this process in MiB (/proc on Linux, else the peak)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@dataclass
class SoakResult:
    """What a soak run saw and how it ended."""

    steps: int = 0
    simulated_hours: float = 0.0
    wall_seconds: float = 0.0
    refreshes: int = 0
    requests: int = 0
    token_requests: int = 0
    new_orders: int = 0
    events: Counter[str] = field(default_factory=Counter)
    links: Counter[str] = field(default_factory=Counter)  # connection states entered
    notifications: int = 0
    rss: list[tuple[int, float, int]] = field(default_factory=list)  # (step, MiB, held rows)
    compared_rows: int = 0
    known_rows: int = 0
    mismatches: list[str] = field(default_factory=list)
    duplicates: int = 0
    window_state_mismatches: int = 0
    #: Those rows: (position, order id, the list's state, the server's, the index's row).
    window_state_details: list[tuple[object, ...]] = field(default_factory=list)

    def growth_second_half(self) -> float:
        """MiB the RSS grew from the middle of the run to its largest sample after it."""
        half = [mb for step, mb, _held in self.rss if step >= self.steps // 2]
        return max(half) - half[0] if len(half) > 1 else 0.0


def compare_with_truth(screen: Any, demo: DemoServer, result: SoakResult) -> None:
    """The list must be the server's orders in the server's order, none twice, none missing;
    the newest page (the head the sync refreshes) must have the server's states."""
    truth = demo.order_ids(ALL_PROJECTS)
    model = screen.orders.order_list.model
    rows = [model.row(position) for position in range(model.count)]
    ids = [row.order_id for row in rows if row is not None and row.gone is None]
    if ids != truth:
        missing = len(set(truth) - set(ids))
        extra = len(set(ids) - set(truth))
        result.mismatches.append(f"{missing} orders missing, {extra} not the server's")
        if not missing and not extra:
            result.mismatches.append("the order differs")
    result.compared_rows = len(ids)
    result.known_rows = model.count
    result.duplicates = len(ids) - len(set(ids))
    head = [row for row in rows[:200] if row is not None]
    differ = [
        (p, row) for p, row in enumerate(head) if demo.order_state(row.order_id) != row.order_state
    ]
    reader = screen.sync.index.reader() if differ else None
    result.window_state_details = [
        (p, row.order_id, row.order_state, demo.order_state(row.order_id), reader.row(row.order_id))
        for p, row in differ
        if reader is not None
    ]
    result.window_state_mismatches = len(result.window_state_details)


async def run_soak(
    *,
    steps: int,
    step_seconds: float = 120.0,
    pause: float = 0.04,
    sample_every: int = 10,
    orders: int = 3000,
    seed: int = 11,
    page_size: int = 50,
    refresh_seconds: float = 0.25,
    fault_scale: float = 1.0,
    progress: Any = None,
) -> SoakResult:
    """Run one soak (see the module docstring); ``progress(result)`` is called per sample.
    ``fault_scale`` multiplies the rates of :data:`SOAK_FAULTS` (a short shift with fewer
    requests still sees every kind of fault)."""
    result = SoakResult(steps=steps, simulated_hours=steps * step_seconds / 3600)
    demo = DemoServer(
        orders=orders,
        seed=seed,
        new_order_every=30.0,
        faults=FaultConfig(**scaled_faults(fault_scale)),
    ).start()
    first_count = len(demo.order_ids())

    def hook(message: Any) -> None:
        if isinstance(message, ConnectionEvent):
            result.events[f"{message.event.kind}:{message.event.reason}"] += 1

    started = time.perf_counter()
    app = live_app(
        demo,
        retry=SOAK_RETRY,
        backoff=(0.05, 0.3),
        refresh_seconds=refresh_seconds,
        page_size=page_size,
    )
    try:
        async with app.run_test(size=SIZE, message_hook=hook) as pilot:
            await wait_for(pilot, lambda: list_loaded(app), limit=60)
            screen = app.main_screen
            quick_recovery(screen, base=0.05, cap=0.3)
            last_link = screen.live.connection.link
            for step in range(steps):
                demo.advance(step_seconds)
                if step % 3 == 0:
                    await pilot.press(KEYS[(step // 3) % len(KEYS)])
                await pilot.pause(pause)
                if screen.live.connection.link is not last_link:
                    last_link = screen.live.connection.link
                    result.links[last_link.value] += 1
                if step % 50 == 0:
                    demo.clear_requests()  # the demo's request log is not the console's memory
                if step % sample_every == 0 or step == steps - 1:
                    gc.collect()
                    held = screen.orders.order_list.model.window.held
                    result.rss.append((step, rss_mb(), held))
                    if progress is not None:
                        progress(result)
            await _finish(pilot, screen, demo, result)
            result.notifications = len(app._notifications)
            result.refreshes = screen.live.refresh_count
    finally:
        result.token_requests = demo.token_requests
        result.new_orders = len(demo.order_ids()) - first_count
        demo.stop()
    result.wall_seconds = time.perf_counter() - started
    return result


async def _finish(pilot: Any, screen: Any, demo: DemoServer, result: SoakResult) -> None:
    """Faults off and the demo's clock held (it also runs in real time: an analysis ending, or
    an upload, between the final refresh and the comparison would read as the console's
    mistake); wait until the console is back and quiet; one final refresh."""
    demo.faults = FaultConfig()
    demo.hold_clock()
    app = screen.app
    await pilot.press("escape", "escape")  # no filter: compare the scope itself
    screen.sync.set_refresh_seconds(0)  # the final refreshes are ours

    def quiet() -> bool:
        # The sync waits, and none of the console's own writes (a detail's full order, fetched
        # during the faults with the state of then) is still to land after the last refresh.
        return sync_done(app) and not screen.sync.writing and screen.detail.complete

    await wait_for(pilot, lambda: screen.live.connection.healthy and quiet(), limit=60)
    for _ in range(10):
        before = (demo.order_ids(), demo.stats())
        count = screen.live.refresh_count
        screen.live.refresh_now()
        await wait_for(
            pilot,
            lambda count=count: screen.live.refresh_count > count and quiet(),
            limit=30,
        )
        await asyncio.sleep(0)
        if (demo.order_ids(), demo.stats()) == before:
            break
    result.requests = len(demo.recorded("/v1/orders"))
    compare_with_truth(screen, demo, result)
