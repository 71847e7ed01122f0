"""Run ``client_secret_command``: fetch the client secret from a password manager.

The command is split like a shell would (``shlex``) but run without one, with no standard
input (it must not wait for a prompt), a timeout, and its output captured and never shown:
a failure is reported as one line with the exit status only, because a failing secret tool
may well print the secret, or part of it, on its way out.

What it may print is bounded: at most :data:`MAX_OUTPUT` bytes (64 KiB; a secret is a few
dozen), one line (a single trailing newline is normal and dropped), no NUL. It runs in a
process group of its own, and the **whole group** is killed when it times out or prints too
much, so a grandchild it started (``sh -c 'sleep 1000 & ...'``) does not outlive it.
"""

from __future__ import annotations

import contextlib
import os
import selectors
import shlex
import signal
import subprocess
import time

from artistree_tui.config.settings import ConfigError

#: Long enough for a password manager that unlocks through an agent, short enough to notice.
SECRET_COMMAND_TIMEOUT = 10.0
#: The most a secret command may print: far more than any secret, far less than a mistake.
MAX_OUTPUT = 64 * 1024
#: Once the command has exited, how long a grandchild may keep its output open.
_LINGER = 0.5
_POLL = 0.1


def run_secret_command(
    command: str, *, where: str = "client_secret_command", timeout: float = SECRET_COMMAND_TIMEOUT
) -> str:
    """Run ``command`` and return the secret it prints: one line, stripped.

    ``where`` prefixes error messages (e.g. the config file and line). Raises
    :class:`ConfigError` when the command cannot be run, fails, times out, prints nothing,
    prints more than one line or :data:`MAX_OUTPUT` bytes, or prints a NUL.
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
        # No shell: the command is the user's own, from their own 0600 config file. A session
        # (and so a process group) of its own: killing the group ends everything it started.
        proc = subprocess.Popen(  # noqa: S603
            argv,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
    except FileNotFoundError:
        raise ConfigError(
            f"{prefix}: program {argv[0]!r} not found: check its name or give its full path"
        ) from None
    except OSError as exc:
        raise ConfigError(f"{prefix}: cannot run {argv[0]!r} ({exc.strerror})") from None
    with proc:
        assert proc.stdout is not None
        try:
            out = _read_bounded(proc, proc.stdout.fileno(), timeout)
        except _TooMuch:
            _kill_group(proc)
            raise ConfigError(
                f"{prefix} printed more than {MAX_OUTPUT // 1024} KB: it must print only the secret"
            ) from None
        except subprocess.TimeoutExpired:
            _kill_group(proc)
            raise ConfigError(
                f"{prefix} did not finish within {timeout:g} s: check that it does not wait "
                "for input"
            ) from None
    if proc.returncode != 0:
        raise ConfigError(
            f"{prefix} failed (exit status {proc.returncode}): run it yourself to see why"
        )
    return _the_secret(out, prefix)


class _TooMuch(Exception):
    pass


def _read_bounded(proc: subprocess.Popen[bytes], fd: int, timeout: float) -> bytes:
    """Standard output until end of file and exit, at most MAX_OUTPUT bytes, within
    ``timeout``. Once the command has exited, whatever still holds the pipe open (a
    grandchild) gets a moment, then the group is ended and what was printed is used."""
    deadline = time.monotonic() + timeout
    exited_at: float | None = None
    out = bytearray()
    with selectors.DefaultSelector() as selector:
        selector.register(fd, selectors.EVENT_READ)
        while True:
            now = time.monotonic()
            if now >= deadline:
                raise subprocess.TimeoutExpired(proc.args, timeout)
            if exited_at is None and proc.poll() is not None:
                exited_at = now
            if exited_at is not None and now - exited_at > _LINGER:
                _kill_group(proc)
                break
            wait = min(deadline - now, _POLL)
            if not selector.select(wait):
                continue
            chunk = os.read(fd, 65536)
            if not chunk:
                break
            out += chunk
            if len(out) > MAX_OUTPUT:
                raise _TooMuch
    proc.wait(max(deadline - time.monotonic(), 0.1))
    return bytes(out)


def _kill_group(proc: subprocess.Popen[bytes]) -> None:
    """End the command and everything it started (its process group)."""
    with contextlib.suppress(ProcessLookupError, PermissionError, OSError):
        os.killpg(proc.pid, signal.SIGKILL)
    with contextlib.suppress(OSError):
        proc.kill()
    with contextlib.suppress(subprocess.TimeoutExpired):
        proc.wait(1.0)


def _the_secret(out: bytes, prefix: str) -> str:
    try:
        text = out.decode("utf-8")
    except UnicodeDecodeError:
        raise ConfigError(f"{prefix} printed something that is not UTF-8 text") from None
    if text.endswith("\r\n"):
        text = text[:-2]
    elif text.endswith("\n"):
        text = text[:-1]
    if any(ch in text for ch in "\n\r\x00"):
        raise ConfigError(
            f"{prefix} printed more than one line (or a NUL): it must print only the secret "
            '(for a multi-line entry: ["sh", "-c", "pass show NAME | head -n 1"])'
        )
    secret = text.strip()
    if not secret:
        raise ConfigError(f"{prefix} printed nothing: it must print the secret on standard output")
    return secret
