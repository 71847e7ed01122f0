"""What may never reach a terminal from our output (no tests here).

:func:`dangerous` lists the characters of a text that a terminal could act on, or that hide or
reorder text: C0 controls (but those ``allowed``), DEL, C1, format characters (bidi overrides,
zero-width) and lone surrogates. The hostile-data tests of every output (tables, CSV, JSON,
exported files, toasts) assert it is empty.
"""

from __future__ import annotations

import unicodedata

#: Allowed by default: the line feed (CSV adds CR for its line ends).
ALLOWED_CONTROLS = frozenset({"\n"})


def dangerous(text: str, allowed: frozenset[str] | set[str] = ALLOWED_CONTROLS) -> list[str]:
    """The characters of ``text`` a terminal could act on, or that hide or reorder text."""
    return sorted(
        {
            ch
            for ch in text
            if ch not in allowed
            and (unicodedata.category(ch) in ("Cc", "Cf", "Cs") or 0x80 <= ord(ch) < 0xA0)
        }
    )
