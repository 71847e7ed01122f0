"""Where the order list's rows come from: a view of the local order index, read by position.

Pure Python (no Textual). The list shows one :class:`Query` (scope, state, text, sort) as a
:class:`~artistree_tui.store.View` over every indexed order of the scope, never over pages
held in memory:

- :func:`prepare` makes the view of a query and answers what the list needs to show it at
  once: the count, where the cursor goes (the order it was on, or the next new or changed
  row for ``n``/``N``, round to the first or the last past the end, like vim's search), the
  rows around it, how many rows are marked. It can take tens of milliseconds on a million
  orders (text matching, ``position_of`` far down), so the list runs it in a thread worker,
  on the reader that does not hold the view on screen: the UI thread keeps reading the old
  view meanwhile and never waits for it (:class:`ReaderPair`).
- :class:`RowWindow` reads the rows on screen by position from the prepared view, in blocks
  of :data:`BLOCK` rows kept in a small LRU (memory bounded at any size). A block costs
  ~1–2 ms at a million orders, so it is read on the UI thread, when drawn.

Rows are the index's :class:`~artistree_tui.store.Row` values, untrusted text included: they
are shown through :mod:`artistree_tui.display`. :func:`order_of` turns one into the
:class:`~artistree_tui.api.models.Order` the detail pane draws until its full fetch answers.
"""

from __future__ import annotations

import logging
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field

from artistree_tui.api.models import PERSONAL_CERTIFICATES, Order, Project
from artistree_tui.store import ALL, Reader, Row, Scope, ScopeStatus, SortKey, View, ViewSpec
from artistree_tui.store.database import Index

logger = logging.getLogger("artistree_tui.ui")

#: Rows read at once (one query); the window keeps at most :data:`MAX_BLOCKS` of them.
BLOCK = 64
MAX_BLOCKS = 48


@dataclass(frozen=True, slots=True)
class Query:
    """What the list shows: a scope, one state (None: all), text, and an order."""

    scope: Scope = ALL
    state: str | None = None
    text: str = ""
    sort: SortKey = "created"
    descending: bool = True

    def spec(self) -> ViewSpec:
        """The index view of this query."""
        states = (self.state,) if self.state is not None else ()
        return ViewSpec.of(
            self.scope,
            states=states,
            text=self.text.strip(),
            sort=self.sort,
            descending=self.descending,
        )

    @property
    def filtering(self) -> bool:
        return self.state is not None or bool(self.text.strip())


@dataclass(frozen=True, slots=True)
class Want:
    """Where the cursor goes in a prepared view.

    ``keep_id``: on this order if the view has it; else on ``fallback`` (clamped). ``step``:
    ``n``/``N`` — from there, to the next (+1) or previous (-1) row new or changed since the
    watermark; ``found`` in :class:`Prepared` says whether there was one.
    """

    keep_id: str | None = None
    fallback: int = 0
    step: int = 0


@dataclass(slots=True)
class Prepared:
    """A view made ready to show (see :func:`prepare`)."""

    generation: int
    query: Query
    slot: int
    view: View | None
    count: int = 0
    cursor: int = 0
    found: bool = False
    #: ``n``/``N`` went round: past the last marked row to the first (or the other way).
    wrapped: bool = False
    blocks: dict[int, list[Row]] = field(default_factory=dict)
    marked: int = 0
    #: Sorted by confidence: how many of its rows have a score (None: another sort).
    scored: int | None = None
    status: ScopeStatus | None = None
    error: str | None = None
    seconds: float = 0.0


def percent(fraction: float) -> str:
    """``34 %``: how far the sync is (rounded down: 100 % means done)."""
    return f"{int(fraction * 100)} %"


def block_of(position: int) -> int:
    return position // BLOCK


