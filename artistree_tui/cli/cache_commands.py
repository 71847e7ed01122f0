"""``artistree-tui cache path`` and ``artistree-tui cache clear``: the local order index's
files for the current config and profile.

Neither opens the database nor runs ``client_secret_command``: the file names come from the
settings alone.

- ``cache path`` prints the database path on stdout (for scripts) and, on stderr, whether it
  exists and how big it is, or that ``store = "memory"`` keeps nothing on disk.
- ``cache clear`` removes the database, its ``-wal``/``-shm`` files, any copy moved aside and
  the cached OAuth access token, and says in one line what it removed.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, TextIO

from artistree_tui.cli.flags import SubParsers, add_global_flags, flag_values, shows_its_actions

if TYPE_CHECKING:
    from artistree_tui.config import Settings


def register(commands: SubParsers) -> None:
    """Register ``cache path`` and ``cache clear``."""
    cache = commands.add_parser(
        "cache",
        help="show or clear the local order index",
        description="The local order index (every order seen) and the cached access token "
        "of the current config and profile.",
    )
    actions = cache.add_subparsers(dest="cache_command", metavar="ACTION")
    path = actions.add_parser("path", help="print the order index's database path")
    clear = actions.add_parser(
        "clear", help="remove the order index, its -wal/-shm files and the cached token"
    )
    for action in (path, clear):  # `cache path --profile X`, as `config show` takes them
        add_global_flags(action, repeated=True)
        action.set_defaults(run=run_cache)
    cache.set_defaults(run=shows_its_actions(cache))


def run_cache(args: argparse.Namespace) -> int:
    """``cache path|clear`` for the settings of the global flags (no credentials needed)."""
    from artistree_tui.cli.session import check_demo_flags
    from artistree_tui.config import load_settings

    check_demo_flags(args)
    settings = load_settings(
        config_path=args.config,
        profile=args.profile,
        flags=flag_values(args),
        demo=args.demo,
        require_credentials=False,
    )
    return run(args.cache_command, settings, sys.stdout, sys.stderr)


def run(command: str, settings: Settings, out: TextIO, err: TextIO) -> int:
    """Run ``cache <command>`` for ``settings``; returns the exit status."""
    from artistree_tui.store import paths  # here: the CLI's other commands need no SQLite

    files = paths.index_files(settings)
    if command == "path":
        print(files.database, file=out)
        if settings.demo:
            print("--demo keeps its index in memory: each run is a new demo organization", file=err)
        elif settings.store == "memory":
            print('store = "memory": the index is kept in memory only', file=err)
        elif files.database.is_file():
            size = sum(
                p.stat().st_size for p in [files.database, *files.side_files()] if p.is_file()
            )
            print(f"exists ({_size(size)})", file=err)
        else:
            print("does not exist yet: the console creates it", file=err)
        return 0
    removed: list[str] = []
    # The -wal/-shm files first: a running console that sees its database gone makes a new
    # one at once, and must not find the old one's log beside it.
    sides = [p for p in files.side_files() if paths.remove_quietly(p)]
    if paths.remove_quietly(files.database):
        removed.append(str(files.database))
    asides = [p for p in files.asides() if paths.remove_quietly(p)]
    token = files.token is not None and paths.remove_quietly(files.token)
    if not (removed or sides or asides or token):
        print(f"nothing to remove: {files.database} does not exist", file=out)
        return 0
    what = removed[:] or [f"the files of {files.database}"]
    if sides:
        what[-1] += " (and its " + "/".join(p.name.rsplit("sqlite3", 1)[-1] for p in sides)
        what[-1] += " files)"
    if asides:
        what.append(f"{len(asides)} damaged or old cop{'y' if len(asides) == 1 else 'ies'}")
    if token:
        what.append("the cached access token")
    print("removed " + _join(what), file=out)
    if removed:
        print("a console running now starts a new index at its next refresh", file=err)
    return 0


def _join(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def _size(size: int) -> str:
    if size >= 1 << 20:
        return f"{size / (1 << 20):.1f} MB"
    return f"{size / 1024:.0f} KB"
