"""The list's words when it has no rows, and how its status line fits a narrow pane.

- :data:`NO_MATCH` / :data:`NO_MATCH_YET`: filters that match nothing, once the index is whole
  and while it is still being filled (an order not indexed yet may match);
- :func:`nothing_because`: why nothing is loaded, the same words in the list's empty row, its
  status line and the stats bar (``"the API refused the request"``, ``"the sync stopped"``,
  ``"the API did not answer"``);
- :func:`whole_parts`: the status line cut to the room there is by whole `` · `` parts.

Our words only (no API text), no widget: the pane and the live refresher both use them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.cells import cell_len
from rich.text import Text

if TYPE_CHECKING:
    from artistree_tui.sync import SyncProgress

__all__ = [
    "NO_ANSWER",
    "NO_MATCH",
    "NO_MATCH_YET",
    "REFUSED",
    "STOPPED",
    "nothing_because",
    "whole_parts",
]

#: Filters that match nothing in a whole index.
NO_MATCH = "no order matches — esc clears the filters"
#: Filters that match nothing while the index is still being filled (a tryout's "/" with the
#: oldest order's id, 15 % into the walk, read "no order matches" and gave up).
NO_MATCH_YET = "no match yet: still indexing — esc clears the filters"
#: The API answered with a refusal (credentials, base_url): asking again at once is no use.
REFUSED = "the API refused the request"
#: The sync stopped on an unexpected error of ours.
STOPPED = "the sync stopped"
#: The API does not answer (an outage, a wrong address).
NO_ANSWER = "the API did not answer"


def nothing_because(
    progress: SyncProgress | None, *, rejected: bool = False, down: bool = False
) -> str:
    """Why nothing is loaded, from the sync's ``progress`` and the connection (``rejected``:
    the client saw the credentials refused; ``down``: it sees the API down); "" when nothing
    says the API failed (still loading). The status line says more."""
    if rejected or (progress is not None and progress.refused):
        return REFUSED
    if progress is not None and progress.phase == "stopped":
        return STOPPED
    if down or (progress is not None and progress.phase == "offline"):
        return NO_ANSWER
    return ""


def whole_parts(line: Text, room: int) -> Text:
    """``line`` in ``room`` cells: its last `` · `` parts dropped whole, with "…" for them
    (a tryout read "2 new or chan…"); cut with "…" only when its first part alone is too
    long."""
    if line.cell_len <= room:
        return line.copy()
    plain = line.plain
    end = plain.rfind(" · ")
    while end > 0 and cell_len(plain[:end]) + 2 > room:
        end = plain.rfind(" · ", 0, end)
    if end > 0:
        kept = line[:end]
        kept.append(" …")
        return kept
    cut = line.copy()
    cut.truncate(room, overflow="ellipsis")
    return cut
