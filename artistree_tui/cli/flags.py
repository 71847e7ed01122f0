"""The global flags (config, credentials, demo) and the argparse helpers every command uses.

The global flags are accepted before the command (``artistree-tui --demo orders``) and, for
the commands that talk to the API, after it too (``artistree-tui orders --demo``): the copy on
a sub-command has ``SUPPRESS`` defaults, so a flag given before the command is kept when it is
not repeated after it.

Standard library only: ``--help`` must answer at once.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from typing import Any, NoReturn

from artistree_tui.cli.exits import EXIT_USAGE, PROG

#: A new demo order about this often (seconds), so a console or `watch` sees live arrivals.
DEMO_NEW_ORDER_EVERY = 30.0

#: With --demo, orders in the demo API unless --demo-orders says otherwise.
DEMO_ORDERS = 2000

SubParsers = argparse._SubParsersAction  # the type argparse gives add_subparsers()


class CommandParser(argparse.ArgumentParser):
    """An ``ArgumentParser`` whose sub-commands report their own usage errors.

    argparse hands arguments a sub-command does not know back to the top-level parser, which
    then prints the top-level usage; here the sub-command that was given them says so itself,
    with its own usage (``artistree-tui config init --bogus`` prints ``config init``'s usage).
    """

    def parse_known_args(  # type: ignore[override]
        self, args: Sequence[str] | None = None, namespace: argparse.Namespace | None = None
    ) -> tuple[argparse.Namespace, list[str]]:
        parsed, extras = super().parse_known_args(args, namespace)
        if extras and self.prog != PROG:
            self.error(f"unrecognized arguments: {' '.join(extras)}")
        return parsed, extras

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\n")


def add_global_flags(parser: argparse.ArgumentParser, *, repeated: bool = False) -> None:
    """Add the flags of every run: config, profile, API and credentials, the demo API.

    ``repeated`` marks the copy on a sub-command: no defaults of its own (``SUPPRESS``), so
    it only overrides what was given before the command.
    """

    def default(value: Any) -> Any:
        return argparse.SUPPRESS if repeated else value

    group: argparse._ActionsContainer = parser
    if repeated:
        group = parser.add_argument_group("configuration (also accepted before the command)")
    group.add_argument(
        "--config",
        metavar="PATH",
        default=default(None),
        help="config file (default: see `artistree-tui config path`)",
    )
    group.add_argument(
        "--profile",
        metavar="NAME",
        default=default(None),
        help="apply the [profiles.NAME] section",
    )
    api = parser.add_argument_group("API and credentials (override the config file)")
    api.add_argument("--base-url", metavar="URL", default=default(None), help="API base URL")
    api.add_argument(
        "--token-url", metavar="URL", default=default(None), help="OAuth2 token endpoint"
    )
    api.add_argument("--client-id", metavar="ID", default=default(None), help="OAuth2 client id")
    api.add_argument(
        "--client-secret",
        metavar="SECRET",
        default=default(None),
        help="OAuth2 client secret (visible to other users via ps: prefer the config file "
        "or ARTISTREE_CLIENT_SECRET)",
    )
    api.add_argument(
        "--token",
        metavar="TOKEN",
        default=default(None),
        help="static bearer token (visible to other users via ps: prefer ARTISTREE_TOKEN)",
    )
    scope = parser.add_argument_group("project and demo")
    scope.add_argument(
        "--project",
        metavar="NAME_OR_ID",
        default=default(None),
        help="project to open first, or the commands' scope (name case-insensitive; "
        "default: default_project, else All Projects)",
    )
    scope.add_argument(
        "--demo",
        action="store_true",
        default=default(False),
        help="use a built-in demo API with made-up orders (no account needed)",
    )
    scope.add_argument(
        "--demo-orders",
        metavar="N",
        type=positive_int,
        default=default(None),
        help=f"with --demo: orders in the demo API (default: {DEMO_ORDERS})",
    )
    # The demo API's fault injection, same SPEC as `demo-server --faults`: shown, because the
    # README invites users to try the console against hostile data and a failing network.
    scope.add_argument(
        "--demo-faults",
        metavar="SPEC",
        default=default(None),
        help="with --demo: inject faults, e.g. hostile or latency=300,429=0.1,5xx=0.05",
    )


def flag_values(args: argparse.Namespace) -> dict[str, object]:
    """The settings the global flags override, by config key (None: not given)."""
    return {
        "base_url": args.base_url,
        "token_url": args.token_url,
        "client_id": args.client_id,
        "client_secret": args.client_secret,
        "token": args.token,
        "default_project": args.project,
    }


def _int(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None


def positive_int(text: str) -> int:
    value = _int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {value}")
    return value


def port(text: str) -> int:
    value = _int(text)
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"must be a port from 0 to 65535, not {value}")
    return value


def non_negative_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not 0 <= value < float("inf"):
        raise argparse.ArgumentTypeError(f"must be a number ≥ 0, not {text!r}")
    return value


def positive_float(text: str) -> float:
    value = non_negative_float(text)
    if value <= 0:
        raise argparse.ArgumentTypeError(f"must be a number > 0, not {text!r}")
    return value


def shows_its_actions(group: argparse.ArgumentParser) -> Callable[[argparse.Namespace], int]:
    """The ``run`` of a command group given no action (``artistree-tui cache``): its help, which
    lists the actions one line each, on stderr, and exit 2, as a usage error."""

    def run(_args: argparse.Namespace) -> int:
        sys.stderr.write(group.format_help())
        return EXIT_USAGE

    return run
