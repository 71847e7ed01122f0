"""The status line's words for each connection state, the sync's progress (honest about what
is not complete), the marks it shows (only when there are some), the countdowns, and its
colours (only the connection badge is coloured)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

import pytest
from textual.app import App, ComposeResult

from artistree_tui.api.retry import ClientEvent
from artistree_tui.store import ALL
from artistree_tui.sync import SyncProgress
from artistree_tui.ui.live.status_line import (
    StatusInfo,
    StatusLine,
    connection_text,
    status_text,
    sync_text,
)

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
    info = StatusInfo(auto=True, interval=120.0, marked=4)
    line = status_text(info, 0).plain
    assert "auto-refresh every 2 min" in line and "+/* 4 new or changed" in line
    assert "… connecting · +/* 4 new or changed · refreshing… ·" in line  # the first answer
    info.connection.observe(ClientEvent("ok"), mono=1, now=NOW)  # the token, say
    assert "● online · +/* 4 new or changed · refreshing… ·" in status_text(info, 1).plain
    info.connection.observe(ClientEvent("failed", "server error"), mono=2, now=NOW)
    assert "not refreshed yet" in status_text(info, 2).plain  # and it did not come
    assert "new or changed" not in status_text(StatusInfo(), 0).plain  # only when some
    # A countdown rounds up: 0.4 s left is "1 s", never "0 s" while still waiting.
    now = datetime(2026, 11, 28, 14, 2, 31)
    info = StatusInfo()
    info.connection.observe(ClientEvent("retrying", "rate limited", 3.0, 2), mono=10, now=now)
    assert connection_text(info, 12.6).plain == "↻ retrying in 1 s (rate limited)"


def test_the_sync_says_how_far_it_has_got_and_how_long_is_left() -> None:
    sweeping = SyncProgress(
        scope=ALL, phase="sweeping", indexed=34_000, total=100_000, swept=34_000, eta=130.0
    )
    assert sync_text(sweeping) == "indexed 34,000 / 100,000 · sync 34 % · about 2 min left"
    done = SyncProgress(scope=ALL, phase="idle", indexed=100_000, total=100_000, complete=True)
    assert sync_text(done) == "100,000 orders indexed"
    # Walking a whole index again is not "25 % synced" next to "100,000 / 100,000 indexed".
    again = replace(sweeping, indexed=100_000, swept=25_000, eta=9.0, complete=True)
    assert sync_text(again) == "100,000 orders indexed · re-sweep 25 % · about 9 s left"
    cut = SyncProgress(scope=ALL, phase="offline", indexed=1_200, total=3_000, error="offline")
    assert sync_text(cut) == "indexed 1,200 so far · sync waiting to retry"
    # A walk whose request gave up keeps its total and how far it had got (a tryout read
    # "sync paused" and lost the total at every retry, while the sync went on).
    mid_walk = replace(cut, indexed=8_001, total=20_000, swept=8_000)
    assert sync_text(mid_walk) == "indexed 8,001 / 20,000 · sync 40 % · waiting to retry"
    assert sync_text(replace(cut, phase="stopped", error=None)) == (
        "indexed 1,200 so far · sync stopped"
    )
    # Stopped on the API's answer: what it answered stays on the line (the toast goes).
    refused = replace(cut, phase="stopped", error="the API at x has no /v1/orders (HTTP 404)")
    assert sync_text(refused) == (
        "indexed 1,200 so far · sync stopped: the API at x has no /v1/orders (HTTP 404)"
    )
    broken = SyncProgress(
        scope=ALL, phase="idle", indexed=900, problem="the API's paging looks broken\x1b[2J"
    )
    text = sync_text(broken)
    assert text.startswith("indexed 900 so far · incomplete: the API's paging looks broken")
    assert "\x1b" not in text
    line = status_text(StatusInfo(sync=sync_text(sweeping)), 0).plain
    assert "· indexed 34,000 / 100,000 · sync 34 %" in line
    assert sync_text(None) == ""


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


def full_info() -> StatusInfo:
    info = StatusInfo(auto=True, interval=30.0, last_refresh=NOW, marked=1234)
    info.connection.observe(ClientEvent("ok"), mono=0, now=NOW)
    info.sync = "2,000 orders indexed"
    return info


def test_a_narrow_line_says_refresh_and_auto_refresh_in_short_and_keeps_the_marks() -> None:
    sweeping = full_info()
    sweeping.sync, sweeping.marked = "indexed 9,000 / 20,000 · sync 45 % · about 3 s left", 0
    line = status_text(sweeping, 0, 78).plain  # 80 columns less the line's padding
    assert line == "● online · indexed 9,000 / 20,000 · sync 45 % · about 3 s left", line
    info = full_info()
    wide = status_text(info, 0, 200).plain
    assert wide == (
        "● online · 2,000 orders indexed · +/* 1,234 new or changed · refreshed 14:02:31 · "
        "auto-refresh every 30 s"
    )
    assert status_text(info, 0).plain == wide  # no width: the long form
    marks = "● online · 2,000 orders indexed · +/* 1,234 new or changed"
    short = f"{marks} · refreshed 14:02:31"  # 80 cells
    assert status_text(info, 0, 92).plain == f"{short} · auto 30 s"
    # The refresh keeps its seconds longer than auto-refresh is said: after r in the same
    # minute, "refreshed 14:02" would say nothing happened.
    assert status_text(info, 0, 90).plain == short
    assert status_text(info, 0, 78).plain == f"{marks} · refreshed 14:02"  # 80 columns
    # Narrower still: no refresh part rather than one cut in the middle of its time.
    assert status_text(info, 0, 70).plain == marks
    # Then whole parts, and "…", rather than a word cut in the middle.
    assert status_text(info, 0, 40).plain == "● online · 2,000 orders indexed · …"
    assert status_text(info, 0, 20).plain == "● online · …"
    # The sync's own parts go one by one too, the last first.
    assert status_text(sweeping, 0, 50).plain == "● online · indexed 9,000 / 20,000 · sync 45 % · …"
    info.auto = False
    assert status_text(info, 0, 92).plain.endswith("refreshed 14:02:31 · auto off")


async def test_the_line_on_80_columns_shows_the_marks() -> None:
    class LineApp(App[None]):
        def compose(self) -> ComposeResult:
            yield StatusLine()

    app = LineApp()
    async with app.run_test(size=(80, 3)) as pilot:
        line = app.query_one(StatusLine)
        line.show(full_info())
        await pilot.pause()
        shown = "".join(s.text for s in line.render_line(0))
        assert "+/* 1,234 new or changed" in shown and "…" not in shown
