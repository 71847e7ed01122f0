"""A short order id on the command line: the start of one, as a table cut it, like git's
short SHAs.

At 80 columns the tables of ``orders`` cut the order id first (its end becomes ``…``). What
the user copies from there, ``order`` takes: :func:`parse_order_ref` accepts a whole id or
its first characters (at least :data:`SHORT_ID_MIN`; a copied trailing ``…`` or ``...`` is
dropped), and :func:`resolve` looks a short one up in the local order index of the same
config and profile (:class:`~artistree_tui.store.ReadOnlyIndex`, opened read-only; the
query is the store's, :meth:`~artistree_tui.store.Reader.ids_starting`):

- one order starts with it: that order's id (the command fetches it from the API as usual);
- several: a :class:`~.exits.UsageError` that says how many, and how to list them;
- none, or no index (``--demo``, ``store = "memory"``, a console never run): a one-line
  :class:`~.exits.CommandFailed` (status 1, as ``orders --cached`` without an index) that
  says why and asks for the whole id. Nothing is asked of the API: it takes whole ids only
  (a 36-character UUID, and answers anything else with HTTP 400), so a short id could only
  be refused. A whole id always goes to the API as it is, index or not.

No HTTP and no Textual here.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from artistree_tui.cli.exits import PROG, CommandFailed, UsageError
from artistree_tui.config import Settings
from artistree_tui.display import clean
from artistree_tui.ids import ORDER_ID, SHORT_ID, SHORT_ID_MIN, without_ellipsis


@dataclass(frozen=True, slots=True)
class OrderRef:
    """An order id as given: ``text`` (stripped, without a trailing ellipsis), and whether it
    is a ``whole`` id (a UUID) or the start of one."""

    text: str
    whole: bool


def parse_order_ref(text: str) -> OrderRef:
    """``text`` as an order id or the start of one, else a usage error saying what is taken."""
    value = without_ellipsis(text.strip())
    if ORDER_ID.fullmatch(value):
        return OrderRef(value, whole=True)
    if SHORT_ID.fullmatch(value):
        return OrderRef(value, whole=False)
    raise UsageError(
        f"not an order id: {clean(text, limit=60)!r}: an order id is a 36-character UUID like "
        f"3f2b8c1e-7a4d-4e5f-9b6a-1c2d3e4f5a6b, or its first {SHORT_ID_MIN} or more characters"
    )


def resolve(ref: OrderRef, settings: Settings) -> str:
    """The order id ``ref`` names: a whole id as it is (the API says whether it exists); a
    short one through the local index, else a one-line error that says why not."""
    if ref.whole:
        return ref.text
    if settings.demo:
        raise _unresolved(ref, "--demo keeps no local order index to look it up in")
    from artistree_tui.store import IndexUnavailable, ReadOnlyIndex

    try:
        index = ReadOnlyIndex.for_settings(settings)
    except IndexUnavailable as exc:
        raise _unresolved(ref, f"{clean(str(exc), limit=200)} to look it up in") from None
    reader = index.reader()
    try:
        found = reader.ids_starting(ref.text, limit=1)
    except sqlite3.Error as exc:
        reason = f"the local order index could not be read ({clean(str(exc), limit=120)})"
        raise _unresolved(ref, reason) from None
    finally:
        reader.close()
    if found.unique is not None:
        return found.unique
    if found.count > 1:
        raise UsageError(
            f"order id {ref.text!r} is ambiguous: {found.count:,} orders in the local index "
            f"start with it: give more of the id (`{PROG} orders --cached --search "
            f"{ref.text}` lists them)"
        )
    raise _unresolved(ref, "no order in the local index starts with it")


def _unresolved(ref: OrderRef, why: str) -> CommandFailed:
    """No order for a short id: the API takes whole ids only (a 36-character UUID; it
    refuses anything else), so nothing is asked of it."""
    return CommandFailed(
        f"{ref.text!r} is the start of an order id, and {why}: give the whole id (the API "
        "takes whole ids only)"
    )
