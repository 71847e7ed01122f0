"""How an order state looks on screen: a symbol, a short word and a style name.

The state must read without colour (``NO_COLOR``, 16-colour terminals, colour-blind
reviewers), so every state has a symbol *and* a word; the style only reinforces them. The
list, the stats bar and the detail pane all use :func:`state_label`, so one state looks the
same everywhere.

Style names are Rich style strings built from the 16 ANSI colours only, so they survive any
terminal (Textual maps them onto its theme; ``NO_COLOR`` drops them and the words remain).
"""

from __future__ import annotations

from typing import NamedTuple

from artistree_tui.api.models import OrderState


class StateLabel(NamedTuple):
    """What to draw for one state: a one-cell symbol, a short word, a Rich style name."""

    symbol: str
    word: str
    style: str


_LABELS: dict[str, StateLabel] = {
    OrderState.IN_PROGRESS.value: StateLabel("◌", "running", "cyan"),
    OrderState.HUMAN_CERTIFIED.value: StateLabel("✓", "certified", "green"),
    OrderState.ACTION_REQUIRED.value: StateLabel("!", "action", "bold yellow"),
    OrderState.REVIEWED.value: StateLabel("●", "reviewed", "blue"),
    OrderState.FAILED.value: StateLabel("✗", "failed", "bold red"),
    OrderState.UNSUPPORTED_FILE.value: StateLabel("⊘", "unsupported", "magenta"),
}

#: What an unknown state (raw text the API invented) looks like: a question mark, no colour.
UNKNOWN = StateLabel("?", "unknown", "dim")


def state_label(state: str) -> StateLabel:
    """The (symbol, short word, style name) for a state value; unknown states get ``?``."""
    return _LABELS.get(state, UNKNOWN)
