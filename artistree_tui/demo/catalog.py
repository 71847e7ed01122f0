"""Who, what and when of the demo orders, in two bytes per order: project, state, time layout.

The demo serves up to millions of orders without building them. Each order is identified by
its *index* (0 = oldest; a higher index is always newer, so "newest first" is descending index)
and everything about it is a pure function of ``(seed, index)``. The only per-order memory is
two bytes in two ``bytearray`` tables, filled in C from seeded random bytes:

- ``project code`` (0 = Personal Certificates, 1..6 = the projects) — so listing a project is
  ``bytearray.rfind`` from a cursor, at C speed;
- ``final state`` code — so the stats of every scope come from one ``Counter`` pass, cached.

Orders change over time on the demo clock. About a third of the newest tenth of the initial
orders (a window of at most :data:`MAX_WINDOW`) start *In Progress* and reach their final state
at a per-order time — interleaved with finished ones, so the first screen shows a mix;
with ``new_order_every`` > 0 a new order appears every that many seconds and completes a few
minutes later. Such "dynamic" orders are folded into the cached stats once they are settled.
"""

from __future__ import annotations

import math
import operator
import random
import threading
from array import array
from collections import Counter
from dataclasses import dataclass

from artistree_tui.demo.ids import NS_PROJECT, OrderIds, hash64, unit, uuid_for
from artistree_tui.demo.words import PROJECTS

STATES = (
    "In Progress",
    "Human Certified",
    "Action Required",
    "Reviewed",
    "Failed",
    "Unsupported File",
)
IN_PROGRESS, CERTIFIED, ACTION_REQUIRED, REVIEWED, FAILED, UNSUPPORTED = range(6)
#: ``order_stats`` keys, in the same order as :data:`STATES`; ``total_orders`` is the sum.
STAT_KEYS = (
    "total_in_progress",
    "total_certified",
    "total_action_required",
    "total_reviewed",
    "total_failed",
    "total_unsupported",
)
ALL_PROJECTS = "All Projects"
PERSONAL_CERTIFICATES = "Personal Certificates"
PERSONAL = 0  # project code of orders without a project

#: Cap on the window of newest initial orders where some start In Progress.
MAX_WINDOW = 600
_MOVER_SHARE = 30  # percent of the window that starts In Progress
#: Cap on orders that appear over time (a demo left running for years stays bounded).
MAX_NEW_ORDERS = 1_000_000
_WINDOW_SLOT = 45.0  # seconds between the creation times of the window's orders


def _table(weights: list[tuple[int, int]]) -> bytes:
    """A 256-byte translation table mapping a uniform random byte to a weighted code."""
    total = sum(weight for _, weight in weights)
    out = bytearray()
    for code, weight in weights:
        out.extend([code] * round(256 * weight / total))
    return bytes(out[:256].ljust(256, bytes([weights[0][0]])))


# 15 % personal certificates, the rest split between the projects by their share.
_PROJECT_TABLE = _table(
    [(PERSONAL, 15 * 100)]
    + [(code, 85 * share) for code, (_, _, share) in enumerate(PROJECTS, start=1)]
)
_STATIC_STATES = _table(
    [(CERTIFIED, 48), (REVIEWED, 26), (ACTION_REQUIRED, 12), (FAILED, 8), (UNSUPPORTED, 6)]
)
# Orders that complete while the demo runs are never already Reviewed (no human saw them),
# and turn Action Required more often so that a watching console has something to announce.
_DYNAMIC_STATES = _table([(CERTIFIED, 50), (ACTION_REQUIRED, 30), (FAILED, 12), (UNSUPPORTED, 8)])
_SHIFT3 = bytes((code << 3) & 0xFF for code in range(256))


@dataclass(frozen=True, slots=True)
class DemoProject:
    """A demo project: its UUID ``id``, display ``name`` and the caller's ``role`` in it."""

    id: str
    name: str
    role: str


@dataclass(frozen=True, slots=True)
class Scope:
    """What a ``project_id`` selects: every order (``code`` None), one project code, or none."""

    key: str
    code: int | None
    known: bool = True

    @property
    def is_all(self) -> bool:
        return self.known and self.code is None


