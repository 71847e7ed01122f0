"""Keeping the console current all day: auto-refresh, connection status, recovery.

:class:`LiveScreen` is the base of the main screen. It owns:

- **auto-refresh**: every ``refresh_seconds`` (``a`` turns it on and off, binding id
  ``console.auto_refresh``) a worker re-reads the first page(s) of the open scope and posts
  :class:`~.live_messages.LiveRefreshed`; the handler merges them into the list
  (:mod:`.merge`: cursor and filter kept), marks new and changed orders (:mod:`.live_marks`),
  updates the stats, tells the detail pane which orders changed, and announces orders that
  entered Action Required (a notification, and the terminal bell if ``bell = true``). The next
  refresh is timed from the end of this one, so a slow API never gets two at once.
- **the connection status**: the API client's events (through
  :class:`~.connection.ClientEventRelay`) and the refresh's failures feed a
  :class:`~.connection.ConnectionState`, shown by the :class:`~.status_line.StatusLine`.
- **recovery**: once a request gave up (offline, server error, rate limited) or the
  credentials were rejected, the data on screen is marked stale (status line, stats bar
  dimmed, the orders pane's subtitle) and stays; the refresh is retried with capped backoff
  whether or not auto-refresh is on, and the first success brings everything back: fresh
  rows, pages that had failed asked again, the detail fetched again. No key needed.

Token expiry and revocation are the API client's business (it refreshes the token and resends
once); only credentials that stop working reach this screen, as one notification.
"""

from __future__ import annotations

import dataclasses
from datetime import datetime
from time import monotonic
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on, work
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.timer import Timer
from textual.worker import Worker

from artistree_tui.api.errors import ApiError
from artistree_tui.api.models import Order, OrdersPage
from artistree_tui.api.retry import ClientEvent
from artistree_tui.display import clean
from artistree_tui.ui.detail.pane import DetailPane
from artistree_tui.ui.keys import keymap
from artistree_tui.ui.live.connection import RECOVERY_CAP, ConnectionState, Link, recovery_delay
from artistree_tui.ui.live.messages import ConnectionEvent, LiveRefreshed, LiveRefreshFailed
from artistree_tui.ui.live.status_line import StatusInfo, StatusLine
from artistree_tui.ui.notify import error_line, toast
from artistree_tui.ui.orders.marks import LiveMarks
from artistree_tui.ui.orders.merge import MergeResult
from artistree_tui.ui.orders.messages import LoadFailed, PageLoaded
from artistree_tui.ui.orders.order_list import OrderList
from artistree_tui.ui.orders.pane import OrdersPane
from artistree_tui.ui.stats.bar import StatsBar

if TYPE_CHECKING:
    from artistree_tui.api.client import ArtistreeClient

REJECTED_MESSAGE = (
    "The API no longer accepts the console's credentials: check client_id/client_secret "
    "(or token) in your config. The last data stays on screen; the console keeps trying."
)


def local_now() -> datetime:
    """The local wall time shown as "refreshed HH:MM:SS" and "offline since HH:MM"."""
    return datetime.now().astimezone()


