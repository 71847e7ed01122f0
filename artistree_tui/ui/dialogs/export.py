"""The "Export view…" dialog (``e``): a file name, CSV or JSON, then the export's progress.

:class:`ExportDialog` opens with a name in the downloads folder that does not exist yet
(``artistree-orders-<scope>-<time>.csv``) and says what is exported (every order of the view:
scope, state, text, order). The format follows the name's extension, and the CSV/JSON choice
below it rewrites the extension; a name without ``.csv`` or ``.json`` gets the chosen one.
``enter`` exports: a name that exists first asks :class:`ConfirmOverwrite` (``y`` overwrite,
``n``/``esc`` keep it and choose another name). While the export runs the dialog shows its
progress: ``esc`` hides it (the export goes on; a toast reports the end), ``x`` stops it
(nothing is written). ``esc`` before ``enter`` cancels: nothing is written.

The dialog does no I/O of its own beyond looking at the path: it hands the choice to the
``start`` callback (the :class:`~.export_desk.ExportDesk`, whose worker writes the file) and
shows what the desk tells it (:meth:`ExportDialog.show_progress`). Every path, scope name and
filter text on it goes through the display boundary.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Input, ProgressBar, RadioButton, RadioSet, Static

from artistree_tui.display import clean
from artistree_tui.export.view_export import (
    ExportError,
    check_target,
    format_for,
    resolve_target,
    with_format,
)

# Binding ids (rebindable through [keymap]).
EXPORT_CANCEL = "export.cancel"
EXPORT_STOP = "export.stop"
OVERWRITE_YES = "export.overwrite"
OVERWRITE_NO = "export.keep"
FORMAT_EXPORT = "export.format_export"
FORMAT_CHOOSE = "export.format_choose"
FORMATS = ("csv", "json")
ASK_HINT = "enter: export · tab: CSV or JSON · esc: cancel"
RUN_HINT = "esc: hide (the export goes on) · x: stop it"


@dataclass(frozen=True, slots=True)
class ExportChoice:
    """What the user chose: the file, its format, and whether it may replace a file."""

    path: Path
    fmt: str
    overwrite: bool


class FormatChoice(RadioButton):
    """A radio button whose mark itself says whether it is chosen (● chosen, ○ not), not its
    colour alone (Textual's draws ● either way)."""

    BUTTON_INNER = "○"

    def on_mount(self) -> None:
        self._mark()

    def watch_value(self) -> None:
        self._mark()
        super().watch_value()

    def _mark(self) -> None:
        self.BUTTON_INNER = "●" if self.value else "○"
        self.refresh()


class FormatChoices(RadioSet):
    """CSV or JSON: ``←``/``→`` move, ``space`` chooses, and ``enter`` chooses the format under
    the cursor and exports (Textual's radio set only chose it: with the one already chosen,
    nothing happened). Posts :class:`FormatChoices.Export`."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "export", "Export in this format", show=False, id=FORMAT_EXPORT),
        Binding("space", "toggle_button", "Choose this format", show=False, id=FORMAT_CHOOSE),
    ]

    class Export(Message):
        """``enter``: export as ``fmt`` (the format under the cursor)."""

        def __init__(self, fmt: str) -> None:
            super().__init__()
            self.fmt = fmt

    def action_export(self) -> None:
        under = [choice for choice in self.query(FormatChoice) if choice.has_class("-selected")]
        pressed = self.pressed_button
        choice = under[0] if under else pressed
        self.post_message(
            self.Export("json" if choice is not None and choice.id == "fmt-json" else "csv")
        )


class ConfirmOverwrite(ModalScreen[bool]):
    """``y`` replaces the existing file, ``n`` or ``esc`` keeps it (dismisses True/False)."""

    BINDING_GROUP_TITLE = "Export: file exists"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", "Overwrite", id=OVERWRITE_YES),
        Binding("n,escape", "answer(False)", "Keep it", id=OVERWRITE_NO),
    ]

    DEFAULT_CSS = """
    ConfirmOverwrite { align: center middle; }
    ConfirmOverwrite > #overwrite-box {
        width: 64; max-width: 95%; height: auto;
        border: heavy $warning; background: $surface; padding: 0 1;
    }
    """

    def __init__(self, path: Path) -> None:
        super().__init__()
        self._path = path

    def compose(self) -> ComposeResult:
        with Vertical(id="overwrite-box") as box:
            box.border_title = "File exists"
            yield Static(Text(f"{clean(str(self._path), limit=200)} exists."), id="overwrite-path")
            yield Static(Text("y: overwrite it · n or esc: keep it", style="bold"))

    def action_answer(self, overwrite: bool) -> None:
        self.dismiss(overwrite)


class ExportDialog(ModalScreen[None]):
    """Asks where to export, then shows the export's progress (see the module docstring).

    ``start(choice)`` begins the export (it may raise :class:`ExportError`: shown on the
    dialog); ``stop()`` stops it. ``summary`` says what is exported (already safe text).
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "escape",
            "close",
            "Cancel",
            tooltip="Close the dialog: before the export nothing is written, during it the "
            "export goes on",
            id=EXPORT_CANCEL,
        ),
        Binding("x", "stop", "Stop", tooltip="Stop the export: nothing is written", id=EXPORT_STOP),
    ]

    DEFAULT_CSS = """
    ExportDialog { align: center middle; }
    ExportDialog > #export-box {
        width: 80; max-width: 95%; height: auto;
        border: heavy $accent; background: $surface; padding: 0 1;
    }
    ExportDialog #export-ask { height: auto; }
    ExportDialog #export-format { height: auto; layout: horizontal; border: none; }
    ExportDialog #export-progress-box { display: none; height: auto; }
    ExportDialog.-running #export-progress-box { display: block; }
    ExportDialog.-running #export-ask { display: none; }
    ExportDialog #export-hint, ExportDialog #export-count { color: $text-muted; }
    ExportDialog #export-problem { color: $error; height: auto; }
    """

    def __init__(
        self,
        default: Path,
        folder: Path,
        summary: Text,
        *,
        start: Callable[[ExportChoice], None],
        stop: Callable[[], None],
    ) -> None:
        super().__init__()
        self._default = default
        self._folder = folder
        self._summary = summary
        self._start = start
        self._stop = stop
        self.running = False

    def compose(self) -> ComposeResult:
        with Vertical(id="export-box") as box:
            box.border_title = "Export view"
            yield Static(self._summary, id="export-summary")
            with Vertical(id="export-ask"):
                yield Input(value=str(self._default), id="export-path", select_on_focus=False)
                with FormatChoices(id="export-format"):
                    yield FormatChoice("CSV", value=self._format_of_name() == "csv", id="fmt-csv")
                    yield FormatChoice(
                        "JSON", value=self._format_of_name() == "json", id="fmt-json"
                    )
                yield Static(id="export-problem", markup=False)
            with Vertical(id="export-progress-box"):
                yield ProgressBar(id="export-progress", show_eta=False)
                yield Static(Text("starting…"), id="export-count")
            yield Static(Text(ASK_HINT), id="export-hint")

    def on_mount(self) -> None:
        path = self.query_one("#export-path", Input)
        path.focus()
        # The end in view: the file's name and its extension, not the start of its folder
        # (an Input scrolls to its cursor only once it has been edited).
        self.call_after_refresh(lambda: path.scroll_to(x=path.max_scroll_x, animate=False))

    @on(FormatChoices.Export)
    def _export_as(self, event: FormatChoices.Export) -> None:
        """``enter`` on the CSV/JSON choice: that format, then as ``enter`` on the name."""
        event.stop()
        box = self.query_one("#export-path", Input)
        self.query_one(f"#fmt-{event.fmt}", FormatChoice).value = True
        if box.value.strip() and format_for(box.value) != event.fmt:
            box.value = with_format(box.value, event.fmt)
        self.submit()

    # -- asking ----------------------------------------------------------------------------

    @property
    def path_text(self) -> str:
        return self.query_one("#export-path", Input).value

    def _format_of_name(self, text: str | None = None) -> str:
        return format_for(text if text is not None else str(self._default)) or "csv"

    @property
    def chosen_format(self) -> str:
        """The format the CSV/JSON choice shows."""
        pressed = self.query_one(RadioSet).pressed_button
        return "json" if pressed is not None and pressed.id == "fmt-json" else "csv"

    @on(RadioSet.Changed, "#export-format")
    def _format_changed(self, event: RadioSet.Changed) -> None:
        event.stop()
        fmt = self.chosen_format
        box = self.query_one("#export-path", Input)
        if format_for(box.value) != fmt and box.value.strip():
            box.value = with_format(box.value, fmt)

    @on(Input.Changed, "#export-path")
    def _name_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._problem("")
        fmt = format_for(event.value)
        if fmt is not None and fmt != self.chosen_format:
            self.query_one(f"#fmt-{fmt}", FormatChoice).value = True

    @on(Input.Submitted, "#export-path")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.submit()

    def submit(self) -> None:
        """``enter``: check the name, ask before overwriting, then start."""
        if self.running:
            return
        text = self.path_text.strip()
        if not text:
            self._problem("Give the export a file name.")
            return
        fmt = self.chosen_format
        if format_for(text) is None:
            text = with_format(text, fmt)
        path = resolve_target(text, self._folder)
        try:
            check_target(path)
        except ExportError as error:
            self._problem(str(error))
            return
        fmt = format_for(path) or fmt
        if os.path.lexists(path):
            self.app.push_screen(
                ConfirmOverwrite(path), lambda yes: self._overwrite_answered(path, fmt, yes)
            )
            return
        self._begin(ExportChoice(path, fmt, overwrite=False))

    def _overwrite_answered(self, path: Path, fmt: str, overwrite: bool | None) -> None:
        if overwrite:
            self._begin(ExportChoice(path, fmt, overwrite=True))
        else:
            self._problem(f"Kept {clean(path.name, limit=80)}: choose another name.")
            self.query_one("#export-path", Input).focus()

    def _begin(self, choice: ExportChoice) -> None:
        self.running = True
        self.add_class("-running")
        self.query_one("#export-hint", Static).update(Text(RUN_HINT))
        self.set_focus(None)  # the keys are the dialog's now (x stops, esc hides)
        self._start(choice)

    def _problem(self, line: str) -> None:
        self.query_one("#export-problem", Static).update(Text(clean(line, limit=300)))

    # -- running ---------------------------------------------------------------------------

    def show_progress(self, written: int, total: int) -> None:
        """The desk's progress: rows written of the rows the view counted."""
        self.query_one("#export-progress", ProgressBar).update(
            total=max(total, written, 1), progress=written
        )
        self.query_one("#export-count", Static).update(
            Text(f"{written:,} of {total:,} orders written")
        )

    # -- keys ------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "stop":
            return self.running  # x types into the name box until the export runs
        return super().check_action(action, parameters)

    def action_close(self) -> None:
        """Before the export: cancel. During it: hide the dialog (the export goes on)."""
        self.dismiss(None)

    def action_stop(self) -> None:
        if self.running:
            self._stop()
            self.query_one("#export-count", Static).update(Text("stopping…"))
