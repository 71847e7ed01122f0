"""The detail pane: everything about the highlighted order, fed by a background fetch.

It reads top-down like a verdict (what a reviewer triages by comes first):

1. the header, docked (it never scrolls away): the state, the confidence and the remediation
   in one line, then the title, cut to the line;
2. the analyses, failed ones first, and the failed items;
3. the annotations table, and the selected annotation in full below it;
4. the preview (the preview widget mounts itself in :attr:`DetailPane.preview_slot`);
5. the metadata: title, ids, the asset, people, dates, project, review, tags, layers.

Where the pane is wide enough (:data:`BESIDE_MIN_WIDTH` cells of text), the preview sits
*beside* 2 and 3 rather than below them: the verdict, the annotations and the picture whose
regions they select are on screen together (class ``-beside`` on ``#detail-main``).

:meth:`DetailPane.show` draws an order and asks for its full copy (``GET /v1/orders/{id}``)
when :class:`~.timing.ShowTiming` says: at rest the full order alone if it comes quickly, in a
burst (a held ``j``) nothing until the cursor rests, so holding ``j`` through a list costs the
list's rows and neither a request nor a detail per row (the preview, following the pane, loads
only that order too). Answers land in a small LRU cache keyed by order id; an answer for an
order the cursor has already left is cached but not drawn. A failed fetch shows one line at
the top of the pane and keeps what was drawn before.

Drawing is incremental, because over SSH every cell repainted crosses the network (the pane's
:class:`~.drawing.SectionDrawing` does it): the text sections are wrapped to their width and
shown by :class:`~.lines.TextLines`, which repaints only the lines that differ from what is on
screen (the full order usually equals the list's copy: then nothing at all); a section keeps
the tallest height it has had at this width, so moving between orders changes no height and
asks for no relayout; the annotations table is cleared and refilled in place only when its
rows differ.

The pane has a **preview slot** (``#preview-slot``, :attr:`DetailPane.preview_slot`) for the
preview widget: every widget mounted there receives its own :class:`~.messages.OrderShown` and
:class:`~.messages.AnnotationHighlighted` messages (the same messages also bubble up to the
screen).

The empty pane (before its first order) is its header line alone: the sections, the table and
the preview slot are mounted with the first order drawn (:meth:`DetailPane.build_sections`;
they were ~12 % of the console's start), and the preview widget is made for its slot then
(:meth:`DetailPane.hold_preview`). Their modules (the annotations table and Textual's
``DataTable``, the preview panel and its canvas) are imported then too.
"""

from __future__ import annotations

import contextlib
from collections.abc import Awaitable, Callable
from functools import partial
from typing import TYPE_CHECKING, ClassVar, cast

from rich.text import Text
from textual import on, work
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Container, Vertical, VerticalScroll
from textual.message import Message
from textual.widget import MountError, Widget
from textual.widgets import Static

from artistree_tui.api.errors import ApiNotFoundError
from artistree_tui.api.models import Order
from artistree_tui.ui.detail.drawing import (
    BESIDE_MIN_WIDTH,
    SectionDrawing,
    beside_widths,
)
from artistree_tui.ui.detail.lines import TextLines
from artistree_tui.ui.detail.messages import (
    AnnotationHighlighted,
    DetailFailed,
    DetailLoaded,
    OrderShown,
)
from artistree_tui.ui.detail.order_cache import OrderCache
from artistree_tui.ui.detail.timing import ShowTiming
from artistree_tui.ui.keys import keymap
from artistree_tui.ui.notify import error_line
from artistree_tui.ui.preview.control import PreviewControl
from artistree_tui.ui.preview.keys import PANE_BINDINGS
from artistree_tui.ui.preview.scroll import view_rows
from artistree_tui.ui.timers import once

if TYPE_CHECKING:  # imported with the sections (build_sections)
    from textual.widgets import DataTable

    from artistree_tui.ui.detail.annotation_table import AnnotationTable

#: Fetch one full order by id (``client.get_order``; ahead of need: ``get_order(ahead=True)``,
#: tried once and never opening the circuit breaker for the orders people open).
OrderFetcher = Callable[[str], Awaitable[Order]]

PREVIEW_SLOT_ID = "preview-slot"

