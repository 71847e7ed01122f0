"""The orders pane: a filter box, the virtualized order list and a status line.

Interface agreed with the app shell (the app composes this pane):

```python
pane = OrdersPane(fetcher, *, page_size=200, walk_limit=1000, max_rows=3000,
                  name=None, id=None, classes=None)
# fetcher: async def fetch(project_id: str, page_token: str | None, limit: int, *,
#                          preview: bool) -> OrdersPage
#          (the app wraps client.list_orders(project_id, preview=preview, page_token=...,
#          limit=...); preview=True only for pages the G walk counts and never shows)
pane.load(project_id)            # new scope: first page, cursor to the top, filters kept
pane.reload()                    # same scope from the first page, cursor kept on its order
pane.project_id -> str | None
pane.highlighted_order -> Order | None
pane.select_order_id(order_id) -> bool   # moves the cursor if that order is loaded
pane.loaded_count -> int         # rows fetched so far ("N" of "N of TOTAL loaded")
pane.total -> int                # total_orders, corrected once the last page is seen
pane.order_list -> OrderList     # focus target (pane.order_list.focus())
pane.clear_filters()
pane.set_state_filter(state)     # None: every state (the palette's "State: …")

# Messages (all bubble to the app):
OrderList.Highlighted(order: Order | None)   # coalesced; .order_list / .control. The first move
    # posts at once; within a burst (< HIGHLIGHT_DEBOUNCE = 80 ms apart) only the last is posted,
    # so tests pause ~0.1 s before asserting on it. None: cursor on a loading/error row.
OrderList.Opened(order: Order)               # enter on an order
OrdersPane.PageLoaded(project_id, page: OrdersPage)   # after every successful page
OrdersPane.LoadFailed(project_id, error: ApiError)    # a page failed (shown inline too)
```

Binding ids (on the list, so typing in the filter box is never stolen): ``list.down`` (j, down),
``list.up`` (k, up), ``list.top`` (g, home), ``list.bottom`` (G, end: walks to the end with
``limit=walk_limit`` preview pages, then shows the last screens from full pages; esc cancels),
``list.page_down``, ``list.page_up``, ``list.open``
(enter: open, or retry on an error row), ``list.filter`` (/), ``list.state_filter`` (s: All →
each state → All), ``list.cancel`` (escape: cancel the walk, else clear the filters, else pass
on); on the filter box ``list.filter_close`` (escape: clear the text filter, back to the list).

Full pages (preview=false) feed the list: its columns need asset name, ordered by and
confidence, which preview rows lack (see :class:`.fetch_plan.PageFetcher`);
the ``G`` walk asks preview pages for the pages it only counts (:mod:`.walk`).
"""

from __future__ import annotations

from typing import ClassVar, TypeAlias

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.events import DescendantBlur, DescendantFocus
from textual.widgets import Input, Static

from artistree_tui.api.models import Order
from artistree_tui.display import clean
from artistree_tui.ui.orders import messages as messages
from artistree_tui.ui.orders.order_list import OrderList
from artistree_tui.ui.orders.paging import MAX_ROWS, PAGE_SIZE, WALK_LIMIT, PageFetcher
from artistree_tui.ui.orders.row import RowKind
from artistree_tui.ui.orders.scrollbar import CellScrollBarRender
from artistree_tui.ui.states import state_label

#: The hint right of the filter box: while typing, and once back in the list.
FILTER_HINT_TYPING = "enter: back to the list · esc: clear"
FILTER_HINT_SET = "/ to edit · esc to clear"


