"""Project discovery against the demo API: stop as soon as every name is known, at the last
page, or at the page bound; pages are full (preview=false) pages of All Projects."""

from __future__ import annotations

from typing import Any

from artistree_tui.api.models import ALL_PROJECTS, OrdersPage
from artistree_tui.api.projects import ProjectDirectory, discover_project_ids, projects_of
from artistree_tui.config import Settings
from artistree_tui.connect import build_client
from artistree_tui.ui.projects.discovery import discover
from artistree_tui.ui.projects.messages import DiscoveryDone, ProjectsSeen


def client_for(demo: Any) -> Any:
    settings = Settings(
        base_url=demo.base_url,
        token_url=demo.token_url,
        client_id=demo.client_id,
        client_secret=demo.client_secret,
    )
    return build_client(settings)


def walks(demo: Any) -> list[dict[str, str]]:
    return [r.query for r in demo.recorded("/v1/orders") if r.path == "/v1/orders"]


async def run_discovery(demo: Any, directory: ProjectDirectory, **kwargs: Any) -> bool:
    client = client_for(demo)

    async def fetch(token: str | None, limit: int) -> OrdersPage:
        return await client.list_orders(ALL_PROJECTS, page_token=token, limit=limit)

    def on_page(page: OrdersPage) -> None:
        directory.observe_names(page.project_names)
        directory.observe_projects(projects_of(page))

    try:
        return await discover_project_ids(fetch, directory.resolved_names, on_page, **kwargs)
    finally:
        await client.aclose()


async def test_stops_as_soon_as_every_name_is_known(make_demo: Any) -> None:
    demo = make_demo(orders=3000, seed=3)
    directory = ProjectDirectory()
    assert await run_discovery(demo, directory)
    # Three pages of 1000 exist; the first one named every project.
    queries = walks(demo)
    assert len(queries) == 1
    assert queries[0]["limit"] == "1000" and queries[0]["preview"] == "false"
    assert directory.complete
    for project in demo.projects:
        assert directory.id_for(project.name) == project.id


async def test_walks_to_the_last_page_or_the_bound(make_demo: Any) -> None:
    demo = make_demo(orders=2500, seed=3)
    directory = ProjectDirectory()
    # A name no order carries: every page is read, then it gives up.
    assert not await run_discovery(demo, directory, names=["No Such Project"])
    assert len(walks(demo)) == 3
    demo.clear_requests()
    assert not await run_discovery(demo, ProjectDirectory(), names=["Nope"], max_pages=2)
    assert len(walks(demo)) == 2
    tokens = [q.get("page_token") for q in walks(demo)]
    assert tokens[0] is None and tokens[1]


async def test_names_already_known_cost_no_request(make_demo: Any) -> None:
    demo = make_demo(orders=50)
    directory = ProjectDirectory({"Pinned": "some-id"})
    assert await run_discovery(demo, directory, names=["Pinned"])
    assert walks(demo) == []


async def test_roles_unknown_from_an_earlier_run_cost_one_small_request_each(
    make_demo: Any,
) -> None:
    """A start from the index knows every project's id (its full rows of an earlier run) but
    not the user's role in each: nothing to walk, so each project is asked for its newest
    order alone, which names the role. A project's page is not All Projects': not written."""
    demo = make_demo(orders=600, seed=3)
    directory = ProjectDirectory()
    directory.observe_names([p.name for p in demo.projects])
    directory.observe_known((p.name, p.id) for p in demo.projects)  # as the index has them
    assert directory.complete and len(directory.ids_without_role()) == len(demo.projects)
    posted: list[Any] = []
    client = client_for(demo)
    try:
        await discover(client, directory, posted.append)
    finally:
        await client.aclose()
    seen = [m for m in posted if isinstance(m, ProjectsSeen)]
    assert isinstance(posted[-1], DiscoveryDone) and posted[-1].complete
    assert all(m.page is None for m in seen)
    assert sorted(q["project_id"] for q in walks(demo)) == sorted(p.id for p in demo.projects)
    assert {q["limit"] for q in walks(demo)} == {"1"}
    for message in seen:
        directory.observe_projects(message.projects)
    assert directory.ids_without_role() == []
    assert all(directory.role_for(p.id) for p in demo.projects)
