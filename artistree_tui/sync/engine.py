"""The sync engine: walks the open scope into the index, keeps its head fresh, re-sweeps.

:class:`SyncEngine` runs on the asyncio loop the API client lives on (the console's, or a
CLI's ``asyncio.run``) and never touches Textual. Its one coroutine, :meth:`SyncEngine.run`,
repeats a single step at a time:

1. **Head refresh** of the scope's first page (``preview=true``) every ``refresh_seconds``
   (``0``: only at start): new orders and state changes are recorded (history) and reported
   to ``on_changes``. The project the console shows (:meth:`SyncEngine.watch`) has its own
   first page read right after: All Projects' newest rows may hold few of that project's, and
   the rows a reviewer looks at must not wait for the next re-sweep to change state.
2. **Sweep**: the whole scope, newest first, ``preview=true&limit=1000``, page after page,
   with the next page token saved after every page, so an outage or a restart resumes where
   it stopped; but not a re-walk left for longer than ``resync_minutes`` (its scope's head
   last refreshed that long ago: the console was closed mid-walk, or on another scope): the
   rows it read before are older than a walk may leave them, and stitched to the rest they
   would make a walk that looks complete and is not (the counts stay behind the API's until
   the next one), so a new one starts. A first walk always goes on (its counts say "so far"
   until it ends). A
   sweep that reaches the end marks gone every order of the scope it did not
   see (never deleted; one that reappears is un-gone). A new sweep starts every
   ``resync_minutes`` (``0``: never again once complete) and whenever none has ever completed;
   and sooner, :data:`CATCH_UP_AFTER` after the last one at the earliest, when a head refresh
   shows the index *behind* the API: the API's counts per state, which every page carries,
   differ from the index's (orders older than the refreshed head changed state, or were added
   or removed there), so the counts on screen are wrong until the next walk.
3. **Waiting** for whichever is due next (``wake()`` cuts it short).

What is due when is the engine's :class:`~.schedule.Schedule`: the engine tells it what
happened and asks it what comes next.

Requests are paced by ``sync_rate`` (:class:`~.pacing.RateLimit`). The API client retries
429/5xx/dropped connections itself (honouring ``Retry-After``); when a request still gives
up, the engine goes *offline* and waits with a capped backoff (2 s doubling to 60 s, or the
server's ``Retry-After``) before **one** new try, keeping its page token. A refused page token
(a 4xx on a page token) restarts the sweep from the head: upserts make the repeat harmless.
Bad credentials or a wrong ``base_url`` stop the engine with the error (``wake()`` tries
again). Broken paging ends the sweep with a plain reason (the API layer's
:class:`~artistree_tui.api.paging_guard.PagingGuard`).

Before every step the engine looks (one ``stat``) whether its index file is still at its path:
after ``artistree-tui cache clear`` it opens a new one there (:meth:`~artistree_tui.store.
database.Index.reopen_if_removed`) and walks the scope into it from the start.

Writes run in the engine's own writer thread (one transaction per page, plus the sweep's
bookkeeping in the same transaction), never on the event loop. Once its first step is over,
the engine checks the index file's integrity in a thread of its own (:mod:`.integrity`), so
that neither a start nor the writes wait for it; a damaged file is moved aside and rebuilt in
the writer thread, and the engine starts over on the new one. After each step the engine
builds a :class:`~.progress.SyncProgress` in that thread and calls ``on_progress`` on the
loop; the UI posts it as a message, the CLI prints it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from artistree_tui.api.errors import (
    ApiAuthError,
    ApiConfigError,
    ApiError,
    ApiNotFoundError,
    ApiRateLimitedError,
    ApiRequestError,
)
from artistree_tui.api.models import Order, OrdersPage
from artistree_tui.api.paging_guard import PagingGuard
from artistree_tui.config.settings import DEFAULT_RESYNC_MINUTES, DEFAULT_SYNC_RATE, HEAD_ROWS
from artistree_tui.store.rows import ALL, Scope, StateChange, WriteResult
from artistree_tui.sync.integrity import IntegrityCheck
from artistree_tui.sync.pacing import Backoff, RateLimit
from artistree_tui.sync.progress import Phase, RateMeter, SyncProgress
from artistree_tui.sync.read_ahead import ReadAhead
from artistree_tui.sync.schedule import Schedule

if TYPE_CHECKING:
    from artistree_tui.config import Settings
    from artistree_tui.store.database import Checked, Index

logger = logging.getLogger("artistree_tui.sync")

T = TypeVar("T")

PAGE_LIMIT = 1000  # the API's maximum
#: The head request: a screenful, the very page the console asks for at process start
#: (artistree_tui/launch.py), so the prefetched answer is handed to the engine's first step.
HEAD_LIMIT = HEAD_ROWS
#: Every later head refresh of the same scope: enough rows that orders changing near the top
#: (the ones still being analysed) are seen at each refresh, as the old live refresh did.
REFRESH_LIMIT = 200
#: Refused page tokens in a row before a sweep gives up (the API refuses its own tokens).
MAX_TOKEN_REFUSALS = 3
#: Seconds after the last complete sweep before the index, found behind the API's counts,
#: is walked again (instead of waiting out ``resync_minutes``): a busy organization whose
#: older orders keep changing is walked at most this often, besides its pages' own pacing.
CATCH_UP_AFTER = 120.0


class PageSource(Protocol):
    """What the engine needs of :class:`~artistree_tui.api.client.ArtistreeClient`."""

    async def list_orders(
        self,
        project_id: str,
        *,
        preview: bool = ...,
        page_token: str | None = ...,
        limit: int | None = ...,
    ) -> OrdersPage: ...

    def next_try_in(self) -> float:
        """Seconds until a request can reach the network again (its circuit breaker)."""
        ...


@dataclass(frozen=True, slots=True)
class SyncSettings:
    """How the engine paces itself (see the module docstring); ``from_settings`` reads
    ``sync_rate``, ``refresh_seconds`` and ``resync_minutes`` from the config."""

    rate: float = DEFAULT_SYNC_RATE
    refresh_seconds: float = 30.0
    resync_minutes: float = DEFAULT_RESYNC_MINUTES
    page_limit: int = PAGE_LIMIT
    head_limit: int = HEAD_LIMIT
    refresh_limit: int = REFRESH_LIMIT
    backoff_base: float = 2.0
    backoff_cap: float = 60.0
    catch_up_after: float = CATCH_UP_AFTER

    @classmethod
    def from_settings(cls, settings: Settings, **overrides: Any) -> SyncSettings:
        values: dict[str, Any] = {
            "rate": settings.sync_rate,
            "refresh_seconds": settings.refresh_seconds,
            "resync_minutes": settings.resync_minutes,
        }
        values.update(overrides)
        return cls(**values)


ProgressCallback = Callable[[SyncProgress], None]
ChangesCallback = Callable[[Scope, Sequence[StateChange]], None]


@dataclass
class _Sweep:
    """The sweep under way for one scope (in memory; the index keeps its token too)."""

    token: str | None
    pages: int
    rows: int
    guard: PagingGuard
    started_at: float | None = None  # wall time (None: as the index recorded it)
    refusals: int = 0


class SyncEngine:
    """Feeds an :class:`~artistree_tui.store.Index` from the API (see the module docstring).

    ``client``: anything with ``list_orders`` (an ``ArtistreeClient``). ``scope``: the scope
    to walk first. ``on_progress(progress)`` is called on the loop after every step;
    ``on_changes(scope, changes)`` with the orders that are new (after the scope was indexed)
    or changed state. Callbacks that raise are logged and ignored. ``clock`` is monotonic
    (scheduling), the index's clock gives wall time.

    Threading: call every method from the loop that runs :meth:`run`, except
    :attr:`progress`, which any thread may read.
    """

    def __init__(
        self,
        client: PageSource,
        index: Index,
        scope: Scope = ALL,
        *,
        settings: SyncSettings | None = None,
        on_progress: ProgressCallback | None = None,
        on_changes: ChangesCallback | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._client = client
        self._index = index
        self._scope = scope
        #: The scope whose first head request has been answered (later ones read more rows).
        self._headed: Scope | None = None
        self.settings = settings if settings is not None else SyncSettings()
        self._on_progress = on_progress
        self._on_changes = on_changes
        self._clock = clock
        self._executor = ThreadPoolExecutor(1, thread_name_prefix="artistree-index-writer")
        self._writer = index.writer()
        self._reader = index.reader()
        self._limit = RateLimit(self.settings.rate, clock=clock)
        self._backoff = Backoff(self.settings.backoff_base, self.settings.backoff_cap)
        self._meter = RateMeter()
        self._wakeup = asyncio.Event()
        self._stopped = False
        self._paused = False
        self._progress = SyncProgress(scope=scope)
        # Scheduling, for the current scope.
        self._loaded = False
        self._due = Schedule(lambda: self.settings)
        self._sweep: _Sweep | None = None
        self._error: str | None = None
        self._phase: Phase = "starting"
        self._last_sweep: Any = None
        self._gone = 0
        self._complete = False  # the current scope has been swept to the end once
        self._generation = index.generation
        self._last_pages = 0  # pages and rows of the sweep under way or the last one
        self._last_rows = 0
        #: The next sweep page, asked for while the last one is written.
        self._ahead = ReadAhead()
        #: A project whose head is refreshed with the scope's (:meth:`watch`), or None.
        self._watched: Scope | None = None
        self._check = IntegrityCheck(index, self._rebuild)  # once the first step is over

    # -- control ----------------------------------------------------------------------------

    @property
    def scope(self) -> Scope:
        return self._scope

    @property
    def phase(self) -> Phase:
        """What the engine is doing right now (``progress.phase`` is as of its last step)."""
        return self._phase

    @property
    def progress(self) -> SyncProgress:
        """The latest :class:`SyncProgress` (also passed to ``on_progress``)."""
        return self._progress

    def watch(self, scope: Scope | None) -> None:
        """Refresh ``scope``'s head too, right after the walked scope's, from now on (None,
        or the walked scope itself: only that). The console watches the project it shows;
        a newly watched project's head is read at once."""
        watched = None if scope is None or scope == self._scope or scope.is_all else scope
        if watched == self._watched:
            return
        self._watched = watched
        self._due.watch_changed()  # its head at the next step (All Projects' stays put)
        self._wakeup.set()

    @property
    def watched(self) -> Scope | None:
        return self._watched

    def wake(self) -> None:
        """Try now: after an outage (another request just succeeded), after ``stop`` by an
        error, or to refresh the head at once (the ``r`` key)."""
        self._due.woken()
        if self._phase == "stopped" and not self._stopped:
            self._phase = "starting"
        self._wakeup.set()

    def set_refresh_seconds(self, seconds: float) -> None:
        """Refresh the head every ``seconds`` from now on (``0``: only on :meth:`wake`): the
        console's auto-refresh switch. A shorter interval takes effect at once."""
        self.settings = replace(self.settings, refresh_seconds=max(float(seconds), 0.0))
        self._due.refresh_changed(self._clock(), seconds)
        self._wakeup.set()

    def pause(self) -> None:
        """Stop sending requests until :meth:`resume` (the sweep keeps its place)."""
        self._paused = True

    def resume(self) -> None:
        self._paused = False
        self._wakeup.set()

    def stop(self) -> None:
        """End :meth:`run` after the current step."""
        self._stopped = True
        self._check.stop()
        self._ahead.cancel()
        self._wakeup.set()

    async def aclose(self) -> None:
        """Stop, and release the writer thread and the engine's reader."""
        self.stop()
        await asyncio.get_running_loop().run_in_executor(self._executor, self._reader.close)
        self._executor.shutdown(wait=True)

    # -- writes from elsewhere --------------------------------------------------------------

    async def write_orders(self, orders: Sequence[Order]) -> WriteResult:
        """Put full orders the console fetched (the detail pane) into the index, in the
        writer thread."""
        return await self._in_writer(lambda: self._writer.write_orders(orders))

    async def mark_gone(self, order_ids: Sequence[str], asked_at: float | None = None) -> int:
        """Mark orders the API says it does not have (a 404 to a request sent at
        ``asked_at``) removed, in the writer thread."""
        return await self._in_writer(lambda: self._writer.mark_gone(order_ids, asked_at))

    async def keep_watermark(self, scope: str, at: float, *, replace: bool) -> None:
        """Keep a scope's watermark (the list's marks), in the writer thread."""
        await self._in_writer(lambda: self._writer.keep_watermark(scope, at, replace=replace))

    async def write_page(self, page: OrdersPage, scope: Scope | None = None) -> WriteResult:
        """Put a list page the console fetched itself into the index, in the writer thread."""
        target = scope if scope is not None else self._scope
        return await self._in_writer(lambda: self._writer.write_page(page, scope=target))

    async def _in_writer(self, work: Callable[[], T]) -> T:
        return await asyncio.get_running_loop().run_in_executor(self._executor, work)

    # -- the loop ---------------------------------------------------------------------------

    async def run(self) -> None:
        """Sync until :meth:`stop` (or cancellation)."""
        try:
            while not self._stopped:
                await self.step()
                self._check.start()  # once
        finally:
            self._ahead.cancel()
            if self._phase != "stopped":
                self._phase = "stopped"

    async def step(self) -> None:
        """One step: a head refresh, one sweep page, or a wait (see the module docstring)."""
        scope = self._scope
        if self._index.removed():  # cache clear while the console ran: index again
            try:
                await self._in_writer(self._index.reopen_if_removed)
            except Exception as exc:  # busy (another console builds it): the next step
                logger.warning("the index file could not be opened again (%s)", type(exc).__name__)
        if self._generation != self._index.generation:
            # The index was rebuilt or moved to memory: its bookkeeping starts over.
            self._loaded = False
        if not self._loaded:
            await self._load(scope)
        now = self._clock()
        if self._paused:
            self._phase = "paused"
            await self._wait(math.inf)
            return
        if self._phase == "stopped":
            await self._wait(math.inf)
            return
        watched = self._watched
        sweeping, watching = self._sweep is not None, watched is not None
        due = self._due.next_step(now, sweeping=sweeping, watching=watching)
        if due == "head":
            await self._request(scope, head=True)
        elif due == "watched" and watched is not None:
            await self._watched_head(scope, watched)
        elif due == "page":
            await self._request(scope, head=False)
        elif due == "sweep":
            await self._start_sweep(scope)
        else:
            if due == "idle":
                self._phase = "idle"
                await self._publish(scope)
            # Asked after the publish: a project watched meanwhile is due at once (its wake
            # must not be cleared by the wait).
            await self._wait(self._due.wait(now, watching=self._watched is not None))

    async def _rebuild(self, found: Checked) -> None:
        """The file is damaged (:class:`~.integrity.IntegrityCheck`): move it aside and build
        a new one in the writer thread, then start over on it (step() sees the generation)."""
        failure = found.failure
        assert failure is not None
        if self._stopped:
            return
        await self._in_writer(lambda: self._index.recover(failure, found.generation))
        self._wakeup.set()

    async def _wait(self, seconds: float) -> None:
        """Wait ``seconds`` (inf: until woken). Nothing to wait for when it is due already:
        a :meth:`wake` while the last step was publishing made it ``-inf``, and clearing the
        event then would lose that wake (the ``r`` key unanswered until the next refresh)."""
        if seconds <= 0 or self._stopped:
            return
        self._wakeup.clear()
        timeout = None if math.isinf(seconds) else seconds
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._wakeup.wait(), timeout)

    async def _load(self, scope: Scope) -> None:
        """Read the scope's bookkeeping: resume a sweep under way, or schedule the next."""
        state = await self._in_writer(lambda: self._writer.sweep_state(scope))
        status = await self._in_writer(lambda: self._reader.status(scope))
        self._loaded = True
        self._generation = self._index.generation
        self._complete = status.complete
        self._sweep = None
        self._last_pages, self._last_rows = state.pages, state.rows
        if state.sweeping and status.complete and self._too_old(state.refreshed_at):
            # A re-walk left for longer than a walk may leave rows (the scope's head was last
            # refreshed then: the console was closed, or on another scope): its rows read
            # before are that old, so a new walk, at once. (A first walk goes on: its counts
            # say "so far" until it ends, and starting it over might never end it.)
            state = replace(state, next_token=None, started_at=None)
        if state.sweeping:
            self._sweep = _Sweep(
                state.next_token,
                state.pages,
                state.rows,
                PagingGuard(start_token=state.next_token, rows_before=state.rows),
                state.started_at,
            )
        self._due.loaded(
            self._clock(),
            sweeping=state.sweeping,
            complete=status.complete,
            swept_ago=self._ago(status.swept_at),
        )

    def _too_old(self, last_seen: float | None) -> bool:
        """Was a scope last seen at ``last_seen`` (its head's last refresh) more than
        ``resync_minutes`` ago (never, when re-walks are off)?"""
        ago = self._ago(last_seen)
        minutes = self.settings.resync_minutes
        return ago is not None and minutes > 0 and ago > minutes * 60.0

    def _ago(self, wall_time: float | None) -> float | None:
        """Seconds since ``wall_time`` (the index's clock), or None."""
        return None if wall_time is None else self._index.clock() - wall_time

    async def _start_sweep(self, scope: Scope) -> None:
        started = await self._in_writer(lambda: self._writer.start_sweep(scope))
        self._sweep = _Sweep(None, 0, 0, PagingGuard(), started)
        self._last_pages = self._last_rows = 0
        self._due.sweep_started()
        self._meter.reset()

    async def _fetch(self, scope: Scope, token: str | None, limit: int) -> OrdersPage:
        await self._limit.wait()
        return await self._client.list_orders(
            scope.project_id, preview=True, page_token=token, limit=limit
        )

    async def _request(self, scope: Scope, *, head: bool) -> None:
        sweep = None if head else self._sweep
        token = sweep.token if sweep is not None else None
        if head:  # a screenful first (what launch.py asked for), then the refresh's rows
            first = scope != self._headed
            limit = self.settings.head_limit if first else self.settings.refresh_limit
        else:
            limit = self.settings.page_limit
        self._phase = "refreshing" if head else "sweeping"
        ahead = None if head else self._ahead.take(scope, token)
        try:
            page = await (ahead if ahead is not None else self._fetch(scope, token, limit))
        except asyncio.CancelledError:
            current = asyncio.current_task()
            if ahead is not None and ahead.cancelled() and not (current and current.cancelling()):
                return  # the read-ahead was dropped (a new scope, a stop): not us
            raise
        except ApiError as exc:
            if scope != self._scope or self._stopped:
                return
            await self._failed(scope, exc, token)
            return
        except Exception as exc:  # a bug below: the sync stops, says so, and can be woken
            if scope != self._scope or self._stopped:
                return
            # The type only: an arbitrary exception's text may hold anything (a URL, a token).
            logger.warning("the sync stopped on an unexpected %s", type(exc).__name__)
            self._error = f"unexpected error ({type(exc).__name__})"
            self._phase = "stopped"
            self._due.failed(self._clock(), math.inf)
            await self._publish(scope)
            return
        if scope != self._scope:
            return  # the user moved on; the next step loads the new scope
        self._backoff.reset()
        self._due.answered()
        self._error = None
        if head:
            await self._head_done(scope, page)
        elif sweep is not None:
            await self._page_done(scope, sweep, page)

    async def _head_done(self, scope: Scope, page: OrdersPage) -> None:
        """Write the head; the watched project's is due next."""
        mark_new = self._complete

        def work() -> WriteResult:
            result = self._writer.write_page(page, scope=scope, mark_new=mark_new)
            self._writer.record_refresh(scope)
            return result

        result = await self._in_writer(work)
        self._headed = scope
        self._due.head_done(self._clock())  # the watched project's head next
        self._report_changes(scope, result, mark_new)
        await self._publish(scope)
        progress = self._progress  # behind the API? A walk soon (module docstring)
        self._due.behind(
            self._clock(),
            progress.counts.behind,
            sweeping=self._sweep is not None,
            swept_ago=self._ago(progress.swept_at),
        )

    async def _watched_head(self, scope: Scope, watched: Scope) -> None:
        """Read the watched project's head, after ``scope``'s (see :meth:`watch`). A failure
        is left to the next refresh: the sync itself is not offline for it."""
        self._due.watched_read()
        self._phase = "refreshing"
        mark_new = self._complete
        try:
            page = await self._fetch(watched, None, self.settings.refresh_limit)
        except Exception as exc:  # an outage, or a bug below: the next refresh tries again
            logger.info("the watched project's head was not read (%s)", type(exc).__name__)
            return
        if watched != self._watched or scope != self._scope or self._stopped:
            return

        def work() -> WriteResult:
            return self._writer.write_page(page, scope=watched, mark_new=mark_new)

        result = await self._in_writer(work)
        self._report_changes(scope, result, mark_new)
        await self._publish(scope)

    async def _page_done(self, scope: Scope, sweep: _Sweep, page: OrdersPage) -> None:
        problem = sweep.guard.check_page(page).broken
        mark_new = self._complete
        sweep.pages += 1
        sweep.rows += page.row_count
        sweep.refusals = 0
        token = None if problem is not None else page.next_page_token
        pages, rows = sweep.pages, sweep.rows
        self._last_pages, self._last_rows = pages, rows
        if token is not None and not self._stopped and not self._due.head_is_due(self._clock()):
            # The network works while the writer writes.
            self._ahead.ask(scope, token, self._fetch(scope, token, self.settings.page_limit))

        def work() -> tuple[WriteResult, int]:
            return self._writer.write_sweep_page(
                page,
                scope=scope,
                mark_new=mark_new,
                pages=pages,
                rows=rows,
                last=token is None,
                problem=problem,
                started_at=sweep.started_at,
            )

        result, gone = await self._in_writer(work)
        self._meter.add(self._clock(), rows)
        self._report_changes(scope, result, mark_new)
        if token is None:
            self._sweep = None
            self._last_sweep = "broken" if problem else "complete"
            self._complete = self._complete or problem is None
            self._gone = gone
            if problem:
                logger.warning("sweep of %s stopped: %s", scope.project_id, problem)
            self._due.sweep_ended(self._clock())
            self._phase = "idle"
        else:
            sweep.token = token
        await self._publish(scope)
        if token is None:
            self._due.swept_behind(self._progress.counts.behind)

    async def _failed(self, scope: Scope, exc: ApiError, token: str | None) -> None:
        sweep = self._sweep
        if (
            token is not None
            and sweep is not None
            and isinstance(exc, ApiRequestError)
            and exc.status is not None
            and 400 <= exc.status < 500
        ):
            # The API refused its own page token: start again from the head.
            sweep.refusals += 1
            logger.info("page token refused (%s): restarting the sweep from the head", exc.status)
            if sweep.refusals >= MAX_TOKEN_REFUSALS:
                problem = "the API refused its own page tokens: the sweep stopped"
                await self._in_writer(
                    lambda: self._writer.finish_sweep(scope, complete=False, problem=problem)
                )
                self._sweep = None
                self._last_sweep = "broken"
                self._due.sweep_ended(self._clock())
            else:
                refusals = sweep.refusals
                await self._start_sweep(scope)
                if self._sweep is not None:
                    self._sweep.refusals = refusals
            await self._publish(scope)
            return
        self._error = str(exc)
        if isinstance(exc, ApiAuthError | ApiConfigError | ApiNotFoundError):
            self._phase = "stopped"
            self._due.failed(self._clock(), math.inf)
            await self._publish(scope)
            return
        # Never before the client lets a request reach the network again: a try sooner would
        # fail at once, untried, while the status line said "next try in 2 s".
        at_least = self._client.next_try_in()
        if isinstance(exc, ApiRateLimitedError) and exc.retry_after is not None:
            at_least = max(at_least, exc.retry_after)
        self._due.failed(self._clock(), self._backoff.next_delay(at_least))
        self._phase = "offline"
        await self._publish(scope)

    # -- reporting --------------------------------------------------------------------------

    def _report_changes(self, scope: Scope, result: WriteResult, mark_new: bool) -> None:
        changes = [*result.new, *result.changes] if mark_new else list(result.changes)
        if not changes or self._on_changes is None:
            return
        try:
            self._on_changes(scope, changes)
        except Exception as exc:
            logger.error("the on_changes callback failed (%s)", type(exc).__name__)

    async def _publish(self, scope: Scope) -> None:
        sweep = self._sweep

        def work() -> tuple[Any, Any, Any]:
            status = self._reader.status(scope)
            counts = self._reader.state_counts(scope)
            stats = self._reader.api_stats(scope)
            return status, counts, stats

        status, counts, stats = await self._in_writer(work)
        rate = self._meter.rate
        total = stats.total if stats is not None else status.api_total
        eta = None
        if sweep is not None and rate and total:
            eta = max(total - sweep.rows, 0) / rate
        retry = self._due.retry_in(self._clock())
        progress = SyncProgress(
            scope=scope,
            phase=self._phase,
            indexed=status.indexed,
            total=total,
            pages=self._last_pages,
            swept=self._last_rows,
            rate=rate,
            eta=eta,
            complete=status.complete,
            last_sweep=self._last_sweep,
            swept_at=status.swept_at,
            refreshed_at=status.refreshed_at,
            counts=counts,
            problem=status.problem,
            error=self._error if self._phase in ("offline", "stopped") else None,
            retry_in=retry if self._phase == "offline" else None,
            gone=self._gone,
        )
        self._progress = progress
        if self._on_progress is not None:
            try:
                self._on_progress(progress)
            except Exception as exc:
                logger.error("the on_progress callback failed (%s)", type(exc).__name__)

    # -- one whole sweep (CLI, tests) -------------------------------------------------------

    async def sweep_to_end(self) -> SyncProgress:
        """Refresh the head, then run one whole sweep of the scope (resuming one under way)
        and return the progress at its end. Failures wait and retry as in :meth:`run`."""
        await self._load(self._scope)
        if self._sweep is None:
            await self._start_sweep(self._scope)
        while not self._stopped and (
            self._sweep is not None or self._due.head_is_due(self._clock())
        ):
            if self._phase == "stopped":
                break
            await self.step()
        return self._progress
