"""The preview panel: the order's preview image in half-blocks, with its annotation regions.

Painting — the title (preview or layer name, size, zoom), the picture, the legend or a
placeholder — is :class:`~artistree_tui.ui.preview.canvas.PreviewCanvas`, the base class;
this module decides what to show and loads it. The work is done by
:class:`~artistree_tui.preview.loader.PreviewLoader`: the download runs in an exclusive async
worker and streams into a decoding thread, which also makes the first rendering at the size
the panel is about to take (:mod:`artistree_tui.preview.layout`), so the picture is painted
as soon as the UI hears it is ready. A load starts once the cursor rests (:data:`REST`, like
the detail pane's fetch): a single move after a rest loads at once, a held key loads only the
order it stops on. A newer request cancels the older one and a result whose request key is no
longer current is dropped. Re-rendering (new selection, zoom,
resize) reuses the decoded image and takes a few milliseconds, so it happens on the spot.

:meth:`PreviewPanel.preload` fetches ahead the picture of an order not shown yet (the screen's
prefetch, ui/screen/prefetch.py): in its own worker group, through the same loader, into the
same bounded caches, rendered as it will be painted; it shows nothing and fails silently.
When the detail pane grows above the panel as it shows a picture already in memory, the
panel stays blank during the screen's two-frame relayout and paints the picture after it.

When the presigned URL has expired (HTTP 403) the panel posts :class:`PreviewPanel.UrlExpired`
once per order so the app can fetch the order again and call :meth:`show_order` with the fresh
URL; a second 403 in a row shows "expired link". Every text shown goes through
:mod:`artistree_tui.display`.

Inside the detail pane's preview slot the panel follows the pane by itself: it handles the
pane's ``OrderShown`` and ``AnnotationHighlighted`` messages. Its keys (zoom, layers) are
also bound on the detail pane and its annotations table (:mod:`.keys`), where the keyboard
usually is; they reach the panel through a :class:`~.control.PreviewControl`.
"""

from __future__ import annotations

import asyncio
import time
from functools import partial
from typing import TYPE_CHECKING, ClassVar, Literal

from textual import on, work
from textual.binding import BindingType
from textual.containers import ScrollableContainer
from textual.message import Message
from textual.timer import Timer

from artistree_tui.api.models import Order
from artistree_tui.preview.colors import ColorMode
from artistree_tui.preview.state import RequestKey, ViewState, same_picture
from artistree_tui.preview.status import (
    EXPIRED,
    EXPIRED_REFRESHING,
    LOADING,
    NO_LAYER_IMAGE,
    NO_ORDER,
    NO_PREVIEW,
    SHOWN,
    status_for_error,
)
from artistree_tui.ui.detail.messages import AnnotationHighlighted, OrderShown
from artistree_tui.ui.preview import messages
from artistree_tui.ui.preview import scroll as preview_scroll
from artistree_tui.ui.preview.canvas import PreviewCanvas
from artistree_tui.ui.preview.keys import LAYER_NEXT, LAYER_PREV, PANEL_BINDINGS, TOGGLE, ZOOM
from artistree_tui.ui.preview.messages import KEEP, Keep
from artistree_tui.ui.timers import once
from artistree_tui.ui.wire.driver import call_after_written

if TYPE_CHECKING:  # the pipeline itself is imported with the first picture
    from collections.abc import Callable

    from artistree_tui.preview.decode import DecodedImage
    from artistree_tui.preview.loader import AfterDecode, PreviewLoader

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

Renderer = Literal["auto", "halfblock", "off"]


# Loads start once the cursor rests: an order shown within this long of the previous one (a
# held key) waits until no other comes for this long (the detail pane's debounce), so holding
# j downloads and decodes only where it stops; a single move after a rest loads at once.
REST = 0.12
# How long the previous picture stays up before a slow load shows "loading…".
_LOADING_GRACE = 0.15


