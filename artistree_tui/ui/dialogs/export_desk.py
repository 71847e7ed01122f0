"""The export desk: ``e`` writes every order of the current view to a CSV or JSON file.

:meth:`ExportDesk.request` takes the view (a :class:`~artistree_tui.store.ViewSpec`: scope,
states, text, sort) and opens the :class:`~.export.ExportDialog`; the chosen file is written
by a thread worker that reads the view from the local order index with
:func:`artistree_tui.export.view_export.export_view` (every matching order, not only the rows
the list holds) and posts typed messages; the handlers below own the dialog and the toasts.
Only one export runs at a time; ``e`` during one says how far it is.

The worker reads the console's own :class:`~artistree_tui.store.Index` (the one the list and
the sync share), through a reader of its own that it closes at the end.

Posts (to itself): :class:`ExportDesk.Progress`, :class:`ExportDesk.Finished`,
:class:`ExportDesk.Failed`, :class:`ExportDesk.Stopped`.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on, work
from textual.message import Message
from textual.screen import Screen
from textual.widget import Widget

from artistree_tui.display import clean, join
from artistree_tui.export.view_export import (
    ExportError,
    ExportResult,
    ExportStopped,
    default_path,
    export_view,
)
from artistree_tui.ui.dialogs.export import ExportChoice, ExportDialog
from artistree_tui.ui.mounting import mount_later
from artistree_tui.ui.notify import error_line, toast
from artistree_tui.ui.states import state_label

if TYPE_CHECKING:
    from artistree_tui.config import Settings
    from artistree_tui.store import Index, ScopeStatus, ViewSpec

SORT_WORDS = {
    "created": "creation time",
    "state": "state",
    "confidence": "confidence",
    "title": "title",
}


def describe(spec: ViewSpec, scope_name: str) -> Text:
    """ "Every order of All Projects · state ● Failed · text “tiger” · newest first", safe."""
    parts = [Text("Every order of "), Text(clean(scope_name, limit=60), style="bold")]
    for state in sorted(spec.states):
        label = state_label(state)
        parts.append(Text(f" · state {label.symbol} {label.word}"))
    if spec.text.strip():
        parts.append(Text(f" · text “{clean(spec.text.strip(), limit=40)}”"))
    if spec.sort == "created":
        order = "newest first" if spec.descending else "oldest first"
    else:
        way = "descending" if spec.descending else "ascending"
        order = f"by {SORT_WORDS.get(spec.sort, spec.sort)}, {way}"
    parts.append(Text(f" · {order}, from the local order index."))
    return join(*parts)


def previews_note(result: ExportResult) -> str:
    """ ". 2,318 of them as list pages carry them: no confidence, asset or orderer yet (an
    order's own read fills them in)", or "" when every order was read whole."""
    if not result.previews:
        return ""
    if result.rows == 1:
        return (
            ". It went out as list pages carry it: no confidence, asset or orderer yet "
            "(the order's own read fills them in)"
        )
    return (
        f". {result.previews:,} of them went out as list pages carry them: no confidence, "
        "asset or orderer yet (an order's own read fills them in)"
    )


def index_note(status: ScopeStatus | None) -> str:
    """ " (the local index is incomplete: 34,000 of 100,000 orders indexed)", or ""."""
    if status is None or status.complete:
        return ""
    known = f"{status.indexed:,}"
    if status.api_total is not None:
        known += f" of {status.api_total:,}"
    return f" (the local index is incomplete: {known} orders indexed so far)"


