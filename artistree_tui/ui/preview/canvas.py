"""The painting half of the preview panel: its height, its rendering, its lines.

:class:`PreviewCanvas` holds what is on screen — the decoded image, the status, the current
:class:`~artistree_tui.preview.loader.Rendering` — and turns it into lines; the panel
(:mod:`.preview_panel`, a subclass) decides what to show and loads it. It is a line-API widget
(``render_line`` hands out prepared strips: ~8 ms per repaint, against 17–62 ms for the image
widgets the notes measured). Row 0 is the title; then either the picture, centred in the
width, and its legend, or the placeholder's reason centred below the title.

Heights follow :mod:`artistree_tui.preview.layout`; :meth:`PreviewCanvas._prerender` uses the
same rules to make the first rendering in the decoding thread at the size the panel is about
to take. Every text shown goes through :mod:`artistree_tui.display`.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any

from rich.color import ColorSystem
from rich.console import COLOR_SYSTEMS
from rich.style import Style
from rich.text import Text
from textual.geometry import Region, Size
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import DataTable

from artistree_tui.display import clean, safe
from artistree_tui.preview import layout
from artistree_tui.preview.colors import ColorMode, color_mode_for
from artistree_tui.preview.layout import MIN_ROWS, ROOM_BELOW
from artistree_tui.preview.state import RequestKey, ViewState
from artistree_tui.preview.status import FAILED, NO_ORDER, SHOWN, title_line
from artistree_tui.ui.preview.scroll import fit_delta, scroll_parent, view_rows
from artistree_tui.ui.preview.strips import (
    PreparedStrips,
    picture_strips,
    plain,
    render_plain_lines,
)
from artistree_tui.ui.timers import once
from artistree_tui.ui.wire.minimize import learn

if TYPE_CHECKING:  # the pipeline itself is imported with the first picture
    from artistree_tui.api.models import Annotation
    from artistree_tui.preview.decode import DecodedImage
    from artistree_tui.preview.loader import AfterDecode, PreviewLoader, Rendering

__all__ = ["MIN_ROWS", "ROOM_BELOW", "PreviewCanvas"]


def warm_styles(rendering: Rendering, system: ColorSystem) -> None:
    """Work out, in the decoding thread, what writing a picture about to be painted takes,
    where it would otherwise be done after ``j``, in the frame that paints it (a new picture
    is mostly new styles: ~150 for flat art, many more for painterly):

    - the escape sequence of each colour: Textual works it out once per style, while it
      writes the first frame that holds the style (``Strip.render_ansi``, cached on the
      style). Same function, same cache, done ahead;
    - the minimizer's parse of those sequences and the changes between neighbouring runs
      (:func:`~artistree_tui.ui.wire.minimize.learn`), which it would otherwise work out
      in Textual's output thread before the frame leaves."""
    render_ansi = Strip.render_ansi
    sequences = {
        style: render_ansi(style, system)
        for style in {segment.style for line in rendering.lines for segment in line}
        if style is not None
    }
    learn(
        [sequences[segment.style] for segment in line if segment.style is not None]
        for line in rendering.lines
    )


