"""The demo API in a child process (``artistree-tui --demo``; artistree_tui/demo/child.py).

The parent binds the socket and hands it over, so a request sent at once (before the child has
even imported the server) is answered; the child serves the same API with the faults it was
given, and ends when its standard input closes: when the console stops it, and when the
console dies without a word (the kernel closes the pipe).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import httpx

from artistree_tui.demo import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET
from artistree_tui.demo.child import DemoProcess
from tests.support.demo import TLS

FORM = {
    "grant_type": "client_credentials",
    "client_id": DEMO_CLIENT_ID,
    "client_secret": DEMO_CLIENT_SECRET,
}


def alive(pid: int) -> bool:
    """Is ``pid`` running (a zombie waiting for its reaper counts as ended)?"""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    return "State:\tZ" not in status


def wait_gone(pid: int) -> None:
    deadline = time.monotonic() + 30  # a bound for the test, not a timing
    while alive(pid):
        assert time.monotonic() < deadline, f"process {pid} is still running"
        time.sleep(0.05)


def test_a_request_sent_at_once_is_answered_with_the_faults_given() -> None:
    with DemoProcess(orders=40, new_order_every=0, epoch=1.7e9, faults="hostile") as demo:
        # No wait for the child: the request waits in the socket's backlog meanwhile.
        with httpx.Client(timeout=60, verify=TLS) as http:
            token = http.post(demo.token_url, data=FORM).json()["access_token"]
            page = http.get(
                f"{demo.base_url}/v1/orders",
                params={"project_id": "All Projects", "limit": "40"},
                headers={"Authorization": f"Bearer {token}"},
            ).json()
        pid = demo.pid
        assert pid is not None and alive(pid)
    assert page["order_stats"]["total_orders"] == 40 and len(page["orders"]) == 40
    assert any("\x1b" in order["order_title"] for order in page["orders"])  # hostile
    wait_gone(pid)  # stopped with the block
    with httpx.Client(timeout=5, verify=TLS) as http:
        try:
            http.post(demo.token_url, data=FORM)
        except httpx.TransportError:
            pass
        else:
            raise AssertionError("the demo API still answers after stop()")


def test_the_child_ends_when_its_parent_dies_without_a_word() -> None:
    parent = (
        "import os, sys\n"
        "from artistree_tui.demo.child import DemoProcess\n"
        "demo = DemoProcess(orders=10, new_order_every=0, epoch=1.7e9).start()\n"
        "print(demo.pid, flush=True)\n"
        "sys.stdin.read()\n"  # until the test has the pid, then killed
    )
    process = subprocess.Popen(
        [sys.executable, "-c", parent],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])},
    )
    assert process.stdout is not None
    child = int(process.stdout.readline())
    assert alive(child)
    process.kill()  # SIGKILL: no cleanup in the parent at all
    process.wait()
    wait_gone(child)
