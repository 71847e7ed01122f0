"""The orders pane: a filter box, the virtualized order list and a status line.

Interface agreed with the screen (which composes this pane):

```python
pane = OrdersPane(index, *, name=None, id=None, classes=None)   # index: store.Index or None
pane.show_scope(scope)            # store.Scope: another project; filters and sort stay
pane.set_sort(key, descending)    # key: "created" | "state" | "confidence" | "title"
pane.view_spec -> ViewSpec        # what is shown: scope, states, text, sort (for an export)
pane.highlighted_order -> Order | None
pane.select_order_id(order_id)    # cursor to it if the list has it: OrderList.Located answers
pane.index_changed(soon=False)    # the index changed: redraw from it (rate-limited)
pane.set_progress(progress)       # sync.SyncProgress: "so far", "sync 34 %", the empty line
pane.loaded_count -> int          # rows of the view (the orders of the scope as filtered)
pane.order_list -> OrderList      # focus target
pane.clear_filters()
pane.set_state_filter(state)      # None: every state (the palette's "State: …")

# Messages (all bubble to the screen):
OrderList.Highlighted(order: Order | None)   # coalesced (HIGHLIGHT_DEBOUNCE = 80 ms)
OrderList.Opened(order: Order)               # enter on an order
OrderList.Located(order_id, found)           # after select_order_id
OrdersPane.RetryRequested()                  # enter on "nothing loaded yet": ask again now
```

Binding ids (on the list, so typing in the filter box is never stolen): ``list.down`` (j,
down), ``list.up`` (k, up), ``list.top`` (g, home), ``list.bottom`` (G, end: the last row,
at once; before the sync has read the whole scope it says how far it has got),
``list.page_down``, ``list.page_up``, ``list.half_down`` (ctrl+d), ``list.half_up``
(ctrl+u), ``list.open`` (enter), ``list.filter`` (/), ``list.state_filter`` (s: All → each
state → All), ``list.state_filter_back`` (S), ``list.next_marked`` (n),
``list.previous_marked`` (N), ``list.clear_marks`` (x), ``list.sort_next`` (>),
``list.sort_previous`` (<), ``list.sort_invert`` (I), ``list.cancel`` (escape: clear the
filters, else pass on); on the filter box ``list.filter_close`` (escape: clear the text
filter, back to the list).

Every filter, search and sort runs in the local order index over every indexed order of the
scope (:mod:`.source`), not over rows held in memory.
"""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING, ClassVar, TypeAlias

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.events import DescendantBlur, DescendantFocus
from textual.widget import MountError
from textual.widgets import Input, Static
from textual.widgets.input import Selection

from artistree_tui.api.models import Order
from artistree_tui.display import clean
from artistree_tui.store import Scope, SortKey, ViewSpec
from artistree_tui.sync.progress import duration
from artistree_tui.ui.notify import toast
from artistree_tui.ui.orders import messages
from artistree_tui.ui.orders.order_list import OrderList
from artistree_tui.ui.orders.scrollbar import CellScrollBarRender
from artistree_tui.ui.orders.source import percent
from artistree_tui.ui.orders.status_words import (
    NO_ANSWER,
    NO_MATCH,
    NO_MATCH_YET,
    REFUSED,
    nothing_because,
    whole_parts,
)
from artistree_tui.ui.orders.type_ahead import pass_to_focus
from artistree_tui.ui.states import state_label

if TYPE_CHECKING:
    from artistree_tui.store.database import Index
    from artistree_tui.sync import SyncProgress

