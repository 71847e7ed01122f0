"""The project directory: names in the API's order, ids from orders, pins, roles, lookup."""

from __future__ import annotations

from artistree_tui.api.models import (
    ALL_PROJECTS,
    PERSONAL_CERTIFICATES,
    Order,
    OrdersPage,
    Project,
)
from artistree_tui.api.projects import ProjectDirectory

NAMES = (PERSONAL_CERTIFICATES, "Alpha", "Beta", "Gamma")


def order(project: Project | None, n: int = 0) -> Order:
    return Order(order_id=f"order-{n}", project=project)


def test_names_keep_the_api_order_and_start_unresolved() -> None:
    directory = ProjectDirectory()
    assert directory.observe_names(NAMES)
    entries = directory.entries()
    assert [e.name for e in entries] == [ALL_PROJECTS, *NAMES]
    assert entries[0].project_id == ALL_PROJECTS
    # Personal Certificates is its own id; the others wait for an order that names them.
    assert entries[1].project_id == PERSONAL_CERTIFICATES
    assert [e.resolved for e in entries[2:]] == [False, False, False]
    assert directory.unresolved_names() == ["Alpha", "Beta", "Gamma"]
    assert not directory.complete


def test_ids_and_roles_come_from_orders() -> None:
    directory = ProjectDirectory()
    directory.observe_names(NAMES)
    page = OrdersPage(
        project_names=NAMES,
        orders=(
            order(Project("id-a", "Alpha", "Reviewer"), 1),
            order(None, 2),
            order(Project("id-b", "Beta", None), 3),
        ),
    )
    assert directory.observe_page(page, scope=ALL_PROJECTS)
    assert directory.id_for("Alpha") == "id-a"
    assert directory.entry("Alpha").role == "Reviewer"
    assert directory.entry("Beta").role is None
    assert directory.unresolved_names() == ["Gamma"]
    # Seeing the same thing again changes nothing visible.
    assert not directory.observe_page(page, scope=ALL_PROJECTS)
    directory.observe_order(order(Project("id-g", "Gamma", "Admin")))
    assert directory.complete
    assert directory.name_for("id-g") == "Gamma"


def test_project_names_of_a_single_project_page_are_ignored() -> None:
    directory = ProjectDirectory()
    page = OrdersPage(project_names=("Noise",), orders=(order(Project("id-a", "Alpha")),))
    directory.observe_page(page, scope="id-a")
    assert not directory.names_known
    # The project seen in an order is still listed, after the known names.
    assert [e.name for e in directory.entries()] == [ALL_PROJECTS, PERSONAL_CERTIFICATES, "Alpha"]


def test_pinned_ids_win_and_are_listed() -> None:
    directory = ProjectDirectory({"Alpha": "pinned-a", "Hidden": "pinned-h"})
    directory.observe_names(NAMES)
    directory.observe_order(order(Project("seen-a", "Alpha", "Owner")))
    assert directory.id_for("Alpha") == "pinned-a"
    alpha = directory.entry("Alpha")
    assert alpha.pinned and alpha.project_id == "pinned-a"
    names = [e.name for e in directory.entries()]
    assert names[-1] == "Hidden"  # pinned but not in project_names: still offered
    assert directory.lookup("pinned-h") is not None
    assert directory.lookup("pinned-h").name == "Hidden"


def test_lookup_by_name_or_id() -> None:
    directory = ProjectDirectory()
    directory.observe_names(NAMES)
    directory.observe_order(order(Project("id-b", "Beta")))
    assert directory.lookup(" Beta ").project_id == "id-b"
    assert directory.lookup("id-b").name == "Beta"
    assert directory.lookup(ALL_PROJECTS).project_id == ALL_PROJECTS
    assert directory.lookup(PERSONAL_CERTIFICATES).project_id == PERSONAL_CERTIFICATES
    assert directory.lookup("Gamma").resolved is False
    assert directory.lookup("nope") is None
    assert directory.lookup("") is None


def test_duplicate_names_keep_the_first_id() -> None:
    directory = ProjectDirectory()
    directory.observe_order(order(Project("first", "Twin")))
    directory.observe_order(order(Project("second", "Twin")))
    assert directory.id_for("Twin") == "first"