class PreviewPanel(PreviewCanvas, can_focus=True):
    """The order's preview (or one of its layers) with annotation regions; see the module
    docstring. ``renderer`` is the ``preview`` setting (``"off"`` starts hidden);
    ``color_mode`` forces ``"truecolor"``/``"256"``/``"16"`` (default: the terminal's)."""

    DEFAULT_CSS = """
    PreviewPanel:focus {
        background-tint: $foreground 4%;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = PANEL_BINDINGS

    # What it posts (messages.py: named and handled without importing this module).
    UrlExpired = messages.UrlExpired
    StatusChanged = messages.StatusChanged
    Preloaded = messages.Preloaded

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
        super().__init__(loader, color_mode=color_mode, name=name, id=id, classes=classes)
        self.renderer = renderer if renderer in ("auto", "halfblock", "off") else "auto"
        self._loading = False
        self._failed = False
        self._expired_asked: set[str] = set()
        self._keys_state = (False, False)
        self._last_shown = float("-inf")  # when the last uncached picture was asked for
        self._rest_timer: Timer | None = None
        self._deferred: object | None = None  # a show put off until the screen's relayout
        if self.renderer == "off":
            self.display = False

    # -- public API ------------------------------------------------------------------------

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

    @property
    def can_zoom(self) -> bool:
        """Whether the zoom key applies: shown, on the preview, with regions to zoom into."""
        return bool(self.display and self.layer_index == 0 and self.view.annotations)

    @property
    def has_layers(self) -> bool:
        """Whether the layer keys apply: shown, for an order with layers."""
        return bool(self.display and self.layer_count > 1)

    def show_order(self, order: Order | None, *, selected: int | Keep | None = KEEP) -> None:
        """Show ``order``'s preview (``asset_preview_url``). The same order again (refreshed,
        or with a fresh URL) keeps the layer, selection and zoom, and reloads only if needed.
        ``selected``: the annotation to select with it (the detail pane's; default: as the
        rules above say), so the first picture painted already has it."""
        self._deferred = None  # a show put off after a relayout is superseded
        self.view.show(order)
        if selected is not KEEP:
            self.view.highlight(selected)
        self._sync()
        self._keys_changed()

    def paint_first(self, order: Order, then: Callable[[], object]) -> bool:
        """Paint ``order``'s picture, decoded already (fetched ahead), in the next frame, and
        call ``then`` (the detail pane's draw) once that frame is on the terminal: ``j`` →
        the picture is then one frame after the cursor's, not after the pane's draw and its
        frame too, and the pane's draw does not take turns for the GIL with the output
        thread writing the picture (:func:`~artistree_tui.ui.wire.driver.call_after_written`).
        The picture has the selection the pane makes (its first annotation). False, with
        nothing done, when the picture is not in memory (or the panel is hidden, or out of
        the pane's view): then the pane draws first."""
        if not self.display or not self.is_mounted or not self._in_memory(order):
            return False
        pane = preview_scroll.scroll_parent(self)
        if pane is not None and not pane.scrollable_content_region.overlaps(self.region):
            return False  # scrolled out of the pane's view: nothing to paint first
        self.show_order(order, selected=0 if order.annotations else None)
        # From the panel (not the screen): its repaint reaches the screen before this does,
        # so "after the refresh" is after the frame with the picture.
        self.call_after_refresh(call_after_written, self.app, then)
        return True

    def highlight_annotation(self, index: int | None) -> None:
        """Highlight annotation ``index`` of the shown order (None: no selection); the other
        regions are dimmed. Repaints from the decoded image; nothing is downloaded."""
        if self.view.highlight(index) and not self._awaiting_picture():
            self._repaint()

    def _awaiting_picture(self) -> bool:
        """Whether a load for what is shown is in flight with nothing decoded yet: then the
        previous picture stays up (see :meth:`_sync`) and a selection made meanwhile — the
        detail pane selects the first annotation of every order it shows — waits for the
        picture (the decoding thread renders it with that selection) instead of replacing
        the picture with a placeholder for a moment."""
        return self._loading and self._decoded is None and self.status == LOADING

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

    def toggle(self) -> bool:
        """Hide or show the panel (showing it loads what it should show). Returns whether it
        is shown afterwards."""
        # The pane keeps what the user was reading (the annotations) in view: see
        # preview_scroll. Noted before the layout changes, restored after it.
        spot = preview_scroll.capture(self) if self.is_mounted else None
        self.display = not self.display
        if self.display:
            self._sync()
        else:
            self._cancel_load()
        if spot is not None:
            self.call_after_refresh(preview_scroll.restore, self, spot)
        self._keys_changed()
        return bool(self.display)

    @property
    def settled(self) -> bool:
        """Nothing is being loaded or waits to be: what the panel shows is final (a picture or
        a placeholder)."""
        return not self._loading and self._rest_timer is None and self._deferred is None

    # -- prefetch: the order next to the one shown ------------------------------------------

    def preload(self, order: Order) -> bool:
        """Download, decode and render in the background the picture of ``order`` (a full
        order next to the one under the cursor: see ui/screen/prefetch.py), so that showing
        it paints from the caches: decoded under the request the panel will make for it, and
        rendered as it will be painted (its regions, the first one selected: the detail pane
        selects it). The same safe fetcher and bounded caches as a load; nothing is shown, and
        a failure is silent (the order then loads as usual when shown). Posts
        :class:`Preloaded` when done. False when there is nothing to load (no picture, or the
        panel is hidden)."""
        if not self.display or not self.is_mounted:
            return False
        view = _view_of(order)
        request, url = view.request(), view.url()
        if request is None or url is None:
            return False
        picture = ((order.annotations, 0 if order.annotations else None),)
        renders = self._preload_renders(request[2], picture)
        self._preload(order.order_id, url, view.variant, renders)
        return True

    def cancel_preload(self) -> None:
        """The cursor moved: the order under it wins."""
        self.workers.cancel_group(self, "preview-prefetch")

    @work(exclusive=True, group="preview-prefetch", exit_on_error=False, description="prefetch")
    async def _preload(
        self, order_id: str, url: str, variant: str, renders: AfterDecode | None
    ) -> None:
        try:
            cached = self.loader.cached(url, variant)
            if cached is None:
                await self.loader.load(url, variant=variant, then=renders)
            elif renders is not None:
                await asyncio.to_thread(renders, cached)
        except Exception:  # a prefetch shows no error: the order loads when shown
            self.post_message(self.Preloaded(order_id, done=False))
            return
        self.post_message(self.Preloaded(order_id, done=True))

    # -- actions (bindings) -------------------------------------------------------------------

    def action_zoom(self) -> None:
        self.toggle_zoom()

    def action_layer_next(self) -> None:
        self.next_layer()

    def action_layer_prev(self) -> None:
        self.previous_layer()

    def _keys_changed(self) -> None:
        """Tell the footer when the zoom or layer keys start or stop applying — only then, and
        only while the keyboard is in the pane that has them: the footer rebuilds itself on
        every refresh, and focusing the pane refreshes it anyway."""
        state = (self.can_zoom, self.has_layers)
        if state == self._keys_state or not self.is_mounted:
            return
        self._keys_state = state
        focused, pane = self.screen.focused, self.parent
        while pane is not None and not isinstance(pane, ScrollableContainer):
            pane = pane.parent
        if focused is not None and (pane or self) in focused.ancestors_with_self:
            self.refresh_bindings()

    # -- following the detail pane ----------------------------------------------------------

    @on(OrderShown)
    def _on_order_shown(self, event: OrderShown) -> None:
        event.stop()  # the pane posts the screen its own copy
        order, selected = event.order, event.selected
        new = self.order is None or self.order.order_id != order.order_id
        if new and event.relayout and self._in_memory(order):
            self._show_after_relayout(order, selected)
            return
        self.show_order(order, selected=selected)

    def _show_after_relayout(self, order: Order, selected: int | None) -> None:
        """The pane grew above the panel: the screen is laid out again over the next two
        frames, and the panel moves in each. Meanwhile it is blank ("loading…", a few bytes
        a line), and the picture, in memory, is painted once after them, where it lands (a
        picture painted at once went on the wire three times: measured 51 KiB, not 40)."""
        self.view.show(order)
        self.view.highlight(selected)
        self._cancel_load()
        self._decoded, self._request = None, None
        self._set_status(LOADING)
        token = self._deferred = object()

        def show() -> None:
            if self._deferred is token:
                self.show_order(order, selected=selected)

        self.call_after_refresh(self.call_after_refresh, show)

    def _in_memory(self, order: Order) -> bool:
        """Whether ``order``'s picture (on the preview layer) is decoded already."""
        view = _view_of(order)
        url = view.url()
        return url is not None and self.loader.cached(url, view.variant) is not None

    @on(AnnotationHighlighted)
    def _on_annotation_highlighted(self, event: AnnotationHighlighted) -> None:
        event.stop()
        if self.order is not None and event.order_id == self.order.order_id:
            self.highlight_annotation(event.index)
            self.call_after_refresh(self._reveal)

    # -- loading ----------------------------------------------------------------------------

    def on_mount(self) -> None:
        self._sync()
        # Focusing the annotations table centres it in the pane: show the picture above it.
        self.watch(self.screen, "focused", self._focus_moved, init=False)

    def _focus_moved(self) -> None:
        # The screen queues its own scroll to the focused widget right after this: go after.
        self.screen.call_later(self.call_after_refresh, self._reveal)

    def _step_layer(self, delta: int) -> None:
        if self.view.step_layer(delta):
            self._sync()
            self._keys_changed()
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
        if (
            same_picture(request, self._request)
            and not self._failed
            and (self._decoded or self._loading)
        ):
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
        self._decoded = None
        self._loading = True
        # The picture on screen stays until the new one is ready or _LOADING_GRACE has
        # passed: no "loading…" flash between two quick previews, and no repaint competing
        # with the decode for the CPU.
        self._set_status(LOADING, repaint=False)
        once(self, _LOADING_GRACE, partial(self._show_loading, request))
        now = time.monotonic()
        moving = now - self._last_shown < REST
        self._last_shown = now
        if self._rest_timer is not None:
            self._rest_timer.stop()
            self._rest_timer = None
        if moving:
            # The cursor is moving on (a held key): nothing is fetched for the orders it passes.
            self.workers.cancel_group(self, "preview-load")
            start = partial(self._start_load, request, url, variant)
            self._rest_timer = once(self, REST, start)
        else:
            self._start_load(request, url, variant)

    def _start_load(self, request: RequestKey, url: str, variant: str) -> None:
        """Fetch and decode what is shown, if it still is (the cursor rested on it)."""
        self._rest_timer = None
        if request != self._request or not self._loading or not self.display:
            return
        self._load(request, url, variant, self._prerender(request[2]))

    def _show_loading(self, request: RequestKey) -> None:
        if self._loading and self._request == request and self.status == LOADING:
            self._repaint(layout=self._height_changes())

    def _cancel_load(self) -> None:
        self._loading = False
        if self._rest_timer is not None:
            self._rest_timer.stop()
            self._rest_timer = None
        self.workers.cancel_group(self, "preview-load")

    # An explicit description: Textual's default quotes every argument, and the URL's query
    # string is a presigned credential (TEXTUAL_LOG writes descriptions to a file).
    @work(exclusive=True, group="preview-load", exit_on_error=False, description="preview load")
    async def _load(
        self, request: RequestKey, url: str, variant: str, then: AfterDecode | None
    ) -> None:
        try:
            decoded = await self.loader.load(url, variant=variant, then=then)
        except Exception as error:  # never a traceback on screen: a placeholder instead
            self.post_message(self._Failed(request, error))
            return
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
            self._repaint(layout=self._height_changes())
        if changed:
            self.post_message(
                self.StatusChanged(self.order.order_id if self.order else None, status)
            )


def _view_of(order: Order) -> ViewState:
    """A fresh view of ``order`` (its preview layer, nothing selected): what the panel would
    request for it, without touching the panel's own view."""
    view = ViewState()
    view.show(order)
    return view
