"""The project sidebar: All Projects, then the organization's projects, with roles.

A short list, so Textual's ``OptionList`` is fine. Every prompt is a Rich ``Text`` built
through the display boundary (plain ``str`` prompts would be parsed as markup). A project
opens by its name (the local order index knows its orders by it), so its id need not be
known: choosing one posts :class:`ProjectChosen` (``project_id`` None when not known yet). The
user's role in a project is shown below its name once a full order of it has been read.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.binding import Binding, BindingType
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from artistree_tui.api.projects import ProjectEntry
from artistree_tui.display import safe
from artistree_tui.ui.keys import keymap
from artistree_tui.ui.projects.messages import ProjectChosen

CURRENT_MARK = "▸ "
OTHER_MARK = "  "
INDENT = "    "
#: The sidebar is never narrower than this much text ("resolving…" under a name).
MIN_TEXT = 14


def entry_prompt(entry: ProjectEntry, *, current: bool, searching: bool) -> Text:
    """A sidebar entry: a marker for the open scope and the name; below it, dimmed, the
    user's role once known (a second line, so a long name never hides it)."""
    prompt = Text(CURRENT_MARK if current else OTHER_MARK, style="bold" if current else "")
    prompt.append(safe(entry.name, limit=80, style="bold" if current else ""))
    if entry.role:
        prompt.append(f"\n{INDENT}", style="dim")
        prompt.append(safe(entry.role, limit=30, style="dim"))
    return prompt


class ProjectSidebar(OptionList):
    """The project list; ``enter`` opens the highlighted project."""

    BINDING_GROUP_TITLE = "Projects"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select", "Open project", id=keymap.SIDEBAR_OPEN),
        Binding("j", "cursor_down", "Down", show=False, id=keymap.SIDEBAR_DOWN),
        Binding("k", "cursor_up", "Up", show=False, id=keymap.SIDEBAR_UP),
        Binding("g", "first", "Top", show=False, id=keymap.SIDEBAR_TOP),
        Binding("G", "last", "Bottom", show=False, id=keymap.SIDEBAR_BOTTOM),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.entries: list[ProjectEntry] = []
        self.current: str | None = None  # name of the open scope

    def set_entries(
        self, entries: list[ProjectEntry], *, current: str | None, searching: bool
    ) -> None:
        """Redraw the list, keeping the highlight on the same project name."""
        highlighted = self.highlighted_entry
        keep = highlighted.name if highlighted else current
        self.entries = list(entries)
        self.current = current
        self.clear_options()
        self.add_options(
            Option(entry_prompt(e, current=e.name == current, searching=searching), id=f"p{i}")
            for i, e in enumerate(self.entries)
        )
        names = [e.name for e in self.entries]
        if keep in names:
            self.highlighted = names.index(keep)
        elif self.entries:
            self.highlighted = 0

    def needed_width(self) -> int:
        """Cells the sidebar needs to show every name and role whole: the marker, the text
        and its border (when the projects are too many for its height, its scrollbar takes a
        cell of the longest names)."""
        widths = [MIN_TEXT]
        for entry in self.entries:
            widths.append(len(CURRENT_MARK) + safe(entry.name, limit=80).cell_len)
            if entry.role:
                widths.append(len(INDENT) + safe(entry.role, limit=30).cell_len)
        return max(widths) + 2

    @property
    def highlighted_entry(self) -> ProjectEntry | None:
        index = self.highlighted
        if index is None or not 0 <= index < len(self.entries):
            return None
        return self.entries[index]

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if 0 <= event.option_index < len(self.entries):
            entry = self.entries[event.option_index]
            self.post_message(ProjectChosen(entry.name, entry.project_id))
