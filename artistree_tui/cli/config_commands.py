"""``artistree-tui config path|init|example|show``: find, create, print and explain the config."""

from __future__ import annotations

import argparse
import sys

from artistree_tui.cli.flags import SubParsers, add_global_flags, shows_its_actions


def register(commands: SubParsers) -> None:
    # --config also after the action (`config init --config PATH`); SUPPRESS keeps the value
    # given before the command when it is not repeated.
    where = argparse.ArgumentParser(add_help=False)
    where.add_argument("--config", metavar="PATH", default=argparse.SUPPRESS, help="config file")
    config = commands.add_parser(
        "config",
        help="show the settings in effect, or find, create or print the config file",
        description="Find, create, print or explain the configuration.",
    )
    actions = config.add_subparsers(dest="config_command", metavar="ACTION")
    config.set_defaults(run=shows_its_actions(config))
    path = actions.add_parser(
        "path", parents=[where], help="print the config file path and whether it exists"
    )
    path.set_defaults(run=run_path)
    init = actions.add_parser(
        "init", parents=[where], help="write a commented starter config file (mode 0600)"
    )
    init.add_argument("--force", action="store_true", help="overwrite an existing file")
    init.set_defaults(run=run_init)
    example = actions.add_parser("example", help="print the commented example config")
    example.set_defaults(run=run_example)
    show = actions.add_parser(
        "show",
        help="print the settings in effect and where each comes from (secrets masked)",
        description="Print every setting in effect and where it comes from: flag, env, "
        "profile, file or default. Secrets are masked; client_secret_command is not run.",
    )
    add_global_flags(show, repeated=True)
    show.add_argument(
        "--format",
        choices=("table", "json"),
        default="table",
        help="table (default) or json",
    )
    show.set_defaults(run=run_show)


def run_example(args: argparse.Namespace) -> int:
    from artistree_tui.config.example import EXAMPLE_TOML

    sys.stdout.write(EXAMPLE_TOML)
    return 0


def run_init(args: argparse.Namespace) -> int:
    from artistree_tui.config import resolve_config_path
    from artistree_tui.config.example import write_starter

    path, _ = resolve_config_path(args.config)
    write_starter(path, force=args.force)
    print(f"wrote {path} (mode 0600): add your credentials to it")
    return 0


def run_path(args: argparse.Namespace) -> int:
    from artistree_tui.cli.exits import PROG
    from artistree_tui.config import resolve_config_path

    path, origin = resolve_config_path(args.config)
    # The path alone on stdout (for `$EDITOR "$(artistree-tui config path)"`), what we know
    # about it on stderr.
    print(path)
    chosen = "" if origin == "default" else f" (chosen by {origin})"
    if path.is_file():
        state = "exists"
    elif path.exists():
        state = "exists but is not a regular file"
    else:
        state = f"does not exist yet: `{PROG} config init` creates it"
    print(f"{state}{chosen}", file=sys.stderr)
    return 0


def run_show(args: argparse.Namespace) -> int:
    from artistree_tui.cli.explain import show_settings

    return show_settings(args, sys.stdout)
