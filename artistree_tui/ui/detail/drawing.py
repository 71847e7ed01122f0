"""Drawing an order into the detail pane's sections: what is wrapped to which width, and how
tall each section stays.

:class:`SectionDrawing` (the pane holds one) wraps the text sections to their width and shows
them by :class:`~.lines.TextLines`, which repaints only the lines that differ; keeps each
section at the tallest height it has had at this width, so moving between orders changes no
height and asks for no relayout; refills the annotations table only when its rows differ; and
decides where the preview goes (:func:`beside_widths`: beside the verdict and the annotations
in a wide, short pane, else below them). It also says whether drawing another order would
leave the preview where it is (:meth:`SectionDrawing.keeps_the_picture`). It posts nothing: the
pane announces what it drew.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol, TypeVar

from rich.text import Text
from textual.containers import Container
from textual.widget import Widget

from artistree_tui.api.models import Order
from artistree_tui.preview import layout
from artistree_tui.preview.layout import ROOM_BELOW
from artistree_tui.ui.detail import annotation_text, sections
from artistree_tui.ui.detail.lines import TextLines
from artistree_tui.ui.detail.texts import VerdictMemo, line_count

if TYPE_CHECKING:  # imported with the sections (DetailPane.build_sections)
    from artistree_tui.ui.detail.annotation_table import AnnotationTable

__all__ = [
    "BESIDE_MIN_WIDTH",
    "STACKED_ROWS",
    "Layout",
    "Pane",
    "SectionDrawing",
    "beside_widths",
]

#: The preview sits beside the verdict and the annotations, instead of below them, when the
#: pane has at least this many cells of text across (a verdict column of 45 cells: the
#: analysis names, the annotations table with a body column; and a picture of 30 cells)...
BESIDE_MIN_WIDTH = 76
#: ...and fewer rows than the verdict and the annotations (this many rows, typically) plus
#: the picture at the pane's full width: then, one under the other, the picture would be
#: below the fold, while beside they are on screen together. A pane tall enough for all of
#: it keeps the picture below, at its full width (measured: README "Layout").
STACKED_ROWS = 18
#: The preview's share of the width beside the verdict, and its bounds in cells.
BESIDE_SHARE = 0.42
BESIDE_PREVIEW_MIN = 30
BESIDE_PREVIEW_MAX = 72
#: Cells between the verdict column and the preview.
BESIDE_GAP = 1

_W = TypeVar("_W", bound=Widget)


class Pane(Protocol):
    """What the drawing needs of the detail pane (:class:`~.pane.DetailPane`)."""

    order: Order | None
    role_for: Callable[[str | None], str | None]

    @property
    def view_height(self) -> int: ...

    @property
    def preview_slot(self) -> Container: ...

    @property
    def annotations_table(self) -> AnnotationTable: ...

    def text_width(self) -> int | None: ...

    def query_one(self, selector: str, expect_type: type[_W]) -> _W: ...


#: (the text width, (verdict column, preview) widths when the preview goes beside).
Layout = tuple[int | None, tuple[int, int] | None]


def beside_widths(width: int, height: int) -> tuple[int, int] | None:
    """(verdict column, preview) widths for a pane of ``width`` × ``height`` cells of text,
    or None when the preview goes below the annotations (see :data:`BESIDE_MIN_WIDTH` and
    :data:`STACKED_ROWS`)."""
    if width < BESIDE_MIN_WIDTH:
        return None
    if height >= STACKED_ROWS + layout.natural_height(width, None, legend=True):
        return None
    preview = round(width * BESIDE_SHARE)
    preview = max(BESIDE_PREVIEW_MIN, min(BESIDE_PREVIEW_MAX, preview))
    return width - preview - BESIDE_GAP, preview


class SectionDrawing:
    """Draws orders into a detail pane's sections (module docstring)."""

    def __init__(self, pane: Pane) -> None:
        self._pane = pane
        self._verdicts = VerdictMemo()  # the order about to be drawn's (see .texts)
        # The table's columns and rows, the layout wrapped to, the role drawn for.
        self._columns: tuple[annotation_text.AnnotationColumn, ...] = ()
        self._rows: list[tuple[Text, ...]] | None = None
        self.drawn_layout: Layout | None = None
        self.drawn_role: str | None = None
        self.heights: dict[str, int] = {}  # the tallest line count of each section

    def layout(self) -> Layout:
        """What the sections are wrapped for now (see :data:`Layout`)."""
        pane = self._pane
        width = pane.text_width()
        if width is None or not any(child.display for child in pane.preview_slot.children):
            return width, None
        # The view less the header as it is about to be drawn at this width (its height
        # follows the width; the view still counts the lines it had).
        header = pane.query_one("#detail-header", TextLines)
        height = pane.view_height + header.outer_size.height - sections.header_lines(width)
        return width, beside_widths(width, height)

    def header(self, order: Order) -> Text:
        """``order``'s header at the width drawn."""
        width = self.drawn_layout[0] if self.drawn_layout is not None else None
        return sections.header(order, width)

    def again(self, order: Order) -> None:
        """The width or the preview's presence changed: wrap every section again for the
        new layout and let each find its height again."""
        table = self._pane.annotations_table
        self.heights.clear()
        table.height_floor = 0
        table.styles.min_height = None
        self.draw(order, same_order=True)

    def keeps_the_picture(self, full: Order) -> bool:
        """Would drawing ``full`` (another order than the one drawn) leave the preview where
        it is: the same layout, and, with the preview below them, neither the verdict nor
        the annotations taller than they have been?"""
        width, beside = now = self.layout()
        if now != self.drawn_layout:
            return False  # another width or side: everything is wrapped and laid out again
        if beside:
            return True  # beside, under the docked header: no section above it
        verdict = self._verdicts.verdict(full, width)  # kept for the draw
        if line_count(verdict) > self.heights.get("detail-verdict", 0):
            return False
        return len(full.annotations) + 1 <= self._pane.annotations_table.height_floor

    def draw(self, order: Order, *, same_order: bool) -> int:
        """Draw ``order`` into the sections; returns how many lines were repainted."""
        pane = self._pane
        width, beside = self.drawn_layout = self.layout()
        column = beside[0] if beside else width
        main = pane.query_one("#detail-main", Widget)
        verdict_column = pane.query_one("#detail-verdict-column", Widget)
        slot = pane.preview_slot
        if beside:
            verdict_column.styles.width = beside[0]
            slot.styles.width = beside[1]
        if main.has_class("-beside") != bool(beside):
            main.set_class(bool(beside), "-beside")
            if not beside:
                verdict_column.styles.width = None
                slot.styles.width = None
            for child in slot.children:  # beside: the whole height is its own
                if hasattr(child, "room_below"):
                    child.room_below = 0 if beside else ROOM_BELOW
                    child.refresh(layout=True)
        role = self.drawn_role = pane.role_for(order.project.id if order.project else None)
        header = pane.query_one("#detail-header", TextLines)
        header.styles.height = sections.header_lines(width)  # by the width alone: see there
        repainted = header.set_text(sections.header(order, width))
        repainted += self._put("detail-verdict", self._verdicts.verdict(order, column))
        repainted += self._fill_annotations(order, same_order=same_order, width=column)
        repainted += self._put("detail-fields", sections.fields(order, role=role, width=width))
        return repainted

    def _put(self, widget_id: str, text: Text) -> int:
        """Show ``text`` in a section; only its lines that changed are repainted (returns
        how many).

        A section keeps the tallest height it has had at this width (blank lines below a
        shorter text): moving through the list then changes no heights at all, so nothing
        below jumps (the preview stays put) and the screen needs no relayout, which costs
        more than everything else a move does.
        """
        lines = line_count(text)
        floor = self.heights.get(widget_id, 0)
        if lines < floor:
            text = text + Text("\n" * (floor - lines))
        else:
            self.heights[widget_id] = lines
        return self._pane.query_one(f"#{widget_id}", TextLines).set_text(text)

    def _fill_annotations(self, order: Order, *, same_order: bool, width: int | None) -> int:
        table = self._pane.annotations_table
        repainted = 0
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
        repainted += self._pane.query_one("#detail-annotations-title", TextLines).set_text(title)
        if rows != self._rows:
            keep = table.cursor_row if same_order else 0
            table.clear()
            table.add_rows(rows)
            self._rows = rows
            repainted += len(rows) + 1
            if rows:
                table.move_cursor(row=min(max(keep, 0), len(rows) - 1), animate=False)
            table.show_header = bool(rows)  # no column titles over nothing
            # The table keeps its tallest height too (see _put), header line included.
            if len(rows) + 1 > table.height_floor:
                table.height_floor = len(rows) + 1
                table.styles.min_height = table.height_floor
        return repainted + self.show_selected(table.cursor_row if rows else -1)

    def show_selected(self, index: int) -> int:
        """The selected annotation in full, at the pane's width (below the picture)."""
        order, width = self._pane.order, self._pane.text_width()
        if order is None:
            return 0
        annotations = order.annotations
        if 0 <= index < len(annotations):
            selected = annotation_text.annotation_detail(annotations[index], width)
        else:
            selected = Text("")  # the title says "Annotations · none"
        return self._put("detail-selected", selected)
