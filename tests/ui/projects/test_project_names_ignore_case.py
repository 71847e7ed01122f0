"""A project is found by its name whatever its case (``--project 'game concept art'``), in
the directory both the console and the command line use; when no name matches, the console
names the projects that come close (Textual's fuzzy matcher, as the ``p`` picker ranks)."""

from __future__ import annotations

from typing import Any

from artistree_tui.api.models import ALL_PROJECTS, PERSONAL_CERTIFICATES, Project
from artistree_tui.api.projects import ProjectDirectory, close_matches
from artistree_tui.ui.projects.close import close_projects
from tests.support.app import SIZE, make_app, notifications, wait_for

NAMES = [PERSONAL_CERTIFICATES, "Album Covers", "Game Concept Art", "Museum Poster Series"]


def directory() -> ProjectDirectory:
    known = ProjectDirectory({"Pinned Thing": "pinned-id"})
    known.observe_names(NAMES)
    known.observe_project(Project("id-game", "Game Concept Art", "Member"))
    return known


def test_lookup_ignores_case_and_prefers_an_exact_match() -> None:
    projects = directory()
    for text in ("game concept art", "GAME CONCEPT ART", "  Game concept Art "):
        entry = projects.lookup(text)
        assert entry is not None and (entry.name, entry.project_id) == (
            "Game Concept Art",
            "id-game",
        )
    assert projects.lookup("pinned thing").project_id == "pinned-id"
    assert projects.lookup("all projects").project_id == ALL_PROJECTS
    assert projects.lookup("personal certificates").project_id == PERSONAL_CERTIFICATES
    # Known by name, id not yet: found, unresolved.
    assert projects.lookup("album covers").resolved is False
    assert projects.lookup("id-game").name == "Game Concept Art"
    assert projects.lookup("game concept") is None
    # Two names differing only by case: the exact one wins.
    projects.observe_project(Project("id-lower", "game concept art"))
    assert projects.lookup("game concept art").project_id == "id-lower"
    assert projects.lookup("Game Concept Art").project_id == "id-game"


def test_close_names_without_textual() -> None:
    assert close_matches("concept art", NAMES) == ["Game Concept Art"]
    assert close_matches("Game Concpt Art", NAMES) == ["Game Concept Art"]
    assert close_matches("museum", NAMES) == ["Museum Poster Series"]
    assert close_matches("zzzz", NAMES) == []
    assert directory().close_names("album cover") == ["Album Covers"]


def test_close_names_with_textual_fuzzy_matcher() -> None:
    assert close_projects("gm cncpt", [ALL_PROJECTS, *NAMES]) == ["Game Concept Art"]
    assert close_projects("qqq", NAMES) == []


async def test_the_console_opens_a_project_named_in_another_case(make_demo: Any) -> None:
    demo = make_demo(orders=600)
    project = demo.projects[2]
    app = make_app(demo, default_project=project.name.swapcase())
    async with app.run_test(size=SIZE) as pilot:
        screen = app.main_screen
        await wait_for(pilot, lambda: screen.scope_name == project.name)
        assert screen.orders.scope.name == project.name


async def test_an_unknown_project_names_the_close_ones(make_demo: Any) -> None:
    demo = make_demo(orders=600)
    project = demo.projects[2]
    typo = project.name[:-2] + "qq"
    app = make_app(demo, default_project=typo)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: any("was not found" in n for n in notifications(app)))
        (line,) = [n for n in notifications(app) if "was not found" in n]
        assert line.startswith(f"Project “{typo}” was not found. Close: {project.name}")
        assert app.main_screen.scope_id == ALL_PROJECTS
