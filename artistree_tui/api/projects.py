"""The project directory: which projects exist, their ids, and the user's role in each.

The list endpoint filters by project **id**, but the only list of projects the API offers is
``project_names`` (names, in the API's order: Personal Certificates first, then alphabetical).
Ids appear only inside full orders (``project: {id, name, userRole}``). This module keeps what
is known so far and answers "which id do I send for this name?":

- ids come from every full order seen (list pages, detail fetches, discovery, the local
  order index's memory of earlier runs);
- ids pinned in the config (``[projects]``: name -> id) win over anything seen;
- ``Personal Certificates`` is its own id, always known;
- :func:`discover_project_ids` walks full pages of All Projects until every name is known;
- :meth:`ProjectDirectory.lookup` finds a project by id or by name, ignoring case, and
  :func:`close_matches` names the projects that come close when nothing matches (difflib:
  the console ranks with Textual's fuzzy matcher instead, where Textual is loaded anyway).

Pure Python (no Textual, no HTTP): the console feeds it from message handlers and renders its
entries; the command line (``--project``, ``projects``) uses it the same way.
"""

from __future__ import annotations

import difflib
import logging
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from artistree_tui.api.models import ALL_PROJECTS, PERSONAL_CERTIFICATES, Order, OrdersPage, Project
from artistree_tui.api.paging_guard import PagingBrokenError, PagingGuard

logger = logging.getLogger("artistree_tui.ui")


@dataclass(frozen=True, slots=True)
class ProjectEntry:
    """One line of the sidebar: a project name and, once known, its id and the user's role."""

    name: str
    project_id: str | None
    role: str | None = None
    pinned: bool = False

    @property
    def resolved(self) -> bool:
        return self.project_id is not None


#: The first sidebar entry; its id is the literal the API takes for "every order".
ALL_ENTRY = ProjectEntry(ALL_PROJECTS, ALL_PROJECTS)


