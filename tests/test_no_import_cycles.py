"""No import cycles anywhere in artistree_tui: layers must not lean on each other both ways.

Every ``import`` statement counts, wherever it stands (also under ``TYPE_CHECKING`` or inside a
function): a cycle hidden that way still says two modules cannot be read one without the
other. Messages live with the package that posts them, and a module that needs something of
its caller takes a Protocol (see ``api/paging.py``'s ``PageSource``).
"""

from __future__ import annotations

import ast
import graphlib
from pathlib import Path

import artistree_tui

PACKAGE = Path(artistree_tui.__file__).resolve().parent


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path, modules: set[str]) -> set[str]:
    """The project modules ``path`` imports (``from pkg import mod`` counts as ``pkg.mod``)."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join([*anchor, *([node.module] if node.module else [])])
            subs = [f"{base}.{alias.name}" for alias in node.names]
            targets = [sub for sub in subs if sub in modules] or [base]
        else:
            continue
        found.update(target for target in targets if target in modules and target != name)
    return found


def import_graph() -> dict[str, set[str]]:
    paths = sorted(PACKAGE.rglob("*.py"))
    modules = {module_name(path) for path in paths}
    return {module_name(path): imports_of(path, modules) for path in paths}


def test_the_graph_is_read() -> None:
    graph = import_graph()
    # A sanity check that the walk sees real edges, so "no cycle" means something.
    assert "artistree_tui.api.client" in graph["artistree_tui.connect"]
    assert "artistree_tui.display" in graph["artistree_tui.ui.stats.bar"]


def test_no_import_cycles() -> None:
    try:
        tuple(graphlib.TopologicalSorter(import_graph()).static_order())
    except graphlib.CycleError as error:
        cycle = " -> ".join(error.args[1])
        raise AssertionError(f"import cycle: {cycle}") from None
