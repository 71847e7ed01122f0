"""The order list: a virtualized line-API widget over :class:`~.paging.PagingModel`.

A ``ScrollView`` whose ``render_line`` draws only the rows on screen, from an LRU cache of
rendered strips (the pattern of Textualize/toolong's ``LogLines``). The virtual height is the
scope's total, so the scrollbar is right from the first page; a key press costs a cursor move,
two line refreshes (or one screen when it scrolls) and an O(log pages) row lookup, whatever
the number of orders.

One long-lived async loader worker per list fetches one page at a time from a queue. The list
chooses *what* to fetch (:meth:`PagingModel.next_request`, demand before walk before prefetch)
whenever the cursor, the view or the data changes; the worker only does the I/O and posts
:class:`OrderList.PageArrived` / :class:`OrderList.PageFailed`, whose handlers update the model.
The API client parses big bodies (every full page, every walk page) in a thread, so the UI
loop only stores what arrives. A new scope restarts the worker (cancelling a fetch in flight)
and bumps the model's generation, so an answer for an old scope is dropped.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import ClassVar, TypeAlias

from textual import events
from textual.actions import SkipAction
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from artistree_tui.api.models import Order, OrdersPage
from artistree_tui.display import clean
from artistree_tui.ui.notify import toast
from artistree_tui.ui.orders import messages as messages
from artistree_tui.ui.orders import paging
from artistree_tui.ui.orders import rows as order_rows
from artistree_tui.ui.orders.loader import load_pages, refused
from artistree_tui.ui.orders.marks import marked_strip
from artistree_tui.ui.orders.merge import LivePagingModel, MergeResult
from artistree_tui.ui.orders.paging import PageFetcher, PageRequest, RowKind

#: Moving faster than this posts one Highlighted at the end (the first move posts at once):
#: holding ``j`` must not start a detail fetch per row.
HIGHLIGHT_DEBOUNCE = messages.HIGHLIGHT_DEBOUNCE


class OrderList(ScrollView, can_focus=True, inherit_bindings=False):
    """The virtualized, lazily paged list of one scope's orders (see the module docstring)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j,down", "cursor_down", "Down", id="list.down", show=False),
        Binding("k,up", "cursor_up", "Up", id="list.up", show=False),
        Binding("g,home", "top", "Top", id="list.top", show=False),
        Binding("G,end", "bottom", "End", id="list.bottom", show=False),
        Binding("pagedown", "page_down", "Page down", id="list.page_down", show=False),
        Binding("pageup", "page_up", "Page up", id="list.page_up", show=False),
        Binding("enter", "open", "Open", id="list.open"),
        Binding("slash", "filter", "Filter", id="list.filter"),
        Binding("s", "cycle_state", "State", id="list.state_filter"),
        Binding("escape", "cancel", "Clear/cancel", id="list.cancel", show=False),
    ]

    COMPONENT_CLASSES = {  # noqa: RUF012
        "order-list--header",
        "order-list--cursor",
        "order-list--muted",
        "order-list--loading",
        "order-list--error",
    }

    DEFAULT_CSS = """
    OrderList {
        height: 1fr;
        background: $surface;
        overflow-x: hidden;
        overflow-y: scroll;
        scrollbar-size-vertical: 1;  /* one more cell for the columns; keys scroll, not mice */
        & > .order-list--header { text-style: bold; background: $panel; color: $foreground; }
        & > .order-list--cursor {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
            text-style: $block-cursor-blurred-text-style;
        }
        &:focus > .order-list--cursor {
            background: $block-cursor-background;
            color: $block-cursor-foreground;
            text-style: $block-cursor-text-style;
        }
        & > .order-list--muted { color: $text-muted; }
        & > .order-list--loading { color: $text-muted; text-style: italic; }
        & > .order-list--error { color: $text-error; text-style: bold; }
    }
    """

    # Messages (defined in list_messages so the pane can share the module without a cycle).
    Highlighted: TypeAlias = messages.Highlighted
    Opened: TypeAlias = messages.Opened
    StatusChanged: TypeAlias = messages.StatusChanged
    FilterRequested: TypeAlias = messages.FilterRequested
    PageArrived: TypeAlias = messages.PageArrived
    PageFailed: TypeAlias = messages.PageFailed

    def __init__(
        self,
        fetcher: PageFetcher,
        *,
        page_size: int = paging.PAGE_SIZE,
        walk_limit: int = paging.WALK_LIMIT,
        max_rows: int = paging.MAX_ROWS,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._fetcher = fetcher
        self.model = LivePagingModel(page_size=page_size, walk_limit=walk_limit, max_rows=max_rows)
        #: The live refresh's mark of an order id ("+" new, "*" changed, "" none).
        self.row_mark: Callable[[str], str] = lambda _order_id: ""
        #: ``/``: the pane replaces this to open its filter box at once (see OrdersPane).
        self.open_filter: Callable[[], object] = lambda: self.post_message(self.FilterRequested())
        self._queue: asyncio.Queue[PageRequest] = asyncio.Queue()
        self._strips: LRUCache[tuple[object, ...], Strip] = LRUCache(maxsize=1024)
        self._styles: order_rows.RowStyles | None = None
        self._columns: tuple[int, tuple[order_rows.Column, ...]] = (-1, ())
        self._now = datetime.now().astimezone()
        self._today: date = self._now.date()
        self._pending_load: tuple[str, bool] | None = None
        self._highlight = messages.HighlightDebounce(
            self, lambda: self.model.highlighted_order, self._post_highlight
        )

    # -- public API ----------------------------------------------------------------------
    def load(self, project_id: str, *, keep_cursor: bool = False) -> None:
        """Show ``project_id`` from its first page (``keep_cursor``: a reload of the same)."""
        if not self.is_mounted:
            self._pending_load = (project_id, keep_cursor)
            return
        old = self.model.cursor
        self.model.reset(project_id, keep_cursor=keep_cursor)
        self._queue = asyncio.Queue()
        # exclusive: the previous loader (and a fetch it has in flight) is cancelled.
        self.run_worker(
            load_pages(self._fetcher, self._queue, self.post_message),
            name="order pages",
            group="order-pages",
            exclusive=True,
            exit_on_error=False,
        )
        self._data_changed(old, scroll=True)
        self._pump()

    def set_text_filter(self, text: str) -> None:
        old = self.model.cursor
        self.model.set_text_filter(text)
        self._data_changed(old, scroll=True)

    def set_state_filter(self, state: str | None) -> None:
        """Show only orders in ``state`` (None: every state), as ``s`` cycles to it."""
        old = self.model.cursor
        self.model.set_state_filter(state)
        self._data_changed(old, scroll=True)
        self._pump()

    def clear_filters(self) -> None:
        old = self.model.cursor
        self.model.clear_filters()
        self._data_changed(old, scroll=True)
        self._pump()

    def select_order_id(self, order_id: str) -> bool:
        old = self.model.cursor
        if not self.model.select_order_id(order_id):
            return False
        self._cursor_moved(old)
        return True

    def apply_live(
        self, generation: int, pages: Sequence[OrdersPage], limit: int, *, retry_failed: bool
    ) -> MergeResult | None:
        """Merge a live refresh's re-read first pages (:mod:`.merge`): the cursor stays on its
        order and a scrolled view on its rows; ``retry_failed`` asks failed pages again."""
        old, top = self.model.cursor, round(self.scroll_offset.y)
        result = self.model.merge_top(generation, pages, limit)
        if result is None:
            return None
        if retry_failed:
            self.model.clear_errors()
        self._strips.clear()
        self._update_virtual_size()
        if top and not self.model.filtering and self.model.cursor != old:
            self.scroll_to(y=top + self.model.cursor - old, animate=False, force=True)
        self._data_changed(old)
        for page in pages:
            self._emit(messages.PageLoaded(self.model.project_id or "", page))
        self._pump()
        return result

    # -- loading -------------------------------------------------------------------------
    def _emit(self, message: Message) -> None:
        """Post a message for the app. The list is its sender: when the pane called into the
        list, Textual would otherwise take the pane as the sender and stop the message there."""
        self.post_message(message.set_sender(self))

    def _pump(self) -> None:
        request = self.model.next_request()
        if request is not None:
            self._queue.put_nowait(request)

    def on_order_list_page_arrived(self, message: PageArrived) -> None:
        message.stop()
        old = self.model.cursor
        applied = self.model.apply_page(message.request, message.page)
        if applied is None:
            return  # an older scope's answer
        if applied.rows_changed:
            self._strips.clear()  # orders may have changed in a refetched page
        if applied.broken is not None:
            toast(self.app, f"{applied.broken}: the list stops here.", severity="warning")
        self._data_changed(old, scroll=applied.walk_finished)
        self._emit(messages.PageLoaded(message.request.project_id, message.page))
        self._pump()

    def on_order_list_page_failed(self, message: PageFailed) -> None:
        message.stop()
        old = self.model.cursor
        text = clean(str(message.error), limit=160)
        if not self.model.apply_failure(message.request, text, refused=refused(message.error)):
            return
        self._data_changed(old)
        if message.request.segment.error is not None:  # None: the walk fell back, no failure
            self._emit(messages.LoadFailed(message.request.project_id, message.error))
        self._pump()

    # -- geometry ------------------------------------------------------------------------
    @property
    def _visible_rows(self) -> int:
        return max(1, self.scrollable_content_region.height - 1)  # minus the header line

    def _sync_viewport(self) -> None:
        self.model.set_viewport(round(self.scroll_offset.y), self._visible_rows)

    def _update_virtual_size(self) -> None:
        width = self.scrollable_content_region.width
        self.virtual_size = Size(width, self.model.display_length + 1)

    def _scroll_to_cursor(self) -> None:
        cursor, top, visible = self.model.cursor, round(self.scroll_offset.y), self._visible_rows
        if cursor < top:
            self.scroll_to(y=cursor, animate=False, force=True)
        elif cursor >= top + visible:
            self.scroll_to(y=cursor - visible + 1, animate=False, force=True)

    def _data_changed(self, old_cursor: int, *, scroll: bool = False) -> None:
        self._update_virtual_size()
        if scroll or self.model.cursor != old_cursor:
            self._scroll_to_cursor()
        self._sync_viewport()
        self.refresh()
        self._notify_highlight()
        self.post_message(self.StatusChanged())

    def _cursor_moved(self, old: int) -> None:
        top = self.scroll_offset.y
        self._scroll_to_cursor()
        if self.scroll_offset.y == top:  # no scroll: only the two lines changed
            self.refresh_line(old + 1)
            self.refresh_line(self.model.cursor + 1)
        self._sync_viewport()
        self._pump()
        self._notify_highlight()

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        self._sync_viewport()
        self._pump()

    def on_resize(self, event: events.Resize) -> None:
        self._update_virtual_size()
        self._scroll_to_cursor()
        self._sync_viewport()
        self._pump()

    def on_mount(self) -> None:
        if self._pending_load is not None:
            project_id, keep = self._pending_load
            self._pending_load = None
            self.load(project_id, keep_cursor=keep)

    # -- highlight -----------------------------------------------------------------------
    def _notify_highlight(self) -> None:
        self._highlight.notify()  # now, later or not at all (see HighlightDebounce)

    def _post_highlight(self, order: Order | None) -> None:
        self._emit(self.Highlighted(self, order))

    # -- rendering -----------------------------------------------------------------------
    def notify_style_update(self) -> None:
        # Theme changes and focus (the cursor's :focus style) land here.
        super().notify_style_update()
        self._styles = None
        self._strips.clear()

    def _row_styles(self) -> order_rows.RowStyles:
        if self._styles is None:
            resolve = order_rows.RowStyles.resolve
            self._styles = resolve(self.rich_style, self.get_component_rich_style)
        return self._styles

    def render_lines(self, crop: Region) -> list[Strip]:
        self._now = datetime.now().astimezone()  # once per frame, not per line
        if self._now.date() != self._today:
            self._today = self._now.date()
            self._strips.clear()  # "today" moved: created times read differently
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        styles = self._row_styles()
        if self._columns[0] != width:
            self._columns = (width, order_rows.layout(width))
        columns = self._columns[1]
        if y == 0:
            return order_rows.header_strip(columns, width, styles)
        index = round(self.scroll_offset.y) + y - 1
        model = self.model
        if index >= model.display_length:
            if index == 0 and model.project_id is not None:
                return order_rows.empty_strip(width, styles, filtering=model.filtering)
            return Strip.blank(width, styles.base)
        row = model.row(index)
        cursor = index == model.cursor
        if row.kind is not RowKind.ORDER or row.order is None:
            return order_rows.placeholder_strip(row, width, styles, cursor=cursor)
        mark = self.row_mark(row.order.order_id)
        key: tuple[object, ...] = (row.order.order_id, width, cursor, mark)
        strip = self._strips.get(key)
        if strip is None:
            strip = order_rows.order_strip(
                row.order, columns, width, styles, now=self._now, cursor=cursor
            )
            strip = marked_strip(strip, mark)
            self._strips[key] = strip
        return strip

    # -- actions -------------------------------------------------------------------------
    def _move_to(self, index: int) -> None:
        old = self.model.cursor
        if self.model.cancel_walk():  # the user went elsewhere: do not yank them to the end
            self.post_message(self.StatusChanged())
        if self.model.set_cursor(index):
            self._cursor_moved(old)

    def action_cursor_down(self) -> None:
        self._move_to(self.model.cursor + 1)

    def action_cursor_up(self) -> None:
        self._move_to(self.model.cursor - 1)

    def action_page_down(self) -> None:
        self._move_to(self.model.cursor + self._visible_rows)

    def action_page_up(self) -> None:
        self._move_to(self.model.cursor - self._visible_rows)

    def action_top(self) -> None:
        self._move_to(0)

    def action_bottom(self) -> None:
        old = self.model.cursor
        if self.model.start_walk():
            self.post_message(self.StatusChanged())
            self._pump()
        elif self.model.cursor != old:
            self._cursor_moved(old)

    def action_open(self) -> None:
        row = self.model.row(self.model.cursor)
        if row.kind is RowKind.ORDER and row.order is not None:
            self._emit(self.Opened(self, row.order))
        elif row.kind is RowKind.ERROR and self.model.retry_at_cursor():
            self._data_changed(self.model.cursor)
            self._pump()

    def action_filter(self) -> None:
        self.open_filter()

    def action_cycle_state(self) -> None:
        old = self.model.cursor
        self.model.cycle_state_filter()
        self._data_changed(old, scroll=True)
        self._pump()

    def action_cancel(self) -> None:
        if self.model.cancel_walk():
            self.post_message(self.StatusChanged())
        elif self.model.filtering:
            self.clear_filters()
        else:
            raise SkipAction()  # nothing to cancel: let escape reach the screen/app

    def on_click(self, event: events.Click) -> None:
        if event.y < 1:
            return
        index = round(self.scroll_offset.y) + event.y - 1
        if index == self.model.cursor:
            self.action_open()
        else:
            self._move_to(index)
