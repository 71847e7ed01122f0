"""From the global flags to settings and an API client: what the console and every command share.

- :func:`load` reads the settings (flag > env > profile > file > default) after checking the
  demo flags, so ``--demo-orders`` without ``--demo`` says so instead of "no credentials";
- :func:`demo_api` starts the demo API for ``--demo`` (the console's in a child process) and
  points the settings at it;
- :func:`api_client` builds the same client as the console (retries, backoff, token refresh,
  the token cache), from :mod:`artistree_tui.connect`;
- :func:`run_api` runs a command's coroutine on the settings of the flags (a demo API
  included), see :func:`artistree_tui.cli.output.run_async`.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import os
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from typing import TYPE_CHECKING, Any

from artistree_tui.cli.exits import UsageError
from artistree_tui.cli.flags import DEMO_NEW_ORDER_EVERY, DEMO_ORDERS, flag_values
from artistree_tui.config import ConfigError, Settings, load_settings

if TYPE_CHECKING:
    from artistree_tui.api.client import ArtistreeClient
    from artistree_tui.api.retry import EventCallback
    from artistree_tui.demo import FaultConfig

#: The demo flags that only mean something with --demo, and their attribute names.
_DEMO_ONLY = (("--demo-orders", "demo_orders"), ("--demo-faults", "demo_faults"))


def check_demo_flags(args: argparse.Namespace) -> None:
    """A demo flag without ``--demo`` is a usage error that says so."""
    if args.demo:
        return
    for flag, name in _DEMO_ONLY:
        if getattr(args, name, None) is not None:
            raise UsageError(f"{flag} needs --demo: add --demo to use the demo API, or drop {flag}")


def load(args: argparse.Namespace) -> Settings:
    """The run's settings from the config file, the environment and the global flags."""
    check_demo_flags(args)
    return load_settings(
        config_path=args.config, profile=args.profile, flags=flag_values(args), demo=args.demo
    )


#: Set to 1 to run the console's demo API in the console's own process instead of a child
#: process (to compare the two: bench/bench_startup.py --demo-in-process).
DEMO_IN_PROCESS_ENV = "ARTISTREE_TUI_DEMO_IN_PROCESS"


@contextlib.contextmanager
def demo_api(
    args: argparse.Namespace,
    settings: Settings,
    *,
    new_order_every: float,
    child_process: bool = False,
) -> Iterator[Settings]:
    """Yield ``settings``, pointed at a demo API when they ask for one (``--demo``).

    The demo runs in this process, or with ``child_process`` in a child process
    (:mod:`artistree_tui.demo.child`: the console's, so it shares no GIL with the UI). It is
    stopped when the block ends. Its clock starts now, so dates are today's.
    """
    if not args.demo:
        yield settings
        return
    from artistree_tui.demo.tokens import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET

    parse_faults("--demo-faults", args.demo_faults)  # a bad spec is said here, in one line
    orders = args.demo_orders or DEMO_ORDERS
    epoch = float(int(time.time()))
    server: contextlib.AbstractContextManager[Any]
    if child_process and os.environ.get(DEMO_IN_PROCESS_ENV) != "1":
        from artistree_tui.demo.child import DemoProcess

        server = DemoProcess(
            orders=orders, new_order_every=new_order_every, epoch=epoch, faults=args.demo_faults
        )
    else:
        from artistree_tui.demo.server import DemoServer

        server = DemoServer(
            orders=orders,
            new_order_every=new_order_every,
            epoch=epoch,
            faults=parse_faults("--demo-faults", args.demo_faults),
        )
    with server as running:
        yield dataclasses.replace(
            settings,
            base_url=running.base_url,
            token_url=running.token_url,
            client_id=DEMO_CLIENT_ID,
            client_secret=DEMO_CLIENT_SECRET,
            client_secret_command=None,
            token=None,
        )


def parse_faults(flag: str, spec: str | None) -> FaultConfig | None:
    """``--faults``/``--demo-faults`` parsed; a bad spec is a one-line ConfigError."""
    from artistree_tui.demo.faults import FaultConfig

    if not spec:
        return None
    try:
        return FaultConfig.parse(spec)
    except ValueError as exc:
        raise ConfigError(f"{flag}: {exc}") from None


@contextlib.asynccontextmanager
async def api_client(
    settings: Settings, *, on_event: EventCallback | None = None
) -> AsyncIterator[ArtistreeClient]:
    """The API client of ``settings`` (as the console builds it: the OAuth token cached next
    to the index, see :mod:`artistree_tui.store.tokens`), closed at the end."""
    from artistree_tui.connect import build_client
    from artistree_tui.store.tokens import token_cache_for

    client = build_client(settings, on_event=on_event, token_cache=token_cache_for(settings))
    try:
        yield client
    finally:
        await client.aclose()


def run_api(args: argparse.Namespace, command: Callable[[Settings], Awaitable[int]]) -> int:
    """Load the settings, start the demo API if asked, run ``command(settings)``; its status."""
    from artistree_tui.cli.output import run_async

    settings = load(args)
    with demo_api(args, settings, new_order_every=DEMO_NEW_ORDER_EVERY) as effective:
        return run_async(lambda: command(effective))
