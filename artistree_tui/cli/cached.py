"""``orders --cached``: the orders from the local index the console keeps, not from the API.

The same arguments, filters, formats and fields as ``orders`` (:func:`.query.listing`), read
from the index of the same config and profile (:class:`~artistree_tui.store.ReadOnlyIndex`:
opened read-only, never created, never repaired, no request, no credentials asked for). One
line on standard error says how old the answer is::

    from the local index as of 14:02 (34,000 of 100,000 orders indexed; incomplete)

Differences from the API's answer, by design:

- ``--search`` matches as the API walk does (store/search.py) where this Python's SQLite has
  FTS5; without it the index's fallback also matches inside words (``LIKE``);
- orders the API removed (seen gone by a complete sync) are left out;
- full-only fields (``--full``, or ``--fields asset_name,annotations...``) are those of the
  last full answer the index kept for each order (the console's list and detail fetch full
  orders), null when it has none.

No index for these settings (never built, or ``store = "memory"``) is a one-line error with
exit status 1, like an API that cannot be reached: the data is not there; status 2 stays for
bad usage and bad configuration. This module never imports httpx or Textual.
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import time
from collections.abc import Iterator
from datetime import datetime
from typing import TextIO

from artistree_tui.api.models import Project
from artistree_tui.api.projects import ALL_ENTRY, ProjectDirectory
from artistree_tui.cli.exits import PROG, CommandFailed, UsageError
from artistree_tui.cli.flags import flag_values
from artistree_tui.cli.output import prepare_stdout, table_width
from artistree_tui.cli.query import Listing, listing
from artistree_tui.cli.session import check_demo_flags
from artistree_tui.config import Settings, load_settings
from artistree_tui.display import clean
from artistree_tui.export.formats import open_writer
from artistree_tui.export.indexed import index_record, needs_order
from artistree_tui.ids import ORDER_ID
from artistree_tui.store import (
    ALL,
    IndexMissing,
    IndexUnavailable,
    Reader,
    ReadOnlyIndex,
    Row,
    Scope,
    ScopeStatus,
    View,
    ViewSpec,
)

#: Rows read from the index per query (memory stays that of one batch).
BATCH = 500


def run_orders(args: argparse.Namespace) -> int:
    wanted = listing(args)
    settings = _settings(args)
    try:
        index = ReadOnlyIndex.for_settings(settings)
    except IndexMissing as exc:
        if settings.store == "memory":  # a console would not write one either
            raise CommandFailed(
                f"no local order index for this config and profile ({exc}): run without "
                '--cached, or set store = "disk" and open the console once'
            ) from None
        raise CommandFailed(
            f"no local order index for this config and profile ({exc}): open the console "
            "once (it builds the index as it syncs), or run without --cached"
        ) from None
    except IndexUnavailable as exc:
        raise CommandFailed(
            f"{exc}: open the console (it rebuilds the index), or run without --cached"
        ) from None
    reader = index.reader()
    try:
        return _orders(reader, settings, wanted, sys.stderr)
    except sqlite3.Error as exc:
        raise CommandFailed(
            f"the local order index could not be read ({clean(str(exc), limit=120)}): run "
            "without --cached"
        ) from None
    finally:
        reader.close()


def _settings(args: argparse.Namespace) -> Settings:
    """The settings of the flags, without running ``client_secret_command`` (nothing is
    asked of the API; the index is named by the base URL and client id only)."""
    check_demo_flags(args)
    settings = load_settings(
        config_path=args.config,
        profile=args.profile,
        flags=flag_values(args),
        demo=args.demo,
        require_credentials=False,
    )
    if settings.demo:
        raise CommandFailed(
            "--demo keeps its index in memory (each run is a new demo organization): "
            "run without --cached to ask the demo API"
        )
    return settings


def _orders(reader: Reader, settings: Settings, wanted: Listing, err: TextIO) -> int:
    scope = resolve_scope(reader, settings)
    status = reader.status(scope)
    if status.as_of is None and not status.indexed:
        # Nothing was ever read into it (a console that never reached the API): no answer,
        # not an empty one (a script could not tell it from "no orders").
        raise CommandFailed(
            "the local order index holds nothing for this scope yet (never synced): open the "
            "console once it can reach the API, or run without --cached"
        )
    spec = ViewSpec.of(scope, states=wanted.filter.states, text=wanted.filter.search)
    behind = reader.state_counts(scope).behind if status.complete else 0
    print(age_line(status, behind=behind), file=err, flush=True)
    out = prepare_stdout()
    writer = open_writer(wanted.fmt, out, wanted.fields, width=table_width())
    with_orders = needs_order(wanted.fields)
    view = reader.view(spec)
    try:
        for row in matching_rows(view, wanted):
            order = reader.order(row.order_id) if with_orders and row.full else None
            writer.write(index_record(row, wanted.fields, order))
    finally:
        view.close()  # its temporary match set, now (also when the reader stopped early)
    writer.close()
    return 0


def matching_rows(view: View, wanted: Listing) -> Iterator[Row]:
    """The view's rows that still exist and pass ``--since``, up to ``--limit``: newest
    first, so the first row older than ``--since`` ends the walk."""
    since = wanted.filter.since
    count = 0
    for row in view.iter_rows(batch=BATCH):
        if since is not None and (row.creation_time is None or row.creation_time < since):
            return  # newest first: every row after this one is older still
        if row.gone is not None:
            continue
        count += 1
        yield row
        if wanted.limit is not None and count >= wanted.limit:
            return


def resolve_scope(reader: Reader, settings: Settings) -> Scope:
    """``--project`` (else ``default_project``, else All Projects) among the projects the
    index has seen and the config's ``[projects]``: a name in any case, or an id."""
    wanted = (settings.default_project or "").strip()
    if not wanted:
        return ALL
    directory = ProjectDirectory(settings.projects)
    known = reader.projects()
    directory.observe_names([name for name, _ in known])
    directory.observe_projects(Project(id=pid, name=name) for name, pid in known if pid)
    entry = directory.lookup(wanted)
    if entry is None:
        if ORDER_ID.fullmatch(wanted):
            return Scope.project(wanted)  # an id the index cannot name: its rows, if any
        close = directory.close_names(wanted)
        hint = f"close: {', '.join(repr(clean(n, limit=60)) for n in close)}; " if close else ""
        raise UsageError(
            f"--project: the local index knows no project named {clean(wanted, limit=60)!r}: "
            f"{hint}`{PROG} projects --no-ids` asks the API"
        )
    if entry == ALL_ENTRY:
        return ALL
    return Scope.project(entry.project_id or entry.name, entry.name)


def age_line(status: ScopeStatus, now: float | None = None, *, behind: int = 0) -> str:
    """``from the local index as of 14:02 (34,000 of 100,000 orders indexed; incomplete)``;
    ``behind``: orders the API's last counts show the complete index to be off by."""
    indexed, last = f"{status.indexed:,}", status.indexed
    if status.api_total is not None and not status.complete:
        indexed, last = f"{indexed} of {status.api_total:,}", status.api_total
    what = f"{indexed} order{'' if last == 1 else 's'} indexed"
    what += "; complete" if status.complete else "; incomplete"
    if behind:
        what += f", {behind:,} behind the API's counts"
    if status.problem:
        what += f"; the last sync stopped: {clean(status.problem, limit=120)}"
    as_of = status.as_of
    if as_of is None:
        return f"from the local index, never synced for this scope ({what})"
    return f"from the local index as of {_when(as_of, now)} ({what})"


def _when(moment: float, now: float | None = None) -> str:
    """``14:02`` today, else ``2026-03-01 14:02`` (local time)."""
    at = datetime.fromtimestamp(moment)
    today = datetime.fromtimestamp(now if now is not None else time.time()).date()
    return at.strftime("%H:%M") if at.date() == today else at.strftime("%Y-%m-%d %H:%M")
