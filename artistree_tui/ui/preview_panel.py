"""The preview panel: the order's preview image in half-blocks, with its annotation regions.

A line-API widget (``render_line`` returns prepared ``Strip`` objects: the notes measure 8 ms
per repaint, against 17–62 ms for the image widgets). Row 0 is a title (preview or layer
name, size, zoom); then the picture; then a legend line when regions are drawn. The work is
done by :class:`~artistree_tui.preview.loader.PreviewLoader`: downloads and decodes run in an
exclusive async worker (decode in a thread); a newer request cancels the older one and a
result whose request key is no longer current is dropped. Re-rendering (new selection, zoom,
resize) reuses the decoded image and takes a few milliseconds, so it happens on the spot.

When the presigned URL has expired (HTTP 403) the panel posts :class:`PreviewPanel.UrlExpired`
once per order so the app can fetch the order again and call :meth:`show_order` with the fresh
URL; a second 403 in a row shows "expired link". Every text shown goes through
:mod:`artistree_tui.display`.

Inside the detail pane's preview slot the panel follows the pane by itself: it handles the
pane's ``OrderShown`` and ``AnnotationHighlighted`` messages.
"""

from __future__ import annotations

import asyncio
import contextlib
import math
from functools import partial
from typing import Any, ClassVar, Literal

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import on, work
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.strip import Strip
from textual.widget import Widget

from artistree_tui.api.assets import AssetError
from artistree_tui.api.models import Order
from artistree_tui.display import clean, safe
from artistree_tui.preview.colors import ColorMode, color_mode_for
from artistree_tui.preview.decode import DecodedImage, DecodeError
from artistree_tui.preview.geometry import fit_size
from artistree_tui.preview.loader import PreviewLoader, Rendering, build_preview_loader
from artistree_tui.preview.state import RequestKey, ViewState
from artistree_tui.preview.status import (
    EXPIRED,
    EXPIRED_REFRESHING,
    FAILED,
    LOADING,
    NO_LAYER_IMAGE,
    NO_ORDER,
    NO_PREVIEW,
    SHOWN,
    status_for_error,
    title_line,
)
from artistree_tui.ui.messages import AnnotationHighlighted, OrderShown

__all__ = [
    "EXPIRED",
    "EXPIRED_REFRESHING",
    "LAYER_NEXT",
    "LAYER_PREV",
    "SHOWN",
    "TOGGLE",
    "ZOOM",
    "PreviewPanel",
    "status_for_error",
]

# Binding ids (rebindable through the config's [keymap]).
ZOOM = "preview.zoom"
LAYER_PREV = "preview.layer_prev"
LAYER_NEXT = "preview.layer_next"
#: For the screen's binding that calls :meth:`PreviewPanel.toggle` (suggested key: ``v``).
TOGGLE = "preview.toggle"

Renderer = Literal["auto", "halfblock", "off"]

# A load that replaces one still in flight (key repeat through the list) waits this long first.
_BURST_DELAY = 0.05
# How long the previous picture stays up before a slow load shows "loading…".
_LOADING_GRACE = 0.15


