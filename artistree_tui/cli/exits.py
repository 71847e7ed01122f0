"""Exit statuses and the one-line error of the command line.

0 success, 1 an API or network failure, 2 bad usage or bad configuration, 130 Ctrl-C. Every
error is one line on stderr, ``artistree-tui: error: ...``; never a traceback, never a secret.
Standard library only: every command imports this.
"""

from __future__ import annotations

import sys

PROG = "artistree-tui"
EXIT_OK = 0
EXIT_ERROR = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130


class UsageError(Exception):
    """Bad usage found after parsing (a flag that needs another, an unknown field...): exit 2.

    ``str(err)`` is the one line shown after ``artistree-tui: error:``.
    """


class CommandFailed(Exception):
    """A command failed for a reason it already put into words (one line): exit ``status``."""

    def __init__(self, message: str, status: int = EXIT_ERROR) -> None:
        super().__init__(message)
        self.status = status


def fail(message: str, status: int) -> int:
    """Print ``message`` as the one error line on stderr; return ``status``."""
    print(f"{PROG}: error: {message}", file=sys.stderr, flush=True)
    return status


def warn(message: str) -> None:
    """One warning line on stderr (the command goes on)."""
    print(f"{PROG}: warning: {message}", file=sys.stderr, flush=True)
