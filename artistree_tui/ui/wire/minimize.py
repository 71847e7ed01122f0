"""Rewrite an escape stream into fewer bytes that leave the terminal in the same state.

Pure Python, no Textual: :func:`minimize` takes one write (a frame: text, SGR styles, cursor
moves, other sequences) and returns the same output for the terminal, smaller:

- **Styles are tracked, not reset.** Textual ends every run of text with ``ESC[0m`` and starts
  the next with its whole style. Here the style the terminal has is remembered; a run whose
  style is the one in effect gets no sequence, and a change is written as the attributes and
  colours that differ (``ESC[48;2;30;30;30m`` for a new background), or as ``0;`` and the
  whole style when an attribute has to go (``22`` would turn off bold *and* dim).
- **Redundant cursor moves go.** After a run of text the cursor is where the text ended; a move
  to that very cell (the next fragment of the same line) is dropped. Only runs whose width is
  certain count: every character one cell wide (as Textual lays them out); after anything else
  (a wide or zero-width character, a line feed, any other sequence) the next move is kept.
- **Everything else passes as it is**, after a reset when a style is in effect (Textual wrote
  it with the terminal's style reset: an erase must not paint with a background). Each write
  ends with the style reset, as Textual leaves it.

An SGR sequence this module does not understand (a parameter it does not know) is written as
it is (after a reset when a style is in effect), and the style after it is written whole.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from itertools import islice
from typing import Any, NamedTuple

from rich.cells import cell_len

__all__ = ["DEFAULT", "Style", "learn", "minimize", "parse_sgr", "transition"]

#: One token of the stream: a run of styled text as Textual writes nearly every one (its SGR
#: sequence, the text, the reset after it: one match, not three), an SGR sequence (its
#: parameters), a cursor position (row; col), another escape sequence (CSI, OSC/DCS/APC/PM with
#: BEL or ST, or a two-byte escape), or text.
_TOKEN = re.compile(
    r"\x1b\[([0-?]*)m([^\x1b]+)(\x1b\[0?m)?"
    r"|\x1b\[([0-?]*)m"
    r"|\x1b\[(\d+);(\d+)H"
    r"|(\x1b\[[0-?]*[ -/]*[@-~]|\x1b[\]P_^X][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[ -~]?)"
    r"|([^\x1b]+)",
    re.S,
)

_ATTRIBUTES = frozenset({"1", "2", "3", "4", "5", "6", "7", "8", "9", "21", "51", "52", "53"})
_FOREGROUND = frozenset({*map(str, range(30, 38)), *map(str, range(90, 98))})
_BACKGROUND = frozenset({*map(str, range(40, 48)), *map(str, range(100, 108))})


class Style(NamedTuple):
    """A terminal style: attribute codes, foreground and background as SGR parameters
    (``"38;2;r;g;b"``, ``"31"``...; None: the terminal's own); ``raw`` for one not understood."""

    attributes: frozenset[str] = frozenset()
    foreground: str | None = None
    background: str | None = None
    raw: str | None = None


DEFAULT = Style()


# A frame repeats a few dozen styles thousands of times: parsed styles, transitions and the
# widths of non-ASCII runs are cached. Bounded: when one is full, its older half is forgotten
# (what :func:`learn` was just taught is the newest, and stays).
_CACHE_LIMIT = 16384
_styles: dict[str, Style] = {}
_transitions: dict[tuple[Style | None, Style], str] = {}
_widths: dict[str, int | None] = {}


def _make_room(cache: dict[Any, Any]) -> None:
    """Forget the older half of a full cache (dicts keep their insertion order). The keys are
    listed in one call, without a thread switch in between (no Python code runs in it)."""
    if len(cache) >= _CACHE_LIMIT:
        for key in list(islice(cache, _CACHE_LIMIT // 2)):
            cache.pop(key, None)


def learn(lines: Iterable[Iterable[str]]) -> None:
    """Work out ahead, in another thread, what a frame about to be written will need: the
    styles of ``lines`` (each the SGR parameters of its runs, in order) and the changes from
    each run's style to the next's. A new picture brings hundreds of styles never seen, and
    the changes between them; learnt while it is decoded, its frame (``j``) is minimized from
    the caches, at the speed of a frame seen before."""
    for line in lines:
        before: Style | None = None
        for params in line:
            style = parse_sgr(params)
            if before is not None:
                transition(before, style)
            before = style


def parse_sgr(params: str) -> Style:
    """The style an SGR sequence sets, from the default style (Textual's are whole styles:
    it resets after every run)."""
    style = _styles.get(params)
    if style is None:
        _make_room(_styles)
        style = _styles[params] = _parse(params)
    return style


#: How Textual writes nearly every style: any attributes, then a truecolor foreground and
#: background. Parsed by one match; a picture's frame brings hundreds of such styles not seen
#: before (one per pair of colours), so the first parse of each counts.
_TRUECOLOUR = re.compile(
    r"((?:(?:[1-9]|21|5[1-3]);)*)(?:(38;2;\d+;\d+;\d+)(?:;|$))?(48;2;\d+;\d+;\d+)?"
)
_NO_ATTRIBUTES: frozenset[str] = frozenset()


def _parse(params: str) -> Style:
    if params in ("", "0"):
        return DEFAULT
    common = _TRUECOLOUR.fullmatch(params)
    if common is not None and not params.endswith(";"):
        codes, fg, bg = common.groups()
        return Style(frozenset(codes[:-1].split(";")) if codes else _NO_ATTRIBUTES, fg, bg)
    parts = params.split(";")
    attributes: set[str] = set()
    foreground = background = None
    index = 0
    try:
        while index < len(parts):
            part = parts[index]
            if part in ("38", "48"):
                size = {"2": 5, "5": 3}[parts[index + 1]]
                value = ";".join(parts[index : index + size])
                if len(value.split(";")) != size or not all(value.split(";")):
                    raise ValueError(params)
                if part == "38":
                    foreground = value
                else:
                    background = value
                index += size
                continue
            if part == "0":
                attributes, foreground, background = set(), None, None
            elif part in _ATTRIBUTES:
                attributes.add(part)
            elif part in _FOREGROUND:
                foreground = part
            elif part in _BACKGROUND:
                background = part
            elif part == "39":
                foreground = None
            elif part == "49":
                background = None
            else:
                raise ValueError(params)
            index += 1
    except (KeyError, IndexError, ValueError):
        return Style(raw=params)
    return Style(frozenset(attributes), foreground, background)


def transition(current: Style | None, wanted: Style) -> str:
    """The shortest SGR sequence from ``current`` (None: not known) to ``wanted``."""
    key = (current, wanted)
    sequence = _transitions.get(key)
    if sequence is None:
        _make_room(_transitions)
        sequence = _transitions[key] = _transition(current, wanted)
    return sequence


def _transition(current: Style | None, wanted: Style) -> str:
    if current == wanted:
        return ""
    if wanted.raw is not None:
        return f"\x1b[{wanted.raw}m" if current == DEFAULT else f"\x1b[0;{wanted.raw}m"
    foreground, background = wanted.foreground, wanted.background
    colours = (
        f"{foreground};{background}"
        if foreground and background
        else foreground or background or ""
    )
    attributes = _ordered(wanted.attributes)
    reset = f"\x1b[0{';' if attributes else ''}{attributes}{';' if colours else ''}{colours}m"
    if current is None or current.raw is not None or not current.attributes <= wanted.attributes:
        return reset  # from anything
    params = [_ordered(wanted.attributes - current.attributes)] if attributes else []
    if foreground != current.foreground:
        params.append(foreground or "39")
    if background != current.background:
        params.append(background or "49")
    step = "\x1b[" + ";".join(part for part in params if part) + "m"  # from ``current``
    return step if len(step) <= len(reset) else reset  # "49" is longer than "0"


def _ordered(attributes: frozenset[str]) -> str:
    """Attribute codes as SGR parameters, in their numeric order."""
    if not attributes:
        return ""
    if len(attributes) == 1:
        return next(iter(attributes))
    return ";".join(sorted(attributes, key=int))


def _advance(text: str) -> int | None:
    """Cells the cursor moves over ``text``, when certain: every character one cell wide
    and printable; else None."""
    if text.isascii():
        return len(text) if text.isprintable() else None
    cells = _widths.get(text, -1)
    if cells == -1:
        _make_room(_widths)
        certain = text.isprintable() and all(cell_len(char) == 1 for char in text)
        cells = _widths[text] = len(text) if certain else None
    return cells


def minimize(stream: str) -> str:
    """``stream`` rewritten into fewer bytes with the same effect (see the module docstring)."""
    out: list[str] = []
    append = out.append
    terminal: Style | None = DEFAULT  # the style the terminal has (None: not known)
    wanted = DEFAULT  # the style the next text is to be written in
    position: tuple[int, int] | None = None  # where the cursor is, when certain
    for match in _TOKEN.finditer(stream):
        style, run, reset, params, row, column, other, text = match.groups()
        if run is not None:  # a style, its text, maybe the reset after it
            wanted = parse_sgr(style)
            text = run
        if text is not None:
            if terminal is not wanted and terminal != wanted:
                append(transition(terminal, wanted))
                terminal = wanted
            append(text)
            if position is not None:
                cells = _advance(text)
                position = None if cells is None else (position[0], position[1] + cells)
            if reset is not None:
                wanted = DEFAULT
        elif params is not None:
            wanted = parse_sgr(params)
        elif row is not None:
            target = (int(row), int(column))
            if target != position:
                append(match.group(0))
                position = target
        else:
            if terminal != DEFAULT:
                append("\x1b[0m")  # written for a terminal whose style was reset
            append(other)
            # Written after a reset, none of Textual's other sequences sets a style; a
            # restored cursor (DECRC) brings back the style saved with it: not known.
            terminal = None if other == "\x1b8" else DEFAULT
            position = None
    if terminal != DEFAULT:
        append("\x1b[0m")
    return "".join(out)
