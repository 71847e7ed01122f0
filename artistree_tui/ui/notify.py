"""How the console tells the user something went wrong: one safe line, shown as a toast.

Workers do I/O and post typed messages (each package's ``messages`` module: the messages live
with the package that posts them); message handlers, on the UI loop, own the widgets and the
state. Errors travel in those messages as ``error`` strings that are already one safe line
(:func:`error_line`), never as exception objects with tracebacks; :func:`toast` shows such
lines to the user.
"""

from __future__ import annotations

from typing import Any, Literal

from textual.app import App

from artistree_tui.api.errors import ApiError
from artistree_tui.display import clean

Severity = Literal["information", "warning", "error"]


def error_line(error: BaseException) -> str:
    """One safe line for an error: the API's own message, or just the exception's type.

    Only :class:`ApiError` messages are shown verbatim (they are written to be safe); any other
    exception's text could hold anything, so only its type name is shown.
    """
    if isinstance(error, ApiError):
        return clean(str(error), limit=200)
    return clean(f"unexpected error ({type(error).__name__})", limit=200)


def short_id(order_id: str) -> str:
    """An order in a one-line message: the first group of its UUID (``7795a850…``), enough to
    tell orders apart and to find one with the list's filter (``/`` searches ids)."""
    value = clean(order_id, limit=40)
    return value[:8] + "…" if len(value) > 12 else value


def toast(
    app: App[Any],
    message: str,
    *,
    title: str = "",
    severity: Severity = "information",
    timeout: float | None = None,
) -> None:
    """A notification whose text is taken literally (``notify`` parses markup by default)."""
    app.notify(
        clean(message, limit=300),
        title=clean(title, limit=80),
        severity=severity,
        timeout=timeout,
        markup=False,
    )