class ProjectDirectory:
    """What the console knows about projects; fed from pages and orders as they arrive.

    Mutating methods return True when something visible changed, so callers redraw only then.
    When one name maps to several ids (two projects with the same name) the first id seen is
    kept; a pinned id always wins.
    """

    def __init__(self, pinned: Mapping[str, str] | None = None) -> None:
        self._pinned: dict[str, str] = {str(k): str(v) for k, v in (pinned or {}).items()}
        self._names: list[str] = []  # the API's order, from the latest All Projects page
        self._names_known = False
        self._ids: dict[str, str] = {PERSONAL_CERTIFICATES: PERSONAL_CERTIFICATES}
        self._roles: dict[str, str] = {}  # keyed by project id
        self._seen_order: list[str] = []  # names met in orders but not (yet) in project_names

    # -- feeding -------------------------------------------------------------------------

    def observe_names(self, names: Sequence[str]) -> bool:
        """Record ``project_names`` of an All Projects page (empty lists are ignored)."""
        if not names:
            return False
        cleaned = list(dict.fromkeys(str(n) for n in names))
        changed = cleaned != self._names or not self._names_known
        self._names = cleaned
        self._names_known = True
        return changed

    def observe_project(self, project: Project | None) -> bool:
        """Record one ``project`` object of a full order (None means Personal Certificates)."""
        if project is None or not project.id:
            return False
        name = project.name or project.id
        changed = False
        if name not in self._ids:
            self._ids[name] = project.id
            changed = True
        if name not in self._names and name not in self._seen_order:
            self._seen_order.append(name)
            changed = True
        if project.user_role and self._roles.get(project.id) != project.user_role:
            self._roles[project.id] = project.user_role
            changed = True
        return changed

    def observe_known(self, projects: Iterable[tuple[str, str | None]]) -> bool:
        """Record projects known from elsewhere, before the API lists its names: the local
        order index's (the names of orders seen, the ids of full orders seen)."""
        changed = False
        for name, project_id in projects:
            if not name or name == ALL_PROJECTS:
                continue
            if project_id and name not in self._ids:
                self._ids[name] = project_id
                changed = True
            if name not in self._names and name not in self._seen_order:
                self._seen_order.append(name)
                changed = True
        return changed

    def observe_order(self, order: Order) -> bool:
        return self.observe_project(order.project)

    def observe_projects(self, projects: Iterable[Project | None]) -> bool:
        changed = False
        for project in projects:
            changed = self.observe_project(project) or changed
        return changed

    def observe_orders(self, orders: Iterable[Order]) -> bool:
        changed = False
        for order in orders:
            changed = self.observe_project(order.project) or changed
        return changed

    def observe_page(self, page: OrdersPage, *, scope: str | None = None) -> bool:
        """Record a page's names (only meaningful for All Projects) and its orders' projects."""
        changed = False
        if scope in (None, ALL_PROJECTS):
            changed = self.observe_names(page.project_names)
        return self.observe_orders(page.orders) or changed

    # -- questions -----------------------------------------------------------------------

    @property
    def names(self) -> tuple[str, ...]:
        """``project_names`` as the API last listed them (empty until an All Projects page)."""
        return tuple(self._names)

    @property
    def names_known(self) -> bool:
        """True once an All Projects page has told us the project names."""
        return self._names_known

    def id_for(self, name: str) -> str | None:
        """The id to send for a project name, or None while it is unresolved."""
        if name == ALL_PROJECTS:
            return ALL_PROJECTS
        return self._pinned.get(name) or self._ids.get(name)

    def name_for(self, project_id: str) -> str | None:
        """The name of a known project id (pinned ids included)."""
        if project_id in (ALL_PROJECTS, PERSONAL_CERTIFICATES):
            return project_id
        for source in (self._pinned, self._ids):
            for name, known_id in source.items():
                if known_id == project_id:
                    return name
        return None

    def seen_name_for(self, project_id: str) -> str | None:
        """The name the API gives the project ``project_id`` (from its orders), never a name
        pinned in the config (that one is the user's label for the id)."""
        if project_id == PERSONAL_CERTIFICATES:
            return project_id
        for name, known_id in self._ids.items():
            if known_id == project_id:
                return name
        return None

    def listed(self, name: str) -> bool:
        """Is ``name`` a project name the API or its orders use (not only a pinned label)?"""
        return name == PERSONAL_CERTIFICATES or name in self._names or name in self._ids

    def role_for(self, project_id: str | None) -> str | None:
        return self._roles.get(project_id) if project_id else None

    def entry(self, name: str) -> ProjectEntry:
        project_id = self.id_for(name)
        return ProjectEntry(
            name, project_id, self.role_for(project_id), pinned=name in self._pinned
        )

    def entries(self) -> list[ProjectEntry]:
        """All Projects, then the API's names, then pinned or seen projects it did not list."""
        names = [PERSONAL_CERTIFICATES] if PERSONAL_CERTIFICATES not in self._names else []
        names += self._names
        for extra in (*self._pinned, *self._seen_order):
            if extra not in names:
                names.append(extra)
        return [ALL_ENTRY, *(self.entry(name) for name in names)]

    def unresolved_names(self) -> list[str]:
        """Names from ``project_names`` whose id is still unknown."""
        return [name for name in self._names if self.id_for(name) is None]

    def ids_without_role(self) -> list[str]:
        """Project ids known (pinned, or from the index of an earlier run) whose role no full
        order has said yet (Personal Certificates has none)."""
        ids = dict.fromkeys([*self._pinned.values(), *self._ids.values()])
        return [i for i in ids if i != PERSONAL_CERTIFICATES and i not in self._roles]

    def resolved_names(self) -> set[str]:
        """Every name with a known id (pinned, seen, Personal Certificates)."""
        return {*self._pinned, *self._ids}

    @property
    def complete(self) -> bool:
        """True when the names are known and every one of them has an id."""
        return self._names_known and not self.unresolved_names()

    def lookup(self, name_or_id: str) -> ProjectEntry | None:
        """The entry for a project name or id (``--project``, ``default_project``, the palette).

        An exact name or id wins; otherwise a name that differs only in case (the first, in
        the sidebar's order, if several do).
        """
        wanted = name_or_id.strip()
        if not wanted:
            return None
        folded = wanted.casefold()
        if folded == ALL_PROJECTS.casefold():
            return ALL_ENTRY
        entries = self.entries()
        for entry in entries:
            if wanted in (entry.name, entry.project_id):
                return entry
        for entry in entries:
            if entry.name.casefold() == folded:
                return entry
        name = self.name_for(wanted)
        return self.entry(name) if name else None

    def close_names(self, name_or_id: str, limit: int = 3) -> list[str]:
        """The project names that come close to ``name_or_id`` (for "not found" messages)."""
        return close_matches(name_or_id, [entry.name for entry in self.entries()], limit)


