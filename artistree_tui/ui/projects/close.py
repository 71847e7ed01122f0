"""Which project names come close to one that matched none.

First the names Textual's fuzzy matcher finds (the one the ``p`` picker uses: every letter
typed, in order), best first; then, for a typo the fuzzy matcher cannot forgive (a wrong
letter), difflib's close matches, as the command line suggests them
(:func:`artistree_tui.api.projects.close_matches`, which needs no Textual).
"""

from __future__ import annotations

from collections.abc import Iterable

from textual.fuzzy import Matcher

from artistree_tui.api.models import ALL_PROJECTS
from artistree_tui.api.projects import close_matches


def close_projects(wanted: str, names: Iterable[str], limit: int = 3) -> list[str]:
    """Up to ``limit`` of ``names`` close to ``wanted`` (ignoring case), best first."""
    query = wanted.strip()
    candidates = [name for name in names if name != ALL_PROJECTS]
    if not query or not candidates:
        return []
    matcher = Matcher(query)
    scored = [(matcher.match(name), index) for index, name in enumerate(candidates)]
    fuzzy = [
        candidates[index]
        for score, index in sorted(scored, key=lambda s: (-s[0], s[1]))
        if score > 0
    ]
    found = list(dict.fromkeys([*fuzzy, *close_matches(query, candidates, limit)]))
    return found[:limit]