class PreviewPanel(Widget, can_focus=True):
    """The order's preview (or one of its layers) with annotation regions; see the module
    docstring. ``renderer`` is the ``preview`` setting (``"off"`` starts hidden);
    ``color_mode`` forces ``"truecolor"``/``"256"``/``"16"`` (default: the terminal's)."""

    DEFAULT_CSS = """
    PreviewPanel {
        height: auto;
        min-height: 3;
        max-height: 60vh;
    }
    PreviewPanel:focus {
        background-tint: $foreground 4%;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("z", "zoom", "Zoom region", tooltip="Zoom into the selected region", id=ZOOM),
        Binding(
            "left_square_bracket",
            "layer_prev",
            "Prev layer",
            tooltip="Show the previous layer",
            id=LAYER_PREV,
        ),
        Binding(
            "right_square_bracket",
            "layer_next",
            "Next layer",
            tooltip="Show the next layer",
            id=LAYER_NEXT,
        ),
    ]
    # No key for toggle(): a hidden panel gets no keys, so showing it again must be a binding
    # of the screen (the console's "p" is "go to project"); TOGGLE is the id to give it.

    class UrlExpired(Message):
        """The order's presigned URL answered 403: fetch the order again and call
        :meth:`PreviewPanel.show_order` with it. Posted at most once per order until a load
        for that order succeeds."""

        def __init__(self, order_id: str) -> None:
            super().__init__()
            self.order_id = order_id

    class StatusChanged(Message):
        """The panel's status changed: ``"shown"``, ``"loading…"`` or a placeholder reason."""

        def __init__(self, order_id: str | None, status: str) -> None:
            super().__init__()
            self.order_id = order_id
            self.status = status

    class _Loaded(Message):
        def __init__(self, request: RequestKey, decoded: DecodedImage) -> None:
            super().__init__()
            self.request = request
            self.decoded = decoded

    class _Failed(Message):
        def __init__(self, request: RequestKey, error: BaseException) -> None:
            super().__init__()
            self.request = request
            self.error = error

    def __init__(
        self,
        loader: PreviewLoader | None = None,
        *,
        renderer: Renderer | str = "auto",
        color_mode: ColorMode | None = None,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._loader = loader
        self._owns_loader = loader is None
        self.renderer = renderer if renderer in ("auto", "halfblock", "off") else "auto"
        self._color_mode = color_mode
        self.view = ViewState()
        self.status = NO_ORDER
        self._decoded: DecodedImage | None = None
        self._request: RequestKey | None = None
        self._loading = False
        self._failed = False
        self._expired_asked: set[str] = set()
        self._laid_out: int | None = None  # the height the last layout pass got
        self.rendering: Rendering | None = None
        self._strips: list[Strip] = []
        if self.renderer == "off":
            self.display = False

    # -- public API ------------------------------------------------------------------------

    @property
    def loader(self) -> PreviewLoader:
        if self._loader is None:
            self._loader = build_preview_loader()
        return self._loader

    # The reviewer's choices live in ``self.view``; these read them.
    @property
    def order(self) -> Order | None:
        return self.view.order

    @property
    def layer_index(self) -> int:
        return self.view.layer_index

    @property
    def selected(self) -> int | None:
        return self.view.selected

    @property
    def zoomed(self) -> bool:
        return self.view.zoomed

    @property
    def layer_count(self) -> int:
        """1 (the preview) + the order's layers."""
        return self.view.layer_count

    def show_order(self, order: Order | None) -> None:
        """Show ``order``'s preview (``asset_preview_url``). The same order again (refreshed,
        or with a fresh URL) keeps the layer, selection and zoom, and reloads only if needed."""
        self.view.show(order)
        self._sync()

    def highlight_annotation(self, index: int | None) -> None:
        """Highlight annotation ``index`` of the shown order (None: no selection); the other
        regions are dimmed. Repaints from the decoded image; nothing is downloaded."""
        if self.view.highlight(index):
            self._repaint()

    def toggle_zoom(self) -> bool:
        """Zoom into the selected region (crop + scale up), or back out. Returns whether the
        panel is zoomed afterwards."""
        self.view.toggle_zoom()
        self._repaint()
        if self.view.zoomed and self.rendering is not None and not self.rendering.zoomed:
            self.view.refuse_zoom()
            self._repaint()
        return self.view.zoomed

    def next_layer(self) -> None:
        """Step to the next layer of a multi-layer order (after the last: the preview)."""
        self._step_layer(+1)

    def previous_layer(self) -> None:
        """Step to the previous layer (before the first: the preview)."""
        self._step_layer(-1)

    def toggle(self) -> None:
        """Hide or show the panel (showing it loads what it should show)."""
        self.display = not self.display
        if self.display:
            self._sync()

    # -- actions (bindings) -------------------------------------------------------------------

    def action_zoom(self) -> None:
        self.toggle_zoom()

    def action_layer_next(self) -> None:
        self.next_layer()

    def action_layer_prev(self) -> None:
        self.previous_layer()

    # -- following the detail pane ----------------------------------------------------------

    @on(OrderShown)
    def _on_order_shown(self, event: OrderShown) -> None:
        event.stop()  # the pane posts the screen its own copy
        self.show_order(event.order)

    @on(AnnotationHighlighted)
    def _on_annotation_highlighted(self, event: AnnotationHighlighted) -> None:
        event.stop()
        if self.order is not None and event.order_id == self.order.order_id:
            self.highlight_annotation(event.index)

    # -- loading ----------------------------------------------------------------------------

    def _step_layer(self, delta: int) -> None:
        if self.view.step_layer(delta):
            self._sync()
        else:
            self._repaint()

    def _sync(self) -> None:
        """Start (or skip) the load for what should be shown now."""
        if not self.display or not self.is_mounted:
            return
        url = self.view.url()
        request = self.view.request()
        if request is None or url is None:
            self._cancel_load()
            self._decoded = None
            self._request = None
            status = NO_ORDER if self.order is None else NO_PREVIEW
            self._set_status(status if self.layer_index == 0 else NO_LAYER_IMAGE)
            return
        variant = self.view.variant
        if request == self._request and not self._failed and (self._decoded or self._loading):
            self._repaint()  # same asset (maybe a fresh query string): nothing to fetch
            return
        self._request = request
        self._failed = False
        cached = self.loader.cached(url, variant)
        if cached is not None:
            self._cancel_load()
            self._decoded = cached
            self._set_status(SHOWN)
            return
        # Superseding a load still in flight means the user is moving through the list: wait
        # a moment so the order they stop on is the one fetched and decoded.
        delay = _BURST_DELAY if self._loading else 0.0
        self._decoded = None
        self._loading = True
        # The picture on screen stays until the new one is ready or _LOADING_GRACE has
        # passed: no "loading…" flash between two quick previews, and no repaint competing
        # with the decode for the CPU.
        self._set_status(LOADING, repaint=False)
        self.set_timer(_LOADING_GRACE, partial(self._show_loading, request))
        self._load(request, url, variant, delay)

    def _show_loading(self, request: RequestKey) -> None:
        if self._loading and self._request == request and self.status == LOADING:
            self._repaint(layout=self._content_height(self.size.width) != self._laid_out)

    def _cancel_load(self) -> None:
        self._loading = False
        self.workers.cancel_group(self, "preview-load")

    @work(exclusive=True, group="preview-load", exit_on_error=False)
    async def _load(self, request: RequestKey, url: str, variant: str, delay: float) -> None:
        if delay:
            await asyncio.sleep(delay)
        try:
            decoded = await self.loader.load(url, variant=variant)
        except (AssetError, DecodeError) as error:
            self.post_message(self._Failed(request, error))
            return
        except Exception as error:  # never a traceback on screen: a placeholder instead
            self.post_message(self._Failed(request, error))
            return
        # Render here too, off the UI thread: the handler then finds it in the cache (or
        # renders again if the panel changed size or selection meanwhile).
        args = self._render_args()
        if args is not None:
            with contextlib.suppress(Exception):
                await asyncio.to_thread(self.loader.render, request[2], decoded, **args)
        self.post_message(self._Loaded(request, decoded))

    @on(_Loaded)
    def _loaded(self, message: _Loaded) -> None:
        if message.request != self._request:
            return  # the user has moved on
        self._loading = False
        self._decoded = message.decoded
        self._expired_asked.discard(message.request[0])
        self._set_status(SHOWN)

    @on(_Failed)
    def _failed_load(self, message: _Failed) -> None:
        if message.request != self._request:
            return
        self._loading = False
        self._failed = True
        self._decoded = None
        status = status_for_error(message.error)
        order_id = message.request[0]
        if status == EXPIRED and order_id not in self._expired_asked:
            self._expired_asked.add(order_id)
            status = EXPIRED_REFRESHING
            self.post_message(self.UrlExpired(order_id))
        self._set_status(status)

    def _set_status(self, status: str, *, repaint: bool = True) -> None:
        changed = status != self.status
        self.status = status
        if repaint:
            # A layout pass only when the panel's height changes (placeholder ↔ picture).
            self._repaint(layout=self._content_height(self.size.width) != self._laid_out)
        if changed:
            self.post_message(
                self.StatusChanged(self.order.order_id if self.order else None, status)
            )

    # -- rendering --------------------------------------------------------------------------

    @property
    def color_mode(self) -> ColorMode:
        if self._color_mode is not None:
            return self._color_mode
        return color_mode_for(self.app.console.color_system)

    def _legend_rows(self) -> int:
        return 1 if self.view.annotations else 0

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        self._laid_out = self._content_height(width)
        return self._laid_out

    def _content_height(self, width: int) -> int:
        # The natural height for the width: title + picture (4:3 until the real size is
        # known, so the layout does not jump when the image arrives) + legend.
        if self.status not in (SHOWN, LOADING):
            return 3
        size = self._decoded.source_size if self._decoded else (4, 3)
        _w, height_px, _scale = fit_size(size, (max(1, width), 10_000))
        return 1 + math.ceil(height_px / 2) + self._legend_rows()

    def on_resize(self) -> None:
        self._repaint()

    def on_mount(self) -> None:
        self._sync()

    async def on_unmount(self) -> None:
        if self._owns_loader and self._loader is not None:
            await self._loader.aclose()

    def _render_args(self) -> dict[str, Any] | None:
        """What :meth:`PreviewLoader.render` needs for the current state, or None."""
        width, height = self.size
        if self.order is None or width <= 0 or height <= 1:
            return None
        rows = max(1, height - 1 - self._legend_rows())
        return {
            "box": (width, rows),
            "annotations": self.view.annotations,
            "selected": self.selected,
            "zoom": self.zoomed,
            "mode": self.color_mode,
        }

    def _repaint(self, *, layout: bool = False) -> None:
        """Rebuild the strips from the decoded image (cached renderings make this cheap)."""
        width, height = self.size
        self.rendering = None
        args = self._render_args()
        if (
            self.status == SHOWN
            and self._decoded is not None
            and self._request is not None
            and args is not None
        ):
            try:
                self.rendering = self.loader.render(self._request[2], self._decoded, **args)
            except Exception:  # a bug in drawing must cost the picture, never the app
                self.status = FAILED
                self._decoded = None
        self._strips = self._build_strips(width, height)
        self.refresh(layout=layout)

    def _title(self) -> Text:
        shown = self._decoded is not None and self.status == SHOWN
        return title_line(
            self.order,
            self.layer_index,
            source_size=self._decoded.source_size if shown and self._decoded else None,
            zoomed=self.rendering is not None and self.rendering.zoomed,
            hint=self.view.hint,
        )

    def _text_strip(self, text: Text, width: int, style: Style) -> Strip:
        segments = list(text.render(self.app.console))
        return Strip(segments).crop_extend(0, width, style).apply_style(style)

    def _build_strips(self, width: int, height: int) -> list[Strip]:
        if width <= 0 or height <= 0:
            return []
        base = self.rich_style
        strips = [self._text_strip(self._title(), width, base)]
        rendering = self.rendering
        if rendering is None:
            reason = safe(clean(self.status), style="dim italic")
            reason.align("center", width)
            middle = max(1, (height - 1) // 2)
            for row in range(1, height):
                if row == middle:
                    strips.append(self._text_strip(reason, width, base))
                else:
                    strips.append(Strip.blank(width, base))
            return strips
        left = max(0, (width - rendering.width) // 2)
        pad = [Segment(" " * left, base)] if left else []
        for line in rendering.lines:
            strips.append(Strip([*pad, *line], left + rendering.width).crop_extend(0, width, base))
        if rendering.legend is not None:
            strips.append(self._text_strip(rendering.legend, width, base))
        return strips[:height]

    def render_line(self, y: int) -> Strip:
        if 0 <= y < len(self._strips):
            return self._strips[y]
        return Strip.blank(self.size.width, self.rich_style)
