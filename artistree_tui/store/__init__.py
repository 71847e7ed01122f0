"""The local order index: every order the console has seen, in SQLite, queried by position.

The API cannot filter or sort (only ``project_id``, ``preview``, ``page_token``, ``limit``),
so the console keeps the organization itself: a SQLite database per API and client in the
platform cache folder (:mod:`.paths`; folder 0700, files 0600; WAL, so two consoles share
it), rebuilt when damaged or of another version, and kept in memory when the disk says no
(:mod:`.database`). The sync (:mod:`artistree_tui.sync`) fills it; the order list and the CLI
read it.

- :class:`Index` — one per database and process: ``Index.for_settings(settings)`` or
  ``Index(path)`` / ``Index(None)`` (memory). ``take_notices()`` returns the one-line notices
  of recoveries (a file moved aside, a fall-back to memory) for the UI or CLI to print.
- :class:`Writer` (``index.writer()``) — the one writer: upserts preview and full pages and
  orders (one transaction each), keeps per-order first/last seen, state history, gone marks,
  and the sync's bookkeeping. Synchronous; call it off the UI loop. How an order becomes a
  row, and why a late answer never turns a state back, is :mod:`.upserts`.
- :class:`Reader` (``index.reader()``) — one per reading thread: :class:`View` objects
  (``reader.view(ViewSpec.of(scope, states=..., text=..., sort=..., descending=...))``) with
  ``count()``, ``rows(start, n)``, ``position_of(order_id)``, ``next_marked``/
  ``prev_marked``, ``iter_rows()`` (:mod:`.views`; what a view's rows are and how they are
  counted is its plan, :mod:`.plans`); ``status(scope)``, ``state_counts(scope)``,
  ``row(order_id)``, ``order(order_id)``, ``ids_starting(prefix)`` (a short id, like git's
  short SHAs: :class:`IdMatches`), ``history(order_id)``, ``projects()``; answers
  that must agree (a count, a position, its rows) read inside one ``reader.snapshot()``.
- :class:`ReadOnlyIndex` (:mod:`.read_only`) — an existing file opened read-only, creating
  and repairing nothing (``orders --cached``); its readers are ordinary readers.
- :class:`TokenCache` (:mod:`.tokens`) — the OAuth access token kept next to the index.
- Values: :class:`Scope`, :class:`ViewSpec`, :class:`Row`, :class:`ScopeStatus`,
  :class:`StateCounts`, :class:`WriteResult`, :class:`StateChange`, :class:`IdMatches`
  (:mod:`.rows`).

Strings read back are the API's raw text, untrusted: show them through
:mod:`artistree_tui.display`. SQL is always parameterized. This package never imports
Textual (nor httpx).

The names above are imported on first use (PEP 562), so ``artistree_tui.store.tokens`` or
``.paths`` alone (the token cache read at process start, ``cache path``) costs no SQLite and
none of the index's modules.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from artistree_tui.lazy import lazy_attributes

if TYPE_CHECKING:
    from artistree_tui.store.database import Index
    from artistree_tui.store.read_only import IndexMissing, IndexUnavailable, ReadOnlyIndex
    from artistree_tui.store.reader import Reader
    from artistree_tui.store.rows import (
        ALL,
        SORT_KEYS,
        IdMatches,
        Row,
        Scope,
        ScopeStatus,
        SortKey,
        StateChange,
        StateCounts,
        ViewSpec,
        WriteResult,
    )
    from artistree_tui.store.tokens import TokenCache
    from artistree_tui.store.views import View
    from artistree_tui.store.writer import SweepState, Writer

#: Each public name and the module it lives in.
_HOMES = {
    "Index": "database",
    **dict.fromkeys(("IndexMissing", "IndexUnavailable", "ReadOnlyIndex"), "read_only"),
    "Reader": "reader",
    **dict.fromkeys(
        (
            "ALL",
            "SORT_KEYS",
            "IdMatches",
            "Row",
            "Scope",
            "ScopeStatus",
            "SortKey",
            "StateChange",
            "StateCounts",
            "ViewSpec",
            "WriteResult",
        ),
        "rows",
    ),
    "TokenCache": "tokens",
    "View": "views",
    "SweepState": "writer",
    "Writer": "writer",
}

__all__ = [
    "ALL",
    "SORT_KEYS",
    "IdMatches",
    "Index",
    "IndexMissing",
    "IndexUnavailable",
    "ReadOnlyIndex",
    "Reader",
    "Row",
    "Scope",
    "ScopeStatus",
    "SortKey",
    "StateChange",
    "StateCounts",
    "SweepState",
    "TokenCache",
    "View",
    "ViewSpec",
    "WriteResult",
    "Writer",
]


__getattr__ = lazy_attributes(__name__, _HOMES, globals())
