"""The order list: a virtualized line-API widget over a view of the local order index.

A ``ScrollView`` whose ``render_line`` draws only the rows on screen, from an LRU cache of
rendered strips (the pattern of Textualize/toolong's ``LogLines``). The rows come from a view
of the index (:mod:`.source`), read by position in small blocks, so a key press costs a cursor
move, two line refreshes (or one screen when it scrolls) and at most one block read, whatever
the number of orders; the virtual height is the view's count, so ``G`` is a jump.

What is shown changes through :class:`~.model.ListModel` requests (a scope, a filter, a sort,
the index changing under it, ``n``/``N``, a search for an order): each is prepared by a
thread worker on the spare reader and posted back as :class:`~.messages.ViewReady`; the
handler applies it if it is still the latest and redraws, keeping the cursor on its order and
a scrolled view on its rows. The old rows stay on screen until then. The very first view
(instant start: the last-known rows, before any network answer) is prepared on the UI thread
in ``on_mount``: it costs a few milliseconds and is in the first frame.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime
from typing import TYPE_CHECKING, ClassVar, TypeAlias

from textual import events
from textual.actions import SkipAction
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.signal import Signal
from textual.strip import Strip
from textual.timer import Timer

from artistree_tui.api.models import Order
from artistree_tui.store import SORT_KEYS, Scope, SortKey
from artistree_tui.ui.notify import toast
from artistree_tui.ui.orders import messages as messages
from artistree_tui.ui.orders import rows as order_rows
from artistree_tui.ui.orders.filter import next_state
from artistree_tui.ui.orders.marks import marked_strip
from artistree_tui.ui.orders.model import ListModel, Request
from artistree_tui.ui.orders.scroll_jump import ScrollJump
from artistree_tui.ui.orders.source import (
    Prepared,
    Query,
    ReaderPair,
    Want,
    build_anchors,
    order_of,
)
from artistree_tui.ui.orders.status_words import NO_MATCH
from artistree_tui.ui.timers import once

if TYPE_CHECKING:
    from artistree_tui.store.database import Index

#: Moving faster than this posts one Highlighted at the end (the first move posts at once):
#: holding ``j`` must not start a detail fetch per row.
HIGHLIGHT_DEBOUNCE = messages.HIGHLIGHT_DEBOUNCE
#: The index changing (the sync writes a page every quarter second while it sweeps) redraws
#: the list at most this often; the user's own changes are prepared at once.
REFRESH_INTERVAL = 1.0


class OrderList(ScrollView, can_focus=True, inherit_bindings=False):
    """The virtualized list of one view of the order index (see the module docstring)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j,down", "cursor_down", "Down", id="list.down", show=False),
        Binding("k,up", "cursor_up", "Up", id="list.up", show=False),
        Binding("g,home", "top", "Top", id="list.top", show=False),
        Binding("G,end", "bottom", "End", id="list.bottom", show=False),
        Binding("pagedown", "page_down", "Page down", id="list.page_down", show=False),
        Binding("pageup", "page_up", "Page up", id="list.page_up", show=False),
        Binding("ctrl+d", "half_page(1)", "Half page down", id="list.half_down", show=False),
        Binding("ctrl+u", "half_page(-1)", "Half page up", id="list.half_up", show=False),
        Binding("enter", "open", "Open", id="list.open"),
        Binding("slash", "filter", "Filter", id="list.filter"),
        Binding("s", "cycle_state(1)", "State", id="list.state_filter"),
        Binding(
            "S",
            "cycle_state(-1)",
            "State back",
            show=False,
            tooltip="Cycle the state filter backwards",
            id="list.state_filter_back",
        ),
        Binding(
            "n",
            "marked(1)",
            "Next new",
            show=False,
            tooltip="Go to the next row that is new or changed (after the last: the first)",
            id="list.next_marked",
        ),
        Binding(
            "N",
            "marked(-1)",
            "Previous new",
            show=False,
            tooltip="Go to the previous row that is new or changed (before the first: the last)",
            id="list.previous_marked",
        ),
        Binding(
            "x",
            "clear_marks",
            "Clear marks",
            show=False,
            tooltip="Forget the new/changed marks of this project (+ and *)",
            id="list.clear_marks",
        ),
        Binding(
            "greater_than_sign",
            "cycle_sort(1)",
            "Sort",
            show=False,
            tooltip="Sort by the next column: created, state, confidence, title",
            id="list.sort_next",
        ),
        Binding(
            "less_than_sign",
            "cycle_sort(-1)",
            "Sort back",
            show=False,
            tooltip="Sort by the previous column",
            id="list.sort_previous",
        ),
        Binding(
            "I",
            "invert_sort",
            "Invert sort",
            show=False,
            tooltip="Reverse the order of the list",
            id="list.sort_invert",
        ),
        Binding("escape", "cancel", "Clear filters", id="list.cancel", show=False),
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

    # Messages (defined in messages.py so the pane can share the module without a cycle).
    Highlighted: TypeAlias = messages.Highlighted
    Opened: TypeAlias = messages.Opened
    StatusChanged: TypeAlias = messages.StatusChanged
    FilterRequested: TypeAlias = messages.FilterRequested
    ViewReady: TypeAlias = messages.ViewReady
    Located: TypeAlias = messages.Located
    WatermarkMoved: TypeAlias = messages.WatermarkMoved

    def __init__(
        self,
        index: Index | None,
        *,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.model = ListModel(ReaderPair(index) if index is not None else None)
        #: One row at rest, half a page while a key is held, past the screen's edge.
        self.scroll_jump = ScrollJump()
        #: ``/``: the pane replaces this to open its filter box at once (see OrdersPane).
        self.open_filter: Callable[[], object] = lambda: self.post_message(self.FilterRequested())
        #: ``G`` landed on the last row: the pane says how far the sync has got.
        self.on_end: Callable[[], object] = lambda: None
        #: ``escape`` cleared the filters: the pane empties its filter box.
        self.on_filters_cleared: Callable[[], object] = lambda: None
        #: What the first line says when the view is empty and nothing filters it (the pane
        #: knows whether the index is still being filled), and what enter does on it then.
        #: Loading until the pane has said: its first word comes after the first frame.
        self.empty_text = "loading…"
        #: What it says when filters match nothing (the pane: "so far" while indexing).
        self.no_match_text = NO_MATCH
        self.on_empty_enter: Callable[[], object] = lambda: None
        #: Published when the cursor moves, at once (before the list's frame is made), with
        #: the order now under it: a subscriber's immediate callback (``immediate=True``)
        #: repaints in the same frame as the cursor (the pane's row count, the screen's
        #: next picture); the messages come a frame later.
        self.moved: Signal[Order | None] = Signal(self, "moved")
        self._strips: LRUCache[tuple[object, ...], Strip] = LRUCache(maxsize=1024)
        self._styles: order_rows.RowStyles | None = None
        self._columns: tuple[int, tuple[order_rows.Column, ...]] = (-1, ())
        self._now = datetime.now().astimezone()
        self._today: date = self._now.date()
        self._pending_query: Query | None = Query()
        self._dirty = False  # the index changed while a preparation was running
        self._refresh_timer: Timer | None = None
        self._last_refresh = 0.0
        self._highlight = messages.HighlightDebounce(
            self, lambda: self.highlighted_order, self._post_highlight
        )

    # -- public API ----------------------------------------------------------------------
    @property
    def query_shown(self) -> Query:
        """What the list shows, or is about to show (the latest request)."""
        pending = self.model.pending
        return pending.query if pending is not None else self.model.query

    @property
    def highlighted_order(self) -> Order | None:
        row = self.model.highlighted
        return order_of(row) if row is not None else None

    @property
    def cursor(self) -> int:
        """The cursor's row (0 in an empty list)."""
        return self.model.cursor

    def neighbour(self, step: int) -> Order | None:
        """The order ``step`` rows from the cursor (None past either end): what the prefetch
        of the detail and the preview fetches ahead (ui/screen/prefetch.py)."""
        position = self.model.cursor + step
        if step == 0 or not 0 <= position < self.model.count:
            return None
        row = self.model.row(position)
        return order_of(row) if row is not None else None

    def show(self, query: Query, want: Want | None = None, *, purpose: str = "show") -> None:
        """Show ``query`` (prepared in a worker; the old rows stay until it is ready)."""
        if not self.is_mounted:
            self._pending_query = query
            return
        want = want or Want()
        if purpose == "show" and self.model.shows(query, want):
            return  # already on screen, as asked
        self._start(self.model.request(query, want, purpose=purpose))

    def show_scope(self, scope: Scope, *, keep_cursor: bool = False) -> None:
        """Another project (or All Projects): the filters and the sort stay, the cursor goes
        to the top (``keep_cursor``: stays on its order)."""
        want = self.model.keep() if keep_cursor else Want(fallback=0)
        self.show(replace(self.query_shown, scope=scope), want)

    def set_text_filter(self, text: str) -> None:
        query = self.query_shown
        if text != query.text:
            self.show(replace(query, text=text), self._keep_order())

    def set_state_filter(self, state: str | None) -> None:
        self.show(replace(self.query_shown, state=state), self._keep_order())

    def set_sort(self, key: SortKey, descending: bool) -> None:
        if key not in SORT_KEYS:
            raise ValueError(f"sort must be one of {', '.join(SORT_KEYS)}")
        self.show(replace(self.query_shown, sort=key, descending=descending), self._keep_order())

    def clear_filters(self) -> None:
        self.show(replace(self.query_shown, state=None, text=""), self._keep_order())

    def select_order_id(self, order_id: str) -> None:
        """Put the cursor on ``order_id`` if the list (as filtered) has it; answers with
        :class:`~.messages.Located`."""
        self.model.touch()
        self.show(self.query_shown, Want(order_id, self.model.cursor), purpose="locate")

    def index_changed(self, *, soon: bool = False) -> None:
        """The index changed (a sync page, a full order written): redraw from it, at most
        every :data:`REFRESH_INTERVAL` (``soon``: at once, e.g. a detail fetch filled a row)."""
        self._dirty = True
        if self.model.pending is not None or self._refresh_timer is not None:
            return
        wait = 0.0 if soon else self._last_refresh + REFRESH_INTERVAL - time.monotonic()
        if wait <= 0:
            self._refresh_from_index()
        else:
            self._refresh_timer = once(self, wait, self._refresh_from_index)

    def check_index(self) -> bool:
        """Has the index changed since the view on screen was made (another console's
        writes too)? Then redraw from it (rate-limited); True if it had."""
        if self.model.pending is not None or self.model.window.view is None:
            return False
        if not self.model.stale():
            return False
        self.index_changed()
        return True

    def redraw(self) -> None:
        """Draw every visible row again (the marks' watermark moved, the time zone...)."""
        self._strips.clear()
        self.refresh()

    # -- preparing views -----------------------------------------------------------------
    def _keep_order(self) -> Want:
        """Keep the cursor on its order if the new view has it, else go to the top. From a
        view with no rows (a filter that matched nothing), the order the reviewer last moved
        onto: clearing that filter puts the cursor back where they were."""
        row = self.model.highlighted
        if row is not None or self.model.count:
            return Want(row.order_id if row is not None else None, 0)
        return Want(self._chosen, 0)

    #: The order the reviewer last moved the cursor onto (:meth:`_cursor_moved`): where
    #: :meth:`_keep_order` goes back to from a view with no rows. Not the first row of each
    #: view typed through on the way (``/zq``: ``z`` matched some orders, ``zq`` none).
    _chosen: str | None = None

    def _start(self, request: Request) -> None:
        model = self.model

        def work() -> None:
            prepared = model.run(request)
            self.post_message(self.ViewReady(prepared, request))
            if prepared.view is not None:
                build_anchors(prepared.view, lambda: model.generation == request.generation)

        self.run_worker(work, thread=True, group="list-view", exit_on_error=False)
        self.post_message(self.StatusChanged())

    def _refresh_from_index(self) -> None:
        self._refresh_timer = None
        if not self._dirty or self.model.pending is not None or not self.is_mounted:
            return
        self._dirty = False
        self._last_refresh = time.monotonic()
        window = self.model.window
        if window.view is not None and not self.model.stale():
            return
        want = self.model.refresh_want()  # its order (at a start: maybe the first row)
        self._start(self.model.request(self.model.query, want, purpose="refresh"))

    def _lines_shown(self) -> list[Strip] | None:
        """The lines on screen as they are drawn now (None before the first frame)."""
        if not hasattr(self, "_now") or not self.size.height:
            return None
        return [self.render_line(y) for y in range(self.size.height)]

    def _refresh_changed(self, before: list[Strip] | None) -> None:
        """Repaint the lines that differ from ``before`` (over SSH every line is ~1 KB)."""
        if before is None or len(before) != self.size.height:
            self.refresh()
            return
        top = round(self.scroll_offset.y)
        for y, old in enumerate(before):
            if self.render_line(y) != old:
                self.refresh_line(top + y)  # a line of the content (render_line's y is on screen)

    def on_order_list_view_ready(self, message: messages.ViewReady) -> None:
        message.stop()
        self._apply(message.prepared, message.request)

    def _apply(self, prepared: Prepared, request: Request) -> None:
        model = self.model
        if model.moved_over(request):
            self._start(model.request(model.query, model.keep(), purpose="refresh", again=True))
            return
        old_cursor, top = self.model.cursor, round(self.scroll_offset.y)
        was_ready = self.model.ready
        # A refresh (the index changed: a full order came in, the sync wrote a page) usually
        # changes a row or two: the lines on screen now, to repaint only those that change.
        shown = self._lines_shown() if request.purpose == "refresh" and was_ready else None
        if not self.model.apply(prepared, purpose=request.purpose):
            return
        unkept = self.model.unkept()
        if unkept is not None:  # a scope the index keeps no watermark of yet
            self._emit(self.WatermarkMoved(*unkept, replace=False))
        self._strips.clear()
        self._update_virtual_size()
        purpose = request.purpose
        if purpose == "refresh" and was_ready:
            # The cursor stays on its order and a scrolled view on its rows (at the top, new
            # orders come into view above the cursor).
            if top:
                shifted = max(0, top + self.model.cursor - old_cursor)
                self.scroll_to(y=shifted, animate=False, force=True)
            self._scroll_to_cursor()
        elif purpose in ("step", "locate"):
            self._center_cursor()
        elif self.model.cursor < self._visible_rows:
            # A new view (a filter, a sort, a scope) whose cursor is on its first screen: its
            # first rows in sight, not scrolled off above a kept cursor.
            self.scroll_to(y=0, animate=False, force=True)
        else:
            self._scroll_to_cursor()
        if shown is not None and round(self.scroll_offset.y) == top:
            self._refresh_changed(shown)
        else:
            self.refresh()
        self._notify_highlight()
        self.post_message(self.StatusChanged())
        if purpose == "step" and prepared.error is None:
            if not prepared.found:
                toast(self.app, "No new or changed row in this view.", timeout=3)
            elif prepared.wrapped:
                where = "first" if request.want.step > 0 else "last"
                toast(self.app, f"Wrapped around to the {where} new or changed row.", timeout=2)
        if purpose == "locate" and request.want.keep_id is not None:
            self._emit(self.Located(request.want.keep_id, prepared.found))
        if self._dirty:
            self.index_changed()

    # -- geometry ------------------------------------------------------------------------
    @property
    def _visible_rows(self) -> int:
        return max(1, self.scrollable_content_region.height - 1)  # minus the header line

    def _update_virtual_size(self) -> None:
        width = self.scrollable_content_region.width
        self.virtual_size = Size(width, max(self.model.count, 1) + 1)

    def _scroll_to_cursor(self, *, jump: int = 1) -> None:
        """Bring the cursor on screen; ``jump``: scroll at least that many rows (a held key,
        :mod:`.scroll_jump`)."""
        cursor, top, visible = self.model.cursor, round(self.scroll_offset.y), self._visible_rows
        if cursor < top:
            self.scroll_to(y=max(0, min(cursor, top - jump)), animate=False, force=True)
        elif cursor >= top + visible:
            last_top = max(0, self.model.count - visible)
            y = min(max(cursor - visible + 1, top + jump), last_top)
            self.scroll_to(y=y, animate=False, force=True)

    def _center_cursor(self) -> None:
        cursor, top, visible = self.model.cursor, round(self.scroll_offset.y), self._visible_rows
        if not top <= cursor < top + visible:
            self.scroll_to(y=max(0, cursor - visible // 2), animate=False, force=True)

    def _cursor_moved(self, old: int) -> None:
        top = self.scroll_offset.y
        if abs(self.model.cursor - old) == 1:
            self._scroll_to_cursor(jump=self.scroll_jump.rows(self._visible_rows))
        else:
            self.scroll_jump.rest()
            self._scroll_to_cursor()
        if self.scroll_offset.y == top:  # no scroll: only the two lines changed
            self.refresh_line(old + 1)
            self.refresh_line(self.model.cursor + 1)
        order = self.highlighted_order
        self._chosen = order.order_id if order is not None else self._chosen
        self.moved.publish(order)
        self._notify_highlight()
        self.post_message(self.StatusChanged())

    def on_resize(self, event: events.Resize) -> None:
        self._update_virtual_size()
        self._scroll_to_cursor()

    def on_mount(self) -> None:
        self._update_virtual_size()
        query, self._pending_query = self._pending_query, None
        if query is not None:
            # The first view, here and now: the last-known rows are in the first frame.
            request = self.model.request(query, Want())
            self._apply(self.model.run(request), request)

    def on_unmount(self) -> None:
        readers = self.model.readers
        if readers is not None:
            readers.close()

    # -- highlight -----------------------------------------------------------------------
    def _notify_highlight(self) -> None:
        self._highlight.notify()  # now, later or not at all (see HighlightDebounce)

    def _post_highlight(self, order: Order | None) -> None:
        self._emit(self.Highlighted(self, order))

    def _emit(self, message: Message) -> None:
        """Post a message for the app. The list is its sender: when the pane called into the
        list, Textual would otherwise take the pane as the sender and stop the message there."""
        self.post_message(message.set_sender(self))

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
        row = model.row(index)
        if row is None:
            if index == 0 and not model.count:
                return self._empty_line(width, styles)
            return Strip.blank(width, styles.base)
        cursor = index == model.cursor
        mark = model.mark(row)
        key: tuple[object, ...] = (row.order_id, width, cursor, mark)
        strip = self._strips.get(key)
        if strip is None:
            strip = order_rows.order_strip(
                row, columns, width, styles, now=self._now, cursor=cursor
            )
            strip = marked_strip(strip, mark)
            self._strips[key] = strip
        return strip

    def _empty_line(self, width: int, styles: order_rows.RowStyles) -> Strip:
        model = self.model
        if model.error is not None:
            return order_rows.message_strip(model.error, width, styles, styles.error)
        if not model.ready:
            return order_rows.empty_strip(width, styles, "loading…")
        if model.filtering:
            return order_rows.empty_strip(width, styles, self.no_match_text)
        return order_rows.empty_strip(width, styles, self.empty_text)

    # -- actions -------------------------------------------------------------------------
    def _move_to(self, index: int) -> None:
        self.model.touch()
        old = self.model.cursor
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

    def action_half_page(self, direction: int) -> None:
        self._move_to(self.model.cursor + direction * max(1, self._visible_rows // 2))

    def action_top(self) -> None:
        self._move_to(0)

    def action_bottom(self) -> None:
        self._move_to(self.model.count - 1)
        self.on_end()

    def action_open(self) -> None:
        self.model.touch()  # read from here on: a new order must not swap it
        order = self.highlighted_order
        if order is not None:
            self._emit(self.Opened(self, order))
        elif not self.model.count:
            self.on_empty_enter()

    def action_filter(self) -> None:
        self.open_filter()

    def action_cycle_state(self, step: int) -> None:
        self.set_state_filter(next_state(self.query_shown.state, step))

    def action_cycle_sort(self, step: int) -> None:
        query = self.query_shown
        key = SORT_KEYS[(SORT_KEYS.index(query.sort) + step) % len(SORT_KEYS)]
        # Each column starts in its natural order: newest, highest confidence first; states
        # and titles A to Z.
        self.set_sort(key, key in ("created", "confidence"))

    def action_invert_sort(self) -> None:
        query = self.query_shown
        self.set_sort(query.sort, not query.descending)

    def action_marked(self, step: int) -> None:
        self.show(self.query_shown, self.model.keep(step=step), purpose="step")

    def action_clear_marks(self) -> None:
        scope, at = self.model.clear_marks()
        self._emit(self.WatermarkMoved(scope, at, replace=True))
        self.show(self.query_shown, self.model.keep(), purpose="refresh")
        self.redraw()
        self.post_message(self.StatusChanged())

    def action_cancel(self) -> None:
        if self.query_shown.filtering:
            self.clear_filters()
            self.on_filters_cleared()
        else:
            raise SkipAction()  # nothing to clear: let escape reach the screen/app

    def on_click(self, event: events.Click) -> None:
        if event.y < 1:
            return
        index = round(self.scroll_offset.y) + event.y - 1
        if index == self.model.cursor:
            self.action_open()
        else:
            self._move_to(index)
