"""How far the list scrolls when the cursor steps off its screen: one row at rest, half a page
while a key is held (vim's ``scrolljump``, made for slow terminals).

Over SSH every scroll rewrites every row of the list (Textual does not use the terminal's
scrolling regions): holding ``j`` past the bottom would cost a whole list per key. Jumping
half a page while keys arrive in a burst costs one whole list per half page instead, and a
single press at rest still scrolls by one row. Pure Python (no Textual): the widget asks
:meth:`ScrollJump.rows` on every one-row move.
"""

from __future__ import annotations

import time
from collections.abc import Callable

#: Two one-row moves closer than this are a held key (auto-repeat is 25–40 keys a second; a
#: quick tap rarely comes within 100 ms of the last).
HELD_GAP = 0.1


class ScrollJump:
    """Tells, move by move, how many rows a scroll past the screen's edge takes."""

    def __init__(self, *, gap: float = HELD_GAP, clock: Callable[[], float] = time.monotonic):
        self.gap = gap
        self.clock = clock
        self._last: float | None = None

    def rows(self, visible: int) -> int:
        """Rows to scroll if this one-row move leaves the screen (``visible`` rows shown):
        half of them while a key is held, else one. Call it on every one-row move."""
        now = self.clock()
        held = self._last is not None and now - self._last < self.gap
        self._last = now
        return max(1, visible // 2) if held else 1

    def rest(self) -> None:
        """Any other move (a page, a jump, a search): the next one-row move starts afresh."""
        self._last = None