class FilterInput(Input):
    """The text filter box; escape clears it and gives the keyboard back to the list, enter
    keeps it and gives the keyboard back (both at once: keys typed after them in the same
    burst go to the list, see type_ahead.py)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Clear filter", id="list.filter_close"),
    ]

    def action_close(self) -> None:
        for pane in self.ancestors:
            if isinstance(pane, OrdersPane):
                pane.close_filter()
                return

    async def action_submit(self) -> None:
        await super().action_submit()  # Submitted arrives later: too late for "⏎jj"
        for pane in self.ancestors:
            if isinstance(pane, OrdersPane):
                pane.leave_filter()
                return


class OrdersPane(Vertical):
    """Filter box + :class:`OrderList` + "N of TOTAL loaded" line (interface: module docstring)."""

    PageLoaded: TypeAlias = messages.PageLoaded
    LoadFailed: TypeAlias = messages.LoadFailed

    DEFAULT_CSS = """
    OrdersPane {
        height: 1fr;
        /* "filter: <text>  hint" above the headers, while there is a text filter (or it is
           being typed): labelled, so it never reads as a stray line of the list. */
        & > #orders-filter-row { display: none; height: 1; }
        & > #orders-filter-row.-open { display: block; }
        #orders-filter-label { width: auto; color: $text-muted; padding: 0 1; }
        #orders-filter-row FilterInput { width: 1fr; }
        #orders-filter-hint { width: auto; color: $text-muted; padding: 0 1; }
        & > #orders-status {
            height: 1; padding: 0 1; color: $text-muted; background: $panel;
            text-wrap: nowrap; text-overflow: ellipsis;
        }
    }
    """

    def __init__(
        self,
        fetcher: PageFetcher,
        *,
        page_size: int = PAGE_SIZE,
        walk_limit: int = WALK_LIMIT,
        max_rows: int = MAX_ROWS,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._list = OrderList(
            fetcher, page_size=page_size, walk_limit=walk_limit, max_rows=max_rows, id="orders"
        )
        self._filter = FilterInput(
            placeholder="title, asset, user, tag or id of the loaded orders",
            compact=True,
            id="orders-filter",
        )
        self._status = Static(Text("no project"), id="orders-status")
        self._filter_row = Horizontal(id="orders-filter-row")
        self._filter_hint = Static(Text(FILTER_HINT_TYPING), id="orders-filter-hint")

    def compose(self) -> ComposeResult:
        with self._filter_row:
            yield Static(Text("filter:"), id="orders-filter-label")
            yield self._filter
            yield self._filter_hint
        yield self._list
        yield self._status

    def on_mount(self) -> None:
        # A whole-cell thumb: over thousands of rows Textual's is a sliver (see scrollbar.py).
        self._list.vertical_scrollbar.renderer = CellScrollBarRender  # type: ignore[misc]
        self._list.open_filter = self.open_filter

    # -- public API ----------------------------------------------------------------------
    @property
    def order_list(self) -> OrderList:
        return self._list

    @property
    def project_id(self) -> str | None:
        return self._list.model.project_id

    @property
    def highlighted_order(self) -> Order | None:
        return self._list.model.highlighted_order

    @property
    def loaded_count(self) -> int:
        return self._list.model.known_end

    @property
    def total(self) -> int:
        return self._list.model.total

    def load(self, project_id: str) -> None:
        self._list.load(project_id)

    def reload(self) -> None:
        if self.project_id is not None:
            self._list.load(self.project_id, keep_cursor=True)

    def select_order_id(self, order_id: str) -> bool:
        return self._list.select_order_id(order_id)

    def clear_filters(self) -> None:
        self._filter.value = ""
        self._list.clear_filters()

    def set_state_filter(self, state: str | None) -> None:
        """Show only orders in ``state`` (None: every state); the palette's "State: …"."""
        self._list.set_state_filter(state)

    # -- filter box ----------------------------------------------------------------------
    def on_order_list_filter_requested(self, message: OrderList.FilterRequested) -> None:
        message.stop()
        self.open_filter()

    def open_filter(self) -> None:
        """Show the filter box and focus it now: with ``Widget.focus()`` (deferred) keys typed
        ahead ("/paint" in one SSH read) ran as list commands (p: go to project)."""
        self._filter_row.add_class("-open")
        self.screen.set_focus(self._filter)

    def on_input_changed(self, message: Input.Changed) -> None:
        if message.input is self._filter:
            message.stop()
            # The box's value now, not the message's: after a burst's esc, "x" is stale.
            if self._filter.value != self._list.model.text_filter:
                self._list.set_text_filter(self._filter.value)

    def on_input_submitted(self, message: Input.Submitted) -> None:
        if message.input is self._filter:
            message.stop()  # handled at once by leave_filter

    def leave_filter(self) -> None:
        """Enter in the box: apply its text and focus the list now, so "j" typed after enter
        in the same burst moves the filtered list (Input.Changed may not have arrived yet)."""
        if self._filter.value != self._list.model.text_filter:
            self._list.set_text_filter(self._filter.value)
        if not self._filter.value:
            self._filter_row.remove_class("-open")
        self.screen.set_focus(self._list)

    def on_descendant_focus(self, event: DescendantFocus) -> None:
        if event.widget is self._filter:
            self._filter_hint.update(Text(FILTER_HINT_TYPING), layout=False)

    def on_descendant_blur(self, event: DescendantBlur) -> None:
        if event.widget is self._filter:
            self._filter_hint.update(Text(FILTER_HINT_SET), layout=False)

    def close_filter(self) -> None:
        """Clear the text filter, hide the box, focus the list (the state filter stays)."""
        self._filter.value = ""
        self._filter_row.remove_class("-open")
        self._list.set_text_filter("")
        self.screen.set_focus(self._list)

    # -- status line ---------------------------------------------------------------------
    def on_order_list_status_changed(self, message: OrderList.StatusChanged) -> None:
        message.stop()
        model = self._list.model
        if not model.text_filter and self._filter.value:
            self._filter.value = ""  # the list cleared the filters (escape)
        if not model.text_filter and not self._filter.has_focus:
            self._filter_row.remove_class("-open")
        self._show_status()

    def on_order_list_highlighted(self, message: OrderList.Highlighted) -> None:
        # Not stopped: the screen shows the order in the detail pane.
        self._show_status()

    def on_resize(self) -> None:
        self._show_status()  # the row's position is right-aligned to the width

    def _show_status(self) -> None:
        """The status line: counts and filters on the left, the cursor's row on the right
        (the scrollbar alone cannot say where 1 row of 2,000 is)."""
        line = self.status_text()
        position = self.position_text()
        room = self._status.content_region.width - line.cell_len - len(position)
        if position and room >= 2:
            line = line.copy()
            line.append(" " * room).append(position, style="bold")
        self._status.update(line, layout=False)  # one line, always: no relayout

    def position_text(self) -> str:
        """``row 24/2,000``: the cursor's row among the rows shown (the matches, when
        filtering), or "" when there are none."""
        model = self._list.model
        if model.project_id is None or not model.display_length or self._nothing_loaded():
            return ""
        return f"row {model.cursor + 1:,}/{model.display_length:,}"

    def _nothing_loaded(self) -> bool:
        """No page of the scope has answered yet: no total to show (the one row is the
        loading or failed placeholder, not an order)."""
        model = self._list.model
        return model.known_end == 0 and not model.complete

    def status_text(self) -> Text:
        """The status line: counts, walk progress, filters. Built from our words and
        cleaned user input only."""
        model = self._list.model
        if model.project_id is None:
            return Text("no project")
        known, total = model.known_end, model.total
        if model.walking:
            line = f"walking to end: {known:,} / {total:,} — esc to cancel"
        elif model.in_flight is not None and not model.filtering and model.cursor > known:
            # The cursor is past what is loaded (e.g. a reload far down): pages are walked to it.
            progress = "…" if self._nothing_loaded() else f": {known:,} / {total:,}"
            line = f"loading to row {model.cursor + 1:,}{progress}"
        elif self._nothing_loaded():
            failed = model.display_length and model.row(0).kind is RowKind.ERROR
            line = "nothing loaded yet: the first page failed" if failed else "loading…"
        else:
            line = f"{known:,} of {total:,} loaded"
        if model.paging_broken and not model.walking:
            line += " · the API's paging looks broken: the list stops here"
        if model.text_filter:
            line += f" · filter “{clean(model.text_filter, limit=40)}”"
        if model.state_filter is not None:
            label = state_label(model.state_filter)
            line += f" · state {label.symbol} {label.word}"
        if model.match_count is not None:
            # Filters search the rows held in memory, which can be fewer than those loaded.
            count = model.match_count
            line += f" · {count:,} match{'es' if count != 1 else ''} in {model.held_rows:,} held"
        return Text(line, no_wrap=True, overflow="ellipsis")
