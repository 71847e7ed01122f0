"""The console's sync: one :class:`~artistree_tui.sync.SyncEngine` feeding the local order
index, run by a small non-visual widget the screen holds.

:class:`IndexSync` runs the engine as its worker on the app's event loop (the API client's
loop) and turns its callbacks into messages (:mod:`.messages`): :class:`SyncProgressed` after
every step, :class:`OrdersChanged` for new and changed orders, :class:`ProjectNamesSeen` when
a page lists the organization's projects. It also writes into the index what the console
fetched itself (a detail's full order, a page of full orders) through the engine's writer
thread, and posts :class:`OrdersWritten` when that is done; full orders that would reorder a
list sorted by confidence while it is on screen are kept back until it goes
(:meth:`IndexSync.hold_orders`).

**The sync always sweeps All Projects**, whatever project is open: one sweep indexes every
project (preview rows carry the project's name), so each project is a view of the index
filtered by name, complete as soon as the organization is, opened at once and without its
id; the head refresh of All Projects sees every project's new orders. The price: on a large
organization a project's counts say "so far" until the whole organization has been read
once (100,000 orders take about 25 s at the default ``sync_rate``). The open project is
*watched* (:meth:`IndexSync.follow_scope`): its own first page is read with every head refresh, so
the state changes of the rows on screen show at the next refresh, not at the next re-sweep
(All Projects' newest 200 rows may hold few of one project's).
"""

from __future__ import annotations

import contextlib
from collections import deque
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from textual import work
from textual.widget import Widget

from artistree_tui.api.models import Order, OrdersPage, has_score
from artistree_tui.store import ALL, Scope, StateChange
from artistree_tui.sync import SyncEngine, SyncProgress, SyncSettings
from artistree_tui.ui.live.messages import (
    OrdersChanged,
    OrdersWritten,
    ProjectNamesSeen,
    SyncProgressed,
)

if TYPE_CHECKING:
    from artistree_tui.api.client import ArtistreeClient
    from artistree_tui.store.database import Index


#: Full orders :meth:`IndexSync.hold_orders` keeps back at most (the oldest go in beyond).
HOLD_LIMIT = 200


class _Pages:
    """The API client as the engine sees it, noticing the project names pages carry."""

    def __init__(self, client: ArtistreeClient, names: Any) -> None:
        self._client = client
        self._names = names

    async def list_orders(
        self,
        project_id: str,
        *,
        preview: bool = False,
        page_token: str | None = None,
        limit: int | None = None,
    ) -> OrdersPage:
        page = await self._client.list_orders(
            project_id, preview=preview, page_token=page_token, limit=limit
        )
        if project_id == ALL.project_id and page.project_names:
            self._names(page.project_names)
        return page

    def next_try_in(self) -> float:
        return self._client.next_try_in()


