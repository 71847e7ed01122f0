"""The order list's loader: the I/O of fetching pages, one at a time, as messages.

:func:`load_pages` is the body of the list's long-lived worker: it takes the requests the
paging model chose from a queue, calls the app's fetcher and posts
:class:`~.messages.PageArrived` or :class:`~.messages.PageFailed`; it never touches
the model or a widget. Parsing happens in the API client (in a thread for any body over 64 KiB,
which every full page and every walk page is), so the UI loop only stores what arrives.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from textual.message import Message

from artistree_tui.api.errors import ApiError, ApiNotFoundError, ApiRequestError
from artistree_tui.ui.orders.fetch_plan import PageFetcher
from artistree_tui.ui.orders.messages import PageArrived, PageFailed
from artistree_tui.ui.orders.segments import PageRequest


async def load_pages(
    fetcher: PageFetcher, queue: asyncio.Queue[PageRequest], post: Callable[[Message], object]
) -> None:
    """Fetch what the list asks for, one page at a time, forever (the worker is cancelled)."""
    while True:
        request = await queue.get()
        try:
            page = await fetcher(
                request.project_id, request.token, request.limit, preview=request.preview
            )
        except ApiError as error:
            post(PageFailed(request, error))
        except Exception as error:  # a fetcher bug must cost a retry row, not the app
            post(PageFailed(request, ApiError(f"could not load the page ({type(error).__name__})")))
        else:
            post(PageArrived(request, page))


def refused(error: ApiError) -> bool:
    """The server refused the request itself (a 4xx other than auth and rate limits): for a
    full page whose token a preview page issued, the walk falls back to full pages."""
    return isinstance(error, (ApiRequestError, ApiNotFoundError))