class PreviewCanvas(Widget):
    """Paints ``view`` (what to show) from ``_decoded`` (the image) according to ``status``."""

    #: Rows of the scrolling pane kept free besides the panel (:data:`ROOM_BELOW`); the detail
    #: pane sets 0 while the panel sits beside the annotations rather than under them.
    room_below = ROOM_BELOW

    DEFAULT_CSS = """
    PreviewCanvas {
        height: auto;
        min-height: 3;
        max-height: 60vh;
    }
    """

    def __init__(
        self,
        loader: PreviewLoader | None = None,
        *,
        color_mode: ColorMode | None = None,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._loader = loader
        self._owns_loader = loader is None
        self._color_mode = color_mode
        self.view = ViewState()
        self.status = NO_ORDER
        self._decoded: DecodedImage | None = None
        self._request: RequestKey | None = None
        self._laid_out: int | None = None  # the height the last layout pass got
        self.rendering: Rendering | None = None
        self._strips: list[Strip] = []
        #: What the strips were drawn from (image, request): another means all new. (The same
        #: order again, an equal copy, is the same picture: its lines are compared.)
        self._picture: tuple[DecodedImage | None, RequestKey | None] = (None, None)
        #: Strips of renderings made ahead, in the decoding thread, ready to write.
        self._prepared = PreparedStrips()

    @property
    def loader(self) -> PreviewLoader:
        if self._loader is None:
            from artistree_tui.preview.loader import build_preview_loader

            self._loader = build_preview_loader()
        return self._loader

    async def on_unmount(self) -> None:
        self._prepared.clear()
        if self._owns_loader and self._loader is not None:
            await self._loader.aclose()

    @property
    def color_mode(self) -> ColorMode:
        if self._color_mode is not None:
            return self._color_mode
        return color_mode_for(self.app.console.color_system)

    def _color_system(self) -> ColorSystem:
        """The colour system the terminal's frames are written in (as Textual's strips
        render them: truecolor when the console names none)."""
        return COLOR_SYSTEMS.get(self.app.console.color_system or "", ColorSystem.TRUECOLOR)

    # -- layout -----------------------------------------------------------------------------

    def _legend(self) -> bool:
        """Whether the legend line is shown: on the preview (where the regions are), even
        with no regions ("no regions" is worth saying); never on a layer."""
        return self.view.order is not None and self.view.layer_index == 0

    def _max_rows(self) -> int | None:
        """The most rows the panel may take: its CSS ``max-height``, and what lets it fit in
        the pane that scrolls it together with what follows it (see :func:`_pane_rows`)."""
        if not self.is_mounted:
            return None
        caps = []
        max_height = self.styles.max_height
        if max_height is not None:
            caps.append(int(max_height.resolve(self.size, self.app.size)))
        pane = _pane_rows(self)
        if pane is not None:
            caps.append(pane)
        return max(layout.PLACEHOLDER_ROWS, min(caps)) if caps else None

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        self._laid_out = self._content_height(width)
        return self._laid_out

    def _content_height(self, width: int) -> int:
        # The natural height for the width, within the pane (CSS max-height caps it too).
        # Until the image's size is known — loading, or a placeholder ("no preview", a
        # refusal) — a 4:3 picture is assumed: moving through the list then does not resize
        # the panel (a relayout of the whole pane) nor move what is below it.
        if self.view.order is None:
            return layout.PLACEHOLDER_ROWS
        size = self._decoded.source_size if self._decoded and self.status == SHOWN else None
        return layout.natural_height(width, size, legend=self._legend(), cap=_pane_rows(self))

    def _height_changes(self) -> bool:
        return self._content_height(self.size.width) != self._laid_out

    def on_resize(self) -> None:
        self._repaint()

    def _reveal(self, tries: int = 20) -> None:
        """Scroll the pane so that the focused table's cursor row (the annotation) is in
        view and, as far as that allows, the whole picture above it. The table scrolls only
        itself, and focusing it centres it in the pane (animated: wait for that), which in a
        short pane leaves only the bottom of the picture on screen."""
        pane, table = scroll_parent(self), self.screen.focused
        if pane is None or not isinstance(table, DataTable) or pane not in table.ancestors:
            return
        if self.app.animator.is_being_animated(pane, "scroll_y"):
            if tries > 0:
                once(self, 0.05, partial(self.call_after_refresh, self._reveal, tries - 1))
            return
        view = pane.scrollable_content_region
        header = table.header_height if table.show_header else 0
        row = table.region.y + header + table.cursor_row - round(table.scroll_y)
        # Down as far as the row needs, then up as far as the picture needs and the row allows.
        delta = fit_delta(view.y, view.bottom, row, self.region.y)
        if delta:
            pane.scroll_to(y=pane.scroll_y + delta, animate=False)

    # -- rendering --------------------------------------------------------------------------

    def _picture_args(self) -> dict[str, Any]:
        return {
            "annotations": self.view.annotations,
            "selected": self.view.selected,
            "zoom": self.view.zoomed,
            "mode": self.color_mode,
        }

    def _prerender(self, key: str) -> AfterDecode | None:
        """The first rendering, for the decoding thread: at the size the panel will take for
        the image (known only once decoded). Sizes are captured now, on the UI thread; the
        selection and zoom are read when the thread renders, because the detail pane selects
        the first annotation right after showing the order — while the download is still
        running — and a rendering for the old selection would be thrown away (the UI would
        render again, on its own thread, just before painting). When anything else changed
        meanwhile, the UI simply renders again too."""
        width = self.size.width
        if self.view.order is None or width <= 0:
            return None
        view, annotations, mode = self.view, self.view.annotations, self.color_mode
        legend, cap = self._legend(), self._max_rows()
        loader, system = self.loader, self._color_system()
        prepare = self._preparer(width)

        def render(decoded: DecodedImage) -> None:
            height = layout.natural_height(width, decoded.source_size, legend=legend, cap=cap)
            box = layout.picture_box(width, height, legend=legend)
            # Two plain attribute reads: a pair torn by a key press in between only makes a
            # rendering the UI does not ask for.
            selected, zoom = view.selected, view.zoomed
            rendering = loader.render(
                key,
                decoded,
                box=box,
                annotations=annotations,
                selected=selected,
                zoom=zoom,
                mode=mode,
            )
            warm_styles(rendering, system)
            prepare(rendering)

        return render

    def _preload_renders(
        self, key: str, pictures: tuple[tuple[tuple[Annotation, ...], int | None], ...]
    ) -> AfterDecode | None:
        """The renderings of a picture not shown yet (the prefetch of the order next to the
        one shown), for the decoding thread: on the preview layer, unzoomed, each
        ``(annotations, selected)`` at the size the panel would take for the image, like
        :meth:`_prerender`. Showing that order then paints from the rendering cache."""
        width = self.size.width
        if width <= 0:
            return None
        mode, cap, loader = self.color_mode, self._max_rows(), self.loader
        system = self._color_system()
        prepare = self._preparer(width)

        def render(decoded: DecodedImage) -> None:
            height = layout.natural_height(width, decoded.source_size, legend=True, cap=cap)
            box = layout.picture_box(width, height, legend=True)
            for regions, selected in pictures:
                rendering = loader.render(
                    key,
                    decoded,
                    box=box,
                    annotations=regions,
                    selected=selected,
                    zoom=False,
                    mode=mode,
                )
                warm_styles(rendering, system)
                prepare(rendering)

        return render

    def _preparer(self, width: int) -> Callable[[Rendering], None]:
        """For the decoding thread: make a rendering's strips ready to write
        (:class:`~.strips.PreparedStrips`), for this panel as it is now (read here, on the
        UI's thread): its width, style, line filters and background."""
        style, filters = self.rich_style, list(self.get_line_filters())
        background, console = self.background_colors[1], self.app.console
        prepared = self._prepared

        def prepare(rendering: Rendering) -> None:
            prepared.prepare(rendering, width, style, filters, background, console)

        return prepare

    def _repaint(self, *, layout: bool = False) -> None:
        """Rebuild the strips from the decoded image (cached renderings make this cheap)."""
        self.rendering = None
        decoded, request, order = self._decoded, self._request, self.view.order
        width, height = self.size
        if self.status == SHOWN and decoded and request and order and width > 0 and height > 1:
            box = _box(width, height, self._legend())
            try:
                self.rendering = self.loader.render(
                    request[2], decoded, box=box, **self._picture_args()
                )
            except Exception:  # a bug in drawing must cost the picture, never the app
                self.status = FAILED
                self._decoded = None
        old, self._strips = self._strips, self._build_strips(width, height)
        old_decoded, old_request = self._picture
        self._picture = (decoded, request)
        same = decoded is old_decoded and request == old_request
        if layout or len(old) != len(self._strips) or not same:
            # Another picture: every line changes; comparing them first would only cost
            # time in the frame that shows it (``j``).
            self.refresh(layout=layout)
            return
        # The same picture: only the lines that changed (a new selection changes a few
        # outlines; the same picture again, none): over SSH every line repainted is ~1 KB.
        for y, (before, after) in enumerate(zip(old, self._strips, strict=True)):
            if before != after:
                self.refresh(Region(0, y, width, 1))

    def _build_strips(self, width: int, height: int) -> list[Strip]:
        if width <= 0 or height <= 0:
            return []
        decoded, rendering, style = self._decoded, self.rendering, self.rich_style
        title = title_line(
            self.view.order,
            self.view.layer_index,
            source_size=decoded.source_size if decoded and self.status == SHOWN else None,
            zoomed=rendering is not None and rendering.zoomed,
            hint=self.view.hint,
        )
        strips = [self._text_strip(title, width, style)]
        if rendering is None:
            reason = safe(clean(self.status), style="dim italic")
            reason.align("center", width)
            middle = max(1, (height - 1) // 2)
            for row in range(1, height):
                line = reason if row == middle else None
                strips.append(
                    self._text_strip(line, width, style) if line else Strip.blank(width, style)
                )
            return strips
        prepared = self._prepared.get(rendering, width, style)
        strips.extend(prepared or picture_strips(rendering, width, style))
        if rendering.legend is not None and self._legend():
            strips.append(self._text_strip(rendering.legend, width, style))
        return strips[:height]

    def _text_strip(self, text: Text, width: int, style: Style) -> Strip:
        segments = list(text.render(self.app.console))
        return Strip(segments).crop_extend(0, width, style).apply_style(style)

    def render_line(self, y: int) -> Strip:
        if 0 <= y < len(self._strips):
            return self._strips[y]
        return Strip.blank(self.size.width, self.rich_style)

    def render_lines(self, crop: Region) -> list[Strip]:
        """The strips as they are when Textual's styles would not change them (the picture
        made ready to write in the decoding thread stays so: :mod:`.strips`)."""
        if plain(self):
            lines = render_plain_lines(self, crop, self._strips)
            if lines is not None:
                return lines
        return super().render_lines(crop)


def _pane_rows(canvas: Widget) -> int | None:
    """Rows the canvas may take in the scrolling pane around it (the detail pane): its
    visible height less :data:`ROOM_BELOW`, at least :data:`MIN_ROWS`. A taller picture
    could never be seen whole, nor beside the annotations table that selects its regions."""
    pane = scroll_parent(canvas)
    if pane is None:
        return None
    visible = view_rows(pane)  # less what is docked (the detail pane's header)
    room = getattr(canvas, "room_below", ROOM_BELOW)
    return max(MIN_ROWS, visible - room) if visible > 0 else None


def _box(width: int, height: int, legend: bool) -> tuple[int, int]:
    return layout.picture_box(width, height, legend=legend)