def prepare(
    reader: Reader,
    query: Query,
    want: Want,
    *,
    generation: int,
    slot: int,
    since: float,
    wanted: Callable[[], bool] = lambda: True,
) -> Prepared:
    """Make the view of ``query`` on ``reader`` and what the list needs to show it (module
    docstring). ``wanted()`` is asked between the costly steps: a preparation nobody wants
    any more (the user typed on) stops early, with ``view`` None. Storage errors become
    ``error`` (one line), never an exception: this runs in a worker."""
    started = time.perf_counter()
    result = Prepared(generation, query, slot, None)
    if not wanted():
        return result
    try:
        with reader.snapshot():  # count, position and rows of one state of the index
            view = reader.view(query.spec())
            count = view.count()  # the costly part of a text search: its match set
            if not wanted():
                return result
            position = view.position_of(want.keep_id) if want.keep_id else None
            found = position is not None
            cursor = position if position is not None else min(max(want.fallback, 0), count - 1)
            if want.step:
                origin = cursor if count else -1
                if want.keep_id and position is None:
                    origin = cursor - 1 if want.step > 0 else cursor + 1  # it left the view
                target = (
                    view.next_marked(origin, since)
                    if want.step > 0
                    else view.prev_marked(max(origin, 0), since)
                )
                if target is None:  # past the last (or before the first): wrap, like vim
                    target = (
                        view.next_marked(-1, since)
                        if want.step > 0
                        else view.prev_marked(count, since)
                    )
                    result.wrapped = target is not None
                found = target is not None
                if target is not None:
                    cursor = target
            cursor = max(0, min(cursor, count - 1))
            first = max(block_of(cursor) - 1, 0)
            rows = view.rows(first * BLOCK, 3 * BLOCK) if count else []
            for k in range(3):
                chunk = rows[k * BLOCK : (k + 1) * BLOCK]
                if chunk:
                    result.blocks[first + k] = chunk
            result.marked = view.marked_count(since) if count else 0
            result.scored = view.scored() if count else None
            result.status = reader.status(query.scope)
    except Exception as error:  # a worker: one line for the status, never a traceback
        logger.warning("reading the order index failed (%s)", type(error).__name__)
        result.error = f"the order index could not be read ({type(error).__name__})"
        return result
    result.view, result.count, result.cursor, result.found = view, count, cursor, found
    result.seconds = time.perf_counter() - started
    return result


#: Anchors are built in slices of this many seconds, between which the worker asks whether
#: the view is still the one wanted.
ANCHOR_BUDGET = 0.05


def build_anchors(view: View, wanted: Callable[[], bool]) -> bool:
    """Build every anchor of a prepared ``view`` (in its worker, after its first rows were
    posted): a jump or a position far down then costs ~1 ms instead of tens. It stops when
    the view is no longer ``wanted()`` or was closed; True when every anchor is built. Each
    slice holds the view's reader for at most ~20 ms (``View.build_anchors``); the index's
    writer is never waited for (WAL)."""
    try:
        while wanted():
            if view.build_anchors(budget=ANCHOR_BUDGET):
                return True
    except Exception as error:  # a closed view, a damaged file: the view works without them
        logger.debug("anchors not built (%s)", type(error).__name__)
    return False


class RowWindow:
    """The rows of one prepared view by position, read in blocks (module docstring)."""

    def __init__(self, view: View | None, count: int, blocks: dict[int, list[Row]]) -> None:
        self.view = view
        self.count = count
        self._blocks: OrderedDict[int, list[Row]] = OrderedDict(sorted(blocks.items()))
        self.reads = 0  # blocks read on the UI thread (tests, benchmarks)
        self.failed = False

    def row(self, position: int) -> Row | None:
        """The row at ``position``, or None past the end (or if the index cannot be read)."""
        if not 0 <= position < self.count or self.view is None:
            return None
        k = block_of(position)
        block = self._blocks.get(k)
        if block is None:
            block = self._read(k)
        else:
            self._blocks.move_to_end(k)
        offset = position - k * BLOCK
        return block[offset] if offset < len(block) else None

    def _read(self, k: int) -> list[Row]:
        assert self.view is not None
        try:
            block = self.view.rows(k * BLOCK, BLOCK)
        except Exception as error:  # drawing must go on: a blank row, said once in a log
            if not self.failed:
                logger.warning("reading the order index failed (%s)", type(error).__name__)
            self.failed = True
            return []
        self.reads += 1
        self._blocks[k] = block
        while len(self._blocks) > MAX_BLOCKS:
            self._blocks.popitem(last=False)
        return block

    @property
    def held(self) -> int:
        """Rows held in memory now."""
        return sum(len(block) for block in self._blocks.values())


class ReaderPair:
    """Two readers of one index: the view on screen lives on one, the next view is prepared
    on the other, so the UI thread never waits for a preparation (``slot`` 0 or 1)."""

    def __init__(self, index: Index) -> None:
        self._readers = (index.reader(), index.reader())

    def __getitem__(self, slot: int) -> Reader:
        return self._readers[slot]

    def close(self) -> None:
        for reader in self._readers:
            reader.close()


def order_of(row: Row) -> Order:
    """The order as the index knows it (the detail pane draws it until the full fetch
    answers; the full-only fields are empty until a full order was read)."""
    project: Project | None = None
    if row.project_name != PERSONAL_CERTIFICATES or row.project_id not in (
        None,
        PERSONAL_CERTIFICATES,
    ):
        project = Project(row.project_id or "", row.project_name)
    return Order(
        order_id=row.order_id,
        username=row.username or "",
        email=row.email or "",
        order_state=row.order_state,
        order_title=row.order_title,
        asset_name=row.asset_name or "",
        ordered_by=row.ordered_by or "",
        creation_time=row.creation_time,
        asset_preview_url=row.asset_preview_url,
        analyses=row.analyses,
        tags=row.tags,
        confidence=row.confidence,
        project=project,
    )
