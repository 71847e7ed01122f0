"""``orders``, ``order``, ``stats`` and ``projects``: the API's data on standard output.

``orders`` streams: it follows the pages of the scope with the API layer's
:class:`~artistree_tui.api.paging.PageIterator` (which ends a walk whose server repeats a page
token), keeps the rows that pass the filters and writes each page's rows as soon as the page
is in, holding nothing but the current page. Preview pages (a quarter of the bytes) unless
``--full`` or a field only full orders carry is asked for.

``order`` takes a whole id or its start, as a table cut it (:mod:`.short_ids`: a unique
start of an id in the local index names its order).
"""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from typing import TypeVar

from artistree_tui.api.client import ArtistreeClient
from artistree_tui.api.errors import ApiError, ApiSchemaError, ApiServerError
from artistree_tui.api.models import ALL_PROJECTS, Order, OrderPreview, OrdersPage
from artistree_tui.api.paging import PageIterator
from artistree_tui.api.projects import ALL_ENTRY, ProjectDirectory, discover_project_ids
from artistree_tui.cli import session
from artistree_tui.cli.exits import CommandFailed, UsageError, warn
from artistree_tui.cli.output import Progress, choose_format, prepare_stdout, table_width
from artistree_tui.cli.query import Listing, listing
from artistree_tui.cli.scope import DISCOVERY_LIMIT, MAX_DISCOVERY_PAGES, resolve_scope
from artistree_tui.cli.short_ids import parse_order_ref, resolve
from artistree_tui.config import Settings
from artistree_tui.export.formats import open_writer, write_one, write_records
from artistree_tui.export.records import (
    FULL_FIELDS,
    FieldError,
    parse_fields,
    record,
    stats_record,
)

#: Preview rows per page: the most the API gives (light rows; fewer requests).
PREVIEW_PAGE = 1000
#: What ``projects`` writes for each project.
PROJECT_FIELDS = ("name", "id", "userRole")

Row = Order | OrderPreview
T = TypeVar("T")

#: The waits before a page that came back malformed or as HTTP 500 (which the API client does
#: not retry: a body cut by a proxy, a passing server error) is asked for again, twice: one bad
#: page must not end a long export half-way (a tryout's with 1 page in 3 malformed did).
PAGE_RETRY_DELAYS = (1.0, 3.0)


async def asked_again(ask: Callable[[], Awaitable[T]], progress: Progress, what: str) -> T:
    """``ask()``'s answer, asked again after :data:`PAGE_RETRY_DELAYS` when it comes back
    malformed or as HTTP 500 (a warning on stderr each time, naming ``what``, on a line of its
    own under the progress line); raises what the last try raised."""
    for delay in (*PAGE_RETRY_DELAYS, None):
        try:
            return await ask()
        except (ApiSchemaError, ApiServerError) as exc:
            if delay is None or not _worth_another_try(exc):
                raise
            with progress.hidden():
                warn(
                    f"{what} could not be read ({exc.reason or 'error'}): "
                    f"asking for it again in {delay:g} s"
                )
            await asyncio.sleep(delay)
    raise AssertionError("unreachable")


async def next_page(pages: PageIterator, progress: Progress) -> OrdersPage:
    """The iterator's next page, asked again as :func:`asked_again` says; raises
    StopAsyncIteration at the end."""
    return await asked_again(lambda: anext(pages), progress, f"page {pages.pages + 1:,}")


def _worth_another_try(exc: ApiError) -> bool:
    """A body cut or garbled on the way, or HTTP 500; not a body over the size limit nor a
    token answer without a token (the same again every time)."""
    if isinstance(exc, ApiSchemaError):
        return not any(sign in str(exc) for sign in ("larger than", "access_token"))
    return exc.status == 500


async def stream_rows(
    client: ArtistreeClient,
    project_id: str,
    wanted: Listing,
    *,
    page_size: int,
    progress: Progress,
) -> AsyncIterator[list[Row]]:
    """The rows of each page that pass the filter, page by page, up to ``wanted.limit``, and
    with ``--since`` up to the first page created wholly before it (the API lists newest
    first: ``--since 24h`` reads the last day's pages, not the organization).

    Raises :class:`CommandFailed` after the last page when the API's paging went round in a
    circle (the page iterator stopped it): what was written may be incomplete.
    """
    size = page_size if wanted.full else PREVIEW_PAGE
    if wanted.limit is not None and not wanted.filter.active:
        size = min(size, wanted.limit)  # no filter: the first N rows are the answer
    pages = client.iter_pages(project_id, preview=not wanted.full, limit=size)
    read = matched = 0
    while True:
        try:
            page = await next_page(pages, progress)
        except StopAsyncIteration:
            break
        rows: Sequence[Row] = page.orders if wanted.full else page.previews
        read += len(rows)
        kept = [row for row in rows if wanted.filter.matches(row)]
        if wanted.limit is not None:
            kept = kept[: wanted.limit - matched]
        matched += len(kept)
        progress.pages(pages.pages, read, matched if wanted.filter.active else None)
        yield kept
        if wanted.limit is not None and matched >= wanted.limit:
            return
        if wanted.filter.passed(rows):
            return  # a whole page older than --since: the rest of the walk is older still
        del page, rows, kept  # not held while the next page is read
    if pages.repeated_token:
        raise CommandFailed(
            f"the API's paging looks broken (it repeated a page token after {pages.pages} "
            f"pages): stopped after {read:,} orders, so the output may be incomplete"
        )


