"""What an order id looks like, for every place that reads one from a person: the CLI's ``order``
and ``certificate``, the console's ``o`` prompt and command palette, a project given by its id.

An order id is a UUID (the API takes nothing else). Where a person pastes one, its start is
taken too, as an 80-column table cuts it (``add5bffe-1b8…``), like git's short SHAs: at least
:data:`SHORT_ID_MIN` hex digits or dashes, a copied trailing ellipsis dropped. Pure: no
Textual, no HTTP.
"""

from __future__ import annotations

import re

__all__ = ["ELLIPSES", "ORDER_ID", "SHORT_ID", "SHORT_ID_MIN", "without_ellipsis"]

#: An order id as the API spells it (a UUID): ``fullmatch`` a value, ``search`` amid text.
ORDER_ID = re.compile(
    r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
)
#: The fewest characters of an id taken as its start (git's minimum too).
SHORT_ID_MIN = 4
#: The start of an order id: hex digits and dashes, from :data:`SHORT_ID_MIN` characters.
SHORT_ID = re.compile(rf"[0-9a-fA-F][0-9a-fA-F-]{{{SHORT_ID_MIN - 1},35}}")
#: What a table puts where it cut a cell (copied with the id, it is dropped).
ELLIPSES = ("…", "...")


def without_ellipsis(text: str) -> str:
    """``text`` without a trailing ellipsis a table put where it cut it."""
    for mark in ELLIPSES:
        if text.endswith(mark):
            return text[: -len(mark)].rstrip()
    return text