class ExportDesk(Widget):
    """Invisible helper of the main screen that runs exports (see the module docstring);
    :meth:`of` finds or mounts the screen's one desk."""

    DEFAULT_CSS = "ExportDesk { display: none; }"

    class Progress(Message):
        """``written`` rows so far of the ``total`` the view counted."""

        def __init__(self, written: int, total: int) -> None:
            super().__init__()
            self.written = written
            self.total = total

    class Finished(Message):
        """The file is written; ``note`` says when the index was incomplete."""

        def __init__(self, result: ExportResult, note: str) -> None:
            super().__init__()
            self.result = result
            self.note = note

    class Failed(Message):
        """The export failed; ``error`` is one safe line. Nothing was written."""

        def __init__(self, error: str) -> None:
            super().__init__()
            self.error = error

    class Stopped(Message):
        """The user stopped the export; nothing was written."""

    def __init__(
        self, index: Index, *, downloads_dir: Path | None = None, id: str | None = None
    ) -> None:
        super().__init__(id=id)
        self._index = index
        self._downloads_dir = downloads_dir
        self._stop: threading.Event | None = None
        self._dialog: ExportDialog | None = None
        self.progress: tuple[int, int] = (0, 0)

    @classmethod
    def of(cls, screen: Screen[Any], index: Index) -> ExportDesk:
        """The desk of ``screen`` (exporting from ``index``), mounted the first time it is
        asked for."""
        found = screen.query(cls)
        if found:
            return found.first()
        return mount_later(screen, cls(index, id="export-desk"))

    @property
    def running(self) -> bool:
        return self._stop is not None

    @property
    def settings(self) -> Settings:
        settings: Settings = self.app.settings  # type: ignore[attr-defined]
        return settings

    @property
    def downloads_dir(self) -> Path:
        if self._downloads_dir is not None:
            return self._downloads_dir
        return Path(self.settings.downloads_dir).expanduser()

    # -- public API ------------------------------------------------------------------------

    def request(self, spec: ViewSpec, scope_name: str) -> None:
        """``e``: ask for a file and export every order of ``spec`` to it."""
        if self.running:
            written, total = self.progress
            toast(self.app, f"An export is running: {written:,} of {total:,} orders written.")
            return
        folder = self.downloads_dir
        dialog = ExportDialog(
            default_path(folder, scope_name),
            folder,
            describe(spec, scope_name),
            start=lambda choice: self._start(spec, choice),
            stop=self.stop,
        )
        self._dialog = dialog
        self.app.push_screen(dialog, lambda _: self._dialog_closed(dialog))

    def stop(self) -> None:
        """Stop the running export (its file is not written)."""
        if self._stop is not None:
            self._stop.set()

    def _dialog_closed(self, dialog: ExportDialog) -> None:
        if self._dialog is dialog:
            self._dialog = None

    def _start(self, spec: ViewSpec, choice: ExportChoice) -> None:
        self._stop = threading.Event()
        self.progress = (0, 0)
        self._export(spec, choice, self._stop)

    # -- the worker ------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="export", exit_on_error=False)
    def _export(self, spec: ViewSpec, choice: ExportChoice, stop: threading.Event) -> None:
        def progress(written: int, total: int) -> None:
            self.post_message(self.Progress(written, total))

        try:
            reader = self._index.reader()
            try:
                status = reader.status(spec.scope)
                if status.indexed == 0 and not status.complete:
                    self.post_message(
                        self.Failed(
                            "Nothing exported: the local index holds no orders of this view "
                            "yet (it fills as the console syncs)."
                        )
                    )
                    return
                view = reader.view(spec)
                try:
                    result = export_view(
                        view, choice.path, choice.fmt, overwrite=choice.overwrite,
                        progress=progress, stop=stop,
                    )  # fmt: skip
                finally:
                    view.close()
            finally:
                reader.close()
        except ExportStopped:
            self.post_message(self.Stopped())
            return
        except ExportError as error:
            self.post_message(self.Failed(str(error)))
            return
        except Exception as error:  # one line, never a traceback
            self.post_message(self.Failed(f"Could not export: {error_line(error)}"))
            return
        self.post_message(self.Finished(result, index_note(status)))

    def on_unmount(self) -> None:
        self.stop()  # the console is closing: no half-written export is left behind

    # -- handlers --------------------------------------------------------------------------

    @on(Progress)
    def _progress(self, message: Progress) -> None:
        message.stop()
        self.progress = (message.written, message.total)
        if self._dialog is not None and self._dialog.is_attached:
            self._dialog.show_progress(message.written, message.total)

    @on(Finished)
    def _finished(self, message: Finished) -> None:
        message.stop()
        self._ended()
        result = message.result
        noun = "order" if result.rows == 1 else "orders"
        where = clean(str(result.path), limit=160)
        toast(
            self.app,
            f"Exported {result.rows:,} {noun} to {where}{message.note}{previews_note(result)}",
            title=f"Exported {result.fmt.upper()}",
            timeout=12,
        )

    @on(Failed)
    def _failed(self, message: Failed) -> None:
        message.stop()
        self._ended()
        toast(self.app, message.error, severity="error", timeout=10)

    @on(Stopped)
    def _stopped(self, message: Stopped) -> None:
        message.stop()
        self._ended()
        toast(self.app, "Export stopped: nothing was written.", severity="warning")

    def _ended(self) -> None:
        self._stop = None
        dialog, self._dialog = self._dialog, None
        if dialog is not None and self.app.screen is dialog:
            dialog.dismiss(None)
