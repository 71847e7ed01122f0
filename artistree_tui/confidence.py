"""When an order's confidence means something, and how it reads in the list and the detail.

The API sends ``confidence`` for every order, but an order still being analysed (In Progress)
or one whose file could not be analysed (Unsupported File) carries a placeholder ``0``: shown
as "0%" it reads as a real score ("certainly AI"). Those states, and a missing value, show a
dash instead, the same in the list and in the detail pane.
"""

from __future__ import annotations

import math

from artistree_tui.api.models import UNSCORED_STATES, has_score

__all__ = ["NO_SCORE", "UNSCORED_STATES", "confidence_text", "has_score", "percent"]

#: Shown instead of a confidence that means nothing.
NO_SCORE = "—"


def percent(value: float, *, decimals: int = 0) -> str:
    """``0.934`` → ``93%`` (``93.4%`` with one decimal); a value above 1 is read as a
    percentage already; capped at 100%.

    Halves round up, as a reader rounds (the list's ``57%`` is the detail's ``56.5%``, where
    Python's own rounding said ``56%``), except to 100%: a score short of certain never reads
    as certain (99.6% is ``99%``)."""
    scaled = min(value if value > 1.0 else value * 100.0, 100.0)
    factor = 10**decimals
    # In units of the last digit shown; round(…, 6) first: 0.565 * 100 is 56.49999999999999.
    units = math.floor(round(scaled * factor, 6) + 0.5)
    if units >= 100 * factor > scaled * factor:
        units = 100 * factor - 1
    text = f"{units / factor:.{decimals}f}"
    return (text.rstrip("0").rstrip(".") if decimals else text) + "%"


def confidence_text(state: str, value: float | None, *, decimals: int = 0) -> str:
    """The confidence of an order in ``state`` as a percentage, or :data:`NO_SCORE`."""
    if value is None or not has_score(state, value):
        return NO_SCORE
    return percent(value, decimals=decimals)
