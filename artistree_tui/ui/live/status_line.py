"""The status line above the footer: connection, stale, the sync's progress, last refresh,
auto-refresh, marks.

Every word here is ours (reasons come from the API layer's fixed vocabulary and still pass
through :func:`artistree_tui.display.clean`). Each state has a symbol *and* words, so the line
reads under ``NO_COLOR`` and on 16-colour terminals. While a countdown is shown ("retrying in
3 s") a one-second timer redraws it; otherwise the line is redrawn only when told.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from rich.text import Text
from textual.timer import Timer
from textual.widget import Widget

from artistree_tui.display import clean
from artistree_tui.sync.progress import duration
from artistree_tui.ui.live.connection import ConnectionState, Link
from artistree_tui.ui.orders.source import percent

if TYPE_CHECKING:
    from artistree_tui.sync import SyncProgress

SEPARATOR = " · "


@dataclass(slots=True)
class StatusInfo:
    """Everything the line shows (owned by the screen, handed over on each change)."""

    connection: ConnectionState = field(default_factory=ConnectionState)
    auto: bool = False
    interval: float = 0.0
    last_refresh: datetime | None = None
    stale: bool = False
    nothing_loaded: bool = False  # stale, but no data was ever loaded: say that instead
    next_probe: float | None = None  # monotonic time of the next reconnection attempt
    sync: str = ""  # how far the index is (sync_text)
    marked: int = 0  # rows new or changed since the watermark, in the list as filtered


def _seconds(until: float, now: float) -> str:
    # Rounded up: "retrying in 0 s" while the wait is still running reads as a stuck timer.
    left = max(0, math.ceil(until - now))
    return f"{left} s" if left < 120 else f"{left // 60} min"


def sync_text(progress: SyncProgress | None) -> str:
    """How much of the organization is indexed, honestly: ``indexed 34,000 / 100,000 · sync
    34 % · about 2 min left`` while it sweeps, ``100,000 orders indexed`` once complete (and
    ``100,000 orders indexed · re-sweep 25 % · about 9 s left`` while it walks them again),
    ``indexed 34,000 so far`` otherwise (our words; a problem is cleaned)."""
    if progress is None:
        return ""
    indexed = f"{progress.indexed:,}"
    fraction = progress.fraction
    waiting = progress.phase == "offline"  # a request gave up: the sync tries again soon
    if waiting and progress.total and progress.swept and not progress.complete:
        fraction = min(progress.swept / progress.total, 1.0)  # how far the walk had got
    if fraction is not None and waiting:
        total = f" / {progress.total:,}" if progress.total is not None else ""
        return f"indexed {indexed}{total} · sync {percent(fraction)} · waiting to retry"
    if fraction is not None and progress.complete:
        line = f"{indexed} orders indexed · re-sweep {percent(fraction)}"
        if progress.eta is not None:
            line += f" · about {duration(progress.eta)} left"
        return line
    if fraction is not None:
        total = f" / {progress.total:,}" if progress.total is not None else ""
        line = f"indexed {indexed}{total} · sync {percent(fraction)}"
        if progress.eta is not None:
            line += f" · about {duration(progress.eta)} left"
        return line
    if progress.complete:
        behind = progress.counts.behind
        if behind:  # the next walk catches up (sync/engine.py)
            return f"{indexed} orders indexed · {behind:,} behind the API"
        return f"{indexed} orders indexed"
    line = f"indexed {indexed} so far"
    if progress.problem:
        line += f" · incomplete: {clean(progress.problem, limit=60)}"
    elif waiting:
        line += " · sync waiting to retry"
    elif progress.phase == "stopped" and progress.refused and progress.error:
        # What the API answered, in our words ("… has no /v1/orders (HTTP 404): check
        # base_url"): the toast that said it goes, this stays.
        line += f" · sync stopped: {clean(progress.error, limit=100)}"
    elif progress.phase == "stopped":
        line += " · sync stopped"
    return line


def _interval(seconds: float) -> str:
    if seconds >= 60 and seconds % 60 == 0:
        return f"{int(seconds // 60)} min"
    return f"{seconds:g} s"


#: The API layer's reasons as the badge says them, where its word would repeat the badge's:
#: a connection that cannot be made is the reason "offline", and "✗ offline since 14:02
#: (offline)" says the word twice and nothing more.
REASON_WORDS = {"offline": "unreachable"}


def connection_text(info: StatusInfo, mono: float) -> Text:
    """The connection part: online / retrying in N s (reason) / offline since HH:MM."""
    state = info.connection
    reason = clean(REASON_WORDS.get(state.reason, state.reason), limit=40)
    link = state.link
    if link is Link.UNKNOWN:
        return Text("… connecting", style="dim")
    if link is Link.ONLINE:
        return Text("● online", style="green")
    if link is Link.ERRORS:
        since = f" since {state.since:%H:%M}" if state.since else ""
        return Text(
            f"⚠ API answering with errors{since} ({reason or 'error'})", style="bold yellow"
        )
    if link is Link.REJECTED:
        since = f" since {state.since:%H:%M}" if state.since else ""
        return Text(
            f"✗ credentials rejected{since}: check client_id/client_secret in your config",
            style="bold red",
        )
    retry = ""
    if state.retry_at is not None and state.retry_at > mono:
        retry = f"retrying in {_seconds(state.retry_at, mono)}"
    elif state.retry_at is not None:
        retry = "retrying now"
    elif info.next_probe is not None:
        retry = f"next try in {_seconds(info.next_probe, mono)}" if info.next_probe > mono else ""
        retry = retry or "trying again now"
    if link is Link.RETRYING:
        return Text(f"↻ {retry or 'retrying'} ({reason or 'error'})", style="yellow")
    since = f" since {state.since:%H:%M}" if state.since else ""
    line = f"✗ offline{since} ({reason or 'unreachable'})"
    if retry:
        line += f"{SEPARATOR}{retry}"
    return Text(line, style="bold red")


def status_text(info: StatusInfo, mono: float, width: int | None = None) -> Text:
    """The whole line, most important first: the connection, stale, the sync's progress, the
    rows new or changed (only when there are some), the last refresh, auto-refresh.

    ``width``: the cells there are. A line too long for them says auto-refresh in short
    (``auto 30 s``), then leaves it out, then says the refresh to the minute, then leaves the
    refresh out too (at 80 columns, a sweep's ``… · about 3 s left`` was followed by
    ``refreshed 12…``, cut in the middle of the time). The refresh keeps its seconds as long as
    it can: after ``r`` within the same minute, ``refreshed 14:57`` said nothing had happened.
    Still too long, the line ends after its last whole part, with ``…`` (a rejected key's
    line was cut in the middle of a word: ``50,115 orders index…``). At 80 columns the count
    of rows new or changed was cut off the end.

    Only the connection badge carries the connection's colour: it is appended as a styled
    part of an unstyled line (a ``Text`` built *with* a style passes it to all it holds).
    """
    for form in FORMS:
        line = _line(info, mono, form)
        if width is None or line.cell_len <= width:
            return line
    assert width is not None
    parts = _parts(info, mono, "none")
    while len(parts) > 1:
        parts.pop()
        line = _joined([*parts, Text("…")])
        if line.cell_len <= width:
            return line
    return line  # the connection and "…", still too long: the widget cuts it


#: How the refresh and auto-refresh parts are said, longest first (see status_text).
FORMS = ("long", "short", "shortest", "minute", "none")


def _line(info: StatusInfo, mono: float, form: str) -> Text:
    return _joined(_parts(info, mono, form))


def _joined(parts: list[Text]) -> Text:
    line = Text()
    for k, part in enumerate(parts):
        if k:
            line.append(SEPARATOR)
        line.append_text(part)
    return line


def _parts(info: StatusInfo, mono: float, form: str) -> list[Text]:
    parts = [connection_text(info, mono)]
    if info.stale:
        stale = "⚠ nothing loaded" if info.nothing_loaded else "⚠ stale data"
        parts.append(Text(stale, style="bold reverse"))
    if info.sync:  # its own parts (``indexed 9,000 / 20,000 · sync 45 % · …``), one by one
        parts.extend(Text(part) for part in info.sync.split(SEPARATOR))
    if info.marked:  # only when there are some
        parts.append(Text(f"+/* {info.marked:,} new or changed", style="bold"))
    if form == "none":
        return parts
    clock = "%H:%M" if form == "minute" else "%H:%M:%S"
    if info.last_refresh is not None:
        parts.append(Text(f"refreshed {info.last_refresh.strftime(clock)}"))
    elif info.connection.link in (Link.UNKNOWN, Link.ONLINE, Link.RETRYING):
        parts.append(Text("refreshing…", style="dim"))  # the first refresh is on its way
    else:
        parts.append(Text("not refreshed yet", style="dim"))
    if form in ("shortest", "minute"):
        return parts
    every = "auto-refresh every" if form == "long" else "auto"
    if info.auto:
        parts.append(Text(f"{every} {_interval(info.interval)}"))
    else:
        off = "auto-refresh off" if form == "long" else "auto off"
        parts.append(Text(off, style="dim"))
    return parts


class StatusLine(Widget):
    """One line docked above the footer (see the module docstring)."""

    DEFAULT_CSS = """
    StatusLine {
        height: 1;
        width: 1fr;
        padding: 0 1;
        background: $panel;
        color: $text-muted;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.info = StatusInfo()
        self._ticker: Timer | None = None

    def show(self, info: StatusInfo) -> None:
        """Draw ``info`` (and keep a countdown in it ticking). The line is repainted only
        when what it says changed (it is told after every answer of the API)."""
        changed = info != self.info
        self.info = info
        if changed:
            self.refresh()
        counting = info.connection.retry_at is not None or info.next_probe is not None
        if counting and self._ticker is None:
            self._ticker = self.set_interval(1.0, self._tick)
        elif not counting and self._ticker is not None:
            self._ticker.stop()
            self._ticker = None

    def _tick(self) -> None:
        # A countdown: repainted when the seconds shown changed.
        width = self.content_region.width
        text = status_text(self.info, time.monotonic(), width if width > 0 else None).plain
        if text != self._shown:
            self.refresh()

    _shown = ""

    def render(self) -> Text:
        width = self.content_region.width
        text = status_text(self.info, time.monotonic(), width if width > 0 else None)
        self._shown = text.plain
        text.no_wrap = True
        # Cut here, with an ellipsis: Textual cuts a line too long for the widget hard.
        if width > 0 and text.cell_len > width:
            text.truncate(width, overflow="ellipsis")
        return text
