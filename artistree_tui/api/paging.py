"""Walking every page of ``GET /v1/orders``: :class:`PageIterator`."""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import AsyncIterator
from typing import Protocol

from artistree_tui.api.models import OrdersPage
from artistree_tui.api.paging_guard import PagingGuard

logger = logging.getLogger("artistree_tui.api")


class PageSource(Protocol):
    """What the iterator needs of the API client (:class:`~.client.ArtistreeClient`): one
    list request. A protocol, so this module need not import the client, which imports it."""

    async def list_orders(
        self,
        project_id: str,
        *,
        preview: bool = ...,
        page_token: str | None = ...,
        limit: int | None = ...,
        lang: str | None = ...,
    ) -> OrdersPage: ...


class PageIterator(AsyncIterator[OrdersPage]):
    """Follows ``next_page_token`` from page to page until it is null, or until the API's
    paging looks broken (:class:`~artistree_tui.api.paging_guard.PagingGuard`: a token seen
    before anywhere in the walk, empty pages that never end, more rows than ``total_orders``
    by a margin, a page of orders already listed).

    A broken walk ends after the page that showed it (still yielded, a warning is logged and
    :attr:`broken` says why; :attr:`repeated_token` is True when a token came back). Every
    yielded page holds only orders not yielded before in this walk (de-duplicated by
    ``order_id``; :attr:`duplicates` counts the rows dropped). Attributes for the caller:
    ``pages`` (fetched so far), ``skipped`` (unreadable rows dropped, summed over pages),
    ``next_page_token`` (the token the next fetch would send — after an error, pass it as
    ``page_token`` to resume; None once the walk is over) and ``finished``.
    """

    def __init__(
        self,
        client: PageSource,
        project_id: str,
        *,
        preview: bool,
        limit: int | None,
        page_token: str | None,
        lang: str | None,
    ) -> None:
        self._client = client
        self._project_id = project_id
        self._preview = preview
        self._limit = limit
        self._lang = lang
        self.next_page_token = page_token
        self.pages = 0
        self.skipped = 0
        self.duplicates = 0
        self.repeated_token = False
        self.broken: str | None = None
        self.finished = False
        self.guard = PagingGuard(start_token=page_token)

    def __aiter__(self) -> PageIterator:
        return self

    async def __anext__(self) -> OrdersPage:
        if self.finished:
            raise StopAsyncIteration
        page = await self._client.list_orders(
            self._project_id,
            preview=self._preview,
            page_token=self.next_page_token,
            limit=self._limit,
            lang=self._lang,
        )
        self.pages += 1
        self.skipped += page.skipped
        token = page.next_page_token
        rows = page.orders or page.previews
        verdict = self.guard.check(
            [row.order_id for row in rows], token, total=page.stats.known_total
        )
        if verdict.duplicates:
            self.duplicates += verdict.duplicates
            if page.orders:
                orders = tuple(page.orders[i] for i in verdict.fresh)
                page = dataclasses.replace(page, orders=orders)
            else:
                previews = tuple(page.previews[i] for i in verdict.fresh)
                page = dataclasses.replace(page, previews=previews)
        if verdict.broken is not None:
            logger.warning("paging stopped: %s", verdict.broken)
            self.broken = verdict.broken
            self.repeated_token = "token came back" in verdict.broken
            token = None
        if token is None:
            self.finished = True
        self.next_page_token = token
        return page
