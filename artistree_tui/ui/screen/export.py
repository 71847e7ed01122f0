"""The palette's "Export the list…", until the list writes files itself: the scripting command
(``artistree-tui orders``, README "Scripting") that writes the orders of the open project and
state filter as CSV. The screen copies it to the clipboard and shows it.

Project names and ids come from the API: they are quoted for a POSIX shell (:func:`shlex.quote`)
and shown through the display boundary like any text.
"""

from __future__ import annotations

import shlex

from artistree_tui.api.models import ALL_PROJECTS

__all__ = ["export_command"]


def export_command(scope_id: str, state: str | None, *, program: str = "artistree-tui") -> str:
    """``artistree-tui orders [--project ID] [--state STATE] --format csv > orders.csv``."""
    words = [program, "orders"]
    if scope_id and scope_id != ALL_PROJECTS:
        words += ["--project", scope_id]
    if state:
        words += ["--state", state]
    words += ["--format", "csv"]
    return " ".join(shlex.quote(word) for word in words) + " > orders.csv"
