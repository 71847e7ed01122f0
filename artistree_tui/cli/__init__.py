"""The ``artistree-tui`` command: the console, and the commands for scripts.

Without a command it opens the console (which needs a terminal); the commands (``orders``,
``order``, ``stats``, ``projects``, ``certificate``, ``watch``, ``config``, ``demo-server``)
each live in their own module, registered in :mod:`.parser`.

Startup stays light: the parser and the command modules import only the standard library;
the console (Textual), the API client (httpx) and the demo server are imported when a command
runs, so ``--help`` of any command answers at once. The data commands never import Textual.

Every error is one line on stderr, ``artistree-tui: error: ...``, with exit status 2 for a
usage or configuration problem, 1 for an API or network failure and 130 for Ctrl-C; never a
traceback (set ``ARTISTREE_TUI_DEBUG=1`` to get one) and never a secret.
"""

from __future__ import annotations

import argparse
import errno
import os
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from artistree_tui import startup
from artistree_tui.cli.exits import (
    EXIT_ERROR,
    EXIT_INTERRUPTED,
    EXIT_USAGE,
    PROG,
    CommandFailed,
    UsageError,
    fail,
)
from artistree_tui.cli.flags import DEMO_NEW_ORDER_EVERY
from artistree_tui.cli.parser import build_parser, parse_console_args

if TYPE_CHECKING:
    from artistree_tui.config import Settings

__all__ = [
    "DEMO_NEW_ORDER_EVERY",
    "EXIT_ERROR",
    "EXIT_INTERRUPTED",
    "EXIT_USAGE",
    "PROG",
    "build_parser",
    "main",
]

#: What the console says when it has no terminal: the commands that work without one.
SCRIPTING = "orders, order, stats, projects, certificate, watch"


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the process exit status."""
    startup.install_test_hooks()
    # The console's own flags first: the whole parser only for anything else (~8 ms).
    args = parse_console_args(argv) or build_parser().parse_args(argv)
    run: Callable[[argparse.Namespace], int] = getattr(args, "run", _console)
    if run is not _console and sys.stdout is None:  # started with `>&-`
        return fail(CLOSED_STDOUT, EXIT_USAGE)
    try:
        return run(args)
    except UsageError as exc:
        return fail(str(exc), EXIT_USAGE)
    except CommandFailed as exc:
        return fail(str(exc), exc.status)
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    except BrokenPipeError:  # the reader stopped early (`| head -1`): nothing more to say
        from artistree_tui.cli.output import silence_stdout

        silence_stdout()
        return 0
    except Exception as exc:
        return _failed(exc)


#: Started with standard output closed (`>&-`): the answer has nowhere to go.
CLOSED_STDOUT = (
    "standard output is closed: give the command somewhere to write (a file, a pipe or /dev/null)"
)
#: A write that failed for want of room or of a working disk (errno), and what to do then.
CANNOT_WRITE = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO})
WRITE_ELSEWHERE = "free some space, or write it somewhere else"


def _failed(exc: Exception) -> int:
    """The exit status (and one line) of an error a command raised."""
    # Imported here: `--help` must not pay for the configuration and API packages.
    from artistree_tui.api.errors import ApiAddressError, ApiAuthError, ApiConfigError, ApiError
    from artistree_tui.config import ConfigError

    if isinstance(exc, ConfigError | ApiConfigError | ApiAuthError | ApiAddressError):
        return fail(str(exc), EXIT_USAGE)  # bad config, wrong credentials or URL
    if isinstance(exc, ApiError):
        return fail(str(exc), EXIT_ERROR)
    if isinstance(exc, OSError) and exc.errno in CANNOT_WRITE and exc.filename is None:
        # Standard output's disk is full (`> /dev/full`) or failing: not a bug of ours.
        from artistree_tui.cli.output import silence_stdout

        silence_stdout()  # the interpreter's last flush would fail again, with a traceback
        return fail(
            f"cannot write the output ({os.strerror(exc.errno or 0)}): {WRITE_ELSEWHERE}",
            EXIT_ERROR,
        )
    if os.environ.get("ARTISTREE_TUI_DEBUG"):
        raise exc
    # The message of an unexpected error may hold anything (a URL, a header): name the type.
    return fail(
        f"unexpected {type(exc).__name__}; set ARTISTREE_TUI_DEBUG=1 to see the traceback",
        EXIT_ERROR,
    )


# -- the console (no command) ----------------------------------------------------------------


def _console(args: argparse.Namespace) -> int:
    # No cyclic GC until the first rows are painted (startup.py): ~10 % of the start's CPU.
    startup.pause()
    try:
        return _start_console(args)
    finally:
        startup.resume()


def _start_console(args: argparse.Namespace) -> int:
    from artistree_tui.cli import session  # here: `--help` needs no config package

    settings = session.load(args)
    with session.demo_api(
        args, settings, new_order_every=DEMO_NEW_ORDER_EVERY, child_process=True
    ) as effective:
        return _launch(effective)


def _launch(settings: Settings) -> int:
    problem = _no_terminal()
    if problem:
        return fail(
            f"the console needs a terminal ({problem}): for scripts use the commands "
            f"{SCRIPTING} (`{PROG} COMMAND --help`)",
            EXIT_USAGE,
        )
    from artistree_tui import launch  # the network first, then Textual (see launch.py)

    try:
        return launch.run(settings)
    except ImportError as exc:
        return fail(
            f"the console cannot be loaded ({exc}); `{PROG} demo-server` runs the demo API alone",
            EXIT_ERROR,
        )


def _no_terminal() -> str:
    """Why the console cannot draw here ("" when stdin and stdout are a terminal)."""
    streams = (("standard input", sys.stdin), ("standard output", sys.stdout))
    missing = [name for name, stream in streams if stream is None or not _isatty(stream)]
    if not missing:
        return ""
    return f"{' and '.join(missing)} {'is' if len(missing) == 1 else 'are'} not one"


def _isatty(stream: object) -> bool:
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty()) if isatty is not None else False
    except (OSError, ValueError):  # closed
        return False
