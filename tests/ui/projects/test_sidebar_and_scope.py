"""Projects: the sidebar, switching by name (a view of the local index: no request, no id
needed), Personal Certificates, the stats bar following the scope with the server's counts,
projects without orders, ``default_project`` by name or id, pinned ids, hostile names."""

from __future__ import annotations

from typing import Any

from artistree_tui.api.models import ALL_PROJECTS, KNOWN_STATES, PERSONAL_CERTIFICATES
from artistree_tui.api.projects import ProjectEntry
from artistree_tui.ui.app import ConsoleApp
from artistree_tui.ui.projects.sidebar import entry_prompt
from artistree_tui.ui.states import state_label
from tests.support.app import (
    SIZE,
    list_loaded,
    make_app,
    order_requests,
    palette_hits,
    screen_text,
    settled,
    sync_done,
    wait_for,
)
from tests.support.live import list_orders_shown

STATS = {
    "In Progress": "total_in_progress",
    "Human Certified": "total_certified",
    "Action Required": "total_action_required",
    "Reviewed": "total_reviewed",
    "Failed": "total_failed",
    "Unsupported File": "total_unsupported",
}


def asked(demo: Any) -> set[tuple[str, bool]]:
    """The scopes of the list requests the demo received, and whether each had a page token."""
    return {(r.query["project_id"], "page_token" in r.query) for r in order_requests(demo)}


def expected_counts(demo: Any, project_id: str) -> dict[str, int]:
    raw = demo.stats(project_id)
    return {state: raw[key] for state, key in STATS.items()}


def shown_counts(app: ConsoleApp) -> dict[str, int] | None:
    counts = app.main_screen.stats.counts
    return None if counts is None else {state: counts.get(state) for state in STATS}


async def choose_in_sidebar(pilot: Any, app: ConsoleApp, name: str) -> None:
    """Focus the sidebar (1), move to ``name`` with j/k, press enter."""
    await pilot.press("1")
    sidebar = app.main_screen.sidebar
    names = [entry.name for entry in sidebar.entries]
    target = names.index(name)
    current = sidebar.highlighted or 0
    key = "j" if target > current else "k"
    await pilot.press(*[key] * abs(target - current))
    assert sidebar.highlighted_entry is not None
    assert sidebar.highlighted_entry.name == name
    await pilot.press("enter")


async def test_sidebar_lists_projects_in_api_order_with_roles(demo_server: Any) -> None:
    app = make_app(demo_server)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: settled(app))  # roles come with project discovery
        entries = app.main_screen.sidebar.entries
        by_name = {p.name: p for p in demo_server.projects}
        assert entries[0].name == ALL_PROJECTS
        assert entries[1].name == PERSONAL_CERTIFICATES
        # The rest as the API lists them (alphabetical), each with its id and role.
        assert [e.name for e in entries[2:]] == sorted(by_name)
        for entry in entries[2:]:
            assert entry.project_id == by_name[entry.name].id
            assert entry.role == by_name[entry.name].role
        text = screen_text(app)
        assert "Museum Poster Series" in text or "Museum Poster Seri" in text
        assert "Reviewer" in text  # the role, under the project's name


async def test_stats_bar_shows_the_servers_counts(demo_server: Any) -> None:
    app = make_app(demo_server)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: sync_done(app))
        assert shown_counts(app) == expected_counts(demo_server, ALL_PROJECTS)
        line = screen_text(app).splitlines()[0]
        counts = app.main_screen.stats.counts
        assert counts is not None and counts.complete and "so far" not in line
        for state in ("In Progress", "Human Certified", "Action Required"):
            assert str(counts.get(state)) in line
        assert str(counts.total) in line
        # A symbol and a word per state as well as a colour: readable without colour.
        for state in KNOWN_STATES:
            label = state_label(state)
            assert f"{label.symbol} {label.word}" in line or f"{label.symbol} {state}" in line
        assert "total" in line.lower()


async def test_switching_project_by_name_is_a_view_of_the_index(demo_server: Any) -> None:
    project = next(p for p in demo_server.projects if p.name == "Museum Poster Series")
    app = make_app(demo_server)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: settled(app))
        demo_server.clear_requests()
        await choose_in_sidebar(pilot, app, project.name)
        screen = app.main_screen
        await wait_for(pilot, lambda: sync_done(app) and screen.orders.scope.name == project.name)
        assert screen.scope_name == project.name
        assert shown_counts(app) == expected_counts(demo_server, project.id)
        # The list now holds that project's orders only, all of them, and has the focus.
        shown = list_orders_shown(screen, 10_000)
        assert [row.order_id for row in shown] == demo_server.order_ids(project.id)
        assert {row.project_name for row in shown} == {project.name}
        assert screen.pane_focus.current() == "list"
        # The index answered, not the API: the one list request since is the sync reading
        # that project's newest orders (by its id, no walk), so its states stay current.
        asked = [
            (r.query["project_id"], "page_token" in r.query) for r in order_requests(demo_server)
        ]
        assert set(asked) <= {(project.id, False)}


