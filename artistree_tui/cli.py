"""The ``artistree-tui`` command: the console, ``config path|init|example``, ``demo-server`` and
``cache path|clear`` (:mod:`artistree_tui.cli_cache`).

Startup stays light: this module imports only the standard library and the configuration
package; the console (Textual), the API client (httpx) and the demo server are imported when
a command needs them, so ``--help`` and ``config path`` answer at once.

Every error is one line on stderr, ``artistree-tui: error: ...``, with exit status 2 for a
configuration or usage problem and 1 for anything else; never a traceback (set
``ARTISTREE_TUI_DEBUG=1`` to get one).
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import sys
import time
from collections.abc import Sequence
from typing import TYPE_CHECKING, TextIO

from artistree_tui import __version__, cli_cache, startup
from artistree_tui.api.errors import ApiError
from artistree_tui.config import ConfigError, Settings, load_settings, resolve_config_path
from artistree_tui.config.example import EXAMPLE_TOML, write_starter

if TYPE_CHECKING:
    from artistree_tui.demo import FaultConfig

PROG = "artistree-tui"
#: With --demo, a new order arrives about this often (seconds), so the console feels live.
DEMO_NEW_ORDER_EVERY = 30.0
EXIT_ERROR = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130

_EPILOG = """\
environment:
  ARTISTREE_TUI_CONFIG      config file to read instead of the default
  ARTISTREE_BASE_URL, ARTISTREE_TOKEN_URL, ARTISTREE_CLIENT_ID, ARTISTREE_CLIENT_SECRET,
  ARTISTREE_TOKEN           the same as the flags above
precedence: flag > environment > --profile section > config file > default.
Secrets given as flags are visible to other users of this machine (ps); prefer the config
file (chmod 600) or the environment. See `artistree-tui config path`.
"""


def build_parser() -> argparse.ArgumentParser:
    """The whole command line; exposed for tests and documentation."""
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="A keyboard-only terminal review console for the Artistree Human\n"
        "certification API. Without a command, opens the console.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    parser.add_argument(
        "--config", metavar="PATH", help="config file (default: see `artistree-tui config path`)"
    )
    parser.add_argument("--profile", metavar="NAME", help="apply the [profiles.NAME] section")
    api = parser.add_argument_group("API and credentials (override the config file)")
    api.add_argument("--base-url", metavar="URL", help="API base URL")
    api.add_argument("--token-url", metavar="URL", help="OAuth2 token endpoint")
    api.add_argument("--client-id", metavar="ID", help="OAuth2 client id")
    api.add_argument(
        "--client-secret",
        metavar="SECRET",
        help="OAuth2 client secret (visible to other users via ps: prefer the config file "
        "or ARTISTREE_CLIENT_SECRET)",
    )
    api.add_argument(
        "--token",
        metavar="TOKEN",
        help="static bearer token (visible to other users via ps: prefer ARTISTREE_TOKEN)",
    )
    console = parser.add_argument_group("console")
    console.add_argument("--project", metavar="NAME_OR_ID", help="project to open first")
    console.add_argument(
        "--demo",
        action="store_true",
        help="run on a built-in demo API with made-up orders (no account needed)",
    )
    console.add_argument(
        "--demo-orders",
        metavar="N",
        type=_positive_int,
        default=2000,
        help="orders in the demo API (default: %(default)s)",
    )
    # The demo API's fault injection, same SPEC as `demo-server --faults`: shown, because the
    # README invites users to try the console against hostile data and a failing network.
    console.add_argument(
        "--demo-faults",
        metavar="SPEC",
        help="with --demo: inject faults, e.g. hostile or latency=300,429=0.1,5xx=0.05",
    )

    commands = parser.add_subparsers(dest="command", metavar="COMMAND", title="commands")
    _add_config_commands(commands)
    _add_demo_server_command(commands)
    cli_cache.add_parser(commands)
    return parser


def _add_config_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    # --config also after the action (`config init --config PATH`); SUPPRESS keeps the value
    # given before the command when it is not repeated.
    where = argparse.ArgumentParser(add_help=False)
    where.add_argument("--config", metavar="PATH", default=argparse.SUPPRESS, help="config file")
    config = commands.add_parser("config", help="show, create or print the config file")
    actions = config.add_subparsers(dest="config_command", metavar="ACTION", required=True)
    actions.add_parser(
        "path", parents=[where], help="print the config file path and whether it exists"
    )
    init = actions.add_parser(
        "init", parents=[where], help="write a commented starter config file (mode 0600)"
    )
    init.add_argument("--force", action="store_true", help="overwrite an existing file")
    actions.add_parser("example", help="print the commented example config")


def _add_demo_server_command(
    commands: argparse._SubParsersAction[argparse.ArgumentParser],
) -> None:
    demo = commands.add_parser(
        "demo-server",
        help="run the demo API on its own (for the console, scripts or tests)",
        description="Serve the demo Artistree API until interrupted; prints its base URL "
        "and demo credentials.",
    )
    demo.add_argument("--host", default="127.0.0.1", help="address (default: %(default)s)")
    demo.add_argument(
        "--port", type=_port, default=8765, help="port, 0 for any free one (default: %(default)s)"
    )
    demo.add_argument(
        "--orders", type=_positive_int, default=2000, help="orders (default: %(default)s)"
    )
    demo.add_argument("--seed", type=int, default=1, help="data seed (default: %(default)s)")
    demo.add_argument(
        "--latency-ms",
        type=_non_negative_float,
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
        type=_non_negative_float,
        default=DEMO_NEW_ORDER_EVERY,
        metavar="S",
        help="seconds between new orders, 0 for none (default: %(default)s)",
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the process exit status."""
    args = build_parser().parse_args(argv)
    try:
        if args.command == "config":
            return _config_command(args, sys.stdout, sys.stderr)
        if args.command == "demo-server":
            return _demo_server(args)
        if args.command == "cache":
            return _cache_command(args)
        return _console(args)
    except ConfigError as exc:
        return _fail(str(exc), EXIT_USAGE)
    except ApiError as exc:
        return _fail(str(exc), EXIT_ERROR)
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    except Exception as exc:
        if os.environ.get("ARTISTREE_TUI_DEBUG"):
            raise
        # The message of an unexpected error may hold anything (a URL, a header): name the type.
        return _fail(
            f"unexpected {type(exc).__name__}; set ARTISTREE_TUI_DEBUG=1 to see the traceback",
            EXIT_ERROR,
        )


