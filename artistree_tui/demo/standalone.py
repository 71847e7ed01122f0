"""``artistree-tui demo-server``: run the demo API in the foreground until Ctrl-C.

Prints where it listens and the demo credentials (public values that protect nothing), then
serves. Unlike the in-process server used by tests, its clock starts at the current time, so
a console pointed at it sees today's dates and new orders arriving live.

It stops on SIGINT and SIGTERM whatever dispositions it inherited: a shell starts background
jobs with SIGINT ignored, and Python then leaves it ignored, so the handlers are installed
here explicitly (and the old ones put back on the way out, for callers in-process).
"""

from __future__ import annotations

import contextlib
import signal
import sys
import threading
import time
from collections.abc import Iterator
from types import FrameType

from artistree_tui.demo.faults import FaultConfig
from artistree_tui.demo.server import DemoServer

#: The signals that stop the server.
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


class _Stop(Exception):
    """Raised in the main thread by a stop signal."""


def _stop(signum: int, frame: FrameType | None) -> None:
    raise _Stop


@contextlib.contextmanager
def _stop_on_signals() -> Iterator[None]:
    """SIGINT and SIGTERM raise :class:`_Stop` in the main thread for the block's duration."""
    if threading.current_thread() is not threading.main_thread():
        yield  # signal handlers can only be set from the main thread
        return
    previous = {signum: signal.signal(signum, _stop) for signum in STOP_SIGNALS}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler if handler is not None else signal.SIG_DFL)


def run_standalone(
    host: str = "127.0.0.1",
    port: int = 8765,
    orders: int = 2000,
    seed: int = 1,
    latency_ms: float = 0,
    faults: str | FaultConfig | None = None,
    new_order_every: float = 30.0,
) -> int:
    """Serve until interrupted; returns the exit status (0 on Ctrl-C, 2 if it cannot listen).

    ``faults`` is a FaultConfig or a ``--faults`` spec (a bad spec raises ValueError with a
    one-line message, before anything is started).
    """
    config = FaultConfig.parse(faults) if not isinstance(faults, FaultConfig) else faults
    with _stop_on_signals():
        try:
            return _serve(host, port, orders, seed, latency_ms, config, new_order_every)
        except _Stop:
            return 0


def _serve(
    host: str,
    port: int,
    orders: int,
    seed: int,
    latency_ms: float,
    config: FaultConfig,
    new_order_every: float,
) -> int:
    server = DemoServer(
        orders=orders,
        seed=seed,
        host=host,
        port=port,
        latency_ms=latency_ms,
        faults=config,
        new_order_every=new_order_every,
        epoch=float(int(time.time())),
    )
    try:
        server.start()
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        print(
            f"artistree-tui demo-server: cannot listen on {host}:{port}: {reason}", file=sys.stderr
        )
        return 2
    try:
        every = f"every {new_order_every:g} s" if new_order_every > 0 else "never"
        print(
            "Artistree demo API (no account needed)\n"
            f"  base_url      = {server.base_url}\n"
            f"  token_url     = {server.token_url}\n"
            f"  client_id     = {server.client_id}\n"
            f"  client_secret = {server.client_secret}\n"
            "  (these credentials are public demo values, not secrets)\n"
            f"  {orders} orders, seed {seed}, new orders {every}, "
            f"faults: {config.describe()}\n"
            "Press Ctrl-C to stop.",
            flush=True,
        )
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:  # not from a signal (the handlers raise _Stop): still a stop
        return 0
    finally:
        server.stop()
