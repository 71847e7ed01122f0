"""Keeping the console current all day: auto-refresh, connection status, recovery.

The main screen holds a :class:`LiveRefresher`, which owns:

- **auto-refresh**: every ``refresh_seconds`` (``a`` turns it on and off, binding id
  ``console.auto_refresh``) a worker re-reads the first page(s) of the open scope and posts
  :class:`~.messages.LiveRefreshed`; the handler merges them into the list
  (:mod:`~artistree_tui.ui.orders.merge`: cursor and filter kept), marks new and changed
  orders (:mod:`~artistree_tui.ui.orders.marks`), updates the stats, tells the detail pane
  which orders changed, and announces orders that entered Action Required (a notification,
  and the terminal bell if ``bell = true``). The next refresh is timed from the end of this
  one, so a slow API never gets two at once.
- **the connection status**: the API client's events (through
  :class:`~.connection.ClientEventRelay`) and the refresh's failures feed a
  :class:`~.connection.ConnectionState`, shown by the :class:`~.status_line.StatusLine`.
- **recovery**: once a request gave up (offline, server error, rate limited) or the
  credentials were rejected, the data on screen is marked stale (status line, stats bar
  dimmed by the class ``-stale``, the orders pane's subtitle) and stays; the refresh is
  retried with capped backoff whether or not auto-refresh is on, and the first success brings
  everything back: fresh rows, pages that had failed asked again, the detail fetched again.
  No key needed.

Token expiry and revocation are the API client's business (it refreshes the token and resends
once); only credentials that stop working reach this screen, as one notification.

The refresher is a plain object: its worker and its timer run on the screen (so they end with
it), the worker posts its messages to the screen, and the screen's handlers call the methods
below (:meth:`LiveRefresher.refreshed`, :meth:`~LiveRefresher.refresh_failed`, …). It finds
the widgets it updates on the screen by type.
"""

from __future__ import annotations

import dataclasses
from datetime import datetime
from functools import partial
from time import monotonic
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.timer import Timer
from textual.worker import Worker

from artistree_tui.api.errors import ApiError
from artistree_tui.api.models import Order, OrdersPage
from artistree_tui.api.retry import ClientEvent
from artistree_tui.display import clean
from artistree_tui.ui.detail.pane import DetailPane
from artistree_tui.ui.keys import keymap
from artistree_tui.ui.keys.keymap import key_display
from artistree_tui.ui.live.connection import RECOVERY_CAP, ConnectionState, Link, recovery_delay
from artistree_tui.ui.live.messages import ConnectionEvent, LiveRefreshed, LiveRefreshFailed
from artistree_tui.ui.live.status_line import StatusInfo, StatusLine
from artistree_tui.ui.notify import error_line, short_id, toast
from artistree_tui.ui.orders.marks import LiveMarks
from artistree_tui.ui.orders.merge import MergeResult
from artistree_tui.ui.orders.order_list import OrderList
from artistree_tui.ui.orders.pane import OrdersPane
from artistree_tui.ui.stats.bar import StatsBar

if TYPE_CHECKING:
    from textual.screen import Screen

    from artistree_tui.api.client import ArtistreeClient

REJECTED_MESSAGE = (
    "The API no longer accepts the console's credentials: check client_id/client_secret "
    "(or token) in your config. The last data stays on screen; the console keeps trying."
)
#: The same, when nothing was ever loaded (wrong credentials at the first start).
REJECTED_AT_START = (
    "The API does not accept the console's credentials: check client_id/client_secret "
    "(or token) in your config. Nothing is loaded yet; the console keeps trying."
)


def local_now() -> datetime:
    """The local wall time shown as "refreshed HH:MM:SS" and "offline since HH:MM"."""
    return datetime.now().astimezone()


#: The screen's key for the refresher (it routes ``action_toggle_live`` to :meth:`toggle_auto`).
BINDINGS: list[BindingType] = [
    Binding(
        "a",
        "toggle_live",
        "Auto-refresh",
        tooltip="Turn the automatic refresh of the list and counts on or off",
        id=keymap.AUTO_REFRESH,
    ),
]


