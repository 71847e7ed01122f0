"""``--project NAME_OR_ID`` for the commands: a name in any case, an id, a pinned id; a name
that matches nothing is a usage error naming the close ones; ``projects`` lists names, ids
and roles as the console's sidebar knows them."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from artistree_tui.demo import DemoServer
from tests.support.processes import api_env, one_error_line, run_cli


@pytest.fixture
def demo(make_demo: Callable[..., DemoServer]) -> DemoServer:
    return make_demo(orders=1500, seed=11)


def ndjson(text: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in text.splitlines()]


def test_a_name_in_any_case_selects_that_project(demo: DemoServer, isolated: Path) -> None:
    project = next(p for p in demo.projects if p.name == "Game Concept Art")
    env = api_env(isolated, demo.base_url)
    result = run_cli(
        "orders", "--project", "game concept art", "--fields", "order_id,project_name", env=env
    )
    assert result.returncode == 0, result.stderr
    rows = ndjson(result.stdout)
    assert [row["order_id"] for row in rows] == demo.order_ids(project.id)
    assert {row["project_name"] for row in rows} == {"Game Concept Art"}
    # The API was asked by id, never by name.
    asked = {r.query.get("project_id") for r in demo.recorded("/v1/orders")}
    assert "game concept art" not in asked and project.id in asked
    # The global flag before the command means the same.
    before = run_cli("--project", "GAME CONCEPT ART", "stats", env=env)
    assert json.loads(before.stdout) == demo.stats(project.id)


def test_an_id_and_a_pinned_name_need_no_lookup(
    demo: DemoServer, isolated: Path, tmp_path: Path
) -> None:
    project = demo.projects[1]
    env = api_env(isolated, demo.base_url)
    by_id = run_cli("stats", "--project", project.id, env=env)
    assert json.loads(by_id.stdout) == demo.stats(project.id)
    config = tmp_path / "config.toml"
    config.write_text(f'[projects]\n"Pinned" = "{project.id}"\n')
    demo.clear_requests()
    pinned = run_cli("--config", str(config), "stats", "--project", "pinned", env=env)
    assert json.loads(pinned.stdout) == demo.stats(project.id)
    assert [r.query["project_id"] for r in demo.recorded("/v1/orders")] == [project.id]


def test_an_unknown_name_names_the_close_ones(demo: DemoServer, isolated: Path) -> None:
    result = run_cli("orders", "--project", "game concpt art", env=api_env(isolated, demo.base_url))
    assert result.returncode == 2
    message = one_error_line(result.stderr)
    assert message.startswith(
        "--project: no project named 'game concpt art': close: 'Game Concept Art'"
    )
    assert result.stdout == ""


def test_projects_lists_names_ids_and_roles(demo: DemoServer, isolated: Path) -> None:
    env = api_env(isolated, demo.base_url)
    rows = ndjson(run_cli("projects", env=env).stdout)
    assert rows[0] == {
        "name": "Personal Certificates",
        "id": "Personal Certificates",
        "userRole": None,
    }
    listed = {row["name"]: row for row in rows[1:]}
    assert set(listed) == {p.name for p in demo.projects}
    for project in demo.projects:
        assert listed[project.name]["id"] == project.id
        assert listed[project.name]["userRole"] == project.role
    names_only = ndjson(run_cli("projects", "--no-ids", env=env).stdout)
    assert [row["name"] for row in names_only] == [row["name"] for row in rows]
    assert all(row["id"] is None for row in names_only[1:])
