"""Fixtures of the sync's tests: a real demo API over loopback, a real API client with a fast
retry policy, and a real SQLite index under ``tmp_path``.

- ``syncing``: a factory ``syncing(server, **options) -> Run`` building an index (a file
  under ``tmp_path`` unless ``path=`` says otherwise), an API client and a
  :class:`SyncEngine` whose progress and changes are recorded; ``Run.start()`` runs the
  engine as a task, ``Run.until(predicate)`` waits (with a timeout) for a progress that
  satisfies it. Everything is stopped and closed at teardown.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pytest

from artistree_tui.api.auth import ClientCredentials
from artistree_tui.api.client import ArtistreeClient
from artistree_tui.api.retry import RetryPolicy
from artistree_tui.demo import DemoServer
from artistree_tui.store import ALL, Index, Scope, StateChange
from artistree_tui.sync import SyncEngine, SyncProgress, SyncSettings

#: The client gives up fast (2 tries, tiny waits) so the engine's own backoff shows.
FAST_RETRY = RetryPolicy(max_attempts=2, base_delay=0.01, max_delay=0.02, retry_after_cap=0.05)
#: No pacing, no periodic refresh or re-sweep, backoff in tens of milliseconds.
FAST_SYNC = SyncSettings(
    rate=0, refresh_seconds=0, resync_minutes=0, backoff_base=0.02, backoff_cap=0.2
)
WAIT = 60.0


@dataclass
class Run:
    """One engine on one index, with what it reported."""

    server: DemoServer
    index: Index
    client: ArtistreeClient
    engine: SyncEngine
    progress: list[SyncProgress] = field(default_factory=list)
    changes: list[StateChange] = field(default_factory=list)
    task: asyncio.Task[None] | None = None
    _event: asyncio.Event = field(default_factory=asyncio.Event)
    #: Called with each progress as the engine reports it (on the loop, before the next
    #: step): the place to change the API at an exact point of a sweep.
    hooks: list[Callable[[SyncProgress], None]] = field(default_factory=list)

    def at_page(self, pages: int, action: Callable[[], object]) -> Run:
        """Run ``action`` once, right when the sweep reports its ``pages``-th page."""

        def hook(progress: SyncProgress) -> None:
            if progress.phase == "sweeping" and progress.pages == pages:
                self.hooks.remove(hook)
                action()

        self.hooks.append(hook)
        return self

    def start(self) -> Run:
        self.task = asyncio.get_running_loop().create_task(self.engine.run())
        return self

    async def until(self, predicate: Callable[[SyncProgress], bool]) -> SyncProgress:
        """The first progress (the latest, or a later one) that satisfies ``predicate``;
        fails after :data:`WAIT` seconds."""
        async with asyncio.timeout(WAIT):
            while True:
                if self.progress and predicate(self.progress[-1]):
                    return self.progress[-1]
                self._event.clear()
                if self.task is not None and self.task.done():
                    self.task.result()
                    raise AssertionError("the engine stopped")
                await self._event.wait()

    async def stop(self) -> None:
        self.engine.stop()
        if self.task is not None:
            self.task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self.task
            self.task = None


@pytest.fixture
async def syncing(tmp_path: Path) -> AsyncIterator[Callable[..., Run]]:
    runs: list[Run] = []

    def factory(
        server: DemoServer,
        *,
        path: Path | str | None = "default",
        scope: Scope = ALL,
        settings: SyncSettings = FAST_SYNC,
        index: Index | None = None,
        **sync: Any,
    ) -> Run:
        if index is None:
            where = tmp_path / "cache" / "index" / "orders.sqlite3" if path == "default" else path
            index = Index(where if not isinstance(where, str) else Path(where))
        auth = ClientCredentials(
            server.token_url, server.client_id, server.client_secret, retry=FAST_RETRY
        )
        client = ArtistreeClient(server.base_url, auth, retry=FAST_RETRY)
        progress: list[SyncProgress] = []
        changes: list[StateChange] = []
        hooks: list[Callable[[SyncProgress], None]] = []
        event = asyncio.Event()

        def on_progress(value: SyncProgress) -> None:
            progress.append(value)
            for hook in hooks:
                hook(value)
            event.set()

        engine = SyncEngine(
            client,
            index,
            scope,
            settings=replace(settings, **sync),
            on_progress=on_progress,
            on_changes=lambda _scope, found: changes.extend(found),
        )
        run = Run(server, index, client, engine, progress, changes, _event=event, hooks=hooks)
        runs.append(run)
        return run

    yield factory
    for run in runs:
        await run.stop()
        await run.engine.aclose()
        await run.client.aclose()
        run.index.close()
