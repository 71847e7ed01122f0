"""Projects: the sidebar, switching by name with id resolution, Personal Certificates, the
stats bar following the scope, unresolved names, and ``default_project``."""

from __future__ import annotations

from typing import Any

from artistree_tui.api.models import ALL_PROJECTS, KNOWN_STATES, PERSONAL_CERTIFICATES, OrderStats
from artistree_tui.ui.app import ConsoleApp
from artistree_tui.ui.projects.sidebar import entry_prompt
from artistree_tui.ui.states import state_label
from tests.support.app import (
    SIZE,
    list_loaded,
    make_app,
    notifications,
    order_requests,
    palette_hits,
    screen_text,
    wait_for,
)


def expected_stats(demo: Any, project_id: str) -> OrderStats:
    raw = demo.stats(project_id)
    return OrderStats(
        in_progress=raw["total_in_progress"],
        certified=raw["total_certified"],
        action_required=raw["total_action_required"],
        reviewed=raw["total_reviewed"],
        failed=raw["total_failed"],
        unsupported=raw["total_unsupported"],
        total=raw["total_orders"],
    )


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
        await wait_for(pilot, lambda: list_loaded(app))
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
        await wait_for(pilot, lambda: app.main_screen.stats.stats is not None)
        stats = app.main_screen.stats.stats
        assert stats == expected_stats(demo_server, ALL_PROJECTS)
        line = screen_text(app).splitlines()[0]
        assert stats is not None
        for count in (stats.in_progress, stats.certified, stats.action_required, stats.total):
            assert str(count) in line
        # A symbol and a word per state as well as a colour: readable without colour.
        for state in KNOWN_STATES:
            label = state_label(state)
            assert f"{label.symbol} {label.word}" in line or f"{label.symbol} {state}" in line
        assert "total" in line.lower()


async def test_switching_project_by_name_sends_its_id(demo_server: Any) -> None:
    project = next(p for p in demo_server.projects if p.name == "Museum Poster Series")
    app = make_app(demo_server)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: list_loaded(app))
        demo_server.clear_requests()
        await choose_in_sidebar(pilot, app, project.name)
        screen = app.main_screen
        await wait_for(
            pilot, lambda: screen.stats.stats is not None and order_requests(demo_server)
        )
        requests = order_requests(demo_server)
        assert [r.query["project_id"] for r in requests] == [project.id]
        assert screen.scope_id == project.id and screen.scope_name == project.name
        assert screen.stats.stats == expected_stats(demo_server, project.id)
        # The list now holds that project's orders only, and the list has the focus.
        await wait_for(pilot, lambda: screen.orders.highlighted_order is not None)
        highlighted = screen.orders.highlighted_order
        assert highlighted is not None and highlighted.project is not None
        assert highlighted.project.id == project.id
        assert screen._current_pane() == "list"


async def test_personal_certificates_is_its_own_id(demo_server: Any) -> None:
    app = make_app(demo_server)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: list_loaded(app))
        demo_server.clear_requests()
        await choose_in_sidebar(pilot, app, PERSONAL_CERTIFICATES)
        screen = app.main_screen
        await wait_for(pilot, lambda: screen.stats.stats is not None)
        assert [r.query["project_id"] for r in order_requests(demo_server)] == [
            PERSONAL_CERTIFICATES
        ]
        assert screen.stats.stats == expected_stats(demo_server, PERSONAL_CERTIFICATES)
        await wait_for(pilot, lambda: screen.orders.highlighted_order is not None)
        assert screen.orders.highlighted_order is not None
        assert screen.orders.highlighted_order.project is None


async def test_unresolved_names_are_shown_and_never_sent(make_demo: Any) -> None:
    # Four orders cannot cover six projects: some names never get an id.
    demo = make_demo(orders=4)
    app = make_app(demo)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.main_screen
        await wait_for(pilot, lambda: screen.discovery_state == "done")
        # Discovery walked All Projects with full pages of 1000, and stopped at the last page.
        walks = [r for r in order_requests(demo) if r.query.get("limit") == "1000"]
        assert walks and all(r.query["project_id"] == ALL_PROJECTS for r in walks)
        unresolved = [e for e in screen.sidebar.entries if not e.resolved]
        assert unresolved, "the demo should leave some project without orders"
        assert "id unknown" in screen_text(app)
        demo.clear_requests()
        await choose_in_sidebar(pilot, app, unresolved[0].name)
        await pilot.pause()
        assert order_requests(demo) == []
        assert screen.scope_id == ALL_PROJECTS
        assert any("unknown" in n for n in notifications(app))


def test_unresolved_entry_says_resolving_while_searching() -> None:
    from artistree_tui.api.projects import ProjectEntry

    entry = ProjectEntry("[b]Odd[/] name", None)
    searching = entry_prompt(entry, current=False, searching=True).plain
    assert "[b]Odd[/] name" in searching and "resolving…" in searching
    assert "id unknown" in entry_prompt(entry, current=False, searching=False).plain


async def test_default_project_by_name_opens_once_resolved(make_demo: Any) -> None:
    demo = make_demo(orders=3000)
    project = demo.projects[3]
    app = make_app(demo, default_project=project.name)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.main_screen
        await wait_for(pilot, lambda: screen.scope_id == project.id)
        await wait_for(pilot, lambda: screen.stats.stats is not None)
        assert screen.scope_name == project.name
        assert project.id in [r.query["project_id"] for r in order_requests(demo)]
        # Never the name: the endpoint filters by id.
        assert project.name not in [r.query["project_id"] for r in order_requests(demo)]
        assert screen.stats.stats == expected_stats(demo, project.id)
        # Discovery read one page of 1000 (of three) and stopped: every name was known.
        walks = [r for r in order_requests(demo) if r.query.get("limit") == "1000"]
        assert len(walks) <= 1


async def test_default_project_by_id_and_pinned_ids(demo_server: Any) -> None:
    project = demo_server.projects[0]
    app = make_app(
        demo_server, default_project=project.id, projects={"Pinned Elsewhere": project.id}
    )
    async with app.run_test(size=SIZE) as pilot:
        screen = app.main_screen
        await wait_for(pilot, lambda: screen.stats.stats is not None)
        first = order_requests(demo_server)[0]
        assert first.query["project_id"] == project.id
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
        await wait_for(pilot, lambda: screen.scope_id == hostile.id)
        await wait_for(pilot, lambda: screen.stats.stats is not None)
        text = screen_text(app)
        assert "[b]Editorial" in text  # markup shown as text, in the sidebar and the title
        assert "\x1b" not in text and "\u202e" not in text
        await pilot.press("p")  # the project picker lists it too, literally
        await wait_for(
            pilot, lambda: any(hit.startswith("[b]Editorial") for hit in palette_hits(app))
        )
        await pilot.press("escape")
        assert app.is_running
