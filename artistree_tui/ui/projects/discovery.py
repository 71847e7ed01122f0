"""Project discovery, the body of the screen's discovery worker: learn the id of every project.

:func:`discover` walks full pages of All Projects (limit 1000, see
:func:`~.directory.discover_project_ids`), then asks each project whose id is known but whose
role is not (an id the index remembered from an earlier run) for its newest order alone (one
small request each: the order names the user's role). It posts what it learns as messages,
never touching a widget or the directory: :class:`~.messages.ProjectsSeen` for each page, then one
:class:`~.messages.DiscoveryDone` (complete or not, or failed with one safe line). The screen
runs it as an exclusive worker once the sync has read the whole organization (ids and roles
for the sidebar; its full pages fill the list's columns of the newest orders), or at once
when ``--project`` names a project by an id nothing has named yet.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from textual.message import Message

from artistree_tui.api.models import ALL_PROJECTS, OrdersPage
from artistree_tui.api.projects import ProjectDirectory, discover_project_ids, projects_of
from artistree_tui.ui.notify import error_line
from artistree_tui.ui.projects.messages import DiscoveryDone, ProjectsSeen

if TYPE_CHECKING:
    from artistree_tui.api.client import ArtistreeClient

#: Project discovery reads at most this many pages of 1000 (the newest 100k orders); a
#: project none of them belongs to stays "id unknown" (pin its id in [projects]).
MAX_DISCOVERY_PAGES = 100
#: Projects asked for their role one by one at most (a request each).
MAX_ROLE_LOOKUPS = 50


async def discover(
    client: ArtistreeClient, directory: ProjectDirectory, post: Callable[[Message], object]
) -> None:
    """Walk All Projects until every project name has an id; report by ``post``."""

    async def fetch(token: str | None, limit: int) -> OrdersPage:
        return await client.list_orders(ALL_PROJECTS, preview=False, page_token=token, limit=limit)

    with_role: set[str] = set()  # what the pages read here said (the directory learns later)

    def seen(page: OrdersPage) -> None:
        projects = projects_of(page)
        with_role.update(project.id for project in projects if project.user_role)
        post(ProjectsSeen(page.project_names, projects, page))

    try:
        complete = await discover_project_ids(
            fetch,
            directory.resolved_names,
            seen,
            names=directory.names,
            max_pages=MAX_DISCOVERY_PAGES,
        )
        unknown = [i for i in directory.ids_without_role() if i not in with_role]
        for project_id in unknown[:MAX_ROLE_LOOKUPS]:
            newest = await client.list_orders(project_id, preview=False, limit=1)
            # Its projects only: a project's page (and its counts) is not All Projects'.
            post(ProjectsSeen((), projects_of(newest), None))
    except Exception as error:  # one line in the UI, never a traceback
        post(DiscoveryDone(complete=False, error=error_line(error)))
        return
    post(DiscoveryDone(complete=complete))