def run_orders(args: argparse.Namespace) -> int:
    wanted = listing(args)
    return session.run_api(args, lambda settings: _orders(settings, wanted))


async def _orders(settings: Settings, wanted: Listing) -> int:
    out = prepare_stdout()
    progress = Progress()
    try:
        async with session.api_client(settings, on_event=progress.client_event) as client:
            scope = await resolve_scope(client, settings, progress)
            writer = open_writer(wanted.fmt, out, wanted.fields, width=table_width())
            rows = stream_rows(
                client, scope.project_id, wanted, page_size=settings.page_size, progress=progress
            )
            async for page in rows:
                with progress.hidden():
                    for row in page:
                        writer.write(record(row, wanted.fields))
                    out.flush()  # each page's rows as soon as they are in
            progress.clear()
            writer.close()
    finally:
        progress.clear()
    return 0


def run_order(args: argparse.Namespace) -> int:
    ref = parse_order_ref(args.order_id)  # a whole id, or its start as a table cut it
    fmt = choose_format(args.format, piped="json")
    try:
        fields = parse_fields(args.fields, FULL_FIELDS) if args.fields is not None else FULL_FIELDS
    except FieldError as exc:
        raise UsageError(f"--fields: {exc}") from None

    async def command(settings: Settings) -> int:
        order_id = resolve(ref, settings)
        async with session.api_client(settings) as client:
            order = await asked_again(lambda: client.get_order(order_id), Progress(), "the order")
        out = prepare_stdout()
        write_one(record(order, fields), out, fmt, width=table_width(), fields=fields)
        return 0

    return session.run_api(args, command)


def run_stats(args: argparse.Namespace) -> int:
    fmt = choose_format(args.format, piped="json")

    async def command(settings: Settings) -> int:
        progress = Progress()
        try:
            async with session.api_client(settings, on_event=progress.client_event) as client:
                scope = await resolve_scope(client, settings, progress)
                page = await asked_again(
                    lambda: client.list_orders(scope.project_id, preview=True, limit=1),
                    progress,
                    "the counts",
                )
        finally:
            progress.clear()
        if not page.stats.readable:  # zeros printed as counts would be believed
            raise ApiSchemaError("malformed response: the API's order counts are not numbers")
        write_one(stats_record(page.stats), prepare_stdout(), fmt, width=table_width())
        return 0

    return session.run_api(args, command)


def run_projects(args: argparse.Namespace) -> int:
    fmt = choose_format(args.format, piped="ndjson")

    async def command(settings: Settings) -> int:
        directory = ProjectDirectory(settings.projects)
        progress = Progress()
        try:
            async with session.api_client(settings, on_event=progress.client_event) as client:
                if args.no_ids:
                    page = await asked_again(
                        lambda: client.list_orders(ALL_PROJECTS, preview=True, limit=1),
                        progress,
                        "the projects",
                    )
                    directory.observe_names(page.project_names)
                else:
                    await _discover(client, directory, progress)
        finally:
            progress.clear()
        rows = (
            {"name": entry.name, "id": entry.project_id, "userRole": entry.role}
            for entry in directory.entries()
            if entry != ALL_ENTRY
        )
        write_records(rows, prepare_stdout(), fmt, PROJECT_FIELDS, width=table_width())
        return 0

    return session.run_api(args, command)


async def _discover(
    client: ArtistreeClient, directory: ProjectDirectory, progress: Progress
) -> None:
    """Walk full pages of All Projects (as the console does) until every name has an id."""
    walked = 0

    async def fetch(token: str | None, limit: int) -> OrdersPage:
        nonlocal walked
        walked += 1
        progress.show(f"looking up project ids: page {walked}")
        return await asked_again(
            lambda: client.list_orders(ALL_PROJECTS, preview=False, page_token=token, limit=limit),
            progress,
            f"page {walked:,}",
        )

    await discover_project_ids(
        fetch,
        directory.resolved_names,
        directory.observe_page,
        limit=DISCOVERY_LIMIT,
        max_pages=MAX_DISCOVERY_PAGES,
    )
