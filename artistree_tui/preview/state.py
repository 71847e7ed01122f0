"""What the preview should show — order, layer, selected region, zoom — without I/O or UI.

:class:`ViewState` holds the reviewer's choices and the rules between them (a new order resets
them, a refreshed copy of the same order keeps them; zoom needs a selection on the preview
layer; stepping layers wraps around through the preview). The widget asks it which URL to load
and under which request key, so the same rules are unit-testable without Textual.
"""

from __future__ import annotations

from artistree_tui.api.models import Annotation, Order
from artistree_tui.preview.cache import asset_key

__all__ = ["RequestKey", "ViewState", "same_picture"]

#: ``(order id, layer index, asset key)``: a load's identity; stale results carry an old one.
RequestKey = tuple[str, int, str, str]


class ViewState:
    """The panel's choices; layer 0 is the preview, 1..n the order's layers."""

    def __init__(self) -> None:
        self.order: Order | None = None
        self.layer_index = 0
        self.selected: int | None = None
        self.zoomed = False
        #: A short remark for the title ("select an annotation to zoom"), cleared by any move.
        self.hint = ""

    @property
    def layer_count(self) -> int:
        """1 (the preview) + the order's layers."""
        return 1 + (len(self.order.layers) if self.order else 0)

    @property
    def annotations(self) -> tuple[Annotation, ...]:
        """The regions to draw: the preview's only (their coordinates are preview pixels)."""
        if self.order is None or self.layer_index != 0:
            return ()
        return self.order.annotations

    def show(self, order: Order | None) -> None:
        """A new order resets layer, selection and zoom; the same order keeps what still fits."""
        previous = self.order
        same = previous is not None and order is not None and previous.order_id == order.order_id
        self.order = order
        self.hint = ""
        if not same:
            self.layer_index, self.selected, self.zoomed = 0, None, False
            return
        assert order is not None
        if self.layer_index > len(order.layers):
            self.layer_index, self.zoomed = 0, False
        if self.selected is not None and self.selected >= len(order.annotations):
            self.selected, self.zoomed = None, False

    def highlight(self, index: int | None) -> bool:
        """Select annotation ``index`` (out of range: none). Returns whether it changed."""
        count = len(self.order.annotations) if self.order else 0
        if index is not None and not 0 <= index < count:
            index = None
        if index == self.selected:
            return False
        self.selected = index
        self.hint = ""
        if index is None:
            self.zoomed = False
        return True

    def toggle_zoom(self) -> bool:
        """Ask for zoom (or back out). Zoom needs a selection on the preview layer."""
        if self.zoomed:
            self.zoomed = False
        elif self.layer_index != 0 or self.selected is None:
            self.hint = "select an annotation to zoom"
        else:
            self.zoomed, self.hint = True, ""
        return self.zoomed

    def refuse_zoom(self) -> None:
        """The selected region cannot be drawn (degenerate or outside the image)."""
        self.zoomed = False
        self.hint = "this region cannot be zoomed"

    def step_layer(self, delta: int) -> bool:
        """Move ``delta`` layers, wrapping through the preview. False when there are none."""
        count = self.layer_count
        if count <= 1:
            self.hint = "this order has no layers"
            return False
        self.layer_index = (self.layer_index + delta) % count
        self.zoomed, self.hint = False, ""
        return True

    def url(self) -> str | None:
        """The presigned URL of the image to show now, if any."""
        if self.order is None:
            return None
        if self.layer_index == 0:
            return self.order.asset_preview_url
        return self.order.layers[self.layer_index - 1].url

    @property
    def variant(self) -> str:
        """Tells a re-uploaded artwork behind the same path apart (its modification time)."""
        if self.order is None or self.order.asset_last_modified is None:
            return ""
        return str(self.order.asset_last_modified)

    def request(self) -> RequestKey | None:
        """The identity of the load for what should be shown now (None: nothing to load)."""
        url = self.url()
        if self.order is None or not url:
            return None
        return (self.order.order_id, self.layer_index, asset_key(url), self.variant)


def same_picture(a: RequestKey | None, b: RequestKey | None) -> bool:
    """Whether two loads are of the same picture: the same order, layer and asset path, and
    the same modification time where both know it. A list row from the index does not know
    it (preview fields); the full order that follows does: the same picture, not a reload."""
    if a is None or b is None or a[:3] != b[:3]:
        return False
    return a[3] == b[3] or not a[3] or not b[3]
