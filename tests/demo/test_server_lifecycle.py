"""Lifecycle of the demo server: start/stop, keep-alive, silence, and the standalone runner."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
from collections.abc import Callable

import httpx
import pytest

from artistree_tui.demo import DemoProject, DemoServer, FaultConfig, run_standalone
from tests.support.demo import FAULTHANDLER_ENV, interrupt
from tests.support.import_probe import package_modules, textual_after_each

Http = Callable[[DemoServer], httpx.Client]


def test_start_stop_and_context_manager(http: httpx.Client) -> None:
    server = DemoServer(orders=10)
    with pytest.raises(RuntimeError):
        _ = server.base_url
    assert server.start() is server and server.start() is server
    assert server.base_url.startswith("http://127.0.0.1:") and server.port > 0
    assert server.token_url == server.base_url + "/oauth2/token"
    assert http.get(server.base_url + "/v1/orders").status_code == 401
    server.stop()
    server.stop()  # twice is fine
    with DemoServer(orders=10) as inner:
        url = inner.base_url + "/v1/orders"
        assert http.get(url).status_code == 401
    with pytest.raises(httpx.ConnectError):
        http.get(url)


def test_constructor_arguments(make_demo: Callable[..., DemoServer]) -> None:
    faults = FaultConfig(rate_5xx=0.5)
    server = make_demo(orders=10, latency_ms=5, faults=faults)
    assert server.faults is faults and faults.latency_ms == 5
    assert all(isinstance(p, DemoProject) for p in server.projects)
    with pytest.raises(ValueError):
        DemoServer(preview_size=(4, 4))
    with pytest.raises(ValueError):
        DemoServer(orders=-1)


def test_keep_alive_reuses_one_connection(demo_server: DemoServer, demo_http: Http) -> None:
    client = demo_http(demo_server)
    for _ in range(5):
        response = client.get("/v1/orders", params={"project_id": "All Projects", "limit": 1})
        assert response.http_version == "HTTP/1.1"
        assert response.headers.get("connection", "").lower() != "close"
    assert demo_server.connections == 1  # the token request and five API calls


def test_stop_is_prompt_with_open_and_slow_connections(
    make_demo: Callable[..., DemoServer], demo_http: Http
) -> None:
    server = make_demo(orders=20, preview_size=(64, 48))
    client = demo_http(server)
    url = client.get("/v1/orders", params={"project_id": "All Projects"}).json()["orders"]
    preview = next(o["asset_preview_url"] for o in url if o["asset_preview_url"])
    server.faults.image = "slow"
    slow = httpx.Client(timeout=30)
    started = threading.Event()

    def read_slowly() -> None:
        with slow.stream("GET", preview) as response:
            started.set()
            try:
                for _ in response.iter_bytes():
                    pass
            except httpx.HTTPError:
                pass

    reader = threading.Thread(target=read_slowly, daemon=True)
    reader.start()
    assert started.wait(5)
    stopper = threading.Thread(target=server.stop)
    stopper.start()
    stopper.join(timeout=5)  # a hang check, not a timing assertion
    assert not stopper.is_alive()
    reader.join(timeout=5)
    assert not reader.is_alive()
    slow.close()


def test_server_writes_nothing_to_the_terminal(
    demo_server: DemoServer, demo_http: Http, capfd: pytest.CaptureFixture[str]
) -> None:
    client = demo_http(demo_server)
    demo_server.faults.script.extend(["drop", "500"])
    with pytest.raises(httpx.RemoteProtocolError):
        client.get("/v1/orders", params={"project_id": "All Projects"})
    client.get("/v1/orders", params={"project_id": "All Projects"})
    client.get("/nowhere")
    client.post("/oauth2/token", content=b"\xff\xfe", headers={"Content-Type": "text/plain"})
    out, err = capfd.readouterr()
    assert out == "" and err == ""


def test_run_standalone_serves_until_ctrl_c() -> None:
    code = (
        "import sys; from artistree_tui.demo import run_standalone; "
        "sys.exit(run_standalone(port=0, orders=50, faults='latency=1'))"
    )
    process = subprocess.Popen(
        [sys.executable, "-c", code],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1", **FAULTHANDLER_ENV},
    )
    try:
        assert process.stdout is not None
        lines = []
        for line in process.stdout:
            lines.append(line)
            if "Ctrl-C" in line:
                break
        banner = "".join(lines)
        base_url = next(x.split("=", 1)[1].strip() for x in lines if "base_url" in x)
        assert "client_secret" in banner and "public demo values" in banner
        assert "/oauth2/token" in banner and "latency_ms=1.0" in banner
        assert httpx.get(base_url + "/v1/orders").status_code == 401
        status, err = interrupt(process)
    finally:
        process.kill()
    assert status == 0
    assert "Traceback" not in err and err == ""


def test_run_standalone_reports_a_busy_port(capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        assert run_standalone(port=port, orders=10) == 2
    err = capsys.readouterr().err
    assert f"127.0.0.1:{port}" in err and err.count("\n") == 1


def test_run_standalone_rejects_a_bad_fault_spec() -> None:
    with pytest.raises(ValueError, match="unknown fault"):
        run_standalone(port=0, faults="bogus=1")


def test_demo_package_never_imports_textual() -> None:
    modules = package_modules("artistree_tui.demo")
    assert len(modules) >= 15
    report = textual_after_each(modules, proof="textual")
    assert report.pop("textual") is True  # the probe is not blind
    assert report == dict.fromkeys(modules, False)
