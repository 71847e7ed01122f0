"""A block of text lines that repaints only the lines that changed.

The detail pane wraps its sections itself (:mod:`.sections`), so each is a list of lines that
never wrap again. Shown by a ``Static``, a new text repaints the whole widget: over SSH every
cell of it crosses the network again, also the lines that read the same for the next order
(labels, headings, blank lines). :class:`TextLines` is a line-API widget instead: its height is
its number of lines, and :meth:`TextLines.set_text` compares the new lines with those on screen
and asks for a repaint of only the lines that differ (a relayout only when the number of lines
changes). A line longer than the widget is cut; the pane never makes one.

:meth:`TextLines.prepare` renders lines ahead, while the console is idle (the header of the order
fetched ahead), so that showing them later only looks their strips up: ``j`` paints that header
in the frame with its picture.
"""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.geometry import Region, Size
from textual.strip import Strip
from textual.widget import Widget

__all__ = ["PREPARED", "TextLines", "line_key"]

#: Lines rendered ahead that a TextLines keeps (:meth:`TextLines.prepare`), the oldest forgotten.
PREPARED = 8


def line_key(line: Text) -> tuple[object, ...]:
    """What makes two lines look the same: text, spans and base style (``Text.__eq__``
    leaves the base style out)."""
    return (line.plain, tuple(line.spans), str(line.style))


class TextLines(Widget):
    """Lines of ``Text`` (see the module docstring)."""

    DEFAULT_CSS = """
    TextLines {
        height: auto;
    }
    """

    def __init__(
        self, text: Text | None = None, *, id: str | None = None, classes: str | None = None
    ) -> None:
        super().__init__(id=id, classes=classes)
        self._lines: list[Text] = []
        self._keys: list[tuple[object, ...]] = []
        self._strips: dict[int, Strip] = {}
        self._strip_for: tuple[int, object] | None = None  # the width and style they were made at
        #: Lines rendered ahead: (line_key, width, style) -> strip (:meth:`prepare`).
        self._ready: dict[tuple[object, ...], Strip] = {}
        if text is not None:
            self._lines = list(text.split("\n", allow_blank=True)) if text.plain else [text]
            self._keys = [line_key(line) for line in self._lines]

    @property
    def lines(self) -> list[Text]:
        return list(self._lines)

    @property
    def plain(self) -> str:
        return "\n".join(line.plain for line in self._lines)

    def set_text(self, text: Text) -> int:
        """Show ``text`` (split at line feeds); returns how many lines were repainted."""
        lines = list(text.split("\n", allow_blank=True)) if text.plain else [text]
        return self.set_lines(lines)

    def set_lines(self, lines: list[Text]) -> int:
        """Show ``lines``; repaint only those that differ from what is shown. Returns how many
        lines were repainted (all of them when the count changed: a relayout)."""
        keys = [line_key(line) for line in lines]
        old = self._keys
        self._lines, self._keys = list(lines), keys
        if not self.is_mounted:
            return len(lines)
        if len(keys) != len(old):
            self._strips.clear()
            self.refresh(layout=True)
            return len(keys)
        width = self.size.width
        changed = [y for y, (new, was) in enumerate(zip(keys, old, strict=True)) if new != was]
        for y in changed:
            self._strips.pop(y, None)
            if width:
                self.refresh(Region(0, y, width, 1))
        return len(changed)

    def prepare(self, text: Text) -> None:
        """Render the lines of ``text`` now, at the widget's width and style, for a
        :meth:`set_text` to come: it then finds them made (kept: the last :data:`PREPARED`)."""
        width, style = self.size.width, self.rich_style
        if not width:
            return
        lines = list(text.split("\n", allow_blank=True)) if text.plain else [text]
        for line in lines:
            key = (line_key(line), width, style)
            if key not in self._ready:
                self._ready[key] = self._make_strip(line, width, style)
        while len(self._ready) > PREPARED:
            del self._ready[next(iter(self._ready))]

    def _make_strip(self, line: Text, width: int, style: Style) -> Strip:
        segments: list[Segment] = list(line.render(self.app.console))
        return Strip(segments).crop_extend(0, width, style).apply_style(style)

    # -- Textual ----------------------------------------------------------------------------

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self._lines)

    def get_content_width(self, container: Size, viewport: Size) -> int:
        return max((line.cell_len for line in self._lines), default=0)

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._strips.clear()

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        style = self.rich_style
        made_for = (width, style)
        if made_for != self._strip_for:
            self._strips.clear()
            self._strip_for = made_for
        strip = self._strips.get(y)
        if strip is None:
            if 0 <= y < len(self._lines):
                strip = self._ready.get((self._keys[y], width, style))
                if strip is None:
                    strip = self._make_strip(self._lines[y], width, style)
            else:
                strip = Strip.blank(width, style)
            self._strips[y] = strip
        return strip
