"""What the preview panel says: its status values, failure reasons and title line.

Kept apart from the widget (and free of Textual) so the words can be tested and reused —
every placeholder is a short reason a reviewer can act on ("expired link — refreshing…",
"refused: too large", ...). Text from the API (layer names) goes through the display boundary.
"""

from __future__ import annotations

from rich.text import Text

from artistree_tui.api.models import Order
from artistree_tui.display import safe

__all__ = [
    "EXPIRED",
    "EXPIRED_REFRESHING",
    "LOADING",
    "NO_LAYER_IMAGE",
    "NO_ORDER",
    "NO_PREVIEW",
    "SHOWN",
    "status_for_error",
    "title_line",
]

#: The picture is on screen.
SHOWN = "shown"
LOADING = "loading…"
NO_PREVIEW = "no preview"
NO_LAYER_IMAGE = "no image for this layer"
NO_ORDER = "no order selected"
#: A 403 on the presigned URL: the app was asked to fetch the order again.
EXPIRED_REFRESHING = "expired link — refreshing…"
#: A 403 again with the fresh URL.
EXPIRED = "expired link"
FAILED = "preview failed"

_ASSET_STATUS = {
    "too large": "refused: too large",
    "not an image": "refused: not an image",
    "refused address": "refused: forbidden address",
    "insecure link": "refused: not https",
    "bad link": "refused: bad link",
    "redirected": "refused: too many redirects",
    "expired link": EXPIRED,
    "timed out": "timed out",
}
_DECODE_STATUS = {
    "not an image": "refused: not an image",
    "image too big to decode": "refused: image too big to decode",
    "truncated image": "truncated image",
    "corrupt image": "corrupt image",
}


def status_for_error(error: BaseException) -> str:
    """The short placeholder text for a failed load."""
    # Here, not above: the words are needed before the first picture, the pipeline is not.
    from artistree_tui.api.assets import AssetError
    from artistree_tui.preview.decode import DecodeError

    if isinstance(error, AssetError):
        return _ASSET_STATUS.get(error.reason, error.reason)
    if isinstance(error, DecodeError):
        return _DECODE_STATUS.get(error.reason, error.reason)
    return FAILED


def title_line(
    order: Order | None,
    layer_index: int,
    *,
    source_size: tuple[int, int] | None,
    zoomed: bool,
    hint: str = "",
) -> Text:
    """``Preview · 2 layers · 1024×768 · zoom`` or ``Layer 1/2 · <name> · 512×384``."""
    layers = len(order.layers) if order else 0
    title = Text()
    if order is not None and layer_index > 0:
        layer = order.layers[layer_index - 1]
        title.append(f"Layer {layer_index}/{layers} · ")
        title.append_text(safe(layer.name or "unnamed", limit=60, style="bold"))
    else:
        title.append("Preview", style="bold")
        if layers:
            title.append(f" · {layers} layers")
    if source_size is not None:
        title.append(f" · {source_size[0]}×{source_size[1]}")
    if zoomed:
        title.append(" · zoom", style="bold")
    if hint:
        title.append(" · ")
        title.append_text(safe(hint, style="italic"))
    return title
