"""The small typed values the index hands out and takes in.

Strings inside them are the API's raw text (untrusted): show them through
:mod:`artistree_tui.display`, never as markup. Times are Unix seconds (``time.time()``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from artistree_tui.api.models import (
    ALL_PROJECTS,
    KNOWN_STATES,
    PERSONAL_CERTIFICATES,
    Analysis,
    OrderStats,
)

SortKey = Literal["created", "state", "confidence", "title"]
SORT_KEYS: tuple[SortKey, ...] = ("created", "state", "confidence", "title")


@dataclass(frozen=True, slots=True)
class Scope:
    """What the list shows: All Projects, or one project.

    ``project_id`` is what the API's ``project_id`` takes (``"All Projects"``, a project's
    id, or ``"Personal Certificates"``); ``name`` is the project's name as orders carry it
    (preview rows name their project, they do not give its id). For a project, a missing
    ``name`` is looked up from what the sync learnt while walking that project.
    """

    project_id: str = ALL_PROJECTS
    name: str | None = None

    @property
    def is_all(self) -> bool:
        return self.project_id == ALL_PROJECTS

    @classmethod
    def project(cls, project_id: str, name: str | None = None) -> Scope:
        if project_id == PERSONAL_CERTIFICATES and name is None:
            name = PERSONAL_CERTIFICATES
        return cls(project_id, name)


ALL = Scope()


@dataclass(frozen=True, slots=True)
class ViewSpec:
    """One view of the index: every indexed order of ``scope`` that matches.

    ``states``: the order states to keep (empty: all). ``text``: words that must each
    start a word of the title, asset name, people, tags, project or analysis types, or the
    start of the order id. ``sort`` and ``descending``: the order; a descending view is the
    exact reverse of the ascending one. Ties are broken by creation time (newest first in
    the ascending view), then by when the index first saw the order.
    """

    scope: Scope = ALL
    states: frozenset[str] = frozenset()
    text: str = ""
    sort: SortKey = "created"
    descending: bool = True

    @classmethod
    def of(
        cls,
        scope: Scope = ALL,
        *,
        states: Iterable[str] = (),
        text: str = "",
        sort: SortKey = "created",
        descending: bool = True,
    ) -> ViewSpec:
        if sort not in SORT_KEYS:
            raise ValueError(f"sort must be one of {', '.join(SORT_KEYS)}")
        return cls(scope, frozenset(states), text, sort, descending)


@dataclass(frozen=True, slots=True)
class Row:
    """One order as the index knows it.

    The preview fields are always known. The full-only fields (``confidence``,
    ``asset_name``, ``username``, ``email``, ``ordered_by``, ``project_id``) are None until a
    full order has been written: ``full`` says whether they are known (the list shows "…"
    while it is False; with ``full`` True, ``confidence`` None means the order has no score).
    A state change seen in a preview page forgets the confidence (it comes with the new
    state) until the next full order.

    ``first_seen``/``last_seen``: when the index first and last saw the order in an answer.
    ``changed_at``: when it became new or changed (a new arrival after the scope was indexed,
    a state change, a return after being gone); None if never. ``gone``: when a complete
    sweep found it missing (None while it exists); such rows are kept and shown as removed.
    """

    order_id: str
    order_title: str
    creation_time: datetime | None
    order_state: str
    asset_preview_url: str | None
    project_name: str
    analyses: tuple[Analysis, ...]
    tags: tuple[str, ...]
    confidence: float | None
    asset_name: str | None
    username: str | None
    email: str | None
    ordered_by: str | None
    project_id: str | None
    full: bool
    first_seen: float
    last_seen: float
    changed_at: float | None
    gone: float | None

    @property
    def is_known_state(self) -> bool:
        return self.order_state in KNOWN_STATES


@dataclass(frozen=True, slots=True)
class IdMatches:
    """The indexed orders whose id starts with ``prefix`` (gone ones left out), like git's
    short SHAs: ``count`` of them, and the first few ``ids`` (in id order)."""

    prefix: str
    count: int
    ids: tuple[str, ...]

    @property
    def unique(self) -> str | None:
        """The one order id the prefix names, or None (none, or several)."""
        return self.ids[0] if self.count == 1 and self.ids else None


@dataclass(frozen=True, slots=True)
class StateChange:
    """An order that is new (``before`` None) or whose state changed, as one write saw it."""

    order_id: str
    before: str | None
    after: str
    title: str


@dataclass(frozen=True, slots=True)
class WriteResult:
    """What one write did: ``written`` rows, the ``new`` orders and the state ``changes``
    (new orders appear in ``new`` only), ``revived`` orders that were gone."""

    written: int = 0
    new: tuple[StateChange, ...] = ()
    changes: tuple[StateChange, ...] = ()
    revived: int = 0
    skipped: int = 0


@dataclass(frozen=True, slots=True)
class StateCounts:
    """Orders per state in the index for a scope (gone orders left out).

    ``complete``: the scope has been swept to the end at least once, so these are the whole
    scope as of ``as_of``; otherwise they are "so far". ``behind``: complete counts that the
    API's own, in the last page the sync read of the scope, show to be off by that many orders
    (states changed, orders added or removed outside the newest pages the sync refreshes:
    the next walk of the scope catches them up); 0 when they agree or nobody knows.
    """

    counts: dict[str, int] = field(default_factory=dict)
    complete: bool = False
    as_of: float | None = None
    behind: int = 0

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def get(self, state: str) -> int:
        return self.counts.get(state, 0)


def orders_behind(counts: dict[str, int], api: OrderStats) -> int:
    """By how many orders ``counts`` (per state) are off the API's ``api`` counts: an order
    that changed state counts once (one state has one too many, another one too few), as does
    one added or removed. 0 when the API's counts cannot be trusted to compare: none sent
    (all 0), or per-state counts that do not add up to its total (states it does not say)."""
    expected = {state: api.count_for(state) or 0 for state in KNOWN_STATES}
    if api.total <= 0 or sum(expected.values()) != api.total:
        return 0
    more = sum(max(n - counts.get(state, 0), 0) for state, n in expected.items())
    fewer = sum(max(counts.get(state, 0) - n, 0) for state, n in expected.items())
    return max(more, fewer)


@dataclass(frozen=True, slots=True)
class ScopeStatus:
    """What the index knows of a scope.

    ``indexed``: its orders in the index (gone ones left out). ``api_total``: the API's
    ``total_orders`` in the last page the sync read (None: never asked). ``complete``: a sweep
    of the scope (or of All Projects) reached the end; ``swept_at`` when it did.
    ``refreshed_at``: the last time the sync read the scope's first page. ``sweeping``: a
    sweep is under way (``next_token`` set). ``problem``: why the last sweep stopped early
    (e.g. broken paging), or None.
    """

    scope: Scope
    indexed: int
    api_total: int | None
    complete: bool
    swept_at: float | None
    refreshed_at: float | None
    sweeping: bool
    problem: str | None = None

    @property
    def as_of(self) -> float | None:
        """The newest of ``swept_at`` and ``refreshed_at``: "as of HH:MM"."""
        times = [t for t in (self.swept_at, self.refreshed_at) if t is not None]
        return max(times) if times else None
