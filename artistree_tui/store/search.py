"""What the ``/`` text of a view matches, as SQL that cannot be injected into.

The text is split into words (runs of letters and digits; everything else separates, so
quotes, ``*``, ``:``, ``NEAR``, ``--`` or ``'; DROP`` are plain separators or plain words).
An order matches when **every** word starts a word of its title, asset name, user name,
e-mail, ordered-by, tags, project or analysis types, **or** when the whole text is the start
of its order id.

- With FTS5: each word becomes a quoted prefix term (``"word"*``), ANDed; the quoted term
  can only ever be a single token, so the query has no syntax a user could reach. A prefix
  is spelled out as the index's own terms that start with it, read from its vocabulary
  (:func:`expanded_query`), when there are few: FTS5's ``*`` is several times slower.
- Without FTS5 (the fallback, chosen at run time): each word must appear inside one of those
  fields (``LIKE '%word%'`` with ``\\`` escapes): broader, and a scan, but the same API.
- The order id prefix always uses the id's unique index (a range ``>= prefix`` and
  ``< prefix + 1``), never a scan.
- Rows held in memory, not in the index (``orders --search`` walking the API), are matched by
  :class:`TextMatch`, the same rule in Python, so a script gets the same orders with or
  without ``--cached``, and the same as ``/`` in the console.

Every value reaches SQLite as a bound parameter.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable

from artistree_tui.store import codec

#: At most this many words, each cut to this many characters (a pasted novel stays cheap).
MAX_WORDS = 16
MAX_WORD_CHARS = 64
_WORD = re.compile(r"[^\W_]+")
_ID_PREFIX = re.compile(r"[0-9A-Fa-f][0-9A-Fa-f-]{2,35}")
_LIKE_FIELDS = (
    "o.title",
    "o.asset_name",
    "o.username",
    "o.email",
    "o.ordered_by",
    "o.tags_text",
    "p.name",
    "o.analysis_types",
)


def words(text: str) -> list[str]:
    """The words of ``text`` (see the module docstring), lower-cased, capped."""
    found = _WORD.findall(text.lower())
    return [w[:MAX_WORD_CHARS] for w in found[:MAX_WORDS]]


def folded(text: str) -> str:
    """``text`` lower-cased, Latin letters without their diacritics: how the index's tokenizer
    (``unicode61 remove_diacritics 2``) compares words ("Chloé" is "chloe"; "ß", "ﬁ" and other
    scripts' accents stay as they are, as they do there)."""
    if text.isascii():
        return text.lower()  # nearly every text: no character to look at one by one
    kept: list[str] = []
    for char in text:
        lower = char.lower()  # "İ" is "i" and a dot above: two characters
        if lower.isascii():
            kept.append(lower)
            continue
        parts = unicodedata.normalize("NFD", lower)
        if "LATIN" in unicodedata.name(parts[0], ""):
            kept.append("".join(part for part in parts if not unicodedata.combining(part)))
        else:
            kept.append(lower)
    return "".join(kept)


class TextMatch:
    """The index's text rule for one row at a time (see the module docstring): every word of
    the text starts a word of ``texts``, or the whole text starts the order id."""

    __slots__ = ("_id_prefix", "_terms")

    def __init__(self, text: str) -> None:
        self._terms = words(folded(text))
        self._id_prefix = text.strip().lower() if id_prefixes(text) else None

    def matches(self, order_id: str, texts: Iterable[str | None]) -> bool:
        """Does a row with ``order_id`` and the searchable ``texts`` match?"""
        if self._id_prefix is not None and order_id.lower().startswith(self._id_prefix):
            return True
        if not self._terms:
            return False  # no word (and not an id): nothing matches, as in the index
        found = [word for text in texts if text for word in _WORD.findall(folded(text))]
        return all(any(word.startswith(term) for word in found) for term in self._terms)


def fts_query(text: str) -> str | None:
    """The FTS5 MATCH expression for ``text``, or None when it has no words."""
    terms = words(text)
    if not terms:
        return None
    return " ".join(f'"{term}"*' for term in terms)


#: A word that starts more index terms than this is left to FTS5's own prefix search.
MAX_EXPANSION = 64


def expanded_query(text: str, terms_starting: Callable[[str], list[str]]) -> str | None:
    """The MATCH expression for ``text`` with each prefix spelled out as the index's terms
    that start with it (``("harbour" OR "harbours")``): several times faster than FTS5's
    ``"harb"*``, which merges every such term's rows itself. ``terms_starting(word)`` lists
    at most ``MAX_EXPANSION + 1`` terms; a non-ASCII word, or one that starts too many,
    keeps the ``*`` form. Returns ``""`` when some word starts no term at all (nothing can
    match) and None when ``text`` has no words."""
    found = words(text)
    if not found:
        return None
    parts: list[str] = []
    for word in found:
        if not word.isascii():
            parts.append(f'"{word}"*')  # let FTS5 fold its diacritics the way it indexed them
            continue
        terms = terms_starting(word)
        if not terms:
            return ""
        if len(terms) > MAX_EXPANSION:
            parts.append(f'"{word}"*')
        else:
            quoted = [f'"{term.replace(chr(34), chr(34) * 2)}"' for term in terms]
            parts.append("(" + " OR ".join(quoted) + ")")
    return " AND ".join(parts)


def id_prefixes(text: str) -> list[tuple[str, str]]:
    """``[(low, high)]`` ranges of order ids that start with ``text`` (as typed, lower and
    upper case), or ``[]`` when ``text`` cannot start a UUID-like id."""
    prefix = text.strip()
    if not _ID_PREFIX.fullmatch(prefix):
        return []
    variants = dict.fromkeys((prefix, prefix.lower(), prefix.upper()))
    return [(p, p[:-1] + chr(ord(p[-1]) + 1)) for p in variants]


def prefix_range(prefix: str) -> tuple[str, str | None]:
    """``(low, high)``: the strings that start with ``prefix`` are exactly those
    ``>= low`` and (when ``high`` is not None) ``< high``, in SQLite's binary order (code
    point order). A range, not ``LIKE``: ``%`` and ``_`` in ``prefix`` are plain characters,
    and the column's index answers it. ``high`` is ``prefix`` with its last character
    raised by one (a last character that cannot be raised is dropped and the one before it
    raised; None when none can be)."""
    chars = list(prefix)
    while chars:
        last = ord(chars.pop())
        if last < _MAX_CODE_POINT:
            nxt = _AFTER_SURROGATES if 0xD800 <= last + 1 <= 0xDFFF else last + 1
            return prefix, "".join(chars) + chr(nxt)
    return prefix, None


_MAX_CODE_POINT = 0x10FFFF
_AFTER_SURROGATES = 0xE000


def like_pattern(word: str) -> str:
    """``%word%`` with LIKE's wildcards escaped (use with ``ESCAPE '\\'``)."""
    escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{codec.to_db(escaped)}%"


def like_filter(text: str) -> tuple[str, list[str]] | None:
    """The fallback's WHERE clause (on ``orders o`` joined with ``projects p``) and params."""
    terms = words(text)
    if not terms:
        return None
    clauses: list[str] = []
    params: list[str] = []
    for term in terms:
        pattern = like_pattern(term)
        clauses.append(
            "(" + " OR ".join(f"{field} LIKE ? ESCAPE '\\'" for field in _LIKE_FIELDS) + ")"
        )
        params.extend([pattern] * len(_LIKE_FIELDS))
    return " AND ".join(clauses), params
