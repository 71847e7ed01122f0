"""Keeping the console current all day: the sync's word on screen, the connection status,
auto-refresh, recovery and the Action Required notification.

The main screen holds a :class:`LiveRefresher`. The data itself is kept current by the
sync (:class:`~.sync.IndexSync`: the head of All Projects every ``refresh_seconds``, a full
re-sweep every ``resync_minutes``, its own backoff while offline); the refresher turns what
the sync and the API client report into what the user sees:

- **progress** (:meth:`LiveRefresher.progressed`): the status line says how much is indexed
  and how long is left, the stats bar shows the scope's counts per state ("so far" until the
  whole organization has been read once), the list redraws from the index (cursor, filters
  and scroll kept: :mod:`~artistree_tui.ui.orders`), the orders pane is titled
  ``as of HH:MM · refreshing`` until the first answer after launch;
- **changes** (:meth:`LiveRefresher.changed`): orders that entered Action Required are
  announced (a notification naming them, and the terminal bell if ``bell = true``); the
  detail pane fetches its order again when it changed;
- **the connection status**: the API client's events (through
  :class:`~.connection.ClientEventRelay`) feed a :class:`~.connection.ConnectionState`, shown
  by the :class:`~.status_line.StatusLine`; while a request gave up or the credentials were
  rejected, the data on screen is marked stale (status line, stats bar dimmed by the class
  ``-stale``, the orders pane's subtitle) and stays; the sync waits out the outage with its
  own backoff, and any answer (a detail fetch, say) wakes it at once;
- **keys**: ``a`` turns the head refresh on and off (binding id ``console.auto_refresh``),
  ``r`` (the screen's) refreshes now: the sync's head, and a failure says why.

Token expiry and revocation are the API client's business (it refreshes the token and resends
once); only credentials that stop working reach this screen, as one notification, and the
sync is woken with the reconnection backoff until they work again.

The refresher is a plain object: its timer runs on the screen (so it ends with it), and the
screen's handlers call the methods below. It finds the widgets it updates on the screen.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from datetime import datetime
from time import monotonic
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.timer import Timer

from artistree_tui.api.models import OrderState
from artistree_tui.api.retry import ClientEvent
from artistree_tui.display import clean
from artistree_tui.store import ALL, StateChange, StateCounts
from artistree_tui.ui.detail.pane import DetailPane
from artistree_tui.ui.keys import keymap
from artistree_tui.ui.keys.keymap import key_display
from artistree_tui.ui.live.connection import RECOVERY_CAP, ConnectionState, Link, recovery_delay
from artistree_tui.ui.live.messages import ConnectionEvent
from artistree_tui.ui.live.status_line import StatusInfo, StatusLine, sync_text
from artistree_tui.ui.live.sync import IndexSync
from artistree_tui.ui.notify import short_id, toast
from artistree_tui.ui.orders.pane import OrdersPane
from artistree_tui.ui.orders.status_words import nothing_because
from artistree_tui.ui.stats.bar import StatsBar
from artistree_tui.ui.timers import once

if TYPE_CHECKING:
    from textual.screen import Screen

    from artistree_tui.store import Reader
    from artistree_tui.sync import SyncProgress

ACTION_REQUIRED = OrderState.ACTION_REQUIRED.value

REJECTED_MESSAGE = (
    "The API no longer accepts the console's credentials: check client_id/client_secret "
    "(or token) in your config. The last data stays on screen; the console keeps trying."
)
#: The same, when nothing was ever loaded (wrong credentials at the first start).
REJECTED_AT_START = (
    "The API does not accept the console's credentials: check client_id/client_secret "
    "(or token) in your config. Nothing is loaded yet; the console keeps trying."
)
#: Never accepted in this run, over rows a run before left in the local index (the index is
#: one per API and client id: a wrong secret finds the right one's rows).
REJECTED_OVER_INDEX = (
    "The API does not accept the console's credentials: check client_id/client_secret "
    "(or token) in your config. The rows shown are from the local index; the console keeps "
    "trying."
)


def local_now() -> datetime:
    """The local wall time shown as "refreshed HH:MM:SS" and "offline since HH:MM"."""
    return datetime.now().astimezone()


def local_time(unix: float) -> datetime:
    """A Unix time (the index's clock) as local wall time."""
    return datetime.fromtimestamp(unix).astimezone()


#: The screen's key for the refresher (it routes ``action_toggle_live`` to :meth:`toggle_auto`).
BINDINGS: list[BindingType] = [
    Binding(
        "a",
        "toggle_live",
        "Auto-refresh",
        tooltip="Turn the automatic refresh of the newest orders and the counts on or off",
        id=keymap.AUTO_REFRESH,
    ),
]


class LiveRefresher:
    """The sync's word, connection status, auto-refresh and recovery of ``screen`` (module
    docstring). ``screen`` composes an :class:`~artistree_tui.ui.orders.pane.OrdersPane`, a
    :class:`~artistree_tui.ui.detail.pane.DetailPane`, a
    :class:`~artistree_tui.ui.stats.bar.StatsBar`, a :class:`StatusLine` and an
    :class:`IndexSync`; it calls :meth:`start` once mounted and :meth:`stop` when unmounted."""

    #: The first wait before waking a stopped sync (s); it doubles up to ``RECOVERY_CAP``.
    RECOVERY_BASE = 2.0
    RECOVERY_CAP = RECOVERY_CAP
    #: The interval ``a`` uses when the config turned auto-refresh off (``refresh_seconds=0``).
    DEFAULT_INTERVAL = 30.0
    #: How often the index is checked for changes this console's sync did not make (another
    #: console sharing the file): a ``PRAGMA data_version``, microseconds.
    SHARED_CHECK = 2.0
    #: Seconds an Action Required notification stays; orders entering it meanwhile are told
    #: in one more when it has gone, not stacked over the list one refresh after another.
    ANNOUNCE_SECONDS = 15.0

    def __init__(self, screen: Screen[Any], reader: Reader | None) -> None:
        self._screen = screen
        self._reader = reader
        #: The orders of the last Action Required notification, in its order (``!`` goes to
        #: the first of them).
        self.action_orders: tuple[str, ...] = ()
        self._quiet_until = -1.0  # the last notification of those is on screen until then
        self._waiting: list[StateChange] = []  # entered since, told when it has gone
        self.connection = ConnectionState()
        self.live_auto = False
        self.live_interval = self.DEFAULT_INTERVAL
        self.bell = False
        self.stale = False
        self._accepted = False  # the API answered this run (a rejection then is a sign-out)
        self.progress: SyncProgress | None = None
        self._timer: Timer | None = None
        self._next_probe: float | None = None
        self._failures = 0  # wakes of a stopped sync in a row
        self._manual: int | None = None  # refreshes answered when r was pressed
        self._problem_shown = False
        self._known = ""  # what the index held at start, until the sync's first word
        #: The counts the stats bar shows: the status line says the same "behind" (the
        #: sync's own, a refresh older, disagreed with the bar's for up to a minute).
        self._counts: StateCounts | None = None

    # -- parts ---------------------------------------------------------------------------
    @property
    def sync(self) -> IndexSync:
        return self._screen.query_one(IndexSync)

    @property
    def orders(self) -> OrdersPane:
        return self._screen.query_one(OrdersPane)

    @property
    def status_line(self) -> StatusLine:
        return self._screen.query_one(StatusLine)

    @property
    def refresh_count(self) -> int:
        """Head refreshes answered since the console started (the soak test reads it)."""
        return self.sync.refreshes

    def start(self) -> None:
        """The screen is mounted: read the settings, listen to the client, show the status."""
        app = self._screen.app
        settings = getattr(app, "settings", None)
        interval = float(getattr(settings, "refresh_seconds", 0.0) or 0.0)
        self.live_auto = interval > 0
        self.live_interval = interval if interval > 0 else self.DEFAULT_INTERVAL
        self.bell = bool(getattr(settings, "bell", False))
        relay = getattr(app, "client_events", None)
        if relay is not None:
            relay.bind(self._screen, ConnectionEvent)
        self._known = self._index_known()
        self.show_counts()
        self._show_status()
        self._screen.set_interval(self.SHARED_CHECK, self._check_shared, name="index check")

    def _check_shared(self) -> None:
        """Another console wrote into the index: the list and the counts follow."""
        if self.orders.order_list.check_index():
            self.show_counts()

    def _index_known(self) -> str:
        """What the index holds from earlier runs, in the status line's words."""
        if self._reader is None:
            return ""
        try:
            status = self._reader.status(ALL)
        except Exception:  # the index failed: its notice says why
            return ""
        if not status.indexed:
            return ""
        when = f" as of {local_time(status.as_of):%H:%M}" if status.as_of is not None else ""
        if status.complete:
            return f"{status.indexed:,} orders indexed{when}"
        return f"indexed {status.indexed:,} so far{when}"

    def stop(self) -> None:
        """The screen is unmounted: the client's events go nowhere."""
        relay = getattr(self._screen.app, "client_events", None)
        if relay is not None:
            relay.unbind()
        self._stop_timer()
        if self._reader is not None:
            self._reader.close()

    # -- the sync ------------------------------------------------------------------------
    def progressed(self, progress: SyncProgress) -> None:
        """A step of the sync: status line, counts, the list, stale or not, notices."""
        self.progress = progress
        sync = self.sync
        for notice in sync.index.take_notices():
            toast(self._screen.app, notice, title="Order index", severity="warning", timeout=10)
        failing = progress.phase in ("offline", "stopped") and progress.error is not None
        if self._manual is not None:
            if failing:
                self._manual = None
                self._set_stale(True)
                error = clean(progress.error or "", limit=160)
                toast(
                    self._screen.app, f"Could not refresh the orders: {error}", severity="warning"
                )
            elif sync.refreshes > self._manual:
                self._manual = None
        if failing and not self.connection.down and not self._problem_shown:
            self._problem_shown = True  # once per run of failures, not every step
            error = clean(progress.error or "", limit=160)
            toast(
                self._screen.app, f"The sync could not read the orders: {error}", severity="warning"
            )
        if not failing:
            self._problem_shown = False
            if sync.answered:
                # The API answered (also all a console built without an event relay learns).
                self._observe(ClientEvent("ok"))
                self._set_stale(False)
        if progress.phase == "stopped" and progress.error is not None:
            self._schedule_wake()
        elif progress.phase != "stopped":
            self._failures = 0
            self._stop_timer()
        if progress.phase == "offline" and progress.retry_in is not None:
            self._next_probe = monotonic() + progress.retry_in
        elif progress.phase != "stopped":
            self._next_probe = None
        self._announce_waiting()  # the last notification has gone (its timer may be late)
        orders = self.orders
        orders.set_progress(progress)
        orders.index_changed()
        self.show_counts()
        self._show_status()

    def changed(self, changes: Sequence[StateChange]) -> None:
        """Orders the sync found new or changed: announce Action Required, follow the detail."""
        detail = self._screen.query_one(DetailPane)
        ids = {change.order_id for change in changes}
        for order_id in ids:
            detail.cache.discard(order_id)
        if detail.order_id is not None and detail.order_id in ids:
            detail.refetch(detail.order_id)  # the pane refreshes with the highlighted order
        entered = [
            change
            for change in changes
            if change.after == ACTION_REQUIRED and change.before != ACTION_REQUIRED
        ]
        if entered:
            self._announce(entered)

    def _announce(self, changes: Sequence[StateChange]) -> None:
        """One notification for the orders that entered Action Required (titles are data).
        Each is named by its title and the start of its id (what ``/`` finds it by), and the
        notification says which key goes to the first of them. While the last one is on
        screen, new ones wait for it to go (:data:`ANNOUNCE_SECONDS`): one notification at a
        time (``!`` goes to the first of the one on screen, and then of the next)."""
        now = monotonic()
        if now < self._quiet_until:
            if not self._waiting:
                once(self._screen, self._quiet_until - now, self._announce_waiting)
            self._waiting.extend(changes)
            self.action_orders = (*self.action_orders, *(c.order_id for c in changes))
            return
        self._quiet_until = now + self.ANNOUNCE_SECONDS
        self.action_orders = tuple(change.order_id for change in changes)
        names = [
            f"“{clean(change.title, limit=60) or '(untitled)'}” ({short_id(change.order_id)})"
            for change in changes
        ]
        if len(changes) == 1:
            text = f"Order {names[0]} needs action."
        else:
            more = f" and {len(changes) - 3} more" if len(changes) > 3 else ""
            text = f"{len(changes)} orders need action: {', '.join(names[:3])}{more}."
        key = key_display(self._screen, keymap.FOLLOW_ACTION)
        if key:
            text += f" Press {key} to go to {'it' if len(changes) == 1 else 'the first'}."
        app = self._screen.app
        toast(app, text, title="Action required", severity="warning", timeout=self.ANNOUNCE_SECONDS)
        if self.bell:
            app.bell()

    def _announce_waiting(self) -> None:
        """The orders that entered Action Required while the last notification was on
        screen, once it has gone, less those that have left it since."""
        if not self._waiting or monotonic() < self._quiet_until:
            return
        waiting, self._waiting = self._waiting, []
        unique = {change.order_id: change for change in waiting}  # entered, left, entered
        still = [change for change in unique.values() if self._needs_action(change.order_id)]
        if still:
            self._announce(still)

    def _needs_action(self, order_id: str) -> bool:
        """Is ``order_id`` still Action Required in the index (True if it cannot tell)?"""
        try:
            row = self._reader.row(order_id) if self._reader is not None else None
        except Exception:  # the index failed: its notice says why
            return True
        return row is None or row.order_state == ACTION_REQUIRED

    def show_counts(self) -> None:
        """The stats bar: the open scope's orders per state in the index."""
        counts: StateCounts | None = None
        if self._reader is not None:
            try:
                counts = self._reader.state_counts(self.orders.scope)
            except Exception:  # the index failed: its notice says why; no counts meanwhile
                counts = None
        behind = self._counts.behind if self._counts is not None else None
        self._counts = counts
        if counts is not None and counts.behind != behind:
            self._show_status()
        fraction = self.progress.fraction if self.progress is not None else None
        complete = self.progress.complete if self.progress is not None else None
        stats = self._screen.query_one(StatsBar)
        if counts is not None and complete is not None:
            counts = dataclasses.replace(counts, complete=complete or counts.complete)
        nothing = counts is None or (not counts.total and not (counts.complete))
        why = ""  # the status line says more
        if nothing:
            rejected = self.connection.link is Link.REJECTED
            why = nothing_because(self.progress, rejected=rejected, down=self.connection.down)
        stats.show_counts(None if nothing else counts, sync_fraction=fraction, unavailable=why)

    # -- refreshing ----------------------------------------------------------------------
    def refresh_now(self) -> None:
        """``r``: refresh the newest orders now. The rows, cursor, filter and scroll stay on
        screen; a failure keeps them, marked stale, and says why."""
        sync = self.sync
        self._manual = sync.refreshes
        self._failures = 0
        sync.refresh_now()

    def _stop_timer(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None

    def _schedule_wake(self) -> None:
        """The sync stopped (credentials rejected, a wrong base_url): try again with the
        reconnection backoff, whether or not auto-refresh is on."""
        if self._timer is not None:
            return
        self._failures += 1
        delay = recovery_delay(self._failures, base=self.RECOVERY_BASE, cap=self.RECOVERY_CAP)
        self._next_probe = monotonic() + delay
        self._timer = once(self._screen, delay, self._wake, name="sync recovery")

    def _wake(self) -> None:
        self._timer = None
        self.sync.wake()

    # -- connection ----------------------------------------------------------------------
    def connection_event(self, event: ClientEvent) -> bool:
        """An API client event (retrying, ok, failed) arrived on the UI loop; returns whether
        it ended an outage (offline or signed out, and now answered)."""
        before = self.connection.link
        changed = self._observe(event)
        self._show_status()
        return changed is Link.ONLINE and before in (Link.OFFLINE, Link.REJECTED)

    def _observe(self, event: ClientEvent) -> Link | None:
        changed = self.connection.observe(event, mono=monotonic(), now=local_now())
        if changed is Link.ONLINE:
            self._accepted = True
        if changed is Link.REJECTED:
            app = self._screen.app
            if self._accepted:
                message, title = REJECTED_MESSAGE, "Signed out"
            elif self._nothing_loaded():
                message, title = REJECTED_AT_START, "Not signed in"
            else:
                message, title = REJECTED_OVER_INDEX, "Not signed in"
            toast(app, message, title=title, severity="error", timeout=20)
        if changed in (Link.OFFLINE, Link.REJECTED):
            self._set_stale(True)
        elif changed is Link.ONLINE:
            progress = self.progress
            if progress is not None and progress.phase in ("offline", "stopped"):
                self.sync.wake()  # back: read what was missed without waiting for the backoff
        return changed

    def _set_stale(self, stale: bool) -> None:
        if stale == self.stale:
            return
        self.stale = stale
        self._screen.query_one(StatsBar).set_class(stale, "-stale")
        self._subtitle()

    def _nothing_loaded(self) -> bool:
        orders = self.orders
        return not orders.loaded_count and not orders.complete

    def _subtitle(self) -> None:
        """The orders pane's subtitle: the rows' age before the first answer, stale rows
        marked; none at all, said so."""
        status = self.orders.order_list.model.status
        as_of = status.as_of if status is not None else None
        when = f"as of {local_time(as_of):%H:%M}" if as_of is not None else ""
        subtitle = ""
        if self.stale:
            if self._nothing_loaded():
                subtitle = "⚠ nothing loaded yet"
            else:
                subtitle = f"⚠ stale: {when or 'last data shown'}"
        elif not self.sync.answered:
            subtitle = f"{when} · refreshing" if when else "refreshing…"
        # Only when it changes: setting it repaints the whole pane (the whole list, over SSH),
        # and this runs after every answer of the API.
        if str(self.orders.border_subtitle or "") != subtitle:
            self.orders.border_subtitle = Text(subtitle, style="bold" if self.stale else "")

    def _show_status(self) -> None:
        self._subtitle()
        refreshes = self.sync.refreshes
        progress = self.progress
        last = None
        if refreshes and progress is not None and progress.refreshed_at is not None:
            last = local_time(progress.refreshed_at)
        self.status_line.show(
            StatusInfo(
                connection=dataclasses.replace(self.connection),
                auto=self.live_auto,
                interval=self.live_interval,
                last_refresh=last,
                stale=self.stale,
                nothing_loaded=self._nothing_loaded(),
                next_probe=self._next_probe if self._sync_waiting() else None,
                sync=sync_text(self._with_bar_counts(progress))
                if progress is not None
                else self._known,
                marked=self.orders.order_list.model.marked,
            )
        )

    def _with_bar_counts(self, progress: SyncProgress) -> SyncProgress:
        """``progress`` with the counts the stats bar shows, when they are of its scope."""
        counts = self._counts
        if counts is None or progress.scope != self.orders.scope:
            return progress
        return dataclasses.replace(progress, counts=counts)

    def _sync_waiting(self) -> bool:
        progress = self.progress
        return self.connection.down or (
            progress is not None and progress.phase in ("offline", "stopped")
        )

    def list_changed(self) -> None:
        """The list showed another view (its marks may differ): redraw the status line."""
        self._show_status()

    # -- the key -------------------------------------------------------------------------
    def toggle_auto(self) -> None:
        """``a``: auto-refresh on or off (a stopped sync is still woken while it is down)."""
        self.live_auto = not self.live_auto
        app = self._screen.app
        if self.live_auto:
            seconds = f"{self.live_interval:g}"
            toast(app, f"Auto-refresh on: every {seconds} s.", title="Auto-refresh")
            self.sync.set_refresh_seconds(self.live_interval)
            self.sync.wake()
        else:
            toast(app, "Auto-refresh off.", title="Auto-refresh")
            self.sync.set_refresh_seconds(0)
        self._show_status()