#: Below this many rows inside its border the pane drops the line under its header.
SHORT_PANE_ROWS = 10
__all__ = [
    "BESIDE_MIN_WIDTH",
    "PREVIEW_SLOT_ID",
    "DetailPane",
    "OrderCache",
    "SectionTitle",
    "beside_widths",
]


class SectionTitle(TextLines):
    """A section heading inside the detail pane (one line)."""


class DetailPane(VerticalScroll):
    """Scrollable detail of one order, the verdict first (see the module docstring).

    The preview's ``z``/``[``/``]`` are bound here too (:mod:`~artistree_tui.ui.preview.keys`)
    and handed to the panel by the :class:`PreviewControl` the pane holds."""

    BINDING_GROUP_TITLE = "Order detail"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "scroll_lines(1)", "Scroll", show=False, id=keymap.DETAIL_DOWN),
        Binding("k", "scroll_lines(-1)", "Scroll up", show=False, id=keymap.DETAIL_UP),
        Binding(
            "ctrl+d",
            "scroll_half(1)",
            "Half page down",
            show=False,
            tooltip="Scroll the detail down half a page",
            id=keymap.DETAIL_HALF_DOWN,
        ),
        Binding(
            "ctrl+u",
            "scroll_half(-1)",
            "Half page up",
            show=False,
            tooltip="Scroll the detail up half a page",
            id=keymap.DETAIL_HALF_UP,
        ),
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
        fetch_ahead: OrderFetcher | None = None,
        debounce: float = 0.12,
        cache_size: int = 64,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self._fetch_order = fetch_order
        self._fetch_ahead = fetch_ahead or fetch_order
        self.cache = OrderCache(cache_size)
        #: What is drawn into the sections, and how tall each stays (see .drawing).
        self.drawing = SectionDrawing(self)
        #: When to draw what and ask for the full order (see ui/detail/timing.py).
        self.timing = ShowTiming(
            draw=lambda order, complete: self._draw(order, complete=complete),
            fetch=self._fetch,
            cached=self.cache.get,
            drawn=lambda: self.order is not None,
            set_timer=partial(once, self),
            debounce=debounce,
        )
        #: The order drawn now (the list's copy until the full one arrives), or None.
        self.order: Order | None = None
        self.complete = False
        self.role_for: Callable[[str | None], str | None] = lambda _id: None
        #: Lines repainted by the last draw (a measure of what crossed the wire).
        self.repainted_lines = 0
        #: The last draw made a section taller than it has been (the screen is laid out
        #: again, over two frames, and what is below the section moves).
        self.relaid_out = False
        self.preview_keys = PreviewControl(self)
        self._built = False  # the sections: see build_sections()
        self._held_preview: Callable[[], Widget] | None = None  # makes the slot's widget

    def compose(self) -> ComposeResult:
        # What the empty pane shows, and no more: the sections, the annotations table and the
        # preview slot are mounted by build_sections(), when the first order is drawn.
        with Vertical(id="detail-top"):  # docked: stays put while the rest scrolls
            yield Static(id="detail-status", markup=False)
            yield TextLines(Text("No order selected.", style="dim"), id="detail-header")

    @property
    def built(self) -> bool:
        """Whether the sections (and the table and the preview slot) are mounted yet."""
        return self._built

    def build_sections(self) -> bool:
        """Mount the sections below the header, the annotations table and the preview slot
        (with the preview widget :meth:`hold_preview` was given), once: the empty pane of the
        first frame has no use for them (they cost ~12 % of the start), so they come with the
        first order drawn, or whoever asks for them first. Each widget is registered at once
        (queries find it); it mounts in the next turns of the loop. Returns whether the
        sections are there (not when the console is closing)."""
        if self._built:
            return True
        if not (self.is_attached and self.app.is_running):
            return False
        from artistree_tui.ui.detail.annotation_table import AnnotationTable

        main = Container(id="detail-main")  # beside the preview when wide (class -beside)
        column = Vertical(id="detail-verdict-column")
        slot = Container(id=PREVIEW_SLOT_ID)
        with contextlib.suppress(MountError):
            # The selected annotation in full and the metadata go below the main block.
            self.mount(main, TextLines(id="detail-selected"), TextLines(id="detail-fields"))
            main.mount(column, slot)
            column.mount(
                TextLines(id="detail-verdict"),
                SectionTitle(Text("Annotations"), id="detail-annotations-title"),
                # No cell padding: the columns carry their own space and fill the column.
                AnnotationTable(
                    id="detail-annotations", cursor_type="row", zebra_stripes=True, cell_padding=0
                ),
            )
            if self._held_preview is not None:
                slot.mount(self._held_preview())
        self._built = slot.is_attached and bool(self.query("#detail-annotations"))
        return self._built

    def hold_preview(self, make: Callable[[], Widget]) -> None:
        """Put the widget ``make()`` returns (the preview panel) in the preview slot: now if
        the sections are there, else when they are built (the panel's module is imported
        then, not with the console's first frame)."""
        if self._built:
            self.preview_slot.mount(make())
        else:
            self._held_preview = make

    def on_mount(self) -> None:
        self.set_class(True, "-empty")

    def on_resize(self) -> None:
        # A short pane (80×24, the list focused: 5 rows) has no row to spare for the line
        # under the header: without it the verdict gets one more.
        self.set_class(self.scrollable_content_region.height < SHORT_PANE_ROWS, "-short")
        self.layout_changed()

    def layout_changed(self) -> None:
        """The width or the preview's presence changed: wrap the text sections again for
        their new width, put the preview beside or below, and let every section find its
        height again."""
        if self.order is not None and self.drawing.layout() != self.drawing.drawn_layout:
            self.drawing.again(self.order)

    # -- public API ----------------------------------------------------------------------

    @property
    def preview_slot(self) -> Container:
        """Where the preview widget (issue 4) mounts itself (built now if it is not yet)."""
        self.build_sections()
        return self.query_one(f"#{PREVIEW_SLOT_ID}", Container)

    @property
    def order_id(self) -> str | None:
        return self.order.order_id if self.order else None

    @property
    def annotations_table(self) -> AnnotationTable:
        """The annotations table (built now if it is not yet)."""
        self.build_sections()
        return cast("AnnotationTable", self.query_one("#detail-annotations"))

    @property
    def beside(self) -> bool:
        """Whether the preview sits beside the verdict now (else below the annotations)."""
        return self._built and self.query_one("#detail-main").has_class("-beside")

    @property
    def selected_annotation(self) -> int | None:
        """The annotation selected in the table (None when the order has none)."""
        if not self._built:
            return None
        table = self.annotations_table
        return table.cursor_row if table.row_count else None

    def section_text(self, name: str) -> str:
        """The plain text a section shows now: ``header``, ``verdict``, ``selected`` or
        ``fields`` (for tests and the screen's own words); empty before the first order."""
        if name != "header" and not self._built:
            return ""
        return self.query_one(f"#detail-{name}", TextLines).plain

    def focus_target(self) -> Widget:
        """What ``3`` focuses: the annotations table when it has rows, else the pane."""
        if not self._built:
            return self
        table = self.annotations_table
        return table if table.row_count else self

    def show(self, order: Order) -> bool:
        """``order`` is under the list's cursor: draw it (or its cached full copy) and ask for
        its full order when :class:`~.timing.ShowTiming` says. Returns whether the cursor was
        at rest."""
        if order.order_id != self.order_id:
            self.complete = False  # until this order is drawn in full (the drawn one is left)
        return self.timing.show(order)

    def full_in_place(self, order: Order) -> Order | None:
        """The full copy of ``order`` (another order than the one drawn) that :meth:`show`
        would draw at once now (the cursor is at rest and it is cached: see
        :meth:`~.timing.ShowTiming.full_at_once`), if drawing it leaves the preview where it
        is: the pane is scrolled to its top and shows no status line (a new order is drawn
        there, without one), its width and the preview's side do not change, and, below the
        verdict and the annotations, neither of them gets taller than it has been. Then the screen
        may paint its picture before the pane draws the order. None otherwise."""
        full = self.timing.full_at_once(order.order_id)
        if full is None or not self._built or self.order is None or self.has_class("-empty"):
            return None
        if self.scroll_offset.y or self.query_one("#detail-status").has_class("-visible"):
            return None  # the draw scrolls to the top, or clears the status line above
        if full.order_id == self.order.order_id:
            return None
        return full if self.drawing.keeps_the_picture(full) else None

    def hold(self, order: Order) -> None:
        """``order`` (its full copy) is drawn next, when the screen says (its picture is
        painted first): until then the pane is :attr:`pending` (``y`` and ``c`` act on the
        list's order). Its header (the verdict and the title) is drawn now, in the frame with
        the picture, so the two read as one order (rendered ahead: :meth:`prepare_header`);
        the rest follows."""
        self.complete = False
        self.timing.hold(order)
        self.query_one("#detail-header", TextLines).set_text(self.drawing.header(order))

    def prepare_header(self, order: Order) -> None:
        """Render ``order``'s header ahead (it is fetched ahead, next to the order shown), so
        that :meth:`hold` only looks its lines up in the frame that paints its picture."""
        self.query_one("#detail-header", TextLines).prepare(self.drawing.header(order))

    def holding(self, order: Order) -> bool:
        """Whether the pane holds ``order`` for the screen's draw (see :meth:`hold`)."""
        return self.timing.held is not None and self.timing.held.order_id == order.order_id

    @property
    def pending(self) -> bool:
        """An order waits to be drawn: once the cursor rests, or once its full order comes."""
        return self.timing.pending

    def show_full(self, order: Order) -> None:
        """Draw a full order fetched elsewhere ("go to order id") and cache it."""
        self.timing.stop()
        self.cache.put(order)
        self._draw(order, complete=True)

    def show_none(self, reason: str) -> None:
        """No order under the list's cursor: say ``reason`` (our words) and forget the order,
        so nothing (``y``, ``c``, a late fetch) acts on one the list no longer shows."""
        self.timing.stop()
        self.set_status(None)
        self.order, self.complete, self.drawing.drawn_role = None, False, None
        self.set_class(True, "-empty")  # hides the sections and the preview (console.tcss)
        self.query_one("#detail-header", TextLines).set_text(Text(reason, style="dim"))

    def reload(self) -> None:
        """The ``r`` refresh: fetch the drawn order again, and every cached one when it is
        next shown. The cached copies stay and are still drawn meanwhile (offline, they are
        all there is): see :class:`~.order_cache.OrderCache`."""
        self.cache.stale()
        if self.timing.ask_again():
            return  # the order under the cursor is on its way, not the one drawn
        if self.order is not None:
            order_id = self.order.order_id
            self.complete = False
            self._fetch(order_id)

    def refetch(self, order_id: str) -> None:
        """Forget one cached order and, if it is drawn, fetch it again (e.g. its presigned
        preview URL expired: the fresh order carries a new one)."""
        self.cache.discard(order_id)
        if self.order_id == order_id and not self.timing.pending:  # not if it is being left
            self.complete = False
            self._fetch(order_id)

    def retry_failed(self) -> None:
        """The API answers again: the order drawn without its full order, its failure on the
        status line, is fetched again (the line clears when it comes)."""
        if self.order is None or self.complete:
            return
        if self.query_one("#detail-status", Static).has_class("-visible"):
            self.refetch(self.order.order_id)

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

    def action_scroll_home(self) -> None:
        """``g``: the top at once. Textual animates it, which writes every step's frame to the
        terminal (over SSH) and leaves the pane moving under the next key."""
        if not self.allow_vertical_scroll:
            raise SkipAction()
        self.scroll_home(animate=False, immediate=True)

    def action_scroll_end(self) -> None:
        """``G``: the bottom at once (see :meth:`action_scroll_home`)."""
        if not self.allow_vertical_scroll:
            raise SkipAction()
        self.scroll_end(animate=False, immediate=True)

    def action_scroll_half(self, direction: int) -> None:
        """``ctrl+d``/``ctrl+u``: half the pane's height down or up (as in less and vim)."""
        half = max(1, self.view_height // 2)
        self.scroll_relative(y=direction * half, animate=False, immediate=True)

    # -- fetching ------------------------------------------------------------------------

    @work(exclusive=True, group="detail-fetch", exit_on_error=False)
    async def _fetch(self, order_id: str) -> None:
        # exclusive: a newer fetch cancels this one, so a fast cursor never queues requests.
        try:
            order = await self._fetch_order(order_id)
        except Exception as error:  # every failure becomes one line, never a traceback
            self.post_message(_failed(order_id, error))
            return
        self.post_message(DetailLoaded(order_id, order))

    def prefetch(self, order_id: str) -> bool:
        """Fetch ``order_id``'s full order ahead, into the cache (the order next to the one
        under the cursor: see ui/screen/prefetch.py), so that moving to it draws it complete
        at once. Posts ``DetailLoaded`` or ``DetailFailed`` with ``prefetched`` set; a failure
        shows nothing (the order then loads as usual when shown). False when it is cached
        already (and not from before an ``r``)."""
        if self.cache.get(order_id) is not None and not self.cache.is_stale(order_id):
            return False
        self._prefetch(order_id)
        return True

    def cancel_prefetch(self) -> None:
        """The cursor moved: the order under it wins (its fetch is another group)."""
        self.workers.cancel_group(self, "detail-prefetch")

    @work(exclusive=True, group="detail-prefetch", exit_on_error=False, description="prefetch")
    async def _prefetch(self, order_id: str) -> None:
        try:
            order = await self._fetch_ahead(order_id)
        except Exception as error:  # never shown: the order loads as usual when shown
            self.post_message(_failed(order_id, error, prefetched=True))
            return
        self.post_message(DetailLoaded(order_id, order, prefetched=True))

    @on(DetailLoaded)
    def _loaded(self, message: DetailLoaded) -> None:
        self.cache.put(message.order)
        if self.timing.loaded(message.order):
            self.set_status(None)  # the same order asked again (enter after a failure) too
            return
        if message.order_id == self.order_id:  # stale answers are cached, not drawn
            self.set_status(None)
            self._draw(message.order, complete=True)

    @on(DetailFailed)
    def _failed(self, message: DetailFailed) -> None:
        if message.prefetched:
            return  # nobody asked to see it (it bubbles on to the screen's prefetch)
        self.timing.failed(message.order_id)  # an awaited order: the list's copy
        if message.order_id == self.order_id:
            self.set_status(f"Could not load the order's details: {message.error}")

    # -- drawing -------------------------------------------------------------------------

    def _draw(self, order: Order, *, complete: bool) -> None:
        if not self.build_sections():
            return  # closing: nothing to draw into
        previous = self.order
        same_order = previous is not None and previous.order_id == order.order_id
        if not same_order:
            self.set_status(None)
        self.order = order
        self.complete = complete
        if self.has_class("-empty"):
            self.set_class(False, "-empty")
        role = self.role_for(order.project.id if order.project else None)
        self.relaid_out = False
        # The full order often equals the list's copy: nothing to draw again then.
        if complete and not same_order and self.cache.is_stale(order.order_id):
            self._fetch(order.order_id)  # drawn from before an r: asked again, it replaces it
        drawing = self.drawing
        if not (same_order and previous == order and role == drawing.drawn_role):
            heights = (dict(drawing.heights), self.annotations_table.height_floor)
            with self.app.batch_update():
                self._draw_sections(order, same_order=same_order)
            self.relaid_out = heights != (drawing.heights, self.annotations_table.height_floor)
        if not same_order:
            self.scroll_home(animate=False)
        selected, relayout = self.selected_annotation, self.relaid_out
        self._announce(
            lambda: OrderShown(order, complete=complete, selected=selected, relayout=relayout)
        )

    def text_width(self) -> int | None:
        """The width the text sections are wrapped to (None: not laid out yet)."""
        width = self.scrollable_content_region.width
        return width if width > 0 else None  # not laid out yet: on_resize draws again

    @property
    def view_height(self) -> int:
        """Rows of the scrolling view (the pane's content less its docked header)."""
        return view_rows(self)

    def _draw_sections(self, order: Order, *, same_order: bool) -> None:
        self.repainted_lines = self.drawing.draw(order, same_order=same_order)

    def _announce(self, make: Callable[[], Message]) -> None:
        # One message instance per receiver: the screen (bubbling) and each preview widget.
        self.post_message(make())
        for child in self.preview_slot.children:
            child.post_message(make())

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        # By its handler name, not @on(DataTable.RowHighlighted): DataTable is imported
        # with the sections. The annotations table is the pane's only table.
        if event.control is None or event.control.id != "detail-annotations":
            return
        event.stop()
        order_id = self.order_id
        if order_id is None:
            return
        index = event.cursor_row
        self.drawing.show_selected(index)
        self._announce(lambda: AnnotationHighlighted(order_id, index))


def _failed(order_id: str, error: Exception, *, prefetched: bool = False) -> DetailFailed:
    """The message of a failed fetch of ``order_id``; a 404 says when it was asked."""
    missing = error if isinstance(error, ApiNotFoundError) else None
    return DetailFailed(
        order_id,
        error_line(error),
        prefetched=prefetched,
        not_found=missing is not None,
        asked_at=missing.asked_at if missing is not None else None,
    )
