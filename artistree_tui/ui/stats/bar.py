"""The stats bar: how many orders of the current scope are in each state.

Counts come from the local order index (:meth:`artistree_tui.store.Reader.state_counts`): the
orders the list can show, gone ones left out. Until the sync has read the whole organization
once they are partial, and the bar says so: ``… Total 34,000 so far · sync 34 %`` (the words
"so far" are never dropped, whatever the width). Complete counts that the API's own counts
show to be off say by how much: ``… Total 20,000 11 behind the API`` (orders older than the
refreshed head changed state; the sync walks the organization again soon). Each state is
drawn with its symbol and a word as well as a colour (see :mod:`artistree_tui.ui.states`), so
the bar reads under ``NO_COLOR`` and on 16-colour terminals. The bar picks the richest wording
that fits its width: full state names, then short words, then symbols only.
"""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from artistree_tui.api.models import KNOWN_STATES
from artistree_tui.display import safe
from artistree_tui.store import StateCounts
from artistree_tui.ui.orders.source import percent
from artistree_tui.ui.states import state_label

SEPARATOR = "  "


def partial_note(counts: StateCounts, fraction: float | None, *, short: bool = False) -> str:
    """``so far · sync 34 %`` for counts not yet complete; ``11 behind the API`` for complete
    counts the API's own show to be off (the next walk catches up); else "". ``short``: the
    words that are never dropped, ``so far`` or ``11 behind`` (the status line says the rest)."""
    sync = f" · sync {percent(fraction)}" if fraction is not None and not short else ""
    if counts.complete:
        if not counts.behind:
            return ""
        return f"{counts.behind:,} behind" + ("" if short else f" the API{sync}")
    return "so far" + sync


def stats_variants(
    counts: StateCounts | None, *, unavailable: str = "", fraction: float | None = None
) -> list[Text]:
    """The bar's counts in four wordings, longest first (``unavailable``: no counts yet, and
    why, "the API did not answer" or "the API refused the request": "loading" would be a
    promise the bar cannot keep)."""
    if counts is None:
        waiting = f"no counts: {unavailable}" if unavailable else "loading counts…"
        return [Text(waiting, style="dim")]
    full, short, tiny, tight = Text(), Text(), Text(), Text()
    wordings = (
        (full, SEPARATOR, True),
        (short, SEPARATOR, True),
        (tiny, SEPARATOR, False),
        (tight, " ", False),  # the note's first words in sight at 80 columns, 1M orders
    )
    for state in KNOWN_STATES:
        label = state_label(state)
        count = counts.get(state)
        for text, separator, worded in wordings:
            words = (state if text is full else label.word) if worded else ""
            if text:
                text.append(separator)
            text.append(f"{label.symbol} ", style=label.style)
            if words:
                text.append(f"{words} ", style=label.style)
            text.append(f"{count:,}", style="bold")  # as the list writes them
    note, brief = partial_note(counts, fraction), partial_note(counts, fraction, short=True)
    for (text, separator, _worded), words in zip(
        wordings, ("Total ", "total ", "Σ ", "Σ "), strict=True
    ):
        text.append(separator)
        text.append(words, style="bold")
        text.append(f"{counts.total:,}", style="bold")
        said = brief if text is tight else note
        if said:  # "Σ 3,000 so far"; "Σ 20,000 · 11 behind the API" (two numbers apart)
            text.append(f" {said}" if said.startswith("so far") else f" · {said}", style="italic")
    return [full, short, tiny, tight]


class StatsBar(Widget):
    """One line: the scope's name, then its counts per state, then a short status."""

    counts: reactive[StateCounts | None] = reactive(None, layout=False)
    fraction: reactive[float | None] = reactive(None, layout=False)
    scope: reactive[str] = reactive("")
    status: reactive[str] = reactive("")
    unavailable: reactive[str] = reactive("")

    def show_counts(
        self,
        counts: StateCounts | None,
        *,
        sync_fraction: float | None = None,
        unavailable: str = "",
    ) -> None:
        """Show the scope's ``counts`` (None: none yet); ``sync_fraction``: how far the sync
        is while they are partial; ``unavailable``: why there are none, if not loading."""
        self.counts = counts
        self.fraction = sync_fraction
        self.unavailable = unavailable

    def render(self) -> Text:
        width = self.size.width or 80
        status = safe(self.status, style="italic", limit=80) if self.status else Text()
        scope = safe(self.scope, style="bold reverse", limit=40) if self.scope else Text()
        if scope:
            scope = Text(" ").append(scope).append(" ")
            scope.stylize("bold reverse")
        variants = stats_variants(self.counts, unavailable=self.unavailable, fraction=self.fraction)
        # Prefer keeping the scope's name over longer wording; drop the status first.
        for with_scope, with_status in ((True, True), (True, False), (False, False)):
            for counts in variants:
                line = Text()
                if with_scope and scope:
                    line.append(scope).append(" ")
                line.append(counts)
                if with_status and status:
                    line.append(SEPARATOR).append(status)
                if line.cell_len <= width:
                    return line
        line = variants[-1].copy()
        line.truncate(width, overflow="ellipsis")
        return line
