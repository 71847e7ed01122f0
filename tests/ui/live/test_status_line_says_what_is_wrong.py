"""The status line and the notifications say what is wrong: an API whose every answer fails to
parse is "answering with errors", never "online"; a line too long for the terminal ends with
an ellipsis; wrong credentials at the first start do not speak of "the last data"."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from artistree_tui.demo import DemoServer, FaultConfig
from artistree_tui.ui.live.connection import Link
from artistree_tui.ui.live.refresher import (
    REJECTED_AT_START,
    REJECTED_MESSAGE,
    REJECTED_OVER_INDEX,
)
from tests.support.app import notifications, screen_text, wait_for
from tests.support.live import StatusLog, live_app, status


async def test_every_answer_malformed_is_answering_with_errors(
    make_demo: Callable[..., DemoServer],
) -> None:
    """``--demo-faults malformed=1``: the server answers every request, with a body the
    client cannot parse. It used to say "● online" with nothing on screen."""
    server = make_demo(orders=300, seed=7, faults=FaultConfig(rate_malformed=1.0))
    app = live_app(server)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.main_screen
        log = StatusLog(screen)
        await wait_for(pilot, lambda: screen.live.connection.link is Link.ERRORS)
        line = status(screen)
        assert line.startswith("⚠ API answering with errors since ")
        assert "(malformed response)" in line
        assert "API answering with errors" in screen_text(app)
        # From the first answer on (the token server's "ok" comes before it), never online.
        first = log.links.index(Link.ERRORS)
        assert Link.ONLINE not in log.links[first:], log.seen
        # It answers again: online.
        server.faults.rate_malformed = 0.0
        screen.live.refresh_now()  # r
        await wait_for(pilot, lambda: screen.live.connection.link is Link.ONLINE)
        assert status(screen).startswith("● online")


async def test_a_status_line_too_long_ends_with_an_ellipsis(
    make_demo: Callable[..., DemoServer],
) -> None:
    server = make_demo(orders=300, seed=7)
    app = live_app(server, client_secret="not-the-secret", refresh_seconds=30.0)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.main_screen
        await wait_for(pilot, lambda: screen.live.connection.link is Link.REJECTED)
        await pilot.pause()
        full = screen.status_line.info  # everything it would say...
        assert "auto-refresh every 30 s" in status_text_of(full)
        drawn = screen_text(app).splitlines()[-2]  # ...and what the line shows at 120
        assert drawn.rstrip().endswith("…"), drawn
        assert len(drawn.rstrip()) <= 120


def status_text_of(info: object) -> str:
    from artistree_tui.ui.live.status_line import status_text

    return status_text(info, 0).plain  # type: ignore[arg-type]


async def test_wrong_credentials_at_the_first_start_speak_of_no_data(
    make_demo: Callable[..., DemoServer],
) -> None:
    server = make_demo(orders=300, seed=7)
    app = live_app(server, client_secret="not-the-secret")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.main_screen
        await wait_for(pilot, lambda: screen.live.connection.link is Link.REJECTED)
        await wait_for(pilot, lambda: REJECTED_AT_START in notifications(app))
        assert REJECTED_MESSAGE not in notifications(app)
        assert not any("last data" in note for note in notifications(app))
        assert "credentials rejected" in status(screen)


async def test_wrong_credentials_over_rows_a_run_before_indexed_are_not_a_sign_out(
    make_demo: Callable[..., DemoServer], tmp_path: Path
) -> None:
    """The index is one per API and client id: a wrong secret finds the rows the right one
    left. The API never accepted these credentials, so it does not "no longer" accept them."""
    server = make_demo(orders=300, seed=7, new_order_every=0)
    disk = {"store": "disk", "cache_dir": tmp_path / "cache"}
    first = live_app(server, **disk)
    async with first.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: first.main_screen.orders.loaded_count == 300)
    app = live_app(server, client_secret="not-the-secret", **disk)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.main_screen
        await wait_for(pilot, lambda: screen.live.connection.link is Link.REJECTED)
        await wait_for(pilot, lambda: REJECTED_OVER_INDEX in notifications(app))
        assert screen.orders.loaded_count == 300  # the rows the index holds, still shown
        assert REJECTED_MESSAGE not in notifications(app)
        assert not any("no longer" in note for note in notifications(app))


async def test_a_base_url_that_is_not_the_api_says_check_base_url_not_credentials(
    make_demo: Callable[..., DemoServer],
) -> None:
    """A 404 where the order list always is: the console names ``base_url``; the credentials
    were accepted, so it is not "credentials rejected" (which sends the reviewer to the wrong
    setting)."""
    server = make_demo(orders=50, seed=7)
    app = live_app(server, base_url=server.base_url + "/not-the-api")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.main_screen
        await wait_for(pilot, lambda: any("check base_url" in n for n in notifications(app)))
        assert screen.live.connection.link is not Link.REJECTED
        assert REJECTED_MESSAGE not in notifications(app)
        assert REJECTED_AT_START not in notifications(app)
        assert "credentials rejected" not in status(screen)
        # The toast goes; the status line keeps saying it.
        await wait_for(pilot, lambda: "sync stopped: " in status(screen))
        assert status(screen).endswith("has no /v1/orders (HTTP 404): check base_url")
