"""``artistree-tui demo-server`` stops on SIGINT and SIGTERM whatever it inherited.

A shell starts background jobs with SIGINT ignored, and a test suite run in the background
passes that on to every child: Python then leaves SIGINT ignored, and a server that relied on
KeyboardInterrupt never stopped. Each case starts the real entry point with both signals
ignored (as inherited dispositions, set in the child before exec) or left as they are.
"""

from __future__ import annotations

import signal
from pathlib import Path

import httpx
import pytest

from tests.support.processes import StandaloneDemo


def ignore_stop_signals() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)


@pytest.mark.parametrize("inherited", ["ignored", "default"])
@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_the_demo_server_stops_on_the_signal(
    isolated: Path, signum: signal.Signals, inherited: str
) -> None:
    preexec = ignore_stop_signals if inherited == "ignored" else None
    args = ("--orders", "20", "--new-order-every", "0")
    with StandaloneDemo(isolated, *args, preexec=preexec) as demo:
        assert httpx.get(f"{demo.base_url}/v1/orders", timeout=10).status_code == 401
        assert demo.signal(signum) == 0
        assert demo.process is not None and demo.process.stderr is not None
        assert "Traceback" not in demo.process.stderr.read()