def _fail(message: str, status: int) -> int:
    print(f"{PROG}: error: {message}", file=sys.stderr)
    return status


def _config_command(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    if args.config_command == "example":
        out.write(EXAMPLE_TOML)
        return 0
    path, origin = resolve_config_path(args.config)
    if args.config_command == "init":
        write_starter(path, force=args.force)
        print(f"wrote {path} (mode 0600): add your credentials to it", file=out)
        return 0
    # `config path`: the path alone on stdout (for `$EDITOR "$(artistree-tui config path)"`),
    # what we know about it on stderr.
    print(path, file=out)
    chosen = "" if origin == "default" else f" (chosen by {origin})"
    if path.is_file():
        state = "exists"
    elif path.exists():
        state = "exists but is not a regular file"
    else:
        state = f"does not exist yet: `{PROG} config init` creates it"
    print(f"{state}{chosen}", file=err)
    return 0


def _cache_command(args: argparse.Namespace) -> int:
    settings = load_settings(
        config_path=args.config,
        profile=args.profile,
        flags=_flags(args),
        demo=args.demo,
        require_credentials=False,
    )
    return cli_cache.run(args.cache_command, settings, sys.stdout, sys.stderr)


def _flags(args: argparse.Namespace) -> dict[str, object]:
    return {
        "base_url": args.base_url,
        "token_url": args.token_url,
        "client_id": args.client_id,
        "client_secret": args.client_secret,
        "token": args.token,
        "default_project": args.project,
    }


def _console(args: argparse.Namespace) -> int:
    # No cyclic GC until the first rows are painted (startup.py): ~10 % of the start's CPU.
    startup.pause()
    try:
        return _start_console(args)
    finally:
        startup.resume()


def _start_console(args: argparse.Namespace) -> int:
    settings = load_settings(
        config_path=args.config, profile=args.profile, flags=_flags(args), demo=args.demo
    )
    if not args.demo:
        return _launch(settings)
    from artistree_tui.demo import DemoServer

    faults = _parse_faults("--demo-faults", args.demo_faults)
    # The demo clock starts now, so the console shows today's dates and live arrivals.
    server = DemoServer(
        orders=args.demo_orders,
        new_order_every=DEMO_NEW_ORDER_EVERY,
        epoch=float(int(time.time())),
        faults=faults,
    ).start()
    try:
        return _launch(
            dataclasses.replace(
                settings,
                base_url=server.base_url,
                token_url=server.token_url,
                client_id=server.client_id,
                client_secret=server.client_secret,
                client_secret_command=None,
                token=None,
            )
        )
    finally:
        server.stop()


def _launch(settings: Settings) -> int:
    try:
        from artistree_tui.ui.app import run_console
    except ImportError as exc:
        return _fail(
            f"the console cannot be loaded ({exc}); `{PROG} demo-server` runs the demo API alone",
            EXIT_ERROR,
        )
    return run_console(settings)


def _demo_server(args: argparse.Namespace) -> int:
    from artistree_tui.demo import run_standalone

    faults = _parse_faults("--faults", args.faults)
    return run_standalone(
        host=args.host,
        port=args.port,
        orders=args.orders,
        seed=args.seed,
        latency_ms=args.latency_ms,
        faults=faults,
        new_order_every=args.new_order_every,
    )


def _parse_faults(flag: str, spec: str | None) -> FaultConfig | None:
    from artistree_tui.demo import FaultConfig

    if not spec:
        return None
    try:
        return FaultConfig.parse(spec)
    except ValueError as exc:
        raise ConfigError(f"{flag}: {exc}") from None


def _int(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None


def _positive_int(text: str) -> int:
    value = _int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {value}")
    return value


def _port(text: str) -> int:
    value = _int(text)
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"must be a port from 0 to 65535, not {value}")
    return value


def _non_negative_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not 0 <= value < float("inf"):
        raise argparse.ArgumentTypeError(f"must be a number ≥ 0, not {text!r}")
    return value