class Catalog:
    """The per-order tables, the time layout and the scope queries (thread-safe)."""

    def __init__(self, orders: int, seed: int, epoch: float, new_order_every: float) -> None:
        if orders < 0:
            raise ValueError("orders must be >= 0")
        self.initial = orders
        self.seed = seed
        self.epoch = epoch
        self.new_order_every = max(float(new_order_every), 0.0)
        self.ids = OrderIds(seed)
        self.window = min(max(orders // 10, 1), MAX_WINDOW) if orders else 0
        self.dynamic_start = orders - self.window
        # Spread the older orders over about ten months, 30 s to 6 h apart.
        self.gap = min(max(300 * 86400 / max(orders, 1), 30.0), 6 * 3600.0)
        self.projects = [
            DemoProject(uuid_for(NS_PROJECT, seed, code), name, role)
            for code, (name, role, _) in enumerate(PROJECTS, start=1)
        ]
        self._by_id = {p.id: code for code, p in enumerate(self.projects, start=1)}
        rng = random.Random(seed)
        self._project = bytearray(rng.randbytes(orders).translate(_PROJECT_TABLE))
        self._final = bytearray(rng.randbytes(orders).translate(_STATIC_STATES))
        self._done_at = array("d")  # completion time of order dynamic_start + n
        for index in range(self.dynamic_start, orders):
            h = hash64(seed, index, 11)
            # The newest upload is always still being analysed, as in a live organization.
            if (h >> 8) % 100 < _MOVER_SHARE or index == orders - 1:
                self._final[index] = _DYNAMIC_STATES[h & 0xFF]
                self._done_at.append(epoch + 120.0 + hash64(seed, index, 12) % 900)
            else:
                self._done_at.append(-math.inf)  # already final when the demo starts
        self._lock = threading.RLock()
        #: Orders deleted by :meth:`remove` (a test hook): absent from pages, stats and lookups.
        self._removed: set[int] = set()
        self._settled: list[list[int]] | None = None  # counts[project code][state]
        self._settled_end = self.dynamic_start

    # -- time layout ------------------------------------------------------------------------

    @property
    def count(self) -> int:
        """How many orders exist right now (call :meth:`sync` first)."""
        return len(self._project)

    def sync(self, now: float) -> int:
        """Materialize the orders that have appeared by ``now``; returns the count."""
        if self.new_order_every <= 0 or now < self.epoch + self.new_order_every:
            return self.count
        wanted = self.initial + min(int((now - self.epoch) / self.new_order_every), MAX_NEW_ORDERS)
        with self._lock:
            for index in range(self.count, wanted):
                h = hash64(self.seed, index, 13)
                self._project.append(_PROJECT_TABLE[h & 0xFF])
                self._final.append(_DYNAMIC_STATES[(h >> 8) & 0xFF])
                self._done_at.append(self.created_at(index) + 60.0 + (h >> 16) % 540)
        return self.count

    def created_at(self, index: int) -> float:
        """Creation time (Unix seconds, demo clock); strictly increasing with the index."""
        if index >= self.initial:
            return self.epoch + (index - self.initial + 1) * self.new_order_every
        jitter = unit(self.seed, index, 14)
        if index >= self.dynamic_start:
            return self.epoch - (self.initial - index) * _WINDOW_SLOT + jitter * 30.0
        base = self.epoch - self.window * _WINDOW_SLOT - (self.dynamic_start - index) * self.gap
        return base + jitter * 0.7 * self.gap

    def completes_at(self, index: int) -> float | None:
        """When an order that starts In Progress reaches its final state; None for the others."""
        if index < self.dynamic_start:
            return None
        return self._done_at[index - self.dynamic_start]

    # -- per-order facts --------------------------------------------------------------------

    def project_code(self, index: int) -> int:
        return self._project[index]

    def final_state(self, index: int) -> int:
        return self._final[index]

    def state_at(self, index: int, now: float) -> int:
        """The state code of order ``index`` at demo time ``now``."""
        done = self.completes_at(index)
        return self._final[index] if done is None or done <= now else IN_PROGRESS

    def exists(self, index: int) -> bool:
        return 0 <= index < self.count and index not in self._removed

    def remove(self, index: int) -> None:
        """Delete order ``index`` from the API (a test hook: an order that disappears)."""
        with self._lock:
            self._removed.add(index)

    def restore(self, index: int) -> None:
        """Undo :meth:`remove`."""
        with self._lock:
            self._removed.discard(index)

    # -- scopes -----------------------------------------------------------------------------

    def resolve(self, project_id: str) -> Scope:
        """The scope a ``project_id`` names. Names are not ids: they select nothing."""
        if project_id == ALL_PROJECTS:
            return Scope(project_id, None)
        if project_id == PERSONAL_CERTIFICATES:
            return Scope(project_id, PERSONAL)
        code = self._by_id.get(project_id)
        return Scope(project_id, code, known=code is not None)

    def page(self, scope: Scope, before: int | None, limit: int) -> tuple[list[int], int | None]:
        """Up to ``limit`` indices of ``scope`` below ``before``, newest first, and the cursor
        of the next page (None when nothing is left)."""
        if not scope.known:
            return [], None
        with self._lock:
            top = self.count if before is None else min(before, self.count)
            if self._removed:
                return self._page_skipping(scope, top, limit)
            if scope.code is None:
                indices = list(range(top - 1, max(top - 1 - limit, -1), -1))
                more = bool(indices) and indices[-1] > 0
            else:
                needle = bytes([scope.code])
                indices = []
                position = top
                while len(indices) < limit:
                    position = self._project.rfind(needle, 0, position)
                    if position < 0:
                        break
                    indices.append(position)
                more = bool(indices) and self._project.rfind(needle, 0, indices[-1]) >= 0
        return indices, (indices[-1] if more else None)

    def _page_skipping(self, scope: Scope, top: int, limit: int) -> tuple[list[int], int | None]:
        """:meth:`page` when some orders were removed (slow, test-sized data only)."""

        def below(position: int) -> int:
            position -= 1
            while position >= 0 and (
                position in self._removed
                or (scope.code is not None and self._project[position] != scope.code)
            ):
                position -= 1
            return position

        indices: list[int] = []
        position = below(top)
        while position >= 0 and len(indices) < limit:
            indices.append(position)
            position = below(position)
        more = bool(indices) and position >= 0
        return indices, (indices[-1] if more else None)

    def stats(self, scope: Scope, now: float) -> dict[str, int]:
        """``order_stats`` for the scope at ``now``: totals, not per page."""
        counts = [0] * len(STATES)
        if scope.known:
            with self._lock:
                settled = self._settle(now)
                codes = range(len(settled)) if scope.code is None else [scope.code]
                for code in codes:
                    for state, n in enumerate(settled[code]):
                        counts[state] += n
                for index in range(self._settled_end, self.count):
                    if scope.code is None or self._project[index] == scope.code:
                        counts[self.state_at(index, now)] += 1
                for index in self._removed:
                    if index < self.count and (
                        scope.code is None or self._project[index] == scope.code
                    ):
                        counts[self.state_at(index, now)] -= 1
        result = dict(zip(STAT_KEYS, counts, strict=True))
        result["total_orders"] = sum(counts)
        return result

    def _settle(self, now: float) -> list[list[int]]:
        """Counts of the orders whose state can no longer change, computed once, then grown
        as dynamic orders complete (their completion only ever lies in the past)."""
        if self._settled is None:
            end = self.dynamic_start
            joint = bytes(
                map(operator.or_, self._project[:end].translate(_SHIFT3), self._final[:end])
            )
            self._settled = [[0] * len(STATES) for _ in range(len(self.projects) + 1)]
            for value, n in Counter(joint).items():
                self._settled[value >> 3][value & 7] += n
        while self._settled_end < self.count:
            done = self._done_at[self._settled_end - self.dynamic_start]
            if done > now:
                break
            index = self._settled_end
            self._settled[self._project[index]][self._final[index]] += 1
            self._settled_end += 1
        return self._settled
