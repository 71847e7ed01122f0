"""Helpers for the paging model's unit tests (no tests here): a fake keyset-paged backend that
also answers preview pages, a loop that serves the model's requests, and row lookups."""

from __future__ import annotations

from artistree_tui.api.models import KNOWN_STATES, Order, OrderPreview, OrdersPage, OrderStats
from artistree_tui.ui.orders.paging import PageRequest, PagingModel


class Refused(Exception):
    """What the fake server does with a preview token on a full page when ``bound``."""


class Backend:
    """A fake server. Its tokens are keyset cursors ("after:<order id>") by default; with
    ``buckets`` set, pages are fixed buckets of orders ("b<k>"), so a deletion shrinks a page.

    Preview pages spell their tokens "p:after:<id>" (opaque tokens may differ between preview
    and full pages); with ``bound`` a full request with such a token is refused."""

    def __init__(
        self,
        count: int,
        *,
        reported_total: int | None = None,
        buckets: int = 0,
        bound: bool = False,
    ) -> None:
        self.orders = [
            Order(
                order_id=f"o{index:06d}",
                order_title=f"Title {index}",
                asset_name=f"asset-{index}.png",
                username=f"user{index % 5}",
                ordered_by=f"Artist {index % 7}",
                email=f"user{index % 5}@example.test",
                order_state=KNOWN_STATES[index % len(KNOWN_STATES)],
                tags=(f"tag{index % 3}",),
            )
            for index in range(count)
        ]
        self.reported_total = reported_total
        self.bound = bound
        self.requests: list[tuple[str | None, int]] = []
        self.previews: list[bool] = []  # parallel to requests
        self.bucket = (
            {o.order_id: i // buckets for i, o in enumerate(self.orders)} if buckets else {}
        )

    def page(self, token: str | None, limit: int, *, preview: bool = False) -> OrdersPage:
        self.requests.append((token, limit))
        self.previews.append(preview)
        if token is not None and token.startswith("p:"):
            if self.bound and not preview:
                raise Refused(token)
            token = token.removeprefix("p:")
        page = self._page(token, limit)
        if not preview:
            return page
        rows = tuple(OrderPreview(o.order_id, o.order_title) for o in page.orders)
        more = f"p:{page.next_page_token}" if page.next_page_token else None
        return OrdersPage(stats=page.stats, next_page_token=more, previews=rows)

    def _page(self, token: str | None, limit: int) -> OrdersPage:
        total = self.reported_total if self.reported_total is not None else len(self.orders)
        if self.bucket:
            number = int(token[1:]) if token else 0
            rows = tuple(o for o in self.orders if self.bucket[o.order_id] == number)
            last = max(self.bucket[o.order_id] for o in self.orders)
            more = f"b{number + 1}" if number < last else None
            return OrdersPage(stats=OrderStats(total=total), next_page_token=more, orders=rows)
        ids = [order.order_id for order in self.orders]
        start = 0 if token is None else ids.index(token.removeprefix("after:")) + 1
        rows = tuple(self.orders[start : start + limit])
        more = start + limit < len(self.orders)
        return OrdersPage(
            stats=OrderStats(total=total),
            next_page_token=f"after:{rows[-1].order_id}" if more and rows else None,
            orders=rows,
        )


def answer(model: PagingModel, backend: Backend, request: PageRequest) -> None:
    """Answer one request as the list's loader would (a refusal is a refused failure)."""
    try:
        page = backend.page(request.token, request.limit, preview=request.preview)
    except Refused:
        model.apply_failure(request, "invalid page_token", refused=True)
    else:
        model.apply_page(request, page)


def serve(model: PagingModel, backend: Backend, *, steps: int = 10_000) -> list[PageRequest]:
    """Answer every request the model makes until it wants nothing more."""
    done: list[PageRequest] = []
    for _ in range(steps):
        request = model.next_request()
        if request is None:
            return done
        answer(model, backend, request)
        done.append(request)
    raise AssertionError("the model never stopped asking")


def shown_ids(model: PagingModel, start: int, stop: int) -> list[str | None]:
    rows = (model.row(index) for index in range(start, stop))
    return [row.order.order_id if row.order else None for row in rows]


def make(page_size: int = 20, **kwargs: int) -> PagingModel:
    model = PagingModel(page_size=page_size, **kwargs)
    model.set_viewport(0, 10)
    model.reset("proj")
    return model


def asking_below(
    model: PagingModel, backend: Backend, *, cursor: int, top: int, height: int
) -> PageRequest:
    """The request the model makes (not answered) once what it first asked is served and the
    cursor and view have moved down to ``cursor`` and ``top``/``height``."""
    serve(model, backend)
    model.set_cursor(cursor)
    model.set_viewport(top, height)
    request = model.next_request()
    assert request is not None
    return request
