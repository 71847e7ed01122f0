"""``watch --exec CMD``: run a command per event, one at a time, with a timeout.

- The command line is split like a shell would (``shlex``) but no shell runs it, so nothing
  from the API can be interpreted as shell syntax; the program must exist when the watch
  starts (a usage error otherwise).
- The order's JSON (ASCII, one line) is its standard input; the event is in its environment
  (``ARTISTREE_WATCH_EVENT``, ``ARTISTREE_ORDER_ID``, ``ARTISTREE_ORDER_STATE``,
  ``ARTISTREE_PREVIOUS_STATE``, cleaned of control characters), and the API's credentials
  (``ARTISTREE_CLIENT_SECRET``, ``ARTISTREE_TOKEN``) are taken out of it.
- Events wait in a bounded queue and run one after the other; a command that outlives the
  timeout is killed with its whole process group. Its output goes to standard error, so
  standard output stays the watch's own stream.
- A failure (exit status, timeout, cannot start) is one warning line on standard error; the
  watch goes on.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shlex
import shutil
import signal
import sys
from dataclasses import dataclass

from artistree_tui.cli.exits import UsageError, warn
from artistree_tui.config.keys import ENV_KEYS, SECRET_KEYS
from artistree_tui.display import clean

#: Events waiting for the command; beyond this they are dropped (with a warning).
QUEUE_LIMIT = 1000
#: Environment variables never passed on to the command.
SECRET_VARIABLES = frozenset(name for name, key in ENV_KEYS.items() if key in SECRET_KEYS)


@dataclass(frozen=True, slots=True)
class Event:
    """One order to hand to the command."""

    kind: str  # "new" or "changed"
    order_id: str
    state: str
    previous_state: str | None
    payload: bytes  # the order as JSON, one line


def parse_command(text: str) -> list[str]:
    """``--exec``'s command line as argv; a usage error when empty, unbalanced or missing."""
    try:
        argv = shlex.split(text)
    except ValueError as exc:
        raise UsageError(f"--exec: not a valid command line ({exc}): check its quotes") from None
    if not argv:
        raise UsageError("--exec: give the command to run")
    program = os.path.expanduser(argv[0])
    if shutil.which(program) is None:
        raise UsageError(
            f"--exec: program {clean(argv[0], limit=80)!r} not found or not executable: "
            "check its name or give its path"
        )
    return [program, *argv[1:]]


class ExecHook:
    """Runs ``argv`` once per :class:`Event`, one at a time; start with :meth:`start`."""

    def __init__(self, argv: list[str], *, timeout: float) -> None:
        self.argv = argv
        self.timeout = timeout
        self.name = clean(os.path.basename(argv[0]), limit=60)
        self._queue: asyncio.Queue[Event] = asyncio.Queue(maxsize=QUEUE_LIMIT)
        self._worker: asyncio.Task[None] | None = None
        self._process: asyncio.subprocess.Process | None = None
        self.ran = 0
        self.failed = 0

    def start(self) -> None:
        self._worker = asyncio.get_running_loop().create_task(self._work())

    def submit(self, event: Event) -> None:
        try:
            self._queue.put_nowait(event)
        except asyncio.QueueFull:
            warn(f"--exec: {QUEUE_LIMIT} events already wait for {self.name}: dropped one")

    async def drain(self) -> None:
        """Wait until every queued event has been handled (tests, and a clean finish)."""
        await self._queue.join()

    async def close(self) -> None:
        """Stop: kill a command still running (its whole process group), forget the queue."""
        self._kill()
        if self._worker is not None:
            self._worker.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._worker

    async def _work(self) -> None:
        while True:
            event = await self._queue.get()
            try:
                await self._run(event)
            finally:
                self._queue.task_done()

    def _environment(self, event: Event) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k not in SECRET_VARIABLES}
        env.update(
            ARTISTREE_WATCH_EVENT=event.kind,
            ARTISTREE_ORDER_ID=clean(event.order_id, limit=100),
            ARTISTREE_ORDER_STATE=clean(event.state, limit=100),
            ARTISTREE_PREVIOUS_STATE=clean(event.previous_state or "", limit=100),
        )
        return env

    async def _run(self, event: Event) -> None:
        order = clean(event.order_id, limit=40)
        self.ran += 1
        try:
            self._process = await asyncio.create_subprocess_exec(
                *self.argv,
                stdin=asyncio.subprocess.PIPE,
                stdout=_stderr_fd(),
                stderr=None,
                env=self._environment(event),
                start_new_session=True,  # its own process group: killed whole on timeout
            )
        except OSError as exc:
            self.failed += 1
            warn(f"--exec: cannot run {self.name} ({exc.strerror or type(exc).__name__})")
            return
        process = self._process
        try:
            async with asyncio.timeout(self.timeout):
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    await process.communicate(event.payload)
                await process.wait()
        except TimeoutError:
            self._kill()
            await process.wait()
            self.failed += 1
            warn(
                f"--exec: {self.name} did not finish within {self.timeout:g} s for order "
                f"{order}: killed"
            )
            return
        except BaseException:  # cancelled (the watch is ending): take the command along
            self._kill()
            raise
        finally:
            self._process = None
        status = process.returncode
        if status is not None and status != 0:
            self.failed += 1
            how = f"was killed by signal {-status}" if status < 0 else f"exited with {status}"
            warn(f"--exec: {self.name} {how} for order {order}")

    def _kill(self) -> None:
        process = self._process
        if process is None or process.returncode is not None:
            return
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, signal.SIGKILL)


def _stderr_fd() -> int | None:
    try:
        return sys.stderr.fileno()
    except (AttributeError, OSError, ValueError):
        return None
