"""``--project NAME_OR_ID``: which project id the commands send.

The same directory as the console (:mod:`artistree_tui.api.projects`): ids pinned in the
config's ``[projects]`` table win; a name is matched ignoring case against the API's
``project_names``; its id is learnt from a full order of that project, by walking full pages
of All Projects (as the console's discovery does, bounded the same way). A name that matches
nothing is a usage error naming the projects that come close; a UUID that matches no name is
taken as a project id as it is.
"""

from __future__ import annotations

from dataclasses import dataclass

from artistree_tui.api.client import ArtistreeClient
from artistree_tui.api.models import ALL_PROJECTS, OrdersPage
from artistree_tui.api.projects import ProjectDirectory, discover_project_ids
from artistree_tui.cli.exits import PROG, UsageError
from artistree_tui.cli.output import Progress
from artistree_tui.config import ConfigError, Settings
from artistree_tui.display import clean
from artistree_tui.ids import ORDER_ID

#: Full pages of 1000 read at most to learn a project's id: the newest 100,000 orders, as
#: the console's discovery reads (ui/screen/main.py MAX_DISCOVERY_PAGES).
MAX_DISCOVERY_PAGES = 100
DISCOVERY_LIMIT = 1000


@dataclass(frozen=True, slots=True)
class Scope:
    """The project the commands read: its name (for messages) and the id the API takes."""

    name: str
    project_id: str


ALL = Scope(ALL_PROJECTS, ALL_PROJECTS)


async def resolve_scope(
    client: ArtistreeClient, settings: Settings, progress: Progress | None = None
) -> Scope:
    """The scope of ``--project`` (else ``default_project``, else All Projects)."""
    wanted = (settings.default_project or "").strip()
    if not wanted:
        return ALL
    directory = ProjectDirectory(settings.projects)
    entry = directory.lookup(wanted)
    if entry is not None and entry.project_id is not None:
        return Scope(entry.name, entry.project_id)
    # The names: any All Projects page lists them; the smallest one will do.
    page = await client.list_orders(ALL_PROJECTS, preview=True, limit=1)
    directory.observe_names(page.project_names)
    entry = directory.lookup(wanted)
    if entry is None:
        if ORDER_ID.fullmatch(wanted):
            return Scope(wanted, wanted)  # an id no name is known for: sent as it is
        close = directory.close_names(wanted)
        hint = f"close: {', '.join(repr(clean(n, limit=60)) for n in close)}; " if close else ""
        raise UsageError(
            f"--project: no project named {clean(wanted, limit=60)!r}: {hint}"
            f"`{PROG} projects --no-ids` lists them"
        )
    if entry.project_id is None:
        if progress is not None:
            progress.show(f"looking up the id of project {clean(entry.name, limit=60)}…")

        async def fetch(token: str | None, limit: int) -> OrdersPage:
            return await client.list_orders(
                ALL_PROJECTS, preview=False, page_token=token, limit=limit
            )

        await discover_project_ids(
            fetch,
            directory.resolved_names,
            directory.observe_page,
            names=(entry.name,),
            limit=DISCOVERY_LIMIT,
            max_pages=MAX_DISCOVERY_PAGES,
        )
        entry = directory.lookup(entry.name)
    if entry is None or entry.project_id is None:
        name = clean(wanted, limit=60)
        raise ConfigError(
            f"--project: the id of project {name!r} is unknown (none of the newest "
            f"{MAX_DISCOVERY_PAGES * DISCOVERY_LIMIT:,} orders belongs to it): pin it in the "
            f'config file, [projects] "{name}" = "<project id>"'
        )
    return Scope(entry.name, entry.project_id)
