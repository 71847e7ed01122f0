"""Package attributes imported on first use (PEP 562), so importing a package costs nothing
until one of its names is used: ``artistree_tui.store`` (SQLite and the index's modules) and
``artistree_tui.demo`` (the demo data) stay out of a start that does not need them.

Standard library only.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

__all__ = ["lazy_attributes"]


def lazy_attributes(
    package: str, homes: dict[str, str], namespace: dict[str, Any]
) -> Callable[[str], Any]:
    """The ``__getattr__`` of ``package``: ``homes`` maps each public name to the submodule it
    lives in; a name is imported from there on first use and kept in ``namespace`` (the
    package's ``globals()``), so the next use is a plain lookup."""

    def __getattr__(name: str) -> Any:
        home = homes.get(name)
        if home is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(f"{package}.{home}"), name)
        namespace[name] = value
        return value

    return __getattr__
