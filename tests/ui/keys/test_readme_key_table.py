"""The README's keyboard table matches the console's real bindings, so it cannot drift.

The bindings are read from the classes themselves (:mod:`artistree_tui.ui.keys.table`); the
README's table is the text between its ``<!-- keys -->`` markers. When this fails after a
binding changed, regenerate the table: ``python -m artistree_tui.ui.keys.table --write README.md``.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from artistree_tui.ui.keys import keymap
from artistree_tui.ui.keys import table as key_table
from tests.support import REPO

README = REPO / "README.md"
FIX = "regenerate it: python -m artistree_tui.ui.keys.table --write README.md"
ROW = re.compile(r"^\|(?P<keys>[^|]*)\|.*\|\s*`(?P<id>[^`]+)`\s*\|\s*$")


def readme_rows() -> dict[str, tuple[str, ...]]:
    """binding id -> keys, from the README's table."""
    text = README.read_text(encoding="utf-8")
    start, end = text.find(key_table.BEGIN), text.find(key_table.END)
    assert 0 <= start < end, "README.md lost its <!-- keys --> markers"
    rows: dict[str, tuple[str, ...]] = {}
    for line in text[start:end].splitlines():
        match = ROW.match(line.strip())
        if match:
            rows[match["id"]] = tuple(re.findall(r"`([^`]+)`", match["keys"]))
    return rows


def keymap_ids() -> set[str]:
    """The binding ids named in keymap.py (its module-level "area.name" constants)."""
    return {
        value
        for name, value in vars(keymap).items()
        if name.isupper() and isinstance(value, str) and re.fullmatch(r"[a-z_]+\.[a-z_]+", value)
    }


def test_every_binding_of_the_console_has_an_id() -> None:
    missing = [
        f"{where}: {binding.key} -> {binding.action}"
        for where, binding in key_table.console_bindings()
        if not binding.id
    ]
    assert not missing, f"bindings without an id ([keymap] cannot rebind them): {missing}"


def test_keymap_ids_are_bound_somewhere() -> None:
    bound = {row.binding_id for row in key_table.key_rows()}
    assert keymap_ids() - bound == set()


def test_readme_lists_every_binding_with_its_keys() -> None:
    documented = readme_rows()
    for row in key_table.key_rows():
        assert row.binding_id in documented, f"{row.binding_id} is not in README.md; {FIX}"
        assert documented[row.binding_id] == row.keys, f"{row.binding_id}: keys differ; {FIX}"
    assert keymap_ids() <= documented.keys()


def test_readme_lists_no_binding_that_does_not_exist() -> None:
    known = {row.binding_id for row in key_table.key_rows()}
    stale = sorted(set(readme_rows()) - known)
    assert not stale, f"README.md documents bindings that no longer exist: {stale}; {FIX}"


def test_write_replaces_only_the_table(tmp_path: Path) -> None:
    readme = tmp_path / "README.md"
    readme.write_text(f"# t\n\nbefore\n{key_table.BEGIN}\nold\n{key_table.END}\nafter\n")
    assert key_table.main(["--write", str(readme)]) == 0
    text = readme.read_text()
    assert text.startswith("# t\n\nbefore\n") and text.endswith(f"{key_table.END}\nafter\n")
    assert "old" not in text and "`app.quit`" in text
    readme.write_text("no markers\n")
    assert key_table.main(["--write", str(readme)]) == 1


@pytest.mark.parametrize(
    ("keys", "shown"),
    [("question_mark,f1", ("?", "f1")), ("j,down", ("j", "down")), ("slash", ("/",))],
)
def test_key_names(keys: str, shown: tuple[str, ...]) -> None:
    assert key_table.key_names(keys) == shown
