"""The commands that print the API's data: ``orders``, ``order``, ``stats``, ``projects`` and
``certificate``. Their arguments are defined here (standard library only, so ``--help``
answers at once); what they do is in :mod:`.listing` and :mod:`.certificate`
(``orders --cached``: :mod:`.cached`, which loads no HTTP client), imported when they run.
None of them imports Textual.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable

from artistree_tui.cli.flags import SubParsers, add_global_flags, positive_int

#: Output formats of the list commands (the first is the default on a terminal).
LIST_FORMATS = ("table", "json", "ndjson", "csv")
STATES_HELP = (
    "In Progress, Human Certified, Action Required, Reviewed, Failed, Unsupported File "
    "(any case; - or _ for spaces)"
)


def register(commands: SubParsers) -> None:
    _orders(commands)
    _order(commands)
    _stats(commands)
    _projects(commands)
    _certificate(commands)


def _format_flag(parser: argparse._ActionsContainer, choices: tuple[str, ...], piped: str) -> None:
    parser.add_argument(
        "--format",
        choices=choices,
        help=f"output format (default: {choices[0]} on a terminal, {piped} in a pipe or file)",
    )


def _orders(commands: SubParsers) -> None:
    parser = commands.add_parser(
        "orders",
        help="print the orders of a project (or all), filtered, as a table, JSON or CSV",
        description="Print every order of the scope, newest first, filtered as they are read: "
        "pages are streamed and rows written as they arrive, so any number of orders takes "
        "the same memory. Field names are the API's.",
        epilog="examples:\n"
        '  artistree-tui orders --state "action required" --format csv > action.csv\n'
        "  artistree-tui orders --project 'game concept art' --since 7d --format ndjson\n"
        "  artistree-tui orders --search tiger --fields order_id,order_state,order_title\n"
        "  artistree-tui orders --cached --state failed --format csv > failed.csv",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_global_flags(parser, repeated=True)
    filters = parser.add_argument_group("filters")
    filters.add_argument(
        "--state",
        action="append",
        metavar="STATE",
        help=f"only orders in this state; repeat for several: {STATES_HELP}",
    )
    filters.add_argument(
        "--search",
        metavar="TEXT",
        help="only orders where every word of TEXT (any case) starts a word of their title, "
        "tags, project or analysis types (with --full also asset name, user, e-mail, ordered "
        "by), or TEXT starts their id: the console's / search",
    )
    filters.add_argument(
        "--since",
        metavar="DATE",
        help="only orders created since DATE: 2026-01-31, 2026-01-31T09:00, today, "
        "yesterday, or an age like 30m, 24h, 7d, 2w",
    )
    filters.add_argument(
        "--limit", metavar="N", type=positive_int, help="stop after N matching orders"
    )
    parser.add_argument(
        "--cached",
        action="store_true",
        help="answer from the local order index the console keeps (no request; says on "
        "stderr how old it is)",
    )
    output = parser.add_argument_group("output")
    output.add_argument(
        "--full",
        action="store_true",
        help="read full orders (every field; slower) instead of previews; implied by "
        "--fields naming a field previews lack",
    )
    _format_flag(output, LIST_FORMATS, "ndjson")
    output.add_argument(
        "--fields",
        metavar="A,B,C",
        help="the fields to write, by their API names (e.g. order_id,order_state,"
        "order_title,creation_time,project_name,tags)",
    )
    parser.set_defaults(run=_run_orders)


def _order(commands: SubParsers) -> None:
    parser = commands.add_parser(
        "order",
        help="print one full order",
        description="Print one full order (GET /v1/orders/ID).",
    )
    add_global_flags(parser, repeated=True)
    parser.add_argument(
        "order_id",
        metavar="ID",
        help="the order id (a UUID), or its start as a table shows it (unique in the local index)",
    )
    _format_flag(parser, ("table", "json", "ndjson", "csv"), "json")
    parser.add_argument("--fields", metavar="A,B,C", help="only these fields (API names)")
    parser.set_defaults(run=_run("run_order"))


def _stats(commands: SubParsers) -> None:
    parser = commands.add_parser(
        "stats",
        help="print the order counts per state of a project (or all)",
        description="Print order_stats for the scope: the count of orders in each state.",
    )
    add_global_flags(parser, repeated=True)
    _format_flag(parser, ("table", "json", "ndjson", "csv"), "json")
    parser.set_defaults(run=_run("run_stats"))


def _projects(commands: SubParsers) -> None:
    parser = commands.add_parser(
        "projects",
        help="print the project names, with their ids where known",
        description="Print the organization's projects: name, id and your role. The API "
        "lists names only; ids are learnt from orders (the newest 100,000 at most) and "
        "from the config's [projects] table.",
    )
    add_global_flags(parser, repeated=True)
    _format_flag(parser, LIST_FORMATS, "ndjson")
    parser.add_argument(
        "--no-ids", action="store_true", help="names only (one request; no id lookup)"
    )
    parser.set_defaults(run=_run("run_projects"))


def _certificate(commands: SubParsers) -> None:
    parser = commands.add_parser(
        "certificate",
        help="save an order's certificate PDF, or print its link",
        description="Save the certificate PDF of a Human Certified order (default: in the "
        "downloads folder, as artistree-certificate-ID.pdf), or print its link. An existing "
        "file is never overwritten without --force.",
    )
    add_global_flags(parser, repeated=True)
    parser.add_argument("order_id", metavar="ID", help="the order id (a UUID)")
    where = parser.add_mutually_exclusive_group()
    where.add_argument(
        "-o", "--output", metavar="FILE", help="save the PDF as FILE (- for standard output)"
    )
    where.add_argument(
        "--url",
        action="store_true",
        help="print the link instead (presigned: anyone with it can download the PDF "
        "until it expires)",
    )
    parser.add_argument("--force", action="store_true", help="overwrite an existing file")
    parser.set_defaults(run=_run("run_certificate", module="certificate"))


def _run_orders(args: argparse.Namespace) -> int:
    """``orders``: from the API (:mod:`.listing`), or with ``--cached`` from the local index
    (:mod:`.cached`, which never imports the HTTP client)."""
    run = _run("run_orders", module="cached" if args.cached else "listing")
    return run(args)


def _run(name: str, *, module: str = "listing") -> Callable[[argparse.Namespace], int]:
    """A ``run`` that imports its implementation only when the command runs."""

    def run(args: argparse.Namespace) -> int:
        import importlib

        implementation = importlib.import_module(f"artistree_tui.cli.{module}")
        status: int = getattr(implementation, name)(args)
        return status

    run.__name__ = name
    return run
