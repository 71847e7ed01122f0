"""``artistree-tui watch``: print each new or changed order as it is seen, until interrupted.

Arguments only (standard library); the loop is :mod:`.watch`, the ``--exec`` runner
:mod:`.hooks`, imported when the command runs.
"""

from __future__ import annotations

import argparse

from artistree_tui.cli.data_commands import STATES_HELP
from artistree_tui.cli.flags import SubParsers, add_global_flags, positive_float

#: Seconds an --exec command may run per event before it is killed.
EXEC_TIMEOUT = 30.0


def register(commands: SubParsers) -> None:
    parser = commands.add_parser(
        "watch",
        help="print each new or changed order as it is seen, until interrupted",
        description="Poll the newest orders of the scope every --interval seconds and print "
        "each order that is new or whose state changed, one line each, until interrupted. "
        "The orders already there when it starts are not printed.",
        epilog="examples:\n"
        "  artistree-tui watch --state 'action required' --format table\n"
        "  artistree-tui watch --state failed --exec ./alert.sh\n"
        "--exec runs CMD (split like a shell would, but no shell runs it) once per event, one\n"
        "at a time, with the order's JSON on its standard input and ARTISTREE_WATCH_EVENT\n"
        "(new or changed), ARTISTREE_ORDER_ID, ARTISTREE_ORDER_STATE and\n"
        "ARTISTREE_PREVIOUS_STATE in its environment (never the API's credentials). Its\n"
        "output goes to standard error; a failure or timeout is reported there and the watch\n"
        "goes on.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_global_flags(parser, repeated=True)
    parser.add_argument(
        "--state",
        action="append",
        metavar="STATE",
        help=f"only orders (new, or changed into) this state; repeatable: {STATES_HELP}",
    )
    parser.add_argument(
        "--format",
        choices=("ndjson", "table"),
        help="ndjson (one order object per line) or table (default: table on a terminal)",
    )
    parser.add_argument("--fields", metavar="A,B,C", help="the fields to print, by their API names")
    parser.add_argument(
        "--interval",
        metavar="S",
        type=positive_float,
        help="seconds between polls (default: refresh_seconds from the config, else 30)",
    )
    parser.add_argument(
        "--exec",
        dest="exec_command",
        metavar="CMD",
        help="run CMD for each event, with the order's JSON on its standard input",
    )
    parser.add_argument(
        "--exec-timeout",
        metavar="S",
        type=positive_float,
        default=EXEC_TIMEOUT,
        help="seconds CMD may run before it is killed (default: %(default)g)",
    )
    parser.set_defaults(run=_run)


def _run(args: argparse.Namespace) -> int:
    from artistree_tui.cli.watch import run_watch

    return run_watch(args)
