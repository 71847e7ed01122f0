"""Demo servers seen from outside (no tests here).

- Read over plain HTTP, independently of the console's API client: a token, a list page or
  the raw JSON rows of the first one, the first presigned preview URL. Tests compare what the
  console shows with these raw answers, so they must not go through the parser or client under
  test.
- Stop a standalone demo server process with Ctrl-C, and see its threads if it hangs.
"""

from __future__ import annotations

import signal
import ssl
import subprocess
from typing import Any

import httpx

from artistree_tui.api.models import ALL_PROJECTS
from artistree_tui.demo import DemoServer

#: One TLS context for every test client (the demo is plain HTTP; creating an httpx client
#: otherwise builds a context and loads the CA bundle, ~50 ms each).
TLS = ssl.create_default_context()


def fetch_token(server: DemoServer, client: httpx.Client | None = None) -> str:
    """A fresh access token from the server's token endpoint (form-encoded credentials)."""
    form = {
        "grant_type": "client_credentials",
        "client_id": server.client_id,
        "client_secret": server.client_secret,
    }
    if client is None:
        with httpx.Client(verify=TLS) as fresh:
            response = fresh.post(server.token_url, data=form)
    else:
        response = client.post(server.token_url, data=form)
    response.raise_for_status()
    return str(response.json()["access_token"])


def list_page(client: httpx.Client, **params: Any) -> dict[str, Any]:
    """One ``GET /v1/orders`` answer as raw JSON, read with ``client`` (a client holding a
    token: the ``demo_http`` fixture); All Projects unless ``project_id`` is given. Fails the
    test unless the answer is a 200 with a JSON body."""
    response = client.get("/v1/orders", params={"project_id": ALL_PROJECTS, **params})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/json")
    body: dict[str, Any] = response.json()
    return body


def page_orders(client: httpx.Client, limit: int = 300) -> list[dict[str, Any]]:
    """The orders of the first All Projects page of ``limit`` rows, as raw JSON."""
    orders: list[dict[str, Any]] = list_page(client, limit=limit)["orders"]
    return orders


def demo_rows(
    server: DemoServer, *, limit: int | None = None, project_id: str = ALL_PROJECTS
) -> list[dict[str, Any]]:
    """The first list page's orders as raw JSON (``limit``: the server's default if None)."""
    params = {"project_id": project_id}
    if limit is not None:
        params["limit"] = str(limit)
    with httpx.Client(base_url=server.base_url, timeout=10, verify=TLS) as client:
        token = fetch_token(server, client)
        response = client.get(
            "/v1/orders", params=params, headers={"Authorization": f"Bearer {token}"}
        )
    response.raise_for_status()
    return list(response.json()["orders"])


def first_preview_url(server: DemoServer, *, limit: int | None = None) -> str:
    """The presigned preview URL of the first order on the first page that has one."""
    rows = demo_rows(server, limit=limit)
    return str(next(row["asset_preview_url"] for row in rows if row.get("asset_preview_url")))


#: Environment entries that let :func:`interrupt` show where a hung server was stuck.
FAULTHANDLER_ENV = {"PYTHONFAULTHANDLER": "1"}
#: Bound of a standalone demo server's exit after Ctrl-C (generous: CI runs on two loaded
#: cores; a prompt exit takes well under a second).
EXIT_BOUND = 30.0


def interrupt(process: subprocess.Popen[str], timeout: float = EXIT_BOUND) -> tuple[int, str]:
    """Ctrl-C a standalone demo server started with :data:`FAULTHANDLER_ENV` in its
    environment; returns (exit status, stderr). If it does not exit in time, SIGABRT makes it
    print every thread's stack (faulthandler), and the test fails showing them."""
    process.send_signal(signal.SIGINT)
    try:
        _, err = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.send_signal(signal.SIGABRT)
        _, err = process.communicate(timeout=timeout)
        raise AssertionError(
            f"no exit {timeout} s after Ctrl-C; its threads:\n{err[-4000:]}"
        ) from None
    return process.returncode, err
