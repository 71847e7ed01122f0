"""The README's keyboard table, generated from the console's real bindings.

Every class in :mod:`artistree_tui.ui` that declares ``BINDINGS`` is read (so a binding added
anywhere shows up), and the table lists each binding's keys, what it does, where it applies
and its binding id (the name ``[keymap]`` rebinds). ``python -m artistree_tui.ui.keys.table``
prints the table; ``--write README.md`` replaces the table between the README's
``<!-- keys -->`` markers. A test compares the README with the bindings, so they cannot drift.
"""

from __future__ import annotations

import argparse
import importlib
import inspect
import pkgutil
import re
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from textual.binding import Binding
from textual.keys import format_key

import artistree_tui.ui as ui_package

BEGIN = "<!-- keys -->"
END = "<!-- /keys -->"
#: Where a binding applies, for classes whose name does not say it well.
WHERE = {
    "ConsoleApp": "everywhere",
    "MainScreen": "main screen",
    "HelpScreen": "help",
    "FilterInput": "filter box",
}
#: Table order: app-wide first, then the screen, then the panes left to right.
ORDER = ("app", "console", "sidebar", "list", "detail", "annotations", "preview", "help")


@dataclass(frozen=True)
class KeyRow:
    """One binding as the README shows it."""

    binding_id: str
    keys: tuple[str, ...]
    action: str
    where: str


def key_names(keys: str) -> tuple[str, ...]:
    """``"question_mark,f1"`` -> ``("?", "f1")``: punctuation as typed, other keys by name."""
    names = []
    for key in (part.strip() for part in keys.split(",")):
        shown = format_key(key)
        names.append(shown if len(shown) == 1 and shown.isascii() and not shown.isalnum() else key)
    return tuple(names)


def _where(cls: type) -> str:
    title = getattr(cls, "BINDING_GROUP_TITLE", None)
    if cls.__name__ in WHERE:
        return WHERE[cls.__name__]
    if title:
        return str(title).lower()
    words = re.findall(r"[A-Z]+[a-z0-9]*|[a-z0-9]+", cls.__name__)
    return " ".join(words).lower()


def ui_classes() -> list[type]:
    """Every class defined in the modules of :mod:`artistree_tui.ui`."""
    found = []
    for module_info in pkgutil.walk_packages(ui_package.__path__, ui_package.__name__ + "."):
        module = importlib.import_module(module_info.name)
        for _name, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__ == module.__name__:
                found.append(cls)
    return found


def binding_classes() -> Iterator[type]:
    """Every class of :mod:`artistree_tui.ui` that declares its own ``BINDINGS``."""
    for cls in ui_classes():
        if cls.__dict__.get("BINDINGS"):
            yield cls


def home_classes(cls: type, classes: Sequence[type]) -> list[type]:
    """Where ``cls``'s bindings are used: itself, or for a mixin (a class the console only
    inherits from) the most derived of ``classes`` that inherit it."""
    users = [c for c in classes if c is not cls and issubclass(c, cls)]
    leaves = [c for c in users if not any(o is not c and issubclass(o, c) for o in users)]
    return sorted(leaves, key=lambda c: c.__name__) if leaves else [cls]


def console_bindings() -> list[tuple[str, Binding]]:
    """(where, binding) for every ``Binding`` the console's own classes declare."""
    classes = ui_classes()
    found = []
    for cls in classes:
        for item in cls.__dict__.get("BINDINGS", ()):
            if isinstance(item, Binding):
                homes = home_classes(cls, classes)
                found.append((", ".join(dict.fromkeys(map(_where, homes))), item))
    return found


def key_rows() -> list[KeyRow]:
    """The table's rows; one per binding id (a binding declared twice with one id, like help
    and its closing key, shows every key it has)."""
    rows: dict[str, KeyRow] = {}
    for where, binding in console_bindings():
        if not binding.id:
            continue
        keys = key_names(binding.key)
        action = binding.description or binding.tooltip or binding.action
        if binding.tooltip and binding.tooltip != action:
            action = f"{action}: {binding.tooltip[0].lower()}{binding.tooltip[1:]}"
        if binding.id in rows:
            previous = rows[binding.id]
            keys = tuple(dict.fromkeys(previous.keys + keys))
            rows[binding.id] = KeyRow(binding.id, keys, previous.action, previous.where)
            continue
        rows[binding.id] = KeyRow(binding.id, keys, action, where)

    def order(row: KeyRow) -> tuple[int, int]:
        prefix = row.binding_id.split(".", 1)[0]
        rank = ORDER.index(prefix) if prefix in ORDER else len(ORDER)
        return rank, list(rows).index(row.binding_id)

    return sorted(rows.values(), key=order)


def markdown_table(rows: Sequence[KeyRow]) -> str:
    lines = ["| keys | what it does | where | binding id |", "|---|---|---|---|"]
    for row in rows:
        keys = " ".join(f"`{key}`" for key in row.keys)
        action = row.action.replace("|", "\\|")
        lines.append(f"| {keys} | {action} | {row.where} | `{row.binding_id}` |")
    return "\n".join(lines)


def replace_table(readme: str, table: str) -> str:
    """``readme`` with the text between the markers replaced by ``table``."""
    start, end = readme.find(BEGIN), readme.find(END)
    if start < 0 or end < start:
        raise ValueError(f"the README has no {BEGIN} ... {END} markers")
    return f"{readme[: start + len(BEGIN)]}\n{table}\n{readme[end:]}"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m artistree_tui.ui.keys.table", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--write", metavar="README", type=Path, help="update this file's table")
    args = parser.parse_args(argv)
    table = markdown_table(key_rows())
    if args.write is None:
        print(table)
        return 0
    try:
        text = replace_table(args.write.read_text(encoding="utf-8"), table)
    except (OSError, ValueError) as error:
        print(f"key_table: error: {error}", file=sys.stderr)
        return 1
    args.write.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
