"""Walking every page of ``GET /v1/orders``: :class:`PageIterator`."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from typing import Protocol

from artistree_tui.api.models import OrdersPage

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
    """Follows ``next_page_token`` from page to page until it is null.

    A server that hands out a token it already handed out in this walk would make paging loop
    forever, so that ends the walk too: the page carrying the repeat is still yielded, a
    warning is logged and :attr:`repeated_token` becomes True. Attributes for the caller:
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
        self.repeated_token = False
        self.finished = False
        self._seen: set[str] = {page_token} if page_token is not None else set()

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
        if token is not None and token in self._seen:
            logger.warning(
                "paging stopped: the server repeated a next_page_token after %d pages", self.pages
            )
            self.repeated_token = True
            token = None
        if token is None:
            self.finished = True
        else:
            self._seen.add(token)
        self.next_page_token = token
        return page
