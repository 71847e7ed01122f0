"""The whole command line: the global flags, then one sub-command per feature.

Each command module has a ``register(commands)`` that adds its sub-parser(s) and sets
``run=`` (a function ``(args) -> exit status``) as the parser's default; a command is added by
writing such a module and listing its ``register`` in :data:`COMMANDS`. Without a command,
``artistree-tui`` opens the console. Command modules import only the standard library at the
top (their ``run`` imports the rest), so ``--help`` of any command answers at once.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence
from typing import NoReturn

from artistree_tui import __version__
from artistree_tui.cli import (
    cache_commands,
    config_commands,
    data_commands,
    demo_command,
    watch_command,
)
from artistree_tui.cli.exits import PROG
from artistree_tui.cli.flags import CommandParser, SubParsers, add_global_flags

#: The sub-commands, in the order ``--help`` lists them.
COMMANDS: tuple[Callable[[SubParsers], None], ...] = (
    data_commands.register,
    watch_command.register,
    config_commands.register,
    demo_command.register,
    cache_commands.register,
)

_EPILOG = """\
scripting (see the README's "Scripting" section):
  artistree-tui orders --state "action required" --format csv > today.csv
  artistree-tui order ID --format json
  artistree-tui watch --state failed --exec notify-send-order

environment:
  ARTISTREE_TUI_CONFIG      config file to read instead of the default
  ARTISTREE_BASE_URL, ARTISTREE_TOKEN_URL, ARTISTREE_CLIENT_ID, ARTISTREE_CLIENT_SECRET,
  ARTISTREE_TOKEN           the same as the flags above
precedence: flag > environment > --profile section > config file > default.
Secrets given as flags are visible to other users of this machine (ps); prefer the config
file (chmod 600) or the environment. See `artistree-tui config show`.
exit status: 0 success, 1 API or network failure, 2 bad usage or config, 130 interrupted.
"""


class _NotTheConsole(Exception):
    """The global flags alone do not read this command line (see parse_console_args)."""


class _ConsoleFlags(argparse.ArgumentParser):
    """The global flags alone: no --help, --version, abbreviation or sub-command, and an error
    is raised, not printed (the whole parser reads the line again and says it its way)."""

    def error(self, message: str) -> NoReturn:
        raise _NotTheConsole(message)


def parse_console_args(args: Sequence[str] | None = None) -> argparse.Namespace | None:
    """The namespace of a command line that only opens the console (its global flags, or
    none), as :func:`build_parser` would read it; None for any other line (a command,
    ``--help``, an abbreviated or unknown flag, an error), which the whole parser must read.

    Building the whole parser (every command's sub-parser) costs ~8 ms, at every start of the
    console; the global flags alone cost a tenth of it."""
    parser = _ConsoleFlags(prog=PROG, add_help=False, allow_abbrev=False)
    add_global_flags(parser)
    try:
        parsed, extras = parser.parse_known_args(args)
    except _NotTheConsole:
        return None
    if extras:
        return None
    parsed.command = None  # the whole parser's sub-command (none: the console)
    return parsed


def build_parser() -> argparse.ArgumentParser:
    """The whole command line; exposed for tests and documentation."""
    parser = CommandParser(
        prog=PROG,
        description="A keyboard-only terminal review console for the Artistree Human\n"
        "certification API. Without a command, opens the console; the commands below\n"
        "print orders, counts and projects for scripts.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    add_global_flags(parser)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", title="commands")
    for register in COMMANDS:
        register(commands)
    return parser