class LiveScreen(Screen[None]):
    """Auto-refresh, connection status and recovery (see the module docstring).

    The subclass provides ``client`` and ``page_size`` and composes the panes and a
    :class:`StatusLine`.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "a",
            "toggle_live",
            "Auto-refresh",
            tooltip="Turn the automatic refresh of the list and counts on or off",
            id=keymap.AUTO_REFRESH,
        ),
    ]

    DEFAULT_CSS = """
    LiveScreen StatsBar.-stale { text-style: dim; }
    """

    #: At most this many pages are re-read per refresh (more new orders: the list is rebuilt).
    LIVE_MAX_PAGES = 5
    #: The first wait before reconnecting (s); it doubles per failure up to ``RECOVERY_CAP``.
    RECOVERY_BASE = 2.0
    RECOVERY_CAP = RECOVERY_CAP
    #: The interval ``a`` uses when the config turned auto-refresh off (``refresh_seconds=0``).
    DEFAULT_INTERVAL = 30.0

    client: ArtistreeClient
    page_size: int

    def __init__(
        self, name: str | None = None, id: str | None = None, classes: str | None = None
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.marks = LiveMarks()
        self.connection = ConnectionState()
        self.live_auto = False
        self.live_interval = self.DEFAULT_INTERVAL
        self.bell = False
        self.last_refresh: datetime | None = None
        self.stale = False
        #: Successful merges so far (the soak test and the status read it).
        self.refresh_count = 0
        self._timer: Timer | None = None
        self._worker: Worker[None] | None = None
        self._failures = 0  # failed refreshes (or pages) in a row while recovering
        self._manual = False  # the refresh running was asked for with r
        self._next_probe: float | None = None
        self._problem_shown = False

    # -- parts ---------------------------------------------------------------------------
    @property
    def order_list(self) -> OrderList:
        return self.query_one(OrdersPane).order_list

    @property
    def status_line(self) -> StatusLine:
        return self.query_one(StatusLine)

    @property
    def refreshing(self) -> bool:
        return self._worker is not None and self._worker.is_running

    def on_mount(self) -> None:
        settings = getattr(self.app, "settings", None)
        interval = float(getattr(settings, "refresh_seconds", 0.0) or 0.0)
        self.live_auto = interval > 0
        self.live_interval = interval if interval > 0 else self.DEFAULT_INTERVAL
        self.bell = bool(getattr(settings, "bell", False))
        relay = getattr(self.app, "client_events", None)
        if relay is not None:
            relay.bind(self, ConnectionEvent)
        self.order_list.row_mark = self.marks.get
        self._schedule_next()
        self._show_status()

    def on_unmount(self) -> None:
        relay = getattr(self.app, "client_events", None)
        if relay is not None:
            relay.unbind()

    # -- refreshing ----------------------------------------------------------------------
    def refresh_now(self) -> None:
        """``r``: this refresh, asked for. The rows, cursor, filter and scroll stay on screen
        until the answer is merged; a failure keeps them, marked stale, and says why."""
        self._manual = True
        if not self.refresh_live() and not self.refreshing:
            self._manual = False  # no scope open

    def recovering(self) -> bool:
        """Down, showing stale data, or a page of the list failed for a passing reason:
        the next refresh comes with the reconnection backoff, not at the next interval."""
        return self.connection.down or self.stale or self.order_list.model.has_retryable_errors

    def refresh_live(self) -> bool:
        """Re-read the first page(s) of the open scope now; False if one is running already
        (or no scope is open)."""
        model = self.order_list.model
        if self.refreshing or model.project_id is None:
            return False
        self._stop_timer()
        self._worker = self._live_fetch(
            model.generation, model.project_id, model.anchor_ids(), self.page_size
        )
        return True

    @work(exclusive=True, group="live-refresh", exit_on_error=False)
    async def _live_fetch(
        self, generation: int, project_id: str, anchors: frozenset[str], limit: int
    ) -> None:
        """Read pages from the top until one ends on a held order (where the merge can place
        them) or the scope ends; I/O only, the handlers merge."""
        pages: list[OrdersPage] = []
        token: str | None = None
        try:
            for _ in range(self.LIVE_MAX_PAGES):
                page = await self.client.list_orders(
                    project_id, preview=False, page_token=token, limit=limit
                )
                pages.append(page)
                token = page.next_page_token
                last = page.orders[-1].order_id if page.orders else None
                if token is None or last in anchors:
                    break
        except Exception as error:  # one line in the status, never a traceback
            reason = error.reason if isinstance(error, ApiError) else "error"
            self.post_message(LiveRefreshFailed(generation, project_id, error_line(error), reason))
            return
        self.post_message(LiveRefreshed(generation, project_id, tuple(pages), limit))

    @on(LiveRefreshed)
    def _live_refreshed(self, message: LiveRefreshed) -> None:
        self._worker = None  # it ended with this message
        self._manual = False
        recovering = self.stale
        order_list = self.order_list
        retrying = order_list.model.has_retryable_errors  # keep backing off if they fail again
        result = None
        if message.project_id == order_list.model.project_id:
            # The API answered: pages that failed for a passing reason are asked again.
            result = order_list.apply_live(
                message.generation, message.pages, message.limit, retry_failed=True
            )
        self.last_refresh = local_now()
        self._failures = self._failures if retrying else 0
        self._problem_shown = False
        self._set_stale(False)
        self._observe(ClientEvent("ok"))  # the API answered (also without an event relay)
        if result is not None:
            self.refresh_count += 1
            self._after_merge(result)
        if recovering:
            detail = self.query_one(DetailPane)
            if detail.order_id is not None and not detail.complete:
                detail.refetch(detail.order_id)
        self._schedule_next()
        self._show_status()

    def _after_merge(self, result: MergeResult) -> None:
        detail = self.query_one(DetailPane)
        for order_id in result.updated:
            detail.cache.discard(order_id)
        if detail.order_id is not None and detail.order_id in result.updated:
            detail.refetch(detail.order_id)  # the pane refreshes with the highlighted order
        highlighted = self.order_list.model.highlighted_order
        if self.marks.apply(result, highlighted=highlighted.order_id if highlighted else None):
            self.order_list.refresh()
        if result.entered_action:
            self._announce(result.entered_action)

    def _announce(self, orders: tuple[Order, ...]) -> None:
        """One notification for the orders that entered Action Required (titles are data)."""
        titles = [f"“{clean(order.order_title, limit=60) or '(untitled)'}”" for order in orders]
        if len(orders) == 1:
            text = f"Order {titles[0]} needs action (id {clean(orders[0].order_id, limit=40)})."
        else:
            more = f" and {len(orders) - 3} more" if len(orders) > 3 else ""
            text = f"{len(orders)} orders need action: {', '.join(titles[:3])}{more}."
        toast(self.app, text, title="Action required", severity="warning", timeout=10)
        if self.bell:
            self.app.bell()

    @on(LiveRefreshFailed)
    def _live_failed(self, message: LiveRefreshFailed) -> None:
        self._worker = None
        # Without a client event relay this is how the status learns; with one, the same
        # outcome arrives twice and the second changes nothing.
        self._observe(ClientEvent("failed", message.reason))
        manual, self._manual = self._manual, False
        if manual:  # asked for: the rows stay, marked stale, and the user learns why
            self._set_stale(True)
            toast(self.app, f"Could not refresh the orders: {message.error}", severity="warning")
        elif not self.connection.down and not self._problem_shown:
            self._problem_shown = True  # once per run of failures, not every interval
            toast(self.app, f"Auto-refresh failed: {message.error}", severity="warning")
        if self.recovering():
            self._failures += 1
        self._schedule_next()
        self._show_status()

    # -- timing --------------------------------------------------------------------------
    def _stop_timer(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        self._next_probe = None

    def _schedule_next(self) -> None:
        """Arm the next refresh: a reconnection attempt with backoff while recovering, else
        the auto-refresh interval (if on)."""
        self._stop_timer()
        if self.refreshing:
            return  # its handler arms the next one
        if self.recovering():
            delay = recovery_delay(
                max(self._failures, 1), base=self.RECOVERY_BASE, cap=self.RECOVERY_CAP
            )
            self._next_probe = monotonic() + delay
        elif self.live_auto:
            delay = self.live_interval
        else:
            return
        self._timer = self.set_timer(delay, self._tick, name="live refresh")

    def _tick(self) -> None:
        self._timer = None
        self._next_probe = None
        if (self.recovering() or self.live_auto) and not self.refresh_live():
            self._schedule_next()

    # -- connection ----------------------------------------------------------------------
    @on(ConnectionEvent)
    def _connection_event(self, message: ConnectionEvent) -> None:
        self._observe(message.event)
        self._show_status()

    def _observe(self, event: ClientEvent) -> None:
        changed = self.connection.observe(event, mono=monotonic(), now=local_now())
        if changed is Link.REJECTED:
            toast(self.app, REJECTED_MESSAGE, title="Signed out", severity="error", timeout=20)
        if changed in (Link.OFFLINE, Link.REJECTED):
            self._set_stale(True)
            if not self.refreshing:
                self._failures = max(self._failures, 1)
                self._schedule_next()
        elif changed is Link.ONLINE and self.recovering() and not self.refreshing:
            self.refresh_live()  # back: fetch what was missed without waiting for the timer

    def _set_stale(self, stale: bool) -> None:
        if stale == self.stale:
            return
        self.stale = stale
        self.query_one(StatsBar).set_class(stale, "-stale")
        self._mark_stale()

    def _mark_stale(self) -> None:
        """The orders pane's subtitle: stale rows are marked; none at all, said so."""
        subtitle = ""
        if self.stale:
            nothing = self.order_list.model.nothing_loaded
            subtitle = "⚠ nothing loaded yet" if nothing else "⚠ stale: last data shown"
        self.query_one(OrdersPane).border_subtitle = Text(subtitle, style="bold")

    def _show_status(self) -> None:
        self._mark_stale()  # rows may have arrived (enter on a failed page) since it was set
        new, changed = self.marks.counts()
        self.status_line.show(
            StatusInfo(
                connection=dataclasses.replace(self.connection),
                auto=self.live_auto,
                interval=self.live_interval,
                last_refresh=self.last_refresh,
                stale=self.stale,
                nothing_loaded=self.order_list.model.nothing_loaded,
                next_probe=self._next_probe if self.connection.down else None,
                new=new,
                changed=changed,
            )
        )

    # -- marks ---------------------------------------------------------------------------
    @on(OrderList.Highlighted)
    def _live_highlighted(self, message: OrderList.Highlighted) -> None:
        self._seen(message.order.order_id if message.order is not None else None)

    @on(OrderList.Opened)
    def _live_opened(self, message: OrderList.Opened) -> None:
        self._seen(message.order.order_id)

    def _seen(self, order_id: str | None) -> None:
        if self.marks.seen(order_id):
            self.order_list.refresh()
            self._show_status()

    @on(PageLoaded)
    def _live_page_loaded(self, message: PageLoaded) -> None:
        # An answered page proves the API is reachable (and is all a console built without an
        # event relay learns about the connection).
        self._observe(ClientEvent("ok"))
        if self.last_refresh is None:  # the first load counts until the first refresh
            self.last_refresh = local_now()
        if self.order_list.model.in_flight is None and not self.recovering():
            self._failures = 0  # the failed pages have all been answered
        self._show_status()

    @on(LoadFailed)
    def _live_page_failed(self, message: LoadFailed) -> None:
        # Asked again with the backoff (by the next refresh, which retries failed pages), not
        # at the next auto-refresh interval; failing again makes the wait grow.
        if self.order_list.model.has_retryable_errors:
            self._failures += 1
            self._schedule_next()
        self._show_status()

    # -- actions -------------------------------------------------------------------------
    def action_toggle_live(self) -> None:
        self.live_auto = not self.live_auto
        if self.live_auto:
            seconds = f"{self.live_interval:g}"
            toast(self.app, f"Auto-refresh on: every {seconds} s.", title="Auto-refresh")
            if not self.connection.down and not self.refresh_live():
                self._schedule_next()
        else:
            toast(self.app, "Auto-refresh off.", title="Auto-refresh")
            self._schedule_next()  # a reconnection attempt stays armed while down
        self._show_status()
