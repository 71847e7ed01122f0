"""The detail pane: everything about the highlighted order, fed by a background fetch.

:meth:`DetailPane.show` draws the copy of the order the list already has at once, then
fetches the full order (``GET /v1/orders/{id}``) after a short debounce, so holding ``j``
through a list does not fire a request per row. Answers land in a small LRU cache keyed by
order id; an answer for an order the cursor has already left is cached but not drawn. A
failed fetch shows one line at the top of the pane and keeps what was drawn before.

The pane has a **preview slot** (``#preview-slot``, :attr:`DetailPane.preview_slot`) for the
preview widget of the preview issue: every widget mounted there receives its own
:class:`~artistree_tui.ui.messages.OrderShown` and
:class:`~artistree_tui.ui.messages.AnnotationHighlighted` messages (the same messages also
bubble up to the screen).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Awaitable, Callable
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Container, VerticalScroll
from textual.message import Message
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import DataTable, Static

from artistree_tui.api.models import Order
from artistree_tui.ui import detail_sections as sections
from artistree_tui.ui import keymap
from artistree_tui.ui.messages import (
    AnnotationHighlighted,
    DetailFailed,
    DetailLoaded,
    OrderShown,
    error_line,
)
from artistree_tui.ui.preview_keys import PANE_BINDINGS, PreviewKeys

#: Fetch one full order by id (``client.get_order``).
OrderFetcher = Callable[[str], Awaitable[Order]]

PREVIEW_SLOT_ID = "preview-slot"


class OrderCache:
    """A small LRU of full orders by id: going back to an order should not refetch it."""

    def __init__(self, size: int = 64) -> None:
        self._size = max(1, size)
        self._orders: OrderedDict[str, Order] = OrderedDict()

    def get(self, order_id: str) -> Order | None:
        order = self._orders.get(order_id)
        if order is not None:
            self._orders.move_to_end(order_id)
        return order

    def put(self, order: Order) -> None:
        self._orders[order.order_id] = order
        self._orders.move_to_end(order.order_id)
        while len(self._orders) > self._size:
            self._orders.popitem(last=False)

    def discard(self, order_id: str) -> None:
        self._orders.pop(order_id, None)

    def clear(self) -> None:
        self._orders.clear()

    def __len__(self) -> int:
        return len(self._orders)


class AnnotationTable(PreviewKeys, DataTable[Text]):
    """The annotations of the order; moving the cursor selects one for the preview (and the
    preview's keys work here: see preview_keys)."""

    BINDING_GROUP_TITLE = "Annotations"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "cursor_down", "Next annotation", show=False, id=keymap.ANNOTATION_DOWN),
        Binding("k", "cursor_up", "Previous annotation", show=False, id=keymap.ANNOTATION_UP),
        *PANE_BINDINGS,
    ]


class SectionTitle(Static):
    """A section heading inside the detail pane."""


