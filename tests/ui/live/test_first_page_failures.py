"""The sync's first request failing before anything is indexed: asked again with the sync's
backoff without a key, one toast saying why, and "nothing loaded yet" (not "stale") while
nothing has arrived."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable

from artistree_tui.demo import DemoServer, FaultConfig
from tests.support.app import (
    list_loaded,
    notifications,
    order_requests,
    screen_text,
    wait_for,
)
from tests.support.live import live_app, status


async def test_a_failed_first_request_is_asked_again_with_the_backoff(
    make_demo: Callable[..., DemoServer],
) -> None:
    # A malformed first page: the server answered, so the link stays online and nothing is
    # stale; no auto-refresh (refresh_seconds=0): the sync asks again by itself.
    server = make_demo(orders=300, seed=7, faults=FaultConfig(script=deque(["malformed"])))
    app = live_app(server, backoff=(0.05, 0.2))
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: list_loaded(app), state=lambda: screen_text(app))
        assert any("could not read the orders" in n for n in notifications(app))
        heads = [
            r
            for r in order_requests(server)
            if "page_token" not in r.query and r.query["preview"] == "true"
        ]
        # The first API request is the sync's head: its malformed answer (a 200 the parser
        # refuses), then the same request again, answered.
        assert [r.status for r in heads[:2]] == [200, 200]
        assert heads[0].query == heads[1].query
        assert not app.main_screen.live.stale


async def test_stale_before_any_data_says_nothing_is_loaded(
    make_demo: Callable[..., DemoServer],
) -> None:
    server = make_demo(orders=300, seed=7, faults=FaultConfig(script=deque(["503"] * 50)))
    app = live_app(server)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.main_screen
        await wait_for(
            pilot, lambda: screen.live.stale and "nothing loaded yet" in screen_text(app)
        )
        text = screen_text(app)
        assert "stale" not in text
        assert "⚠ nothing loaded yet" in text and "⚠ nothing loaded" in status(screen)
        assert "no counts: the API did not answer" in text
        server.faults.script.clear()
        await wait_for(pilot, lambda: list_loaded(app) and not screen.live.stale)
        assert "nothing loaded" not in screen_text(app)


async def test_refused_credentials_before_any_data_are_not_called_silence(
    make_demo: Callable[..., DemoServer],
) -> None:
    # A tryout with a wrong secret read "the API did not answer" in the list and the stats
    # bar, while the status line said the credentials were rejected: the API did answer.
    refusals = deque(["token:invalid_client"] * 50)
    server = make_demo(orders=300, seed=7, faults=FaultConfig(script=refusals))
    app = live_app(server)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(
            pilot,
            lambda: (
                "no counts: the API refused" in screen_text(app)
                and "nothing loaded yet: the API refused the request" in screen_text(app)
            ),
            state=lambda: screen_text(app),
        )
        assert "did not answer" not in screen_text(app)
