"""What the order list fetches next, and how: the priority of requests and full vs preview pages.

Pure Python; :class:`~artistree_tui.ui.orders.paging.PagingModel` asks :meth:`FetchPlan.choose`
whenever a request ends or the cursor, the view or the data change. Loading is one request at a
time, in this order:

1. the *first* page of the scope;
2. *demand*: the cursor's row, then the visible rows, when not held (what the user is looking
   at jumps ahead of any speculation);
3. the ``G`` *walk*: frontier pages of ``walk_limit`` rows, previews until the pages that reach
   the last two screens (:mod:`.walk`);
4. *prefetch*: rows about ``prefetch_screens`` screens below the view, then one screen above.

Rows that are shown always come from full pages (the list's columns need fields that preview
rows lack); a preview page is only asked for a frontier page that cannot reach the rows wanted.
"""

from __future__ import annotations

from collections.abc import Awaitable
from dataclasses import dataclass
from typing import Protocol

from artistree_tui.api.models import OrdersPage
from artistree_tui.ui.orders.segments import Segment, SegmentChain
from artistree_tui.ui.orders.walk import Walk


class PageFetcher(Protocol):
    """``async def fetch(project_id, page_token, limit, *, preview) -> OrdersPage`` (the app's).

    Rows the list shows come from full pages (``preview=False``): its columns need asset name,
    ordered by and confidence, which preview rows (``order_previews``) do not carry, and one
    full page is cheaper than a preview page plus a detail fetch per row. ``preview=True`` is
    asked only for the ``G`` walk's pages that are counted, never shown (:mod:`.walk`).
    """

    def __call__(
        self, project_id: str, page_token: str | None, limit: int, *, preview: bool
    ) -> Awaitable[OrdersPage]: ...


@dataclass(frozen=True, slots=True)
class View:
    """Where the user is, in absolute rows: the cursor and the rows on screen."""

    cursor: int
    top: int
    height: int
    total: int
    filtering: bool


#: (segment, kind, preview) of one request.
Choice = tuple[Segment, str, bool]


@dataclass(slots=True)
class FetchPlan:
    """The sizes of pages and the walk state the choice depends on."""

    page_size: int
    walk_limit: int
    prefetch_screens: int
    walk: Walk

    def choose(self, chain: SegmentChain, view: View) -> Choice | None:
        """The next request by priority (module docstring); None when nothing is needed."""
        if not len(chain):
            return chain.append(None, self.page_size), "first", False
        top, bottom = view.top, view.top + view.height
        if not view.filtering:
            for start, end in ((view.cursor, view.cursor + 1), (top, bottom)):
                choice = self._missing_in(chain, view, start, end)
                if choice is not None:
                    return choice[0], "demand", choice[1]
        if self.walk.active:
            segment = chain.frontier(self.walk_limit)
            if segment is None:
                return None
            # The walk lands on the last screen and keeps one more above it: pages that
            # reach those rows are fetched as full pages, the others as previews.
            wanted_from = view.total - 2 * view.height
            return segment, "walk", self.walk.wants_preview(segment, wanted_from)
        if view.filtering:
            return None  # a filter searches what is loaded; it does not page
        ahead = view.height * self.prefetch_screens
        for start, end in ((bottom, bottom + ahead), (max(0, top - view.height), top)):
            choice = self._missing_in(chain, view, start, end)
            if choice is not None:
                return choice[0], "prefetch", choice[1]
        return None

    def _missing_in(
        self, chain: SegmentChain, view: View, start: int, end: int
    ) -> tuple[Segment, bool] | None:
        """(segment, preview) of the first page to fetch to show absolute rows [start, end)."""
        end = min(end, view.total)
        index = start
        while index < end:
            if index >= chain.known_end:
                # Far beyond the frontier (a scrollbar drag, many page-downs): walk big pages,
                # previews until they reach the rows wanted.
                far = end - 1 - chain.known_end >= 2 * self.page_size
                segment = chain.frontier(self.walk_limit if far else self.page_size)
                if segment is None:
                    return None
                return segment, self.walk.wants_preview(segment, start)
            segment = chain.at(index)
            if segment.rows is None and segment.error is None:
                return segment, False
            index = max(segment.end, index + 1)
        return None