async def test_personal_certificates_is_a_project_too(demo_server: Any) -> None:
    app = make_app(demo_server)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: settled(app))
        await choose_in_sidebar(pilot, app, PERSONAL_CERTIFICATES)
        screen = app.main_screen
        await wait_for(pilot, lambda: sync_done(app) and screen.scope_name == PERSONAL_CERTIFICATES)
        assert shown_counts(app) == expected_counts(demo_server, PERSONAL_CERTIFICATES)
        shown = list_orders_shown(screen, 10_000)
        assert [row.order_id for row in shown] == demo_server.order_ids(PERSONAL_CERTIFICATES)
        await wait_for(pilot, lambda: screen.orders.highlighted_order is not None)
        assert screen.orders.highlighted_order is not None
        assert screen.orders.highlighted_order.project is None


async def test_a_project_without_orders_opens_empty(make_demo: Any) -> None:
    # Four orders cannot cover six projects: some have no orders, and no id ever.
    demo = make_demo(orders=4)
    app = make_app(demo)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.main_screen
        await wait_for(pilot, lambda: settled(app))
        unresolved = [e for e in screen.sidebar.entries if not e.resolved]
        assert unresolved, "the demo should leave some project without orders"
        demo.clear_requests()
        await choose_in_sidebar(pilot, app, unresolved[0].name)
        await wait_for(pilot, lambda: sync_done(app) and screen.scope_name == unresolved[0].name)
        assert screen.orders.loaded_count == 0
        assert "no orders here" in screen_text(app)
        assert order_requests(demo) == []


def test_a_sidebar_entry_is_its_name_and_its_role_once_known() -> None:
    plain = entry_prompt(ProjectEntry("[b]Odd[/] name", None), current=False, searching=True)
    assert plain.plain == "  [b]Odd[/] name"  # literal, no "resolving…": it opens by name
    role = entry_prompt(ProjectEntry("Odd", "id", "Reviewer"), current=True, searching=False)
    assert role.plain.startswith("▸ Odd") and "Reviewer" in role.plain


async def test_default_project_by_name_opens_once_the_names_are_listed(make_demo: Any) -> None:
    demo = make_demo(orders=3000)
    project = demo.projects[3]
    app = make_app(demo, default_project=project.name)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.main_screen
        await wait_for(pilot, lambda: screen.scope_name == project.name)
        await wait_for(pilot, lambda: sync_done(app))
        assert shown_counts(app) == expected_counts(demo, project.id)
        # The sync walks All Projects; a project is asked for only by its id, for its newest
        # orders (the open one's head, so its states stay current), never walked.
        engine = screen.sync.engine
        await wait_for(pilot, lambda: (project.id, False) in asked(demo), state=lambda: asked(demo))
        assert engine.watched is not None and engine.watched.project_id == project.id
        assert {name for name, _ in asked(demo)} == {ALL_PROJECTS, project.id}
        assert (project.id, True) not in asked(demo)


async def test_default_project_by_id_and_pinned_ids(demo_server: Any) -> None:
    project = demo_server.projects[0]
    app = make_app(
        demo_server, default_project=project.id, projects={"Pinned Elsewhere": project.id}
    )
    async with app.run_test(size=SIZE) as pilot:
        screen = app.main_screen
        await wait_for(pilot, lambda: list_loaded(app) and settled(app))
        assert screen.scope_id == project.id
        # Once a full order has named that id (project discovery), the list shows its orders.
        await wait_for(
            pilot,
            lambda: screen.orders.loaded_count == len(demo_server.order_ids(project.id)),
        )
        assert shown_counts(app) == expected_counts(demo_server, project.id)
        # The pinned name is offered, with the pinned id.
        pinned = screen.directory.entry("Pinned Elsewhere")
        assert pinned.pinned and pinned.project_id == project.id


async def test_hostile_project_names_are_shown_literally(make_demo: Any) -> None:
    from artistree_tui.demo import FaultConfig

    demo = make_demo(orders=300, seed=7, faults=FaultConfig(hostile=True))
    hostile = next(p for p in demo.projects if "[" in p.name)
    app = make_app(demo)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: list_loaded(app))
        await choose_in_sidebar(pilot, app, hostile.name)
        screen = app.main_screen
        await wait_for(pilot, lambda: screen.scope_name == hostile.name and sync_done(app))
        assert screen.orders.loaded_count == len(demo.order_ids(hostile.id))
        text = screen_text(app)
        assert "[b]Editorial" in text  # markup shown as text, in the sidebar and the title
        assert "\x1b" not in text and "\u202e" not in text
        await pilot.press("p")  # the project picker lists it too, literally
        await wait_for(
            pilot, lambda: any(hit.startswith("[b]Editorial") for hit in palette_hits(app))
        )
        await pilot.press("escape")
        assert app.is_running