class DetailPane(PreviewKeys, VerticalScroll):
    """Scrollable detail of one order: fields, analyses, failed items, annotations, layers."""

    BINDING_GROUP_TITLE = "Order detail"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "scroll_down", "Scroll", show=False, id=keymap.DETAIL_DOWN),
        Binding("k", "scroll_up", "Scroll up", show=False, id=keymap.DETAIL_UP),
        Binding("g", "scroll_home", "Top", show=False, id=keymap.DETAIL_TOP),
        Binding("G", "scroll_end", "Bottom", show=False, id=keymap.DETAIL_BOTTOM),
        *PANE_BINDINGS,
    ]

    def __init__(
        self,
        fetch_order: OrderFetcher,
        *,
        debounce: float = 0.12,
        cache_size: int = 64,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self._fetch_order = fetch_order
        self._debounce = debounce
        self.cache = OrderCache(cache_size)
        self._timer: Timer | None = None
        #: The order drawn now (the list's copy until the full one arrives), or None.
        self.order: Order | None = None
        self.complete = False
        self.role_for: Callable[[str | None], str | None] = lambda _id: None

    def compose(self) -> ComposeResult:
        yield Static(id="detail-status", markup=False)
        yield Static(Text("No order selected.", style="dim"), id="detail-header")
        yield Static(id="detail-fields", markup=False)
        yield SectionTitle(Text("Analyses"), classes="detail-section")
        analyses: DataTable[Text] = DataTable(
            id="detail-analyses", show_cursor=False, cursor_type="none"
        )
        analyses.can_focus = False
        yield analyses
        yield SectionTitle(Text("Failed items"), classes="detail-section")
        yield Static(id="detail-failed", markup=False)
        # Right above the annotations: moving through them highlights their regions.
        yield Container(id=PREVIEW_SLOT_ID)
        yield SectionTitle(Text("Annotations"), classes="detail-section")
        yield AnnotationTable(id="detail-annotations", cursor_type="row", zebra_stripes=True)
        yield Static(id="detail-annotation", markup=False)
        yield SectionTitle(Text("Layers"), classes="detail-section")
        yield Static(id="detail-layers", markup=False)

    def on_mount(self) -> None:
        self.query_one("#detail-analyses", DataTable).add_columns(*sections.ANALYSIS_COLUMNS)
        self.query_one("#detail-annotations", DataTable).add_columns(*sections.ANNOTATION_COLUMNS)
        self.set_class(True, "-empty")

    # -- public API ----------------------------------------------------------------------

    @property
    def preview_slot(self) -> Container:
        """Where the preview widget (issue 4) mounts itself."""
        return self.query_one(f"#{PREVIEW_SLOT_ID}", Container)

    @property
    def order_id(self) -> str | None:
        return self.order.order_id if self.order else None

    @property
    def annotations_table(self) -> AnnotationTable:
        return self.query_one(AnnotationTable)

    def focus_target(self) -> Widget:
        """What ``3`` focuses: the annotations table when it has rows, else the pane."""
        table = self.annotations_table
        return table if table.row_count else self

    def show(self, order: Order) -> None:
        """Draw ``order`` now (or its cached full copy) and fetch the full order if needed."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        cached = self.cache.get(order.order_id)
        if cached is not None:
            self._draw(cached, complete=True)
            return
        self._draw(order, complete=False)
        order_id = order.order_id
        self._timer = self.set_timer(self._debounce, lambda: self._fetch(order_id))

    def show_full(self, order: Order) -> None:
        """Draw a full order fetched elsewhere ("go to order id") and cache it."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        self.cache.put(order)
        self._draw(order, complete=True)

    def reload(self) -> None:
        """Forget cached orders and fetch the drawn one again (the ``r`` refresh)."""
        self.cache.clear()
        if self.order is not None:
            order_id = self.order.order_id
            self.complete = False
            self._fetch(order_id)

    def refetch(self, order_id: str) -> None:
        """Forget one cached order and, if it is drawn, fetch it again (e.g. its presigned
        preview URL expired: the fresh order carries a new one)."""
        self.cache.discard(order_id)
        if self.order_id == order_id:
            self.complete = False
            self._fetch(order_id)

    def set_status(self, message: str | None) -> None:
        """Show (or clear) the pane's one-line status; ``message`` must already be safe."""
        status = self.query_one("#detail-status", Static)
        status.update(Text(f"✗ {message}", style="bold red") if message else Text(""))
        status.set_class(bool(message), "-visible")

    # -- fetching ------------------------------------------------------------------------

    @work(exclusive=True, group="detail-fetch", exit_on_error=False)
    async def _fetch(self, order_id: str) -> None:
        # exclusive: a newer fetch cancels this one, so a fast cursor never queues requests.
        try:
            order = await self._fetch_order(order_id)
        except Exception as error:  # every failure becomes one line, never a traceback
            self.post_message(DetailFailed(order_id, error_line(error)))
            return
        self.post_message(DetailLoaded(order_id, order))

    @on(DetailLoaded)
    def _loaded(self, message: DetailLoaded) -> None:
        self.cache.put(message.order)
        if message.order_id == self.order_id:  # stale answers are cached, not drawn
            self.set_status(None)
            self._draw(message.order, complete=True)

    @on(DetailFailed)
    def _failed(self, message: DetailFailed) -> None:
        if message.order_id == self.order_id:
            self.set_status(f"Could not load the order's details: {message.error}")

    # -- drawing -------------------------------------------------------------------------

    def _draw(self, order: Order, *, complete: bool) -> None:
        previous = self.order
        same_order = previous is not None and previous.order_id == order.order_id
        if not same_order:
            self.set_status(None)
        self.order = order
        self.complete = complete
        self.set_class(False, "-empty")
        role = self.role_for(order.project.id if order.project else None)
        with self.app.batch_update():
            self.query_one("#detail-header", Static).update(sections.header(order))
            self.query_one("#detail-fields", Static).update(sections.fields(order, role=role))
            analyses = self.query_one("#detail-analyses", DataTable)
            analyses.clear()
            analyses.add_rows(sections.analysis_rows(order))
            self.query_one("#detail-failed", Static).update(sections.failed_items(order))
            if not (
                same_order and previous is not None and previous.annotations == order.annotations
            ):
                table = self.annotations_table
                table.clear()
                table.add_rows(sections.annotation_rows(order))
                self.query_one("#detail-annotation", Static).update("")
            self.query_one("#detail-layers", Static).update(sections.layers(order))
        if not same_order:
            self.scroll_home(animate=False)
        self._announce(lambda: OrderShown(order, complete=complete))

    def _announce(self, make: Callable[[], Message]) -> None:
        # One message instance per receiver: the screen (bubbling) and each preview widget.
        self.post_message(make())
        for child in self.preview_slot.children:
            child.post_message(make())

    @on(DataTable.RowHighlighted, "#detail-annotations")
    def _annotation_moved(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        order_id = self.order_id
        if order_id is None:
            return
        index = event.cursor_row
        annotations = self.order.annotations if self.order else ()
        if 0 <= index < len(annotations):
            body = sections.annotation_detail(annotations[index])
            self.query_one("#detail-annotation", Static).update(body)
        self._announce(lambda: AnnotationHighlighted(order_id, index))