class LiveRefresher:
    """Auto-refresh, connection status and recovery of ``screen`` (see the module docstring).

    ``screen`` composes an :class:`~artistree_tui.ui.orders.pane.OrdersPane`, a
    :class:`~artistree_tui.ui.detail.pane.DetailPane`, a
    :class:`~artistree_tui.ui.stats.bar.StatsBar` and a :class:`StatusLine`; it calls
    :meth:`start` once mounted and :meth:`stop` when unmounted.
    """

    #: At most this many pages are re-read per refresh (more new orders: the list is rebuilt).
    LIVE_MAX_PAGES = 5
    #: The first wait before reconnecting (s); it doubles per failure up to ``RECOVERY_CAP``.
    RECOVERY_BASE = 2.0
    RECOVERY_CAP = RECOVERY_CAP
    #: The interval ``a`` uses when the config turned auto-refresh off (``refresh_seconds=0``).
    DEFAULT_INTERVAL = 30.0

    def __init__(self, screen: Screen[Any], client: ArtistreeClient, *, page_size: int) -> None:
        self._screen = screen
        self.client = client
        self.page_size = page_size
        self.marks = LiveMarks()
        #: The orders of the last Action Required notification, in its order (``!`` goes to
        #: the first of them).
        self.action_orders: tuple[str, ...] = ()
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
        return self._screen.query_one(OrdersPane).order_list

    @property
    def status_line(self) -> StatusLine:
        return self._screen.query_one(StatusLine)

    @property
    def refreshing(self) -> bool:
        return self._worker is not None and self._worker.is_running

    def start(self) -> None:
        """The screen is mounted: read the settings, listen to the client, arm the timer."""
        app = self._screen.app
        settings = getattr(app, "settings", None)
        interval = float(getattr(settings, "refresh_seconds", 0.0) or 0.0)
        self.live_auto = interval > 0
        self.live_interval = interval if interval > 0 else self.DEFAULT_INTERVAL
        self.bell = bool(getattr(settings, "bell", False))
        relay = getattr(app, "client_events", None)
        if relay is not None:
            relay.bind(self._screen, ConnectionEvent)
        self.order_list.row_mark = self.marks.get
        self._schedule_next()
        self._show_status()

    def stop(self) -> None:
        """The screen is unmounted: the client's events go nowhere."""
        relay = getattr(self._screen.app, "client_events", None)
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
        fetch = partial(
            self._fetch, model.generation, model.project_id, model.anchor_ids(), self.page_size
        )
        self._worker = self._screen.run_worker(
            fetch, name="live refresh", group="live-refresh", exclusive=True, exit_on_error=False
        )
        return True

    async def _fetch(
        self, generation: int, project_id: str, anchors: frozenset[str], limit: int
    ) -> None:
        """The worker: read pages from the top until one ends on a held order (where the merge
        can place them) or the scope ends; I/O only, the screen's handlers merge."""
        post = self._screen.post_message
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
            post(LiveRefreshFailed(generation, project_id, error_line(error), reason))
            return
        post(LiveRefreshed(generation, project_id, tuple(pages), limit))

    def refreshed(self, message: LiveRefreshed) -> None:
        """The refresh answered: merge, mark, announce, and time the next one."""
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
            detail = self._screen.query_one(DetailPane)
            if detail.order_id is not None and not detail.complete:
                detail.refetch(detail.order_id)
        self._schedule_next()
        self._show_status()

    def _after_merge(self, result: MergeResult) -> None:
        detail = self._screen.query_one(DetailPane)
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
        """One notification for the orders that entered Action Required (titles are data).
        Each is named by its title and the start of its id (what ``/`` finds it by), and the
        notification says which key goes to the first of them."""
        self.action_orders = tuple(order.order_id for order in orders)
        names = [
            f"“{clean(order.order_title, limit=60) or '(untitled)'}” ({short_id(order.order_id)})"
            for order in orders
        ]
        if len(orders) == 1:
            text = f"Order {names[0]} needs action."
        else:
            more = f" and {len(orders) - 3} more" if len(orders) > 3 else ""
            text = f"{len(orders)} orders need action: {', '.join(names[:3])}{more}."
        key = key_display(self._screen, keymap.FOLLOW_ACTION)
        if key:
            text += f" Press {key} to go to {'it' if len(orders) == 1 else 'the first'}."
        app = self._screen.app
        toast(app, text, title="Action required", severity="warning", timeout=15)
        if self.bell:
            app.bell()

    def refresh_failed(self, message: LiveRefreshFailed) -> None:
        """The refresh failed: stale if asked for, said once, retried with the backoff."""
        self._worker = None
        # Without a client event relay this is how the status learns; with one, the same
        # outcome arrives twice and the second changes nothing.
        self._observe(ClientEvent("failed", message.reason))
        manual, self._manual = self._manual, False
        app = self._screen.app
        if manual:  # asked for: the rows stay, marked stale, and the user learns why
            self._set_stale(True)
            toast(app, f"Could not refresh the orders: {message.error}", severity="warning")
        elif not self.connection.down and not self._problem_shown:
            self._problem_shown = True  # once per run of failures, not every interval
            toast(app, f"Auto-refresh failed: {message.error}", severity="warning")
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
        self._timer = self._screen.set_timer(delay, self._tick, name="live refresh")

    def _tick(self) -> None:
        self._timer = None
        self._next_probe = None
        if (self.recovering() or self.live_auto) and not self.refresh_live():
            self._schedule_next()

    # -- connection ----------------------------------------------------------------------
    def connection_event(self, event: ClientEvent) -> None:
        """An API client event (retrying, ok, failed) arrived on the UI loop."""
        self._observe(event)
        self._show_status()

    def _observe(self, event: ClientEvent) -> None:
        changed = self.connection.observe(event, mono=monotonic(), now=local_now())
        if changed is Link.REJECTED:
            app = self._screen.app
            nothing = self.order_list.model.nothing_loaded
            message = REJECTED_AT_START if nothing else REJECTED_MESSAGE
            title = "Not signed in" if nothing else "Signed out"
            toast(app, message, title=title, severity="error", timeout=20)
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
        self._screen.query_one(StatsBar).set_class(stale, "-stale")
        self._mark_stale()

    def _mark_stale(self) -> None:
        """The orders pane's subtitle: stale rows are marked; none at all, said so."""
        subtitle = ""
        if self.stale:
            nothing = self.order_list.model.nothing_loaded
            subtitle = "⚠ nothing loaded yet" if nothing else "⚠ stale: last data shown"
        pane = self._screen.query_one(OrdersPane)
        # Only when it changes: setting it repaints the whole pane (the whole list, over SSH),
        # and this runs after every answer of the API.
        if str(pane.border_subtitle or "") != subtitle:
            pane.border_subtitle = Text(subtitle, style="bold")

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

    # -- the list: marks and pages -------------------------------------------------------
    def seen(self, order_id: str | None) -> None:
        """The list's cursor is on ``order_id`` (highlighted or opened): its mark goes."""
        if self.marks.seen(order_id):
            self.order_list.refresh()
            self._show_status()

    def page_loaded(self) -> None:
        """A page of the list arrived."""
        # An answered page proves the API is reachable (and is all a console built without an
        # event relay learns about the connection).
        self._observe(ClientEvent("ok"))
        if self.last_refresh is None:  # the first load counts until the first refresh
            self.last_refresh = local_now()
        if self.order_list.model.in_flight is None and not self.recovering():
            self._failures = 0  # the failed pages have all been answered
        self._show_status()

    def page_failed(self) -> None:
        """A page of the list failed."""
        # Asked again with the backoff (by the next refresh, which retries failed pages), not
        # at the next auto-refresh interval; failing again makes the wait grow.
        if self.order_list.model.has_retryable_errors:
            self._failures += 1
            self._schedule_next()
        self._show_status()

    # -- the key -------------------------------------------------------------------------
    def toggle_auto(self) -> None:
        """``a``: auto-refresh on or off (a reconnection attempt stays armed while down)."""
        self.live_auto = not self.live_auto
        app = self._screen.app
        if self.live_auto:
            seconds = f"{self.live_interval:g}"
            toast(app, f"Auto-refresh on: every {seconds} s.", title="Auto-refresh")
            if not self.connection.down and not self.refresh_live():
                self._schedule_next()
        else:
            toast(app, "Auto-refresh off.", title="Auto-refresh")
            self._schedule_next()  # a reconnection attempt stays armed while down
        self._show_status()
