"""The display boundary: the one way untrusted text reaches the screen.

Every string that comes from the API (titles, names, emails, tags, annotation bodies, error
bodies, layer names, ...) is hostile: it may hold Rich/Textual markup (``[@click=app.quit]``),
terminal escape sequences (OSC 52 clipboard writes, OSC 8 links, CSI, DCS, APC, 8-bit C1),
bidi overrides that reorder what the reviewer reads, zero-width characters that hide text, lone
surrogates that crash the terminal encoder, or simply megabytes of text.

:func:`clean` turns such a string into one that is safe to write to a terminal: control
characters become visible Unicode control pictures (``ESC`` → ``␛``), invisible format
characters become ``␦`` markers (so do invisible fillers such as the Hangul fillers and the
combining grapheme joiner, and variation selectors piled on one character), stacked combining
marks (Unicode categories Mn and Me, whatever the block) are capped at two per character, a
carriage return is ``␍`` in one-line fields and blocks alike (only CRLF counts as a line end),
and the length is bounded. :func:`safe` wraps the cleaned string in a
:class:`rich.text.Text`, which Textual renders literally (never parsed as markup). Widgets
must receive ``safe(...)`` objects (or ``clean(...)`` strings with markup disabled), never raw
API strings.

This module imports Rich only (shipped with Textual) and is used by the UI and the preview.
"""

from __future__ import annotations

import re
import unicodedata

from rich.style import Style
from rich.text import Text

#: Default cap for one-line fields (titles, names, tags).
LINE_LIMIT = 300
#: Default cap for multi-line blocks (annotation bodies, error texts).
BLOCK_LIMIT = 4000
#: Default cap on the lines of a multi-line block: 4000 line feeds would take Textual about
#: half a second to lay out on every redraw of the pane.
BLOCK_LINES = 100

ELLIPSIS = "…"
#: Marker for invisible or direction-changing format characters.
HIDDEN_MARK = "\u2426"  # ␦ "substitute form two": visible, one cell, clearly not content

_C0_PICTURES = {code: chr(0x2400 + code) for code in range(0x20)}
_C0_PICTURES[0x7F] = "\u2421"  # ␡

# Characters that change direction or are invisible: each would let an uploader disguise text.
_FORMAT_CHARS = [
    *(0x061C, 0x180E, 0x200B, 0x200C, 0x200D, 0x200E, 0x200F, 0x2028, 0x2029, 0x2060, 0xFEFF),
    *range(0x202A, 0x202F),  # LRE RLE PDF LRO RLO
    *range(0x2061, 0x2065),  # invisible operators
    *range(0x2066, 0x206A),  # LRI RLI FSI PDI
    *range(0x206A, 0x2070),  # deprecated format controls
    *range(0xFFF9, 0xFFFC),  # interlinear annotation controls
    *range(0xE0000, 0xE0080),  # tag characters (invisible "ASCII smuggling")
]
# Letters and marks that draw nothing: fillers and joiners an uploader can hide text with.
_INVISIBLE_CHARS = [
    0x034F,  # combining grapheme joiner
    0x115F,  # Hangul choseong filler
    0x1160,  # Hangul jungseong filler
    0x17B4,  # Khmer vowel inherent aq
    0x17B5,  # Khmer vowel inherent aa
    *range(0x180B, 0x1810),  # Mongolian free variation selectors and vowel separator
    0x2800,  # Braille pattern blank
    0x3164,  # Hangul filler
    0xFFA0,  # halfwidth Hangul filler
    *range(0x1D173, 0x1D17B),  # musical beam and slur controls
]


def _build_table(*, multiline: bool) -> dict[int, str]:
    table: dict[int, str] = dict(_C0_PICTURES)
    for code in range(0x80, 0xA0):  # 8-bit C1: CSI (0x9B), OSC (0x9D), DCS (0x90), APC (0x9F)
        table[code] = HIDDEN_MARK
    for code in (*_FORMAT_CHARS, *_INVISIBLE_CHARS):
        table[code] = HIDDEN_MARK
    table[0x09] = " "  # a tab is harmless but its width is not: one space
    if multiline:
        table[0x0A] = "\n"  # a CR stays ␍: "approved\rREJECTED" must not read as one word
    return table


