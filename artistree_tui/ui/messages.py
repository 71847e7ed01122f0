"""Typed messages between the console's workers, panes and screen.

Workers do I/O and post one of these; message handlers (on the UI loop) own the widgets and
the state. Errors travel as ``error`` strings that are already one safe line
(:func:`error_line`), never as exception objects with tracebacks; :func:`toast` shows such
lines to the user.
"""

from __future__ import annotations

from typing import Any, Literal

from textual.app import App
from textual.message import Message

from artistree_tui.api.errors import ApiError
from artistree_tui.api.models import Order, Project
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


class DetailLoaded(Message):
    """A background fetch of one full order finished."""

    def __init__(self, order_id: str, order: Order) -> None:
        super().__init__()
        self.order_id = order_id
        self.order = order


class DetailFailed(Message):
    """A background fetch of one full order failed; ``error`` is one safe line."""

    def __init__(self, order_id: str, error: str) -> None:
        super().__init__()
        self.order_id = order_id
        self.error = error


class OrderShown(Message):
    """The detail pane now shows ``order`` (``complete`` once the full fetch answered).

    Posted to the screen (bubbling) and, as separate instances, to every widget mounted in
    the detail pane's preview slot, so the preview can follow the pane.
    """

    def __init__(self, order: Order, *, complete: bool) -> None:
        super().__init__()
        self.order = order
        self.complete = complete


class AnnotationHighlighted(Message):
    """The annotations table's cursor is on annotation ``index`` of order ``order_id``.

    Posted like :class:`OrderShown`: to the screen and to the preview slot's widgets.
    """

    def __init__(self, order_id: str, index: int) -> None:
        super().__init__()
        self.order_id = order_id
        self.index = index


class ProjectChosen(Message):
    """The user chose a project (sidebar or palette); ``project_id`` is None if unresolved."""

    def __init__(self, name: str, project_id: str | None) -> None:
        super().__init__()
        self.name = name
        self.project_id = project_id


class ProjectsSeen(Message):
    """Project discovery read a page of All Projects: its project names and the distinct
    ``project`` objects of its orders (not the page itself: no need to queue 1000 orders)."""

    def __init__(self, names: tuple[str, ...], projects: tuple[Project, ...]) -> None:
        super().__init__()
        self.names = names
        self.projects = projects


class DiscoveryDone(Message):
    """Project discovery stopped: every name resolved, or the pages ran out, or it failed."""

    def __init__(self, *, complete: bool, error: str | None = None) -> None:
        super().__init__()
        self.complete = complete
        self.error = error


class JumpLoaded(Message):
    """ "Go to order id" fetched the order."""

    def __init__(self, order: Order) -> None:
        super().__init__()
        self.order = order


class JumpFailed(Message):
    """ "Go to order id" failed; ``error`` is one safe line."""

    def __init__(self, order_id: str, error: str) -> None:
        super().__init__()
        self.order_id = order_id
        self.error = error
