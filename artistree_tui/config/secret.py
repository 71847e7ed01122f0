"""Run ``client_secret_command``: fetch the client secret from a password manager.

The command is split like a shell would (``shlex``) but run without one, with no standard
input (it must not wait for a prompt), a timeout, and its output captured and never shown:
a failure is reported as one line with the exit status only, because a failing secret tool
may well print the secret, or part of it, on its way out.
"""

from __future__ import annotations

import contextlib
import os
import shlex
import subprocess

from artistree_tui.config.settings import ConfigError

#: Long enough for a password manager that unlocks through an agent, short enough to notice.
SECRET_COMMAND_TIMEOUT = 10.0


def run_secret_command(
    command: str, *, where: str = "client_secret_command", timeout: float = SECRET_COMMAND_TIMEOUT
) -> str:
    """Run ``command`` and return the first line of its standard output, stripped.

    ``where`` prefixes error messages (e.g. the config file and line). Raises
    :class:`ConfigError` when the command cannot be run, fails, times out or prints nothing.
    """
    prefix = f"{where}: client_secret_command"
    try:
        argv = shlex.split(command)
    except ValueError as exc:
        problem = f"is not a valid command line ({exc}): check its quotes"
        raise ConfigError(f"{prefix} {problem}") from None
    if not argv:
        raise ConfigError(f"{prefix} is empty: give the command that prints the secret")
    argv[0] = os.path.expanduser(argv[0])
    try:
        # No shell: the command is the user's own, from their own 0600 config file.
        proc = subprocess.Popen(  # noqa: S603
            argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
        )
    except FileNotFoundError:
        raise ConfigError(
            f"{prefix}: program {argv[0]!r} not found: check its name or give its full path"
        ) from None
    except OSError as exc:
        raise ConfigError(f"{prefix}: cannot run {argv[0]!r} ({exc.strerror})") from None
    with proc:
        try:
            out, _ = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            # A grandchild may still hold the pipe open: do not wait for it for long.
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.communicate(timeout=1.0)
            raise ConfigError(
                f"{prefix} did not finish within {timeout:g} s: check that it does not wait "
                "for input"
            ) from None
    if proc.returncode != 0:
        raise ConfigError(
            f"{prefix} failed (exit status {proc.returncode}): run it yourself to see why"
        )
    try:
        text = out.decode("utf-8")
    except UnicodeDecodeError:
        raise ConfigError(f"{prefix} printed something that is not UTF-8 text") from None
    lines = text.strip().splitlines()
    secret = lines[0].strip() if lines else ""
    if not secret:
        raise ConfigError(f"{prefix} printed nothing: it must print the secret on standard output")
    return secret
