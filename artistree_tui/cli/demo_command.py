"""``artistree-tui demo-server``: the demo API on its own, until interrupted."""

from __future__ import annotations

import argparse

from artistree_tui.cli.flags import (
    DEMO_NEW_ORDER_EVERY,
    SubParsers,
    non_negative_float,
    port,
    positive_int,
)


def register(commands: SubParsers) -> None:
    demo = commands.add_parser(
        "demo-server",
        help="run the demo API on its own (for the console, scripts or tests)",
        description="Serve the demo Artistree API until interrupted (SIGINT or SIGTERM); "
        "prints its base URL and demo credentials.",
    )
    demo.add_argument("--host", default="127.0.0.1", help="address (default: %(default)s)")
    demo.add_argument(
        "--port", type=port, default=8765, help="port, 0 for any free one (default: %(default)s)"
    )
    demo.add_argument(
        "--orders", type=positive_int, default=2000, help="orders (default: %(default)s)"
    )
    demo.add_argument("--seed", type=int, default=1, help="data seed (default: %(default)s)")
    demo.add_argument(
        "--latency-ms",
        type=non_negative_float,
        default=0.0,
        metavar="MS",
        help="added latency per request (default: %(default)s)",
    )
    demo.add_argument(
        "--faults",
        metavar="SPEC",
        help="fault injection, e.g. latency=200,429=0.1,retry-after=2,5xx=0.05,drop=0.02,"
        "malformed=0.05,token-ttl=30,hostile,image=bomb",
    )
    demo.add_argument(
        "--new-order-every",
        type=non_negative_float,
        default=DEMO_NEW_ORDER_EVERY,
        metavar="S",
        help="seconds between new orders, 0 for none (default: %(default)s)",
    )
    demo.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from artistree_tui import demo
    from artistree_tui.cli.session import parse_faults

    faults = parse_faults("--faults", args.faults)
    return demo.run_standalone(
        host=args.host,
        port=args.port,
        orders=args.orders,
        seed=args.seed,
        latency_ms=args.latency_ms,
        faults=faults,
        new_order_every=args.new_order_every,
    )
