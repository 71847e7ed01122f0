"""Helpers for the sync and resilience tests (no tests here): a console wired like
``run_console`` wires it (the client's events reach the screen), with retries, the sync's
backoff and the reconnection waits shortened so an outage takes milliseconds, not minutes."""

from __future__ import annotations

from typing import Any

from artistree_tui.api.retry import RetryPolicy
from artistree_tui.connect import build_client
from artistree_tui.demo import DEMO_EPOCH
from artistree_tui.store import Row
from artistree_tui.sync import SyncSettings
from artistree_tui.ui.app import ConsoleApp
from artistree_tui.ui.live.connection import ClientEventRelay, Link
from artistree_tui.ui.live.status_line import StatusInfo
from artistree_tui.ui.screen.main import MainScreen
from tests.support.app import demo_settings, list_loaded, sync_done, wait_for, wait_steady

#: Two tries per request, milliseconds apart: an outage is declared at once.
FAST_RETRY = RetryPolicy(max_attempts=2, base_delay=0.01, max_delay=0.02, retry_after_cap=0.05)


def live_app(
    demo: Any,
    *,
    retry: RetryPolicy | None = FAST_RETRY,
    backoff: tuple[float, float] = (0.2, 0.5),
    **overrides: Any,
) -> ConsoleApp:
    """The console on ``demo`` with a client event relay (as ``run_console`` builds it); its
    sync unpaced and waiting out outages ``backoff`` = (first, longest) seconds."""
    settings = demo_settings(demo, **overrides)
    relay = ClientEventRelay()
    client = build_client(settings, retry=retry, on_event=relay)
    sync = SyncSettings.from_settings(
        settings, rate=0, backoff_base=backoff[0], backoff_cap=backoff[1]
    )
    return ConsoleApp(settings, client, client_events=relay, sync=sync)


def advance_uploads(demo: Any, uploads: int, every: float) -> None:
    """Move the demo clock (``new_order_every=every``, default epoch) so that ``uploads``
    more orders have been uploaded, landing just after the last of them: the next upload is
    a whole interval away. The demo clock also runs in real time; a plain jump plus a test
    slowed down by a loaded machine could see one more upload."""
    now = demo.now()
    done = int((now - DEMO_EPOCH) // every)
    demo.advance(DEMO_EPOCH + (done + uploads) * every + 0.5 - now)


def quick_recovery(screen: MainScreen, *, base: float = 0.05, cap: float = 0.2) -> None:
    """A stopped sync (credentials rejected) woken every few tens of milliseconds instead of
    2 s … 60 s (the sync's own backoff while offline is ``live_app``'s ``backoff``)."""
    screen.live.RECOVERY_BASE = base
    screen.live.RECOVERY_CAP = cap


def list_orders_shown(screen: MainScreen, count: int) -> list[Row]:
    """The first ``count`` rows the list shows (fewer if it has fewer)."""
    model = screen.orders.order_list.model
    rows = (model.row(index) for index in range(min(count, model.count)))
    return [row for row in rows if row is not None]


def status(screen: MainScreen) -> str:
    """The status line's text as it is drawn now."""
    return screen.status_line.render().plain


class StatusLog:
    """Every (link, status line) the screen drew from now on, in order.

    With quick recovery an outage can last a fraction of a second: polling
    ``screen.live.connection.link`` may look too late (a loaded machine pauses the test for longer
    than that) and then wait forever for a state that came and went. The log keeps it.
    """

    def __init__(self, screen: MainScreen) -> None:
        self.seen: list[tuple[Link, str]] = []
        line = screen.status_line
        draw = line.show

        def show(info: StatusInfo) -> None:
            draw(info)
            self.seen.append((info.connection.link, line.render().plain))

        line.show = show  # type: ignore[method-assign]

    @property
    def links(self) -> list[Link]:
        return [link for link, _ in self.seen]

    def lines(self, link: Link) -> list[str]:
        """The status lines drawn while the link was ``link``."""
        return [text for shown, text in self.seen if shown is link]


async def quiet(pilot: Any, app: ConsoleApp) -> None:
    """Wait until the whole organization is indexed, project discovery is over, the full
    detail order has arrived and the sync waits: the next request is the one a test scripts
    a fault for (with ``refresh_seconds=0``: the one ``r`` or a test asks for)."""
    await wait_for(pilot, lambda: list_loaded(app))
    screen = app.main_screen
    await wait_steady(
        pilot,
        lambda: screen.detail.complete and sync_done(app) and screen.discovery_state == "done",
        state=lambda: (screen.detail.complete, screen.live.progress, screen.discovery_state),
    )


async def scripted_outage(
    pilot: Any, app: ConsoleApp, demo: Any, script: list[str], link: Link
) -> StatusLog:
    """A quiet console reconnecting every ~0.2 s, ``script`` handed to the demo's next API
    requests, a refresh now; returns the status log once it has shown ``link``."""
    await quiet(pilot, app)
    screen = app.main_screen
    quick_recovery(screen, base=0.2, cap=0.3)
    log = StatusLog(screen)  # the outage lasts only until the next attempt, ~0.2 s
    demo.faults.script.extend(script)
    screen.live.refresh_now()
    await wait_for(
        pilot, lambda: link in log.links, state=lambda: (log.links, list(demo.faults.script))
    )
    return log
