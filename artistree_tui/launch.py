"""The console's start, from settings to the app: the network goes first, Textual after.

A start used to import everything (Textual, the UI, ~0.3 s) and only then ask for a token and,
once it came, for the first page: two round trips after the imports. :func:`run` turns that
around. Before Textual is imported it builds the API client (one connection pool for the
token server and the API, the token cached next to the index) and an asyncio loop, starts the
token request and the first page on that loop (:func:`first_pages`), and imports the console
in a helper thread while the loop carries the requests; then it runs the app on the same loop
with the same client, which is handed the answer when it asks for that page
(:mod:`artistree_tui.api.prefetch`). The wait for the network overlaps the imports.

The first page is the sync engine's head request (``preview=true``, :data:`HEAD_ROWS` rows: a
screenful), for the scope the console opens: All Projects, or the ``default_project`` when its
id is known from the config; when it is not (its id is looked up later), only the token is
asked for.

A start whose rows come from the local index (its file is there: :func:`rows_from_index`)
needs no network for its first frame, so it goes the other way: no request, and not even httpx,
until that frame is painted. The client is a :class:`~artistree_tui.api.deferred.DeferredClient`
that the app lets in after its first refresh (the OAuth token is cached, so usually the head
request is then the only round trip). No Textual here (it is imported by the helper thread).

Before that import, :func:`set_frame_rate` raises Textual's cap on frames a second from 60 to
:data:`FRAME_RATE`. Textual paints what changed at most once per frame period, so at 60 a key's
answer waited up to 16.7 ms for its frame, and the detail's, then the picture's, for theirs:
measured with ``bench_preview_pty.py``, ``j`` → the next picture (fetched ahead) took 48–50 ms
on flat art at 60 and 31–39 ms at 240 or 120. Frames are still painted only when something
changed, and the bytes per key are the same (``bench_bytes.py``). ``TEXTUAL_FPS`` in the
environment wins.
"""

from __future__ import annotations

import asyncio
import importlib
import os
import sys
from dataclasses import dataclass
from types import ModuleType
from typing import TYPE_CHECKING, cast

from artistree_tui import startup
from artistree_tui.config.settings import HEAD_ROWS

if TYPE_CHECKING:
    from artistree_tui.api.client import ArtistreeClient
    from artistree_tui.config import Settings
    from artistree_tui.ui.live.connection import ClientEventRelay

__all__ = ["FirstPage", "first_pages", "first_scope", "run"]

#: Textual's cap on frames a second in the console (its default is 60; see the docstring).
FRAME_RATE = 240


#: Seconds a thread may hold the GIL while another waits for it (Python's default is 5 ms; see
#: :func:`set_switch_interval`).
SWITCH_INTERVAL = 0.001


def set_switch_interval() -> None:
    """Let a thread waiting for the GIL have it within :data:`SWITCH_INTERVAL`.

    Textual hands each frame to its writer thread, which writes it to the terminal. After a
    frame the UI's thread goes on with what the key asked for (the detail's draw, the next
    messages): the writer waited up to Python's 5 ms for the GIL before it could write the frame
    already made (``bench_preview_pty.py``'s ``cursor`` column, ``j`` → the cursor's frame on
    the pty: 10–15 ms, 9–11 ms with it). At a start, the head page is parsed and indexed while
    the UI imports, so ``--demo`` paints its rows in its first frame (``bench_startup.py``)."""
    sys.setswitchinterval(SWITCH_INTERVAL)


def set_frame_rate(environ: dict[str, str] | os._Environ[str] = os.environ) -> None:
    """Raise Textual's frame cap to :data:`FRAME_RATE` unless ``TEXTUAL_FPS`` says otherwise.
    Textual reads it once, when ``textual.constants`` is first imported: call this before."""
    environ.setdefault("TEXTUAL_FPS", str(FRAME_RATE))


#: The module that holds the console (imported while the first requests are in flight).
CONSOLE_MODULE = "artistree_tui.ui.app"


@dataclass(frozen=True, slots=True)
class FirstPage:
    """A page the console asks for as soon as it starts (see :func:`first_pages`)."""

    project_id: str
    preview: bool
    limit: int | None


