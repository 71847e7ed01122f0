"""The stats bar: how many orders of the current scope are in each state.

Counts come from the ``order_stats`` of the latest page loaded for the scope (the API's
totals for the scope, not per page). Each state is drawn with its symbol and a word as well
as a colour (see :mod:`artistree_tui.ui.states`), so the bar reads under ``NO_COLOR`` and on
16-colour terminals. The bar picks the richest wording that fits its width: full state names,
then short words, then symbols only.
"""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from artistree_tui.api.models import KNOWN_STATES, OrderStats
from artistree_tui.display import safe
from artistree_tui.ui.states import state_label

SEPARATOR = "  "


def stats_variants(stats: OrderStats | None, *, unavailable: bool = False) -> list[Text]:
    """The bar's counts in three wordings, longest first (``unavailable``: no counts yet and
    the request for them failed, so "loading" would be a promise the bar cannot keep)."""
    if stats is None:
        waiting = "no counts: the API did not answer" if unavailable else "loading counts…"
        return [Text(waiting, style="dim")]
    full, short, tiny = Text(), Text(), Text()
    for state in KNOWN_STATES:
        label = state_label(state)
        count = stats.count_for(state) or 0
        for text, words in ((full, state), (short, label.word), (tiny, "")):
            if text:
                text.append(SEPARATOR)
            text.append(f"{label.symbol} ", style=label.style)
            if words:
                text.append(f"{words} ", style=label.style)
            text.append(f"{count:,}", style="bold")  # as the list writes them
    for text, words in ((full, "Total "), (short, "total "), (tiny, "Σ ")):
        text.append(SEPARATOR)
        text.append(words, style="bold")
        text.append(f"{stats.total:,}", style="bold")
    return [full, short, tiny]


class StatsBar(Widget):
    """One line: the scope's name, then its counts per state, then a short status."""

    stats: reactive[OrderStats | None] = reactive(None, layout=False)
    scope: reactive[str] = reactive("")
    status: reactive[str] = reactive("")
    unavailable: reactive[bool] = reactive(False)

    def update_stats(self, stats: OrderStats | None, scope: str) -> None:
        self.scope = scope
        self.stats = stats
        self.unavailable = False

    def render(self) -> Text:
        width = self.size.width or 80
        status = safe(self.status, style="italic", limit=80) if self.status else Text()
        scope = safe(self.scope, style="bold reverse", limit=40) if self.scope else Text()
        if scope:
            scope = Text(" ").append(scope).append(" ")
            scope.stylize("bold reverse")
        variants = stats_variants(self.stats, unavailable=self.unavailable)
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