class IndexSync(Widget):
    """Runs the sync of the local order index (see the module docstring)."""

    DEFAULT_CSS = "IndexSync { display: none; }"

    def __init__(
        self,
        client: ArtistreeClient,
        index: Index,
        settings: SyncSettings,
        *,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self._client = client
        self.index = index
        self._names: tuple[str, ...] = ()
        self.engine = SyncEngine(
            _Pages(client, self._saw_names),
            index,
            ALL,
            settings=settings,
            on_progress=self._progressed,
            on_changes=self._changed,
        )
        #: When this console started syncing (the index's clock: Unix time).
        self.started = index.clock()
        #: Head refreshes answered since then (the status line and tests read it).
        self.refreshes = 0
        self._refreshed_at: float | None = None
        #: Writes of the console's own fetches, for :meth:`_write` (see there).
        self._writes: deque[tuple[tuple[Order, ...], OrdersPage | None]] = deque()
        self._writing = 0  # those handed over and not written yet
        #: Full orders kept back from the index while the list they would reorder is on
        #: screen (:meth:`hold_orders`), by order id, and what that list is.
        self._held: dict[str, Order] = {}
        self._held_for: object = None

    @property
    def progress(self) -> SyncProgress:
        return self.engine.progress

    @property
    def writing(self) -> bool:
        """Some of the console's own writes (its fetches, an order marked gone) are still on
        their way into the index (their :class:`OrdersWritten` is to come)."""
        return self._writing > 0

    def on_mount(self) -> None:
        self._run()

    async def on_unmount(self) -> None:
        if self._held:  # kept back for a sorted list no one looks at any more
            orders, self._held = tuple(self._held.values()), {}
            with contextlib.suppress(Exception):
                await self.engine.write_orders(orders)
        self.engine.stop()
        await self.engine.aclose()

    @work(exclusive=True, group="index-sync", exit_on_error=False)
    async def _run(self) -> None:
        await self.engine.run()

    # -- the engine's callbacks (on the loop) -------------------------------------------
    @property
    def answered(self) -> bool:
        """The API has answered this console's sync at least once (the head is fresh)."""
        return self.refreshes > 0

    def _progressed(self, progress: SyncProgress) -> None:
        refreshed = progress.refreshed_at
        if refreshed is not None and refreshed >= self.started and refreshed != self._refreshed_at:
            self.refreshes += 1
            self._refreshed_at = refreshed
        self.post_message(SyncProgressed(progress))

    def _changed(self, scope: Scope, changes: Sequence[StateChange]) -> None:
        self.post_message(OrdersChanged(scope, changes))

    def _saw_names(self, names: tuple[str, ...]) -> None:
        if names != self._names:
            self._names = names
            self.post_message(ProjectNamesSeen(names))

    # -- control -------------------------------------------------------------------------
    def wake(self) -> None:
        """Refresh the head now, or try again after an outage."""
        self.engine.wake()

    def refresh_now(self) -> None:
        """``r``: refresh the head now, through a server presumed down too: the user asked,
        so its probe is now, not at the backoff's next turn."""
        self._client.probe_now()
        self.engine.wake()

    def follow_scope(self, scope: Scope) -> None:
        """The console shows ``scope``: refresh its head with All Projects' (a project's
        newest orders may be far down All Projects' head)."""
        self.engine.watch(scope)

    def set_refresh_seconds(self, seconds: float) -> None:
        """Auto-refresh every ``seconds`` (0: off)."""
        self.engine.set_refresh_seconds(seconds)

    # -- writes of the console's own fetches ----------------------------------------------
    # Handed over in a queue, not as a worker's arguments: a Textual worker is a reference
    # cycle (its task's context holds it), so its arguments (a page of full orders) would live
    # on until a full garbage collection; a worker's locals go when it ends.
    def write_orders(self, orders: Sequence[Order]) -> None:
        """Put full orders the console fetched into the index (the list's ``…`` columns
        fill in); :class:`OrdersWritten` follows."""
        if orders:
            self._writes.append((tuple(orders), None))
            self._writing += 1
            self._write()

    def order_read(self, order: Order, *, sorted_by: str, view: object) -> None:
        """A full order the console read (the detail's, or one read ahead): into the index,
        or kept back (:meth:`hold_orders`) while ``view``, the list on screen, is sorted by
        confidence and the order's score would move it there."""
        if sorted_by == "confidence" and has_score(order.order_state, order.confidence):
            self.hold_orders([order], view)
        else:
            self.write_orders([order])  # the list's "…" columns fill in

    def hold_orders(self, orders: Sequence[Order], view: object) -> None:
        """Keep full orders back from the index while ``view`` (the list's query) is on
        screen: sorted by confidence, an order's score read by the detail would move it (an
        order without one sorts last; ``G`` would land on an order that jumps away as soon as
        it is read). :meth:`release_held` writes them, when the view changes or on ``r``."""
        if view != self._held_for:
            self.release_held()
            self._held_for = view
        for order in orders:
            self._held.pop(order.order_id, None)
            self._held[order.order_id] = order  # the newest read last
        if len(self._held) > HOLD_LIMIT:  # a long read: the oldest go in after all
            oldest = list(self._held)[: len(self._held) - HOLD_LIMIT]
            self.write_orders([self._held.pop(order_id) for order_id in oldest])

    @property
    def held(self) -> int:
        """How many full orders are kept back (:meth:`hold_orders`)."""
        return len(self._held)

    def release_held(self, view: object = None) -> None:
        """Write the orders kept back, unless ``view`` is still the one they wait for."""
        if not self._held or (view is not None and view == self._held_for):
            return
        orders, self._held, self._held_for = tuple(self._held.values()), {}, None
        self.write_orders(orders)

    def write_page(self, page: OrdersPage) -> None:
        """Put a page of full orders of All Projects the console read itself into the index."""
        if page.orders:
            self._writes.append((page.orders, page))
            self._writing += 1
            self._write()

    def mark_gone(self, order_id: str, asked_at: float | None = None) -> None:
        """The API answered 404 for ``order_id`` (to a request sent at ``asked_at``): the index
        marks it removed now, not at the next complete re-sweep, unless it holds a newer
        answer; :class:`OrdersWritten` follows."""
        self._writing += 1
        self._mark_gone(order_id, asked_at)

    @work(group="index-writes", exit_on_error=False)
    async def keep_watermark(self, scope: str, at: float, replace: bool) -> None:
        """Keep a scope's watermark in the index (the list's marks last across restarts):
        ``at`` always (``replace``: the marks were cleared), or only when it has none."""
        await self.engine.keep_watermark(scope, at, replace=replace)

    @work(group="index-writes", exit_on_error=False)
    async def _mark_gone(self, order_id: str, asked_at: float | None) -> None:
        try:
            await self.engine.mark_gone([order_id], asked_at)
        finally:
            self._writing -= 1
        self.post_message(OrdersWritten((order_id,), None))

    @work(group="index-writes", exit_on_error=False)
    async def _write(self) -> None:
        orders, page = self._writes.popleft()  # one worker per write, in order
        try:
            if page is not None:
                result = await self.engine.write_page(page, ALL)
            else:
                result = await self.engine.write_orders(orders)
        finally:
            self._writing -= 1
        self.post_message(OrdersWritten(tuple(o.order_id for o in orders), result))
