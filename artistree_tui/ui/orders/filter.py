"""The order list's state filter: which state ``s`` and ``S`` go to next.

The filters themselves (state, text, sort) run in the local order index over every indexed
order of the scope (:mod:`.source`); this module only knows the cycle of the state key.
"""

from __future__ import annotations

from artistree_tui.api.models import KNOWN_STATES

#: The state filter cycles through these; None means every state.
STATE_CYCLE: tuple[str | None, ...] = (None, *KNOWN_STATES)


def next_state(state: str | None, step: int = 1) -> str | None:
    """``s``: All → each known state → All; ``step`` -1 (``S``) goes the other way."""
    position = STATE_CYCLE.index(state) if state in STATE_CYCLE else 0
    return STATE_CYCLE[(position + step) % len(STATE_CYCLE)]
