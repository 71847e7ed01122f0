"""The detail pane: everything about the highlighted order, fed by a background fetch.

:meth:`DetailPane.show` draws the copy of the order the list already has at once, then
fetches the full order (``GET /v1/orders/{id}``) after a short debounce, so holding ``j``
through a list does not fire a request per row. Answers land in a small LRU cache keyed by
order id; an answer for an order the cursor has already left is cached but not drawn. A
failed fetch shows one line at the top of the pane and keeps what was drawn before.

Moving through the list redraws this pane on every key, so drawing is incremental: the header
(state and title) is one fixed line docked at the top (it never scrolls away, e.g. when ``3``
scrolls down to the annotations); the text sections are wrapped here to the pane's width, so
their height is known, and a section whose text did not change is not touched, one whose
height did not change is repainted without a relayout of the screen; the annotations table is
cleared and refilled in place only when its rows differ.

The pane has a **preview slot** (``#preview-slot``, :attr:`DetailPane.preview_slot`) for the
preview widget: every widget mounted there receives its own :class:`~.messages.OrderShown` and
:class:`~.messages.AnnotationHighlighted` messages (the same messages also bubble up to the
screen).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Container, Vertical, VerticalScroll
from textual.message import Message
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import DataTable, Static

from artistree_tui.api.models import Order
from artistree_tui.ui.detail import annotation_text, sections
from artistree_tui.ui.detail.annotation_table import AnnotationTable
from artistree_tui.ui.detail.messages import (
    AnnotationHighlighted,
    DetailFailed,
    DetailLoaded,
    OrderShown,
)
from artistree_tui.ui.detail.order_cache import OrderCache
from artistree_tui.ui.keys import keymap
from artistree_tui.ui.notify import error_line
from artistree_tui.ui.preview.control import PreviewControl
from artistree_tui.ui.preview.keys import PANE_BINDINGS

#: Fetch one full order by id (``client.get_order``).
OrderFetcher = Callable[[str], Awaitable[Order]]

PREVIEW_SLOT_ID = "preview-slot"

__all__ = ["PREVIEW_SLOT_ID", "AnnotationTable", "DetailPane", "OrderCache", "SectionTitle"]


class SectionTitle(Static):
    """A section heading inside the detail pane."""


class DetailPane(VerticalScroll):
    """Scrollable detail of one order: fields, analyses, failed items, annotations, layers.

    The preview's ``z``/``[``/``]`` are bound here too (:mod:`~artistree_tui.ui.preview.keys`)
    and handed to the panel by the :class:`PreviewControl` the pane holds."""

    BINDING_GROUP_TITLE = "Order detail"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "scroll_lines(1)", "Scroll", show=False, id=keymap.DETAIL_DOWN),
        Binding("k", "scroll_lines(-1)", "Scroll up", show=False, id=keymap.DETAIL_UP),
        Binding("g", "scroll_home", "Top", show=False, id=keymap.DETAIL_TOP),
        Binding("G", "scroll_end", "Bottom", show=False, id=keymap.DETAIL_BOTTOM),
        # enter opens an order here from the list; esc goes back (also from the table).
        Binding(
            "escape", "screen.focus_pane('list')", "Back to the list", show=False, id="detail.back"
        ),
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
        # What each text section shows now, the table's columns and rows, the width wrapped to.
        self._shown: dict[str, Text] = {}
        self._columns: tuple[annotation_text.AnnotationColumn, ...] = ()
        self._rows: list[tuple[Text, ...]] | None = None
        self._drawn_width: int | None = None
        self._drawn_role: str | None = None
        self._heights: dict[str, int] = {}  # the tallest line count of each section
        self.preview_keys = PreviewControl(self)

    def compose(self) -> ComposeResult:
        with Vertical(id="detail-top"):  # docked: stays put while the rest scrolls
            yield Static(id="detail-status", markup=False)
            yield Static(Text("No order selected.", style="dim"), id="detail-header", markup=False)
        yield Static(id="detail-fields", markup=False)
        # Right above the annotations: moving through them highlights their regions.
        yield Container(id=PREVIEW_SLOT_ID)
        yield SectionTitle(Text("Annotations"), id="detail-annotations-title")
        # No cell padding: the columns carry their own space and fill the pane exactly.
        yield AnnotationTable(
            id="detail-annotations", cursor_type="row", zebra_stripes=True, cell_padding=0
        )
        # The selected annotation, then analyses, failed items and layers: one block whose
        # height varies the most, last, so keeping its tallest height adds blank lines only
        # at the very end of the pane (see _put).
        yield Static(id="detail-more", markup=False)

    def on_mount(self) -> None:
        self.set_class(True, "-empty")

    def on_resize(self) -> None:
        # The text sections are wrapped to the width: wrap them again for the new one, and
        # let every section find its height again.
        if self.order is not None and self._text_width() != self._drawn_width:
            self._heights.clear()
            self.annotations_table.height_floor = 0
            self.annotations_table.styles.min_height = None
            self._draw_sections(self.order, same_order=True)

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

    def show_none(self, reason: str) -> None:
        """No order under the list's cursor: say ``reason`` (our words) and forget the order,
        so nothing (``y``, ``c``, a late fetch) acts on one the list no longer shows."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        self.set_status(None)
        self.order, self.complete, self._drawn_role = None, False, None
        self.set_class(True, "-empty")  # hides the sections and the preview (console.tcss)
        header = self.query_one("#detail-header", Static)
        header.update(Text(reason, style="dim"), layout=False)

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
        if not message and not status.has_class("-visible"):
            return  # the usual case on every move: nothing to clear, nothing to lay out
        status.update(Text(f"✗ {message}", style="bold red") if message else Text(""))
        status.set_class(bool(message), "-visible")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "preview_key":  # z, [ and ]: offered only when the panel can do it
            return self.preview_keys.key_applies(str(parameters[0]))
        return super().check_action(action, parameters)

    def action_preview_key(self, key: str) -> None:
        self.preview_keys.press(key)

    def action_scroll_lines(self, lines: int) -> None:
        # Not Textual's scroll_down: it scrolls from a target set only after the next refresh,
        # so a held j (keys arrive in bursts, over SSH above all) lost most of its presses.
        self.scroll_relative(y=lines, animate=False, immediate=True)

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
        if self.has_class("-empty"):
            self.set_class(False, "-empty")
        role = self.role_for(order.project.id if order.project else None)
        # The full order often equals the list's copy: nothing to draw again then.
        if not (same_order and previous == order and role == self._drawn_role):
            with self.app.batch_update():
                self._draw_sections(order, same_order=same_order)
        if not same_order:
            self.scroll_home(animate=False)
        self._announce(lambda: OrderShown(order, complete=complete))

    def _text_width(self) -> int | None:
        width = self.scrollable_content_region.width
        return width if width > 0 else None  # not laid out yet: on_resize draws again

    def _draw_sections(self, order: Order, *, same_order: bool) -> None:
        width = self._text_width()
        self._drawn_width = width
        role = self._drawn_role = self.role_for(order.project.id if order.project else None)
        # Fixed height (one line): never a relayout.
        self.query_one("#detail-header", Static).update(sections.header(order), layout=False)
        self._put("detail-fields", sections.fields(order, role=role, width=width))
        self._fill_annotations(order, same_order=same_order, width=width)

    def _put(self, widget_id: str, text: Text) -> None:
        """Show ``text`` in a section: nothing if it is what is shown, a repaint only if its
        height (its line count: sections never wrap again) is the same.

        A section keeps the tallest height it has had at this width (blank lines below a
        shorter text): moving through the list then changes no heights at all, so nothing
        below jumps (the preview stays put) and the screen needs no relayout, which costs
        more than everything else a move does.
        """
        lines = text.plain.count("\n") + 1
        floor = self._heights.get(widget_id, 0)
        if lines < floor:
            text = text + Text("\n" * (floor - lines))
        else:
            self._heights[widget_id] = lines
        shown = self._shown.get(widget_id)
        if shown is not None and shown == text:
            return
        self._shown[widget_id] = text
        same_height = shown is not None and shown.plain.count("\n") == text.plain.count("\n")
        self.query_one(f"#{widget_id}", Static).update(text, layout=not same_height)

    def _fill_annotations(self, order: Order, *, same_order: bool, width: int | None) -> None:
        table = self.annotations_table
        # One cell for the table's own scrollbar (more rows than its max height).
        columns = annotation_text.annotation_columns((width or 0) - 1)
        if columns != self._columns:
            table.clear(columns=True)
            for column in columns:
                table.add_column(Text(column.title), width=column.width, key=column.key)
            self._columns = columns
            self._rows = None
        rows = annotation_text.annotation_rows(order, columns)
        title = sections.heading(f"Annotations · {len(rows)}" if rows else "Annotations · none")
        self.query_one("#detail-annotations-title", Static).update(title, layout=False)
        if rows != self._rows:
            keep = table.cursor_row if same_order else 0
            table.clear()
            table.add_rows(rows)
            self._rows = rows
            if rows:
                table.move_cursor(row=min(max(keep, 0), len(rows) - 1), animate=False)
            table.show_header = bool(rows)  # no column titles over nothing
            # The table keeps its tallest height too (see _put), header line included.
            if len(rows) + 1 > table.height_floor:
                table.height_floor = len(rows) + 1
                table.styles.min_height = table.height_floor
        self._show_selected(table.cursor_row if rows else -1, width)

    def _show_selected(self, index: int, width: int | None) -> None:
        order = self.order
        if order is None:
            return
        annotations = order.annotations
        if 0 <= index < len(annotations):
            selected = annotation_text.annotation_detail(annotations[index], width)
        else:
            selected = Text("")  # the title says "Annotations · none"
        self._put("detail-more", sections.below_annotations(selected, order, width))

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
        self._show_selected(index, self._text_width())
        self._announce(lambda: AnnotationHighlighted(order_id, index))
