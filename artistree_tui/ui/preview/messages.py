"""What the preview panel posts, and what it is told about the selection: here, not in the
panel's module, so that the screen and the detail pane can handle and name them without
importing the panel (it and its canvas are imported with the first order drawn, after the
console's first frame: ``ui/app.py``'s preview factory).

The messages keep the names they have as the panel's attributes (``PreviewPanel.UrlExpired``
…) and their handler names (``on_preview_panel_url_expired`` …).
"""

from __future__ import annotations

from enum import Enum

from textual.message import Message

__all__ = ["KEEP", "Keep", "Preloaded", "StatusChanged", "UrlExpired"]


class Keep(Enum):
    """:meth:`PreviewPanel.show_order` keeps the selection (see its rules)."""

    KEEP = "keep"


KEEP = Keep.KEEP


class UrlExpired(Message, namespace="preview_panel"):
    """The order's presigned URL answered 403: fetch the order again and call
    :meth:`PreviewPanel.show_order` with it. Posted at most once per order until a load for
    that order succeeds."""

    def __init__(self, order_id: str) -> None:
        super().__init__()
        self.order_id = order_id


class StatusChanged(Message, namespace="preview_panel"):
    """The panel's status changed: ``"shown"``, ``"loading…"`` or a placeholder reason."""

    def __init__(self, order_id: str | None, status: str) -> None:
        super().__init__()
        self.order_id = order_id
        self.status = status


class Preloaded(Message, namespace="preview_panel"):
    """A :meth:`PreviewPanel.preload` finished: ``order_id``'s picture is decoded and rendered
    in the caches (``done``), or could not be (nothing is shown for it)."""

    def __init__(self, order_id: str, *, done: bool) -> None:
        super().__init__()
        self.order_id = order_id
        self.done = done