#: How each sort reads in the status line (the default, newest first, is not mentioned).
SORT_WORDS = {
    ("created", True): "newest first",
    ("created", False): "oldest first",
    ("state", False): "by state",
    ("state", True): "by state, reversed",
    ("confidence", True): "highest confidence first",
    ("confidence", False): "lowest confidence first",
    ("title", False): "by title A–Z",
    ("title", True): "by title Z–A",
}

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

    async def _on_key(self, event: events.Key) -> None:
        if pass_to_focus(self, event):  # "⏎jj" in one read: the j's are the list's
            return
        if event.key in ("enter", "escape"):
            # Now, not once the key has gone round to the app's bindings: the keys behind it
            # in this box's queue must find the focus moved (type_ahead.py). The bindings
            # stay, for the footer and help.
            event.stop()
            event.prevent_default()
            if event.key == "enter":
                await self.action_submit()
            else:
                self.action_close()
            return
        await super()._on_key(event)

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
    """Filter box + :class:`OrderList` + its status line (interface: module docstring)."""

    RetryRequested: TypeAlias = messages.RetryRequested

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
        index: Index | None,
        *,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._list = OrderList(index, id="orders")
        self._filter = FilterInput(
            placeholder="words of a title, tag or project, or an order id",
            compact=True,
            id="orders-filter",
            select_on_focus=False,  # open_filter selects the old text (see there)
        )
        self._status = Static(Text("loading…"), id="orders-status")
        self._status_shown: Text | None = None
        self._status_due = False  # a draw of the status line waits for the next frame
        self._filter_hint = Static(Text(FILTER_HINT_TYPING), id="orders-filter-hint")
        self._filter_row = Horizontal(
            Static(Text("filter:"), id="orders-filter-label"),
            self._filter,
            self._filter_hint,
            id="orders-filter-row",
        )
        self._progress: SyncProgress | None = None

    def compose(self) -> ComposeResult:
        # The filter row is hidden until `/`: mounted after the first frame (_mount_filter),
        # whose styling and layout it cost (~2 % of the start) without drawing anything.
        yield self._list
        yield self._status

    def on_mount(self) -> None:
        # A whole-cell thumb: over thousands of rows Textual's is a sliver (see scrollbar.py).
        self._list.vertical_scrollbar.renderer = CellScrollBarRender  # type: ignore[misc]
        self._list.open_filter = self.open_filter
        self._list.on_end = self._at_end
        self._list.on_empty_enter = self._retry
        self._list.on_filters_cleared = self._filters_cleared
        self._list.moved.subscribe(self, lambda _order: self._show_status_soon(), immediate=True)
        self.call_after_refresh(self._mount_filter)

    def _mount_filter(self) -> None:
        """Mount the filter row above the list (once; at once when `/` comes first)."""
        if self._filter_row.parent is None and self.is_attached and self.app.is_running:
            with contextlib.suppress(MountError):  # the console is closing
                self.mount(self._filter_row, before=self._list)

    # -- public API ----------------------------------------------------------------------
    @property
    def order_list(self) -> OrderList:
        return self._list

    @property
    def scope(self) -> Scope:
        return self._list.query_shown.scope

    @property
    def view_spec(self) -> ViewSpec:
        """What the list shows (or is about to show): scope, states, text, sort."""
        return self._list.query_shown.spec()

    @property
    def highlighted_order(self) -> Order | None:
        return self._list.highlighted_order

    @property
    def loaded_count(self) -> int:
        """Rows of the view on screen (every indexed order of the scope, as filtered)."""
        return self._list.model.count

    def show_scope(self, scope: Scope, *, keep_cursor: bool = False) -> None:
        """Show ``scope``: the cursor to the top (``keep_cursor``: on its order; the same
        project, known by another name or id now)."""
        self._list.show_scope(scope, keep_cursor=keep_cursor)

    def set_sort(self, key: SortKey, descending: bool) -> None:
        """Sort by ``key`` ("created", "state", "confidence", "title"), either way."""
        self._list.set_sort(key, descending)

    def select_order_id(self, order_id: str) -> None:
        self._list.select_order_id(order_id)

    def index_changed(self, *, soon: bool = False) -> None:
        self._list.index_changed(soon=soon)

    def clear_filters(self) -> None:
        self._filter.value = ""
        self._list.clear_filters()

    def set_state_filter(self, state: str | None) -> None:
        """Show only orders in ``state`` (None: every state); the palette's "State: …"."""
        self._list.set_state_filter(state)

    def set_progress(self, progress: SyncProgress | None) -> None:
        """The sync's latest word: counts say "so far" until the scope is swept once."""
        self._progress = progress
        self._show_status()

    # -- filter box ----------------------------------------------------------------------
    def on_order_list_filter_requested(self, message: OrderList.FilterRequested) -> None:
        message.stop()
        self.open_filter()

    def open_filter(self) -> None:
        """Show the filter box and focus it now: with ``Widget.focus()`` (deferred) keys typed
        ahead ("/paint" in one SSH read) ran as list commands (p: go to project)."""
        self._mount_filter()  # `/` before the first frame was painted
        self._filter_row.add_class("-open")
        # The old text is selected now, so typing replaces it. Not on the box's Focus event
        # (Input's select_on_focus): letters typed ahead may be in the box by then, and the
        # next letter would replace them ("/hero" in one read filtered by "ero").
        self._filter.selection = Selection(0, len(self._filter.value))
        self.screen.set_focus(self._filter)

    def on_input_changed(self, message: Input.Changed) -> None:
        if message.input is self._filter:
            message.stop()
            # The box's value now, not the message's: after a burst's esc, "x" is stale.
            self._list.set_text_filter(self._filter.value)

    def on_input_submitted(self, message: Input.Submitted) -> None:
        if message.input is self._filter:
            message.stop()  # handled at once by leave_filter

    def leave_filter(self) -> None:
        """Enter in the box: apply its text and focus the list now, so "j" typed after enter
        in the same burst moves the filtered list (Input.Changed may not have arrived yet)."""
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
    def _filters_cleared(self) -> None:
        """``escape`` in the list cleared the filters: the box goes too."""
        self._filter.value = ""
        if not self._filter.has_focus:
            self._filter_row.remove_class("-open")

    def on_order_list_status_changed(self, message: OrderList.StatusChanged) -> None:
        # Not stopped: the screen's status line counts the marks too.
        self._show_status_soon()

    def on_order_list_highlighted(self, message: OrderList.Highlighted) -> None:
        # Not stopped: the screen shows the order in the detail pane.
        self._show_status_soon()

    def on_resize(self) -> None:
        self._show_status()  # the row's position is right-aligned to the width

    def _show_status_soon(self) -> None:
        """The status line, once the frame being made is on its way: a key that moves the
        cursor (``j``) has its answer (the cursor, the picture fetched ahead) in that frame
        without the status line's draw (~0.4 ms), and the row count follows a frame later."""
        if not self._status_due:
            self._status_due = self.call_after_refresh(self._show_status)
            if not self._status_due:  # nothing to wait for (not running): now
                self._show_status()

    def _show_status(self) -> None:
        """The status line: counts and filters on the left, the cursor's row on the right
        (the scrollbar alone cannot say where 1 row of 2,000 is)."""
        self._status_due = False
        empty = self._empty_text()  # what an empty list says follows the same words
        no_match = NO_MATCH if self.complete else NO_MATCH_YET
        if (empty, no_match) != (self._list.empty_text, self._list.no_match_text):
            self._list.empty_text, self._list.no_match_text = empty, no_match
            if not self._list.model.count:
                self._list.refresh()
        line = self.status_text()
        position = self.position_text()
        width = self._status.content_region.width
        if position and width >= len(position) + 2:
            # A narrow pane: the counts and notes give way, never the row.
            line = whole_parts(line, width - len(position) - 2)
            line.append(" " * (width - line.cell_len - len(position)))
            line.append(position, style="bold")
        if line != self._status_shown:  # said again on the list's message: no repaint then
            self._status_shown = line
            self._status.update(line, layout=False)  # one line, always: no relayout

    def position_text(self) -> str:
        """``row 24/2,000``: the cursor's row among the rows shown, or "" when there are none."""
        model = self._list.model
        if not model.count:
            return ""
        return f"row {model.cursor + 1:,}/{model.count:,}"

    @property
    def complete(self) -> bool:
        """The scope has been read to its end once: counts are whole, not "so far"."""
        progress = self._progress
        if progress is not None:
            return progress.complete
        status = self._list.model.status
        return status is not None and status.complete

    def _count_note(self) -> str:
        """`` so far · sync 34 %`` for the count on screen ("" when it is whole), as the index
        stood when that count was read (the status read with it). The list is redrawn at
        most once a second: the sync's newer word beside an older count made them disagree
        (4,000 orders "so far · sync 40 %" with 8,000 indexed; a count said whole a second
        before it was)."""
        status = self._list.model.status
        fraction: float | None
        if status is None:  # no count read yet
            complete = self.complete
            fraction = self._progress.fraction if self._progress is not None else None
        else:
            complete, total = status.complete, status.api_total
            fraction = min(status.indexed / total, 1.0) if status.sweeping and total else None
        if complete:
            return ""
        return " so far" + (f" · sync {percent(fraction)}" if fraction is not None else "")

    def status_text(self) -> Text:
        """The status line: counts, filters, sort, marks. Built from our words and cleaned
        user input only."""
        model = self._list.model
        query = self._list.query_shown
        if model.error is not None:
            line = model.error
        elif not model.ready:
            line = "loading…"
        elif self._failed_before_any() and not query.filtering:
            line = f"nothing loaded yet: {self._why_nothing()}"
        elif (note := self._count_note()) and not model.count and not query.filtering:
            line = "loading…"  # nothing indexed yet, and the API has not said there is nothing
        else:
            count = model.count
            if query.filtering:
                line = f"{count:,} match{'es' if count != 1 else ''}"
            else:
                line = f"{count:,} order{'s' if count != 1 else ''}"
            line += note
        if model.marked:
            # Second, before the filter and the sort: in a narrow pane the last parts go first
            # (whole_parts), and what to look at next is worth more than how it is sorted.
            line += f" · {model.marked:,} new or changed (n/N)"
        if query.text.strip():
            line += f" · filter “{clean(query.text, limit=40)}”"
        if query.state is not None:
            label = state_label(query.state)
            line += f" · state {label.symbol} {label.word}"
        if (query.sort, query.descending) != ("created", True):
            line += f" · {SORT_WORDS[(query.sort, query.descending)]}"
            scored = model.scored
            if query.sort == "confidence" and scored is not None and scored < model.count:
                # Only full orders carry a score: say how many of the list are in that order.
                line += f" ({scored:,} with a score)"
        if model.pending is not None and model.pending.purpose != "refresh":
            line += " · …"
        return Text(line, no_wrap=True, overflow="ellipsis")

    def _failed_before_any(self) -> bool:
        """Nothing indexed for the scope and the API is not answering."""
        progress = self._progress
        return (
            progress is not None
            and not progress.complete
            and progress.phase in ("offline", "stopped")
            and not self._list.model.count
        )

    def _why_nothing(self) -> str:
        """Why nothing is loaded (the status line says more): the sync stopped on an answer
        (wrong credentials, a wrong base_url), or the API does not answer."""
        return nothing_because(self._progress) or NO_ANSWER

    def _empty_text(self) -> str:
        if self.complete:
            return "no orders here"
        if self._failed_before_any():
            why = self._why_nothing()
            if why == REFUSED:  # asking again at once would only be refused again
                return f"nothing loaded: {why}"
            return f"nothing loaded yet: {why} — enter to retry"
        return "loading… (the orders are being indexed)"

    def _retry(self) -> None:
        if self._failed_before_any():
            self.post_message(self.RetryRequested())

    def _at_end(self) -> None:
        """``G``: say so when the end of the view is not yet the end of the scope."""
        if self.complete:
            return
        count = self._list.model.count
        progress = self._progress
        left = ""
        if progress is not None and progress.fraction is not None:
            left = f" (sync {percent(progress.fraction)}"
            if progress.eta is not None:
                left += f", about {duration(progress.eta)} left"
            left += ")"
        toast(
            self.app,
            f"The last of the {count:,} orders indexed so far{left}: "
            "older orders are still being read.",
            timeout=5,
        )