_LINE_TABLE = _build_table(multiline=False)
_BLOCK_TABLE = _build_table(multiline=True)
_SURROGATES = re.compile("[\ud800-\udfff]")
# More than two combining marks on one base character is "zalgo": it smears across lines.
MAX_MARKS = 2
_MARK_CATEGORIES = frozenset({"Mn", "Me"})
# Every combining mark and variation selector is at U+0300 or above: only runs of two or more
# such characters can need capping, so ASCII and most Latin text is never walked. Spelled as
# "not below U+0300": the same characters, compiled in 0.3 ms instead of 4 ms (at startup).
_MARK_CANDIDATES = re.compile("[^\x00-\u02ff]{2,}")


def clean(
    value: object,
    *,
    limit: int = LINE_LIMIT,
    multiline: bool = False,
    max_lines: int = BLOCK_LINES,
) -> str:
    """Return ``value`` as text that is safe to write to a terminal, at most ``limit`` chars.

    Non-strings are shown with ``str()`` (None becomes the empty string). Truncated text ends
    with ``…``. ``multiline`` keeps line feeds (for bodies), at most ``max_lines`` lines;
    otherwise they become ``␊``.
    """
    if value is None:
        return ""
    text = value if isinstance(value, str) else str(value)
    # Truncate first so that cleaning megabytes costs no more than cleaning ``limit`` chars;
    # a little slack keeps a cut combining run from hiding the ellipsis.
    truncated = len(text) > limit
    if truncated:
        text = text[: max(limit - 1, 0)]
    if multiline and "\r\n" in text:
        text = text.replace("\r\n", "\n")  # a line end; any other CR is shown as ␍
    text = text.translate(_BLOCK_TABLE if multiline else _LINE_TABLE)
    if _SURROGATES.search(text):
        text = _SURROGATES.sub("\ufffd", text)
    if not text.isascii():
        text = _MARK_CANDIDATES.sub(_cap_marks, text)
    if multiline:
        cap = max(max_lines, 1)
        lines = text.split("\n", cap)
        if len(lines) > cap:  # one more piece than allowed: the rest is cut off
            text, truncated = "\n".join(lines[:-1]), True
    # Any remaining non-printable category (Cc/Cf/Co/Cn) that the table did not name.
    if not text.isprintable():
        text = "".join(
            ch if ch.isprintable() or (multiline and ch == "\n") or _is_allowed(ch) else HIDDEN_MARK
            for ch in text
        )
    return text + ELLIPSIS if truncated else text


def _is_variation_selector(code: int) -> bool:
    return 0xFE00 <= code <= 0xFE0F or 0xE0100 <= code <= 0xE01EF


def _cap_marks(match: re.Match[str]) -> str:
    """At most :data:`MAX_MARKS` combining marks (Mn/Me) on one character, and at most one
    variation selector: the next ones in a row become ``␦`` (data can hide in them)."""
    out: list[str] = []
    marks = 0
    previous_selector = False
    for ch in match.group():
        code = ord(ch)
        if _is_variation_selector(code):
            if previous_selector:  # the rest of a pile of selectors: shown, not hidden
                out.append(HIDDEN_MARK)
                marks = 0
                continue
            previous_selector = True
        else:
            previous_selector = False
        if unicodedata.category(ch) in _MARK_CATEGORIES:
            marks += 1
            if marks > MAX_MARKS:
                continue
        else:
            marks = 0
        out.append(ch)
    return "".join(out)


def _is_allowed(ch: str) -> bool:
    # Spaces other than " " are not "printable" to Python but are harmless, visible gaps.
    return unicodedata.category(ch) == "Zs"


def safe(
    value: object,
    *,
    style: str | Style = "",
    limit: int = LINE_LIMIT,
    multiline: bool = False,
    max_lines: int = BLOCK_LINES,
) -> Text:
    """A Rich ``Text`` of the cleaned value: rendered literally, never parsed as markup."""
    cleaned = clean(value, limit=limit, multiline=multiline, max_lines=max_lines)
    return Text(cleaned, style=style, no_wrap=not multiline)


def join(*parts: Text | str, separator: str = "") -> Text:
    """Join already-safe ``Text`` objects and literal strings *written by us* into one Text.

    Plain ``str`` parts are taken literally (not as markup), so a constant like ``"· "`` is
    fine here; API strings must go through :func:`safe` first.
    """
    result = Text()
    for index, part in enumerate(parts):
        if index and separator:
            result.append(separator)
        result.append(part)
    return result
