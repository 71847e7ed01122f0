"""A frame renders the widgets it changes, not every widget inside the changes' outline.

Textual's compositor makes a partial frame (a key's answer: the list's cursor, the picture)
from the rectangle around *all* of the frame's dirty regions, and asks every widget that meets
that rectangle for *all* its lines there. On the console's screen the list's cursor, the
picture (in the detail pane) and the status lines put that rectangle around the whole screen,
so each frame asked ~22 widgets for up to 47 lines each (traced in the real console at 160×50:
``j`` → the picture's frame, made in 6.3–6.8 ms of the ~14 ms before it reaches the terminal;
the detail pane's frame after it, the same again).

:class:`SparseCompositor` asks only the widgets that meet a dirty region, and each only for
the lines from the first to the last of the dirty regions it meets (13 widgets for that frame,
made in 5.3–6.2 ms; medians of three runs of 20 presses each way). The output is the same:
Textual writes only the cells of the dirty regions (its ``ChopsUpdate`` skips every fragment of
a line outside them), and any cell written is inside a dirty region, so it belongs to the
front-most widget there, which meets that region and is asked for that line. Widgets are asked
in Textual's order (front to back), so the front-most still wins.

(A fragment that starts where a dirty span ends is written by Textual as a zero-width cursor
move; whichever widget fills it, the bytes are the same, and the screen, behind every widget
and meeting every dirty region, always fills it.)

It overrides two of Textual's private methods (``render_partial_update``, to see the dirty
regions before Textual clears them, and ``_get_renders``); :func:`supported` checks that they
are there and :func:`install` leaves Textual's own compositor otherwise. What it relies on in
how Textual turns those renders into bytes is checked by the tests (every frame of a busy
screen made both ways, byte for byte, on the installed Textual): an upgrade that changes it
fails there. A full repaint (the whole screen dirty: a resize, a new screen) is Textual's own.

:func:`paint_now` makes a key's frame while the key is handled, instead of after the messages it
set off (see its docstring).

Posts: nothing.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from textual._compositor import ChopsUpdate, Compositor
from textual.geometry import Region

from artistree_tui.ui.wire.driver import wait_written

if TYPE_CHECKING:
    from textual.screen import Screen
    from textual.strip import Strip

__all__ = ["SparseCompositor", "install", "paint_now", "supported"]


def supported() -> bool:
    """Does this Textual's compositor have the two methods :class:`SparseCompositor`
    overrides, with the signatures it expects?"""
    try:
        renders = inspect.signature(Compositor._get_renders)
        partial = inspect.signature(Compositor.render_partial_update)
    except (AttributeError, TypeError, ValueError):
        return False
    return list(renders.parameters) == ["self", "crop"] and list(partial.parameters) == ["self"]


class SparseCompositor(Compositor):
    """Textual's compositor whose partial frames render only what changed (module
    docstring)."""

    def __init__(self) -> None:
        super().__init__()
        self._frame_regions: list[Region] | None = None  # while a partial frame is made

    def render_partial_update(self) -> ChopsUpdate | None:
        self._frame_regions = list(self._dirty_regions)
        try:
            return super().render_partial_update()
        finally:
            self._frame_regions = None

    def _get_renders(
        self, crop: Region | None = None
    ) -> Iterable[tuple[Region, Region, list[Strip]]]:
        dirty = self._frame_regions
        if dirty is None or crop is None:
            yield from super()._get_renders(crop)
            return
        for widget, (region, clip) in self.visible_widgets.items():
            part = _dirty_rows(region.intersection(clip), dirty)
            if part is not None:
                yield (
                    region,
                    part,
                    widget.render_lines(
                        Region(part.x - region.x, part.y - region.y, part.width, part.height)
                    ),
                )


def _dirty_rows(visible: Region, dirty: list[Region]) -> Region | None:
    """The part of ``visible`` (a widget's visible region) from the first to the last line of
    the dirty regions that meet it, full width; None when none meets it. One part, not one per
    run of lines: each call into a widget costs more than a line from its cache."""
    top, bottom = visible.bottom, visible.y
    for region in dirty:
        if visible.overlaps(region):
            top = min(top, region.y)
            bottom = max(bottom, region.bottom)
    top, bottom = max(top, visible.y), min(bottom, visible.bottom)
    if top >= bottom:
        return None
    return Region(visible.x, top, visible.width, bottom - top)


def install(screen: Screen[Any]) -> None:
    """Give ``screen`` a :class:`SparseCompositor` (before it is mounted), when this Textual
    has what it overrides (:func:`supported`); otherwise it keeps Textual's own."""
    if supported():
        screen._compositor = SparseCompositor()


#: The longest :func:`paint_now` waits for its frame to be written (a slow terminal: it goes on).
WRITE_WAIT = 0.005


def paint_now(screen: Screen[Any]) -> bool:
    """Make the frame of the repaints asked for so far, now: what Textual does a few steps
    later. True if a frame was made (or nothing was left to paint).

    A widget's repaint reaches the screen in turns of the message loop: the widget's idle
    tells the screen, the screen's idle wakes its frame timer, which makes the frame. A key
    that moves the list's cursor onto a picture fetched ahead has changed all its frame holds
    (the cursor's lines, the picture, the detail's header) before it returns, and then the
    messages it posted (the list's ``Highlighted``, its status) went first: traced in the real
    console, ``j`` → the frame was made ~0.6 ms later than here. So the key's handler asks for
    the frame at once; the messages follow, and the frame they cause, if any, comes after.

    Then it waits (at most :data:`WRITE_WAIT`) until Textual's output thread has written the
    frame: that thread needs the GIL to minimize and write it, a few kilobytes at a time, and
    the messages the UI's thread would handle meanwhile took turns with it (``j`` → the picture
    on the pty: flat art 1.37–1.76× Pillow's decode with the wait, median 1.45×, against
    1.45–1.78×, median 1.60×, without; six runs each way, alternating).

    Only the plain case (:func:`_plain`); otherwise False, nothing is done, and the frame
    comes Textual's way. It does for the repaints what the widgets' idle and the screen's
    ``Update`` handler would (Textual's ``Widget._check_refresh``, ``Screen._on_update``),
    then the frame timer's work (``Screen._on_timer_update``)."""
    if not _plain(screen):
        return False
    visible = screen._compositor.visible_widgets
    dirty = screen._dirty_widgets
    for widget in visible:
        if widget._repaint_required and widget.display:
            widget._repaint_required = False
            dirty.add(widget)
    if dirty or screen._repaint_required:
        screen._on_timer_update()
        wait_written(screen.app, WRITE_WAIT)  # the frame first, then the messages
    return True


def _plain(screen: Screen[Any]) -> bool:
    """May :func:`paint_now` make the frame? The screen is the app's current one, no batch
    is under way, nothing waits in the app's or the screen's queue (a burst of keys still gets
    one frame, at Textual's pace; a ``Layout`` or ``UpdateScroll`` on its way to the screen
    needs Textual's way), not even the message Textual's loop has taken out to look at, and no
    widget of the screen, shown or about to be, needs a layout, a scroll or new styles.
    Textual's private parts it reads: where one is missing, no."""
    try:
        app = screen.app
        if app._batch_count or app.screen is not screen:
            return False
        for pump in (app, screen):
            if not pump._message_queue.empty() or pump._pending_message is not None:
                return False
        if screen._layout_required or screen._scroll_required or screen._recompose_required:
            return False
        for widget in screen.walk_children(with_self=False):
            if widget._layout_required or widget._scroll_required:  # type: ignore[attr-defined]
                return False
            if widget._refresh_styles_required:  # type: ignore[attr-defined]
                return False
    except AttributeError:
        return False
    return hasattr(screen, "_on_timer_update") and hasattr(screen, "_dirty_widgets")
