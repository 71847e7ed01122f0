"""``watch``: poll the head of the scope and print each new or changed order, until stopped.

Every ``--interval`` seconds (default: ``refresh_seconds``, as the console's auto-refresh) it
reads the newest page of full orders of the scope, as the console's live refresh does, and
compares each order's state with the one it saw last: an order never seen is **new**, one
whose state differs is **changed**. The first poll only learns what is there. When a whole
page is new (a burst), the next page is read too, up to :data:`MAX_HEAD_PAGES`.

Memory stays bounded: the states seen are kept for the :data:`SEEN_LIMIT` orders seen most
recently (an order that fell out of that memory and comes back is reported as new).

A poll that fails after the API client's retries is a warning on standard error, and the
next poll comes as usual; the first poll failing, or credentials refused, ends the watch
(exit 1, or 2 for bad credentials). Ctrl-C ends it with 130, SIGTERM with 143; a running
``--exec`` command is killed either way.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import signal
from collections import OrderedDict
from collections.abc import Callable, Sequence

from artistree_tui.api.client import ArtistreeClient
from artistree_tui.api.errors import ApiAuthError, ApiConfigError, ApiError
from artistree_tui.api.models import Order
from artistree_tui.cli import session
from artistree_tui.cli.exits import UsageError, warn
from artistree_tui.cli.hooks import Event, ExecHook, parse_command
from artistree_tui.cli.output import choose_format, prepare_stdout, table_width
from artistree_tui.cli.query import OrderFilter, order_filter
from artistree_tui.cli.scope import resolve_scope
from artistree_tui.config import Settings
from artistree_tui.display import clean
from artistree_tui.export.formats import TableWriter, to_json
from artistree_tui.export.records import FIELDS, FULL_FIELDS, FieldError, parse_fields, record

#: Orders whose last seen state is remembered.
SEEN_LIMIT = 10_000
#: Pages read per poll at most, when every order of a page is new.
MAX_HEAD_PAGES = 5
#: Interval when neither --interval nor refresh_seconds gives one.
DEFAULT_INTERVAL = 30.0
#: What a watch says of each order besides its fields: ``new`` or ``changed``, and the state
#: it had before (None for a new one).
EVENT_FIELDS = ("event", "previous_state")
#: Table columns of a watch (the event first).
TABLE_FIELDS = ("event", "order_id", "order_state", "creation_time", "project_name", "order_title")
#: A watch's NDJSON lines: what happened, then the whole order.
LINE_FIELDS = (*EVENT_FIELDS, *FULL_FIELDS)


def watch_record(
    kind: str, order: Order, previous: str | None, fields: Sequence[str]
) -> dict[str, object]:
    """``order``'s record of ``fields``, :data:`EVENT_FIELDS` among them where asked."""
    happened = {"event": kind, "previous_state": previous}
    found = record(order, [name for name in fields if name not in happened])
    return {name: happened[name] if name in happened else found[name] for name in fields}


EXIT_TERMINATED = 128 + signal.SIGTERM


class SeenStates:
    """The last state seen of the most recently seen orders, at most ``limit`` of them."""

    def __init__(self, limit: int = SEEN_LIMIT) -> None:
        self.limit = limit
        self._states: OrderedDict[str, str] = OrderedDict()

    def __len__(self) -> int:
        return len(self._states)

    def __contains__(self, order_id: object) -> bool:
        return order_id in self._states

    def update(self, order_id: str, state: str) -> str | None:
        """Remember ``state`` for ``order_id``; returns the state seen before (None: new)."""
        previous = self._states.pop(order_id, None)
        self._states[order_id] = state
        while len(self._states) > self.limit:
            self._states.popitem(last=False)
        return previous


class Watch:
    """Polls ``project_id`` and reports events to ``emit(kind, order, previous_state)``."""

    def __init__(
        self,
        client: ArtistreeClient,
        project_id: str,
        *,
        page_size: int,
        wanted: OrderFilter,
        emit: Callable[[str, Order, str | None], None],
        seen: SeenStates | None = None,
    ) -> None:
        self.client = client
        self.project_id = project_id
        self.page_size = page_size
        self.wanted = wanted
        self.emit = emit
        self.seen = seen if seen is not None else SeenStates()
        self.polls = 0

    async def head(self) -> list[Order]:
        """The newest orders, newest first: one page, more while whole pages are new."""
        orders: list[Order] = []
        token: str | None = None
        for _ in range(MAX_HEAD_PAGES):
            page = await self.client.list_orders(
                self.project_id, preview=False, page_token=token, limit=self.page_size
            )
            orders.extend(page.orders)
            token = page.next_page_token
            all_new = all(order.order_id not in self.seen for order in page.orders)
            if not token or not page.orders or not all_new or self.polls == 0:
                break
        return orders

    async def poll(self) -> int:
        """One poll; returns how many events it emitted (the first poll emits none)."""
        orders = await self.head()
        events = 0
        for order in reversed(orders):  # oldest first: events in the order they happened
            previous = self.seen.update(order.order_id, order.order_state)
            if self.polls == 0 or previous == order.order_state:
                continue
            if self.wanted.matches(order):
                self.emit("new" if previous is None else "changed", order, previous)
                events += 1
        self.polls += 1
        return events


def run_watch(args: argparse.Namespace) -> int:
    wanted = order_filter(args.state)
    fmt = choose_format(args.format, piped="ndjson")
    default_fields = TABLE_FIELDS if fmt == "table" else LINE_FIELDS
    try:
        valid = (*EVENT_FIELDS, *FIELDS)
        fields = parse_fields(args.fields, valid) if args.fields is not None else default_fields
    except FieldError as exc:
        raise UsageError(f"--fields: {exc}") from None
    argv = parse_command(args.exec_command) if args.exec_command else None

    async def command(settings: Settings) -> int:
        interval = args.interval or settings.refresh_seconds or DEFAULT_INTERVAL
        out = prepare_stdout()
        table = TableWriter(out, fields, width=table_width()) if fmt == "table" else None
        out.flush()
        hook = ExecHook(argv, timeout=args.exec_timeout) if argv else None

        def emit(kind: str, order: Order, previous: str | None) -> None:
            line = watch_record(kind, order, previous, fields)
            if table is not None:  # with the state the table reads a confidence by
                table.write({"order_state": order.order_state, **line})
            else:
                out.write(to_json(line) + "\n")
            out.flush()
            if hook is not None:
                payload = (to_json(record(order)) + "\n").encode("ascii")
                hook.submit(Event(kind, order.order_id, order.order_state, previous, payload))

        stopped = asyncio.Event()
        loop = asyncio.get_running_loop()
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(signal.SIGTERM, stopped.set)
        try:
            async with session.api_client(settings) as client:
                scope = await resolve_scope(client, settings)
                watch = Watch(
                    client,
                    scope.project_id,
                    page_size=settings.page_size,
                    wanted=wanted,
                    emit=emit,
                )
                if hook is not None:
                    hook.start()
                await watch.poll()  # the baseline: a failure here ends the watch
                while not stopped.is_set():
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(stopped.wait(), interval)
                    if stopped.is_set():
                        break
                    try:
                        await watch.poll()
                    except (ApiConfigError, ApiAuthError):
                        raise
                    except ApiError as error:
                        warn(f"poll failed: {clean(str(error), limit=200)}; next in {interval:g} s")
        finally:
            with contextlib.suppress(NotImplementedError, RuntimeError):
                loop.remove_signal_handler(signal.SIGTERM)
            if hook is not None:
                await hook.close()
        return EXIT_TERMINATED

    return session.run_api(args, command)
