"""An API client that lets the network in later: the console's start when its rows come from the
local index.

A start with an index on disk paints the last-known rows from it before any network answer,
so the network (httpx and the client, ~40 ms of imports, and the requests) is not needed for
the first frame. :class:`DeferredClient` stands in for the
:class:`~artistree_tui.api.client.ArtistreeClient` meanwhile: every request waits until
:meth:`DeferredClient.connect` is called (the console calls it once its first frame is painted),
which builds the real client in a helper thread; then each call goes to it. This module
imports neither httpx nor the client.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from artistree_tui.api.errors import ApiUnavailableError
from artistree_tui.api.paging import PageIterator

if TYPE_CHECKING:
    from artistree_tui.api.certificate import CertificateLink
    from artistree_tui.api.client import ArtistreeClient
    from artistree_tui.api.models import Order, OrdersPage

__all__ = ["DeferredClient"]


class DeferredClient:
    """The client ``build()`` returns, built on :meth:`connect` (see the module docstring).

    ``base_url`` and ``page_size`` are known before it is built (the API root, ``.../v1``, and
    the default ``limit``).
    """

    def __init__(
        self, build: Callable[[], ArtistreeClient], *, base_url: str, page_size: int
    ) -> None:
        self._build = build
        self._base_url = base_url.rstrip("/") + "/v1"
        self.page_size = page_size
        self._client: ArtistreeClient | None = None
        self._connecting: asyncio.Task[ArtistreeClient] | None = None
        self._prefetch: list[tuple[str | None, bool, int | None]] = []
        self._let_in = asyncio.Event()  # set by connect() (or aclose())

    def __repr__(self) -> str:
        return f"DeferredClient({self._base_url!r}, connected={self._client is not None})"

    @property
    def base_url(self) -> str:
        return self._client.base_url if self._client is not None else self._base_url

    @property
    def connected(self) -> bool:
        """Has :meth:`connect` built the real client?"""
        return self._client is not None

    def connect(self) -> None:
        """Let the network in: build the client in a helper thread (on the running loop),
        then run what waited. Calling it again does nothing."""
        if self._connecting is None and not self._let_in.is_set():
            self._connecting = asyncio.get_running_loop().create_task(self._connect())
            self._let_in.set()

    async def _connect(self) -> ArtistreeClient:
        client = await asyncio.to_thread(self._build)
        self._client = client
        for project_id, preview, limit in self._prefetch:
            client.prefetch(project_id, preview=preview, limit=limit)
        self._prefetch.clear()
        return client

    async def _ready(self) -> ArtistreeClient:
        if self._client is not None:
            return self._client
        await self._let_in.wait()
        if self._connecting is None:  # closed before it was let in
            raise ApiUnavailableError("the API client is closed: restart the console")
        return await asyncio.shield(self._connecting)

    # -- the client's interface -------------------------------------------------------------

    def prefetch(
        self, project_id: str | None = None, *, preview: bool = False, limit: int | None = None
    ) -> None:
        """As the client's, once connected (kept until then)."""
        if self._client is not None:
            self._client.prefetch(project_id, preview=preview, limit=limit)
        else:
            self._prefetch.append((project_id, preview, limit))

    async def list_orders(self, project_id: str, **options: Any) -> OrdersPage:
        return await (await self._ready()).list_orders(project_id, **options)

    def iter_pages(
        self,
        project_id: str,
        *,
        preview: bool = False,
        limit: int | None = None,
        page_token: str | None = None,
        lang: str | None = None,
    ) -> PageIterator:
        return PageIterator(
            self, project_id, preview=preview, limit=limit, page_token=page_token, lang=lang
        )

    async def get_order(
        self, order_id: str, *, lang: str | None = None, ahead: bool = False
    ) -> Order:
        return await (await self._ready()).get_order(order_id, lang=lang, ahead=ahead)

    async def certificate_pdf(self, order_id: str) -> CertificateLink:
        return await (await self._ready()).certificate_pdf(order_id)

    def probe_now(self) -> None:
        """As the client's, once connected (before, nothing was presumed down)."""
        if self._client is not None:
            self._client.probe_now()

    def next_try_in(self) -> float:
        """As the client's, once connected (before, nothing was presumed down)."""
        return self._client.next_try_in() if self._client is not None else 0.0

    async def aclose(self) -> None:
        self._let_in.set()
        connecting = self._connecting
        if connecting is not None and not connecting.done():
            await asyncio.wait({connecting})  # a thread cannot be cancelled: let it finish
        if self._client is not None:
            await self._client.aclose()

    async def __aenter__(self) -> DeferredClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()
