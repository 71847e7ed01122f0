"""Offline, the status line says so once: ``✗ offline since 14:02 (unreachable) · next try in
8 s``, not ``offline since 14:02 (offline)`` (the API layer's reason for a connection that
cannot be made is the word "offline" itself). Each word of the connection badge appears
once, for every reason, and the line still says when the console tries again."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime

import pytest

from artistree_tui.api.retry import ClientEvent
from artistree_tui.demo import DemoServer
from artistree_tui.ui.live.connection import OUTAGE_REASONS, Link
from artistree_tui.ui.live.status_line import StatusInfo, connection_text
from tests.support.app import SIZE, wait_for
from tests.support.live import live_app, quiet, status

NOW = datetime(2026, 3, 2, 14, 2, 31).astimezone()


def repeated_words(text: str) -> list[str]:
    words = re.findall(r"[a-z]+", text.lower())
    return sorted({w for w in words if words.count(w) > 1})


@pytest.mark.parametrize("reason", sorted(OUTAGE_REASONS))
def test_each_word_of_the_offline_badge_appears_once(reason: str) -> None:
    info = StatusInfo(next_probe=48.0)
    info.connection.observe(ClientEvent("retrying", reason, 3.0, 2), mono=0, now=NOW)
    retrying = connection_text(info, 1).plain
    assert repeated_words(retrying) == [], retrying
    info.connection.observe(ClientEvent("failed", reason), mono=0, now=NOW)
    offline = connection_text(info, 40).plain
    assert offline.startswith("✗ offline since 14:02 (")
    assert "next try in 8 s" in offline  # what happens next is still said
    assert repeated_words(offline) == [], offline


def test_a_connection_that_cannot_be_made_is_unreachable() -> None:
    info = StatusInfo(next_probe=48.0)
    info.connection.observe(ClientEvent("failed", "offline"), mono=0, now=NOW)
    line = connection_text(info, 40).plain
    assert line == "✗ offline since 14:02 (unreachable) · next try in 8 s"


async def test_a_stopped_server_reads_offline_once(make_demo: Callable[..., DemoServer]) -> None:
    """The tryout: the console against a demo server that is then stopped."""
    server = make_demo(orders=300, seed=7)
    app = live_app(server)
    async with app.run_test(size=SIZE) as pilot:
        await quiet(pilot, app)
        screen = app.main_screen
        server.stop()  # connections refused from now on
        screen.live.refresh_now()
        await wait_for(pilot, lambda: screen.live.connection.link is Link.OFFLINE)
        assert screen.live.connection.reason == "offline"
        await wait_for(pilot, lambda: "next try in" in status(screen) or "now" in status(screen))
        badge = status(screen).split(" · ")[0]
        assert badge.startswith("✗ offline since") and "(unreachable)" in badge, badge
        assert repeated_words(badge) == [], badge
