"""Telling when the API's paging is broken, for every walk through ``next_page_token``s.

A server (buggy or hostile) can make a paging walk endless: it hands out a token it already
gave (a cycle, not only the last one repeated), keeps handing out new tokens past the end with
empty pages, or serves the same orders again under new tokens (1,200 rows for 1,000 orders).
:class:`PagingGuard` watches one walk, page by page, and says when to stop and why; it also
says which rows of a page are new, so the caller can drop the duplicates. It holds no UI and
no I/O: the API's :class:`~artistree_tui.api.paging.PageIterator`, project discovery and the
sync engine that fills the order index use the same rules:

- a ``next_page_token`` seen before **anywhere** in the walk (or the one the walk started from)
  ends it;
- :data:`MAX_EMPTY_PAGES` empty pages in a row that still promise a next page end it;
- more rows read (duplicates included) than the largest ``total_orders`` the walk was told,
  plus a margin (:func:`row_margin`: a tenth, at least :data:`MIN_MARGIN` rows), end it;
- a page whose every row was already seen in the walk ends it; rows seen before in a page
  that also brings new ones are only dropped (offset paging shifts rows across a page boundary
  when orders arrive meanwhile). Order ids are remembered up to ``remember`` (then only the
  row count guards the rest of a long walk, so memory stays bounded).

The reason is one plain line, :data:`BROKEN` followed by what was seen.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from artistree_tui.api.errors import ApiSchemaError
from artistree_tui.api.models import OrdersPage

__all__ = [
    "BROKEN",
    "MAX_EMPTY_PAGES",
    "MIN_MARGIN",
    "PageVerdict",
    "PagingBrokenError",
    "PagingGuard",
    "row_margin",
]

#: The start of every reason: what a user reads in a toast or a status line.
BROKEN = "the API's paging looks broken"
#: Empty pages in a row (each with a next token) that end a walk.
MAX_EMPTY_PAGES = 3
#: The least margin of rows read over ``total_orders`` (new orders arrive during a walk).
MIN_MARGIN = 200
#: Order ids remembered for de-duplication, by default (about 100 bytes each).
REMEMBER_IDS = 100_000


class PagingBrokenError(ApiSchemaError):
    """A walk that had to stop because the API's paging looks broken (for walkers that end
    in an error rather than a shorter list); ``str()`` is the guard's reason."""


def row_margin(total: int) -> int:
    """How many rows more than ``total_orders`` a walk may read before it is broken."""
    return max(MIN_MARGIN, total // 10)


@dataclass(frozen=True, slots=True)
class PageVerdict:
    """What one page means for the walk.

    ``fresh`` holds the positions (in the page) of the rows not seen before in the walk;
    ``broken`` is why the walk must stop here (None: go on). The page's fresh rows are still
    good to use when it is broken.
    """

    fresh: tuple[int, ...]
    duplicates: int
    broken: str | None = None

    @property
    def stop(self) -> bool:
        return self.broken is not None


class PagingGuard:
    """Watches one walk (see the module docstring). ``start_token`` is the token the walk
    starts from (None: the first page); ``rows_before`` counts rows already read before it
    (a walk resumed in the middle)."""

    def __init__(
        self,
        *,
        start_token: str | None = None,
        rows_before: int = 0,
        max_empty_pages: int = MAX_EMPTY_PAGES,
        remember: int = REMEMBER_IDS,
    ) -> None:
        self.max_empty_pages = max(1, max_empty_pages)
        self.remember = max(0, remember)
        self._tokens: set[str] = {start_token} if start_token is not None else set()
        self._ids: set[str] = set()
        self.rows_read = max(0, rows_before)
        self.total: int | None = None
        self.empty_streak = 0
        self.pages = 0
        #: Why the walk stopped, once it did.
        self.broken: str | None = None

    def seen_token(self, token: str) -> None:
        """Note a token the walk has already used (when resuming from a known chain)."""
        self._tokens.add(token)

    def seen_ids(self, ids: Iterable[str]) -> None:
        """Note order ids already read (when resuming)."""
        for order_id in ids:
            if len(self._ids) >= self.remember:
                return
            self._ids.add(order_id)

    def check(
        self, ids: Sequence[str], next_token: str | None, *, total: int | None = None
    ) -> PageVerdict:
        """Take the next page of the walk: its rows' order ids, its ``next_page_token`` and
        the ``total_orders`` it reported (if any)."""
        self.pages += 1
        fresh: list[int] = []
        in_page: set[str] = set()
        for position, order_id in enumerate(ids):
            if order_id in self._ids or order_id in in_page:
                continue
            in_page.add(order_id)
            fresh.append(position)
        for position in fresh:
            if len(self._ids) >= self.remember:
                break
            self._ids.add(ids[position])
        duplicates = len(ids) - len(fresh)
        self.rows_read += len(ids)
        if total is not None and total >= 0:
            self.total = max(self.total or 0, total)
        reason = self._reason(ids, fresh, next_token)
        if next_token is not None:
            self._tokens.add(next_token)
        if reason is not None and self.broken is None:
            self.broken = reason
        return PageVerdict(tuple(fresh), duplicates, reason)

    def check_page(self, page: OrdersPage) -> PageVerdict:
        """:meth:`check` for a parsed page (full orders or previews)."""
        ids = [order.order_id for order in page.orders] + [p.order_id for p in page.previews]
        return self.check(ids, page.next_page_token, total=page.stats.known_total)

    def _reason(self, ids: Sequence[str], fresh: list[int], next_token: str | None) -> str | None:
        if next_token is None:
            return None  # the walk ends here anyway: nothing to stop
        if next_token in self._tokens:
            return f"{BROKEN}: a page token came back after {self.pages} pages"
        if ids and not fresh:
            return f"{BROKEN}: a page brought only orders already listed"
        self.empty_streak = self.empty_streak + 1 if not ids else 0
        if self.empty_streak >= self.max_empty_pages:
            return f"{BROKEN}: {self.empty_streak} empty pages in a row, each with a next page"
        if self.total is not None and self.rows_read > self.total + row_margin(self.total):
            return (
                f"{BROKEN}: {self.rows_read:,} rows read for {self.total:,} orders "
                "and still more pages"
            )
        return None