def first_scope(settings: Settings) -> str | None:
    """The project id the console opens first, if it is known without asking the API:
    All Projects, or ``default_project`` when the config names its id (``[projects]``)."""
    from artistree_tui.api.models import ALL_PROJECTS
    from artistree_tui.api.projects import ProjectDirectory

    wanted = (settings.default_project or "").strip()
    if not wanted:
        return ALL_PROJECTS

    entry = ProjectDirectory(dict(settings.projects)).lookup(wanted)
    return entry.project_id if entry is not None else None


def first_pages(settings: Settings) -> list[FirstPage]:
    """The pages to ask for at process start: the sync engine's head request of the first
    scope (the list is a view over the index, which that page fills first). Nothing else:
    a page asked for here that nobody takes is a server's work and a parse on the UI's
    thread, during the start, for nothing."""
    project = first_scope(settings)
    if project is None:
        return []
    return [FirstPage(project, True, HEAD_ROWS)]  # SyncEngine's head: HEAD_LIMIT, preview=True


def start_first_requests(client: ArtistreeClient, pages: list[FirstPage]) -> None:
    """Start the token request and ``pages`` on the running loop, without waiting."""
    if not pages:
        client.prefetch()  # the token alone
    for page in pages:
        client.prefetch(page.project_id, preview=page.preview, limit=page.limit)


def rows_from_index(settings: Settings) -> bool:
    """Will the first rows come from the local index? Its file is there (a console filled it
    before), so the list paints from it before any network answer."""
    if settings.store != "disk":
        return False
    from artistree_tui.store.paths import index_files

    try:
        return index_files(settings).database.stat().st_size > 0
    except OSError:
        return False


def run(settings: Settings) -> int:
    """Run the console on ``settings``; returns the exit status (one line, never a
    traceback, on failure). An ImportError of the console itself is raised (the CLI says
    the console cannot be loaded)."""
    set_frame_rate()
    set_switch_interval()
    from_index = rows_from_index(settings)
    built = _build_client(settings, deferred=from_index)
    if isinstance(built, int):
        return built
    client, events = built
    runner = asyncio.Runner()
    try:
        try:
            pages = None if from_index else first_pages(settings)
            console = runner.run(_prepare(client, pages))
        except BaseException:
            runner.run(client.aclose())
            raise
        return int(console.run_console(settings, client=client, events=events, runner=runner))
    finally:
        runner.close()


def _build_client(
    settings: Settings, *, deferred: bool
) -> tuple[ArtistreeClient, ClientEventRelay] | int:
    """The console's client (and the relay of its events), or the exit status of a failure.
    ``deferred``: a :class:`~artistree_tui.api.deferred.DeferredClient`, built (httpx imported)
    once the console lets the network in, after its first frame."""
    try:
        from artistree_tui.config.folders import prepare_folders
        from artistree_tui.ui.live.connection import ClientEventRelay  # no Textual in it

        prepare_folders(settings)  # folders others could swap: refused before any use
        events = ClientEventRelay()

        def build() -> ArtistreeClient:
            from artistree_tui.connect import build_client
            from artistree_tui.store.tokens import token_cache_for

            return build_client(settings, on_event=events, token_cache=token_cache_for(settings))

        if deferred:
            from artistree_tui.api.deferred import DeferredClient

            later = DeferredClient(build, base_url=settings.base_url, page_size=settings.page_size)
            return cast("ArtistreeClient", later), events
        client = build()
    except Exception as error:
        return _cannot_start(error)
    return client, events


def _cannot_start(error: Exception) -> int:
    """The one line (and status) of a client that could not be built, as run_console says it."""
    from artistree_tui.config import ConfigError
    from artistree_tui.display import clean

    if isinstance(error, ConfigError):
        print(clean(str(error), limit=300), file=sys.stderr)
    else:
        from artistree_tui.ui.live.containment import crash_line

        print(crash_line(error), file=sys.stderr)
    return 2


async def _prepare(client: ArtistreeClient, pages: list[FirstPage] | None) -> ModuleType:
    """Start the first requests (None: none, the network waits), then import the console in a
    helper thread while the loop carries them; returns the console's module."""
    if pages is not None:
        start_first_requests(client, pages)
        startup.mark("requests-started")
    loop = asyncio.get_running_loop()
    console = await loop.run_in_executor(None, importlib.import_module, CONSOLE_MODULE)
    if startup.tracing():
        constants = sys.modules.get("textual.constants")
        startup.mark(
            "console-imported",
            frame_rate=getattr(constants, "MAX_FPS", None),
            switch_interval=sys.getswitchinterval(),
        )
    return console