def close_matches(wanted: str, names: Iterable[str], limit: int = 3) -> list[str]:
    """Up to ``limit`` of ``names`` close to ``wanted``, ignoring case: names that contain it
    (or that it contains) first, then difflib's close matches, best first."""
    folded = wanted.strip().casefold()
    if not folded:
        return []
    by_folded: dict[str, str] = {}
    for name in names:
        by_folded.setdefault(name.casefold(), name)
    found = [
        key for key in by_folded if key and (folded in key or (len(key) > 3 and key in folded))
    ]
    for key in difflib.get_close_matches(folded, list(by_folded), n=limit, cutoff=0.6):
        if key not in found:
            found.append(key)
    return [by_folded[key] for key in found[:limit]]


#: ``fetch(page_token, limit) -> OrdersPage`` of full orders (``preview=False``) of All Projects.
PageFetcher = Callable[[str | None, int], Awaitable[OrdersPage]]


def projects_of(page: OrdersPage) -> tuple[Project, ...]:
    """The distinct ``project`` objects of a page's full orders (what discovery passes on)."""
    seen: dict[tuple[str, str, str | None], Project] = {}
    for order in page.orders:
        project = order.project
        if project is not None and project.id:
            seen.setdefault((project.id, project.name, project.user_role), project)
    return tuple(seen.values())


async def discover_project_ids(
    fetch: PageFetcher,
    known: Callable[[], Iterable[str]],
    on_page: Callable[[OrdersPage], object],
    *,
    names: Sequence[str] = (),
    limit: int = 1000,
    max_pages: int | None = None,
    guard: PagingGuard | None = None,
) -> bool:
    """Walk full pages of All Projects until every project name has an id.

    ``known()`` returns the names already resolved (it is read again before each page, since
    other pages may resolve names meanwhile); ``on_page`` receives every page fetched (the UI
    posts what it needs as a message). ``names`` are the project names if already known;
    otherwise the first page's ``project_names`` are used. ``max_pages`` bounds the walk (a
    project with no orders is never found, and walking a million orders to learn that costs
    gigabytes). Returns True when every name was resolved, False when the pages (or the
    bound) ran out first. When the API's paging looks broken (``guard``: a token that comes
    back, endless empty pages, more rows than ``total_orders``) before every name was found,
    raises :class:`~artistree_tui.api.paging_guard.PagingBrokenError` saying so; other API
    errors propagate to the caller too.
    """
    wanted: set[str] | None = set(names) if names else None
    found: set[str] = {PERSONAL_CERTIFICATES}
    token: str | None = None
    pages = 0
    guard = guard if guard is not None else PagingGuard()
    while True:
        if wanted is not None and not (wanted - found - set(known())):
            return True
        if max_pages is not None and pages >= max_pages:
            return False
        page = await fetch(token, limit)
        pages += 1
        on_page(page)
        if wanted is None and page.project_names:
            wanted = set(page.project_names)
        found.update(project.name for project in projects_of(page))
        token = page.next_page_token
        ids = [order.order_id for order in page.orders]
        verdict = guard.check(ids, token, total=page.stats.known_total)
        if verdict.broken is not None:
            logger.warning("project discovery stopped: %s", verdict.broken)
            if wanted is not None and not (wanted - found - set(known())):
                return True  # every name was found before the paging broke
            raise PagingBrokenError(verdict.broken)
        if not token:
            return wanted is not None and not (wanted - found - set(known()))
