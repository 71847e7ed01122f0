"""The console's start is bound by round trips, so the network goes first (artistree_tui/launch.py).

The real console on a pty, pointed at a demo API on loopback, with the two startup test hooks
(artistree_tui/startup.py): a gate that holds the first import of Textual until the test opens
it, and a trace of events. While the gate is shut the server must see the token request and
then the first page (the sync engine's head request, a screenful of previews) arrive: they can
only get there if they do not wait for Textual. No other page is asked for at the start (a page
nobody takes is the server's work and a parse on the UI's thread, for nothing). The token and
the head share one connection.
Then the gate opens, the rows appear, and what was imported by the first rows leaves out what
the first frame does not need. A second start within the token's hour asks for no token. A
start whose rows come from the local index waits for its first frame before it even imports
httpx, and asks for its rows then.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from artistree_tui.api.models import ALL_PROJECTS
from artistree_tui.config import load_settings
from artistree_tui.config.settings import DEFAULT_PAGE_SIZE, HEAD_ROWS
from artistree_tui.connect import build_client
from artistree_tui.demo import DemoServer
from artistree_tui.launch import FRAME_RATE, SWITCH_INTERVAL
from artistree_tui.store import Index
from artistree_tui.sync.engine import HEAD_LIMIT, SyncSettings
from tests.support.pty_console import PtyConsole, StartConsole, api_console

pytestmark = pytest.mark.pty

ALL = "All Projects"
HEAD = {"project_id": ALL, "preview": "true", "limit": str(HEAD_ROWS)}
LIST_PAGE = {"project_id": ALL, "preview": "false", "limit": str(DEFAULT_PAGE_SIZE)}
#: Modules the first frame does not need: none of them may be imported by the first rows.
LATER = (
    "artistree_tui.ui.dialogs.help",
    "artistree_tui.ui.dialogs.certificate",
    "artistree_tui.ui.dialogs.order_id",
    "artistree_tui.ui.keys.palette",
    "artistree_tui.demo",  # not --demo: no demo data at all
    "PIL",
)


def events(trace: Path) -> list[dict[str, Any]]:
    """The trace's complete lines (the console may be writing the next one: a line of a few
    KB, read half-written, is left for the next look)."""
    if not trace.exists():
        return []
    text = trace.read_text()
    return [json.loads(line) for line in text[: text.rfind("\n") + 1].splitlines()]


def names(trace: Path) -> list[str]:
    return [event["event"] for event in events(trace)]


def quit_cleanly(terminal: PtyConsole) -> None:
    terminal.press(b"q")
    assert terminal.wait_exit() == 0, terminal.text()[-2000:]


def test_the_engine_asks_for_the_page_the_start_fetched() -> None:
    # The start asks for the head request as the sync engine will: the same page, so the
    # prefetched answer is the one handed to it (api/prefetch.py keys on all of these).
    assert HEAD_LIMIT == HEAD_ROWS == SyncSettings().head_limit


def test_token_and_first_pages_arrive_while_textual_is_not_imported(
    make_demo: Callable[..., DemoServer], tmp_path: Path, start_console: StartConsole
) -> None:
    demo = make_demo(orders=300, seed=7)
    gate, trace = tmp_path / "gate-open", tmp_path / "trace.jsonl"
    argv, env = api_console(
        demo,
        tmp_path / "home",
        ARTISTREE_TUI_STARTUP_GATE=str(gate),
        ARTISTREE_TUI_STARTUP_TRACE=str(trace),
    )
    terminal = start_console(argv, env)

    def first_pages() -> list[dict[str, str]]:
        return [r.query for r in demo.recorded("/v1/orders")]

    terminal.wait_until(lambda: len(first_pages()) >= 1, "the first page arrived")
    # Textual's import is held at the gate (the helper thread gets there in its own time,
    # maybe after the page): the requests did not wait for it.
    terminal.wait_until(lambda: "textual-import-waits" in names(trace), "textual held")
    assert names(trace) == ["requests-started", "textual-import-waits"]
    token, *pages = demo.recorded("/")
    assert token.path == "/oauth2/token" and token.method == "POST"
    assert first_pages() == [HEAD]
    # The token and the head request came one after the other on one connection.
    assert pages[0].connection == token.connection == 1

    gate.touch()
    terminal.wait_for("row 1/")  # the list's rows (its status line)
    terminal.wait_until(lambda: "resumed" in names(trace), "the first rows were painted")
    assert names(trace)[:5] == [
        "requests-started",
        "textual-import-waits",
        "textual-import-goes",
        "console-imported",
        "resumed",
    ]
    # The list is a view over the index: it never asks for a full page of its own (the
    # start used to fetch one, and nobody took it).
    assert LIST_PAGE not in first_pages()
    assert demo.token_requests == 1

    # Textual was imported with the console's frame cap (launch.FRAME_RATE), not its 60, and
    # the console runs with its own GIL switch interval (launch.SWITCH_INTERVAL), not 5 ms.
    (imported_at,) = [event for event in events(trace) if event["event"] == "console-imported"]
    assert imported_at["frame_rate"] == FRAME_RATE
    assert imported_at["switch_interval"] == pytest.approx(SWITCH_INTERVAL)
    (resumed,) = [event for event in events(trace) if event["event"] == "resumed"]
    imported = resumed["modules"]
    assert "textual" in imported and "artistree_tui.ui.app" in imported  # the probe sees
    early = [m for m in imported if any(m == p or m.startswith(p + ".") for p in LATER)]
    assert early == []
    quit_cleanly(terminal)


def test_a_second_start_makes_no_token_request(
    make_demo: Callable[..., DemoServer], tmp_path: Path, start_console: StartConsole
) -> None:
    demo = make_demo(orders=300, seed=7)
    argv, env = api_console(demo, tmp_path / "home")

    def heads() -> list[Any]:
        return [r for r in demo.recorded("/v1/orders") if r.query == HEAD]

    for start in range(2):
        terminal = start_console(argv, env)
        terminal.wait_for("row 1/")
        # A second start paints its rows from the index before it asks for anything: quit
        # once its head request has been answered, not at the first rows.
        terminal.wait_until(lambda start=start: len(heads()) > start, "the head request")
        quit_cleanly(terminal)
        assert demo.token_requests == 1, f"start {start + 1}"
    assert len(heads()) == 2 and all(r.had_auth and r.status == 200 for r in heads())


async def index_the_head(env: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> Path:
    """Write the head page into the index the console of ``env`` will open (as a console that
    ran before left it); returns its file."""
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    settings = load_settings()
    async with build_client(settings) as client:
        page = await client.list_orders(ALL_PROJECTS, preview=True, limit=HEAD_ROWS)
    index = Index.for_settings(settings)
    try:
        index.writer().write_page(page, scope=ALL_PROJECTS)
        assert index.path is not None
        return index.path
    finally:
        index.close()


def paths(demo: DemoServer) -> list[str]:
    return [r.path for r in demo.recorded("/")]


async def test_a_start_from_the_index_imports_no_httpx_before_its_first_frame(
    make_demo: Callable[..., DemoServer],
    tmp_path: Path,
    start_console: StartConsole,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    demo = make_demo(orders=300, seed=7)
    trace = tmp_path / "trace.jsonl"
    argv, env = api_console(demo, tmp_path / "home", ARTISTREE_TUI_STARTUP_TRACE=str(trace))
    assert (await index_the_head(env, monkeypatch)).stat().st_size > 0
    demo.clear_requests()
    terminal = start_console(argv, env)
    terminal.wait_for("row 1/")
    terminal.wait_until(lambda: "resumed" in names(trace), "the first rows were painted")
    assert "requests-started" not in names(trace)  # nothing asked for before the UI
    (let_in,) = [event for event in events(trace) if event["event"] == "network-let-in"]
    before = let_in["modules"]
    assert "textual" in before and "artistree_tui.ui.app" in before  # the probe sees
    assert [m for m in before if m == "httpx" or m.startswith(("httpx.", "httpcore"))] == []
    # Then the network: the token (none cached), then the head of the list. The row under the
    # cursor's full order and its preview may go before or after the head (tasks started
    # together), so they are left out of the order asked.
    terminal.wait_until(lambda: "/v1/orders" in paths(demo), "the head of the list asked")
    first = paths(demo)
    others = [p for p in first if not p.startswith(("/v1/orders/", "/files/"))]
    assert others[:2] == ["/oauth2/token", "/v1/orders"], first
    quit_cleanly(terminal)
