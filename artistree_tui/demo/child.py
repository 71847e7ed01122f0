"""The demo API in a child process: what ``artistree-tui --demo`` runs beside the console.

In the console's own process the demo server shares the GIL with the UI: its import
(~60 ms), and the generating and encoding of every page it serves, come out of the console's
start. In a child process they run on another core. The console does not wait for the child
to be ready: :meth:`DemoProcess.start` binds the listening socket itself (loopback, a free
port) and hands it to the child, so the address is known at once and a request sent before
the child is up waits in the socket's backlog until the child serves it.

The child (``python -m artistree_tui.demo.child``) serves until its standard input reaches
end-of-file: the console closes it on the way out, and so does the kernel if the console dies
any other way, so no demo server outlives its console. It writes nothing to the terminal.

The parent side imports only the standard library (this package loads its modules on first
use); the child imports the demo server.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import threading
from types import TracebackType

#: Seconds the child gets to exit after its standard input closed, before it is killed.
STOP_TIMEOUT = 2.0


class DemoProcess:
    """The demo API served by a child process (see the module docstring)."""

    def __init__(
        self,
        *,
        orders: int,
        new_order_every: float,
        epoch: float,
        faults: str | None = None,
        host: str = "127.0.0.1",
    ) -> None:
        self.orders = orders
        self.new_order_every = new_order_every
        self.epoch = epoch
        self.faults = faults or ""
        self.host = host
        self.base_url = ""
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def token_url(self) -> str:
        return self.base_url + "/oauth2/token"

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None else None

    def start(self) -> DemoProcess:
        """Bind, start the child on the bound socket and return at once (not waiting for it)."""
        listener = socket.create_server((self.host, 0), backlog=128)
        try:
            port = listener.getsockname()[1]
            argv = [
                sys.executable,
                "-m",
                __name__,
                str(listener.fileno()),
                str(self.orders),
                repr(float(self.new_order_every)),
                repr(float(self.epoch)),
                self.faults,
            ]
            # Our own interpreter and module, no shell; the values are numbers and a fault spec.
            self._process = subprocess.Popen(  # noqa: S603
                argv,
                stdin=subprocess.PIPE,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,  # nothing of the child reaches the console's screen
                pass_fds=(listener.fileno(),),
            )
        finally:
            listener.close()  # the child has its own copy
        self.base_url = f"http://{self.host}:{port}"
        return self

    def stop(self) -> None:
        """Ask the child to stop (end of its input) and wait for it; kill it if it lingers."""
        process, self._process = self._process, None
        if process is None:
            return
        if process.stdin is not None:
            with contextlib.suppress(OSError):
                process.stdin.close()
        try:
            process.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()

    def __enter__(self) -> DemoProcess:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


def serve(fd: int, orders: int, new_order_every: float, epoch: float, faults: str) -> int:
    """The child: serve the demo API on the listening socket ``fd`` until stdin closes."""
    from artistree_tui.demo.faults import FaultConfig
    from artistree_tui.demo.server import DemoServer

    # Ctrl-C in the console's terminal is a key, not a signal; a stray SIGINT sent to the
    # process group must not leave the console without its API either.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    listener = socket.socket(fileno=fd)
    server = DemoServer(
        orders=orders,
        new_order_every=new_order_every,
        faults=FaultConfig.parse(faults),
        epoch=epoch,
        listener=listener,
    ).start()
    try:
        stdin = sys.stdin.buffer
        while stdin.read(65536):  # until end-of-file: the console is gone
            pass
    finally:
        # Connections still open are shut down; threads serving them are daemons.
        stopper = threading.Thread(target=server.stop, daemon=True)
        stopper.start()
        stopper.join(STOP_TIMEOUT)
    return 0


if __name__ == "__main__":
    _fd, _orders, _every, _epoch, _faults = sys.argv[1:6]
    with contextlib.suppress(KeyboardInterrupt):
        sys.exit(serve(int(_fd), int(_orders), float(_every), float(_epoch), _faults))
    os._exit(0)
