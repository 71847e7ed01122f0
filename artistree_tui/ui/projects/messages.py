"""Messages of the projects: the sidebar's choice and project discovery (see :mod:`.discovery`).

The sidebar (and the "Go to project…" palette) posts :class:`ProjectChosen`; the discovery
worker posts :class:`ProjectsSeen` for each page it reads and :class:`DiscoveryDone` once. The
screen's handlers update the project directory and open the chosen scope.
"""

from __future__ import annotations

from textual.message import Message

from artistree_tui.api.models import OrdersPage, Project


class ProjectChosen(Message):
    """The user chose a project (sidebar or palette); ``project_id`` is None if unresolved."""

    def __init__(self, name: str, project_id: str | None) -> None:
        super().__init__()
        self.name = name
        self.project_id = project_id


class ProjectsSeen(Message):
    """Project discovery read a page of All Projects: its project names, the distinct
    ``project`` objects of its orders, and the page (full orders: the screen puts them into
    the local order index, which fills the list's columns for the newest orders)."""

    def __init__(
        self,
        names: tuple[str, ...],
        projects: tuple[Project, ...],
        page: OrdersPage | None = None,
    ) -> None:
        super().__init__()
        self.names = names
        self.projects = projects
        self.page = page


class DiscoveryDone(Message):
    """Project discovery stopped: every name resolved, or the pages ran out, or it failed."""

    def __init__(self, *, complete: bool, error: str | None = None) -> None:
        super().__init__()
        self.complete = complete
        self.error = error
