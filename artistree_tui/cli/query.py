"""What ``orders`` and ``watch`` are asked: states, text, creation date, order ids, fields.

Every filter is checked before the first request, and a bad one is a :class:`UsageError`
(exit 2) that says what is accepted. No HTTP here: ``orders --cached`` (:mod:`.cached`)
checks its arguments with the same code without loading the API client.
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from artistree_tui.api.models import KNOWN_STATES, Order, OrderPreview, OrderState
from artistree_tui.cli.exits import UsageError
from artistree_tui.cli.output import choose_format
from artistree_tui.display import clean
from artistree_tui.export.records import (
    FULL_FIELDS,
    FULL_ONLY,
    PREVIEW_FIELDS,
    FieldError,
    parse_fields,
    text_fields,
)
from artistree_tui.ids import ORDER_ID
from artistree_tui.store.search import TextMatch

#: The console's short words for the states, accepted as well.
STATE_WORDS = {
    "running": OrderState.IN_PROGRESS.value,
    "certified": OrderState.HUMAN_CERTIFIED.value,
    "action": OrderState.ACTION_REQUIRED.value,
    "unsupported": OrderState.UNSUPPORTED_FILE.value,
}
_AGE = re.compile(r"(\d{1,6})\s*([smhdw])")
_AGE_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days", "w": "weeks"}


def _key(text: str) -> str:
    return " ".join(text.replace("-", " ").replace("_", " ").casefold().split())


_STATES = {_key(state): state for state in KNOWN_STATES} | STATE_WORDS


def parse_state(text: str) -> str:
    """A state as the API spells it, from any case and ``-``/``_`` for spaces."""
    state = _STATES.get(_key(text))
    if state is None:
        raise UsageError(
            f"--state: unknown state {clean(text, limit=40)!r}: choose from "
            f"{', '.join(KNOWN_STATES)} (any case, - or _ for spaces)"
        )
    return state


def parse_states(values: list[str] | None) -> frozenset[str]:
    return frozenset(parse_state(value) for value in values or ())


def parse_since(text: str, now: datetime | None = None) -> datetime:
    """``--since``: a date or time (ISO 8601, local time unless it says otherwise), ``today``,
    ``yesterday``, or an age (``30m``, ``24h``, ``7d``, ``2w``) back from now."""
    now = now if now is not None else datetime.now(UTC)
    value = text.strip().casefold()
    midnight = now.astimezone().replace(hour=0, minute=0, second=0, microsecond=0)
    if value == "today":
        return midnight
    if value == "yesterday":
        return midnight - timedelta(days=1)
    age = _AGE.fullmatch(value)
    if age:
        return now - timedelta(**{_AGE_UNITS[age.group(2)]: int(age.group(1))})
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise UsageError(
            f"--since: {clean(text, limit=40)!r} is not a date: give 2026-01-31, "
            "2026-01-31T09:00, today, yesterday or an age like 24h or 7d"
        ) from None
    return moment if moment.tzinfo else moment.astimezone()


def check_order_id(text: str) -> str:
    """``text`` if it is shaped like an order id (a UUID), else a usage error."""
    value = text.strip()
    if not ORDER_ID.fullmatch(value):
        raise UsageError(
            f"not an order id: {clean(text, limit=60)!r}: an order id is a 36-character "
            "UUID like 3f2b8c1e-7a4d-4e5f-9b6a-1c2d3e4f5a6b"
        )
    return value


@dataclass(frozen=True, slots=True)
class OrderFilter:
    """Which orders to keep: any of ``states`` (none: all), containing ``search`` (any case)
    in one of their texts, created at or after ``since``."""

    states: frozenset[str] = frozenset()
    search: str = ""
    since: datetime | None = None
    #: The index's text rule for ``search`` (store/search.py), or None without a search.
    text: TextMatch | None = None

    @property
    def active(self) -> bool:
        return bool(self.states or self.search or self.since)

    def passed(self, rows: Sequence[Order | OrderPreview]) -> bool:
        """Are all of ``rows`` (a page, newest first) created before ``since``? Then so are
        the pages after it: the walk can stop. A row without a time says nothing."""
        since = self.since
        return (
            since is not None
            and bool(rows)
            and all(row.creation_time is not None and row.creation_time < since for row in rows)
        )

    def matches(self, row: Order | OrderPreview) -> bool:
        if self.states and row.order_state not in self.states:
            return False
        if self.since is not None and (row.creation_time is None or row.creation_time < self.since):
            return False
        if self.text is not None:
            return self.text.matches(row.order_id, text_fields(row))
        return True


def order_filter(
    states: list[str] | None, search: str | None = None, since: str | None = None
) -> OrderFilter:
    """The filter of the command-line values (checked: a bad one is a UsageError)."""
    text = (search or "").strip()  # as typed: the index folds case as / does (store/search.py)
    return OrderFilter(
        states=parse_states(states),
        search=text,
        since=parse_since(since) if since else None,
        text=TextMatch(text) if text else None,
    )


#: The columns of ``orders`` as a table, unless --fields says otherwise.
TABLE_FIELDS = ("order_id", "order_state", "creation_time", "project_name", "order_title")


@dataclass(frozen=True, slots=True)
class Listing:
    """What ``orders`` was asked: the filter, how many, full or preview pages, the fields."""

    filter: OrderFilter
    limit: int | None
    full: bool
    fields: tuple[str, ...]
    fmt: str


def listing(args: argparse.Namespace) -> Listing:
    """``orders``' arguments checked (a bad one is a UsageError, before any request)."""
    fmt = choose_format(args.format, piped="ndjson")
    try:
        asked = parse_fields(args.fields) if args.fields is not None else None
    except FieldError as exc:
        raise UsageError(f"--fields: {exc}") from None
    full = bool(args.full or (asked and FULL_ONLY.intersection(asked)))
    if asked is not None:
        fields = asked
    elif fmt == "table":
        fields = TABLE_FIELDS
    else:
        fields = FULL_FIELDS if full else PREVIEW_FIELDS
    found = order_filter(args.state, args.search, args.since)
    return Listing(found, args.limit, full, fields, fmt)
