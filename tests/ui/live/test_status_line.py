"""The status line's words for each connection state, the marks it shows (only those there are),
the countdowns, and its colours (only the connection badge is coloured)."""

from __future__ import annotations

from datetime import datetime

import pytest

from artistree_tui.api.retry import ClientEvent
from artistree_tui.ui.live.status_line import StatusInfo, connection_text, status_text

NOW = datetime(2026, 3, 2, 14, 2, 31).astimezone()


def test_status_words_for_each_state() -> None:
    info = StatusInfo(auto=True, interval=30.0, last_refresh=NOW)
    info.connection.observe(ClientEvent("ok"), mono=0, now=NOW)
    assert status_text(info, 0).plain == "● online · refreshed 14:02:31 · auto-refresh every 30 s"
    info.connection.observe(ClientEvent("retrying", "rate limited", 3.0, 2), mono=10, now=NOW)
    assert connection_text(info, 10).plain == "↻ retrying in 3 s (rate limited)"
    assert connection_text(info, 14).plain == "↻ retrying now (rate limited)"
    info.connection.observe(ClientEvent("failed", "server error"), mono=20, now=NOW)
    info.next_probe, info.stale, info.auto = 60.0, True, False
    line = status_text(info, 20).plain
    assert line.startswith("✗ offline since 14:02 (server error) · next try in 40 s")
    assert "⚠ stale data" in line and "auto-refresh off" in line
    info.connection.observe(ClientEvent("failed", "configuration"), mono=30, now=NOW)
    assert "credentials rejected since 14:02" in connection_text(info, 30).plain


def test_status_shows_marks_and_long_intervals() -> None:
    info = StatusInfo(auto=True, interval=120.0, new=3, changed=1)
    line = status_text(info, 0).plain
    assert "auto-refresh every 2 min" in line and "+3 new  *1 changed" in line
    assert "not refreshed yet" in line


def test_the_status_line_shows_only_the_marks_there_are() -> None:
    now = datetime(2026, 11, 28, 14, 2, 31)
    assert "+2 new" in status_text(StatusInfo(new=2), 0).plain
    assert "changed" not in status_text(StatusInfo(new=2), 0).plain
    only_changed = status_text(StatusInfo(changed=4), 0).plain
    assert "*4 changed" in only_changed and "new" not in only_changed
    assert "+3 new  *1 changed" in status_text(StatusInfo(new=3, changed=1), 0).plain
    # A countdown rounds up: 0.4 s left is "1 s", never "0 s" while still waiting.
    info = StatusInfo()
    info.connection.observe(ClientEvent("retrying", "rate limited", 3.0, 2), mono=10, now=now)
    assert connection_text(info, 12.6).plain == "↻ retrying in 1 s (rate limited)"


@pytest.mark.parametrize(
    "event",
    [
        ClientEvent("ok"),
        ClientEvent("retrying", "rate limited", 3.0, 2),
        ClientEvent("failed", "server error"),
    ],
)
def test_only_the_connection_badge_is_coloured(event: ClientEvent) -> None:
    info = StatusInfo(auto=True, interval=30.0, last_refresh=NOW)
    info.connection.observe(event, mono=0, now=NOW)
    line = status_text(info, 0)
    badge = connection_text(info, 0)
    assert not line.style  # the line itself has no colour...
    assert line.plain.startswith(badge.plain)
    for span in line.spans:  # ...only its parts do: the badge, and our dim/bold words
        text = line.plain[span.start : span.end]
        if span.start < badge.cell_len:
            assert span.end <= badge.cell_len and span.style == badge.style
        else:
            assert str(span.style) in {"dim", "bold", "bold reverse"}, text
    refreshed = line.plain.index("refreshed")
    assert not [s for s in line.spans if s.start <= refreshed < s.end]
