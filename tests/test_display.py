"""Property and example tests of the display boundary (artistree_tui.display)."""

from __future__ import annotations

import io
import unicodedata
from itertools import pairwise

from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console

from artistree_tui.display import ELLIPSIS, HIDDEN_MARK, MAX_MARKS, clean, join, safe

#: Characters that draw nothing and must never reach the screen as they are.
INVISIBLE = frozenset("\u115f\u1160\u3164\uffa0\u034f\u2800\u17b4\u17b5\u180b\u180f")

# Everything a hostile uploader could put in a title, biased toward the dangerous ranges.
_dangerous = st.sampled_from(
    [
        "\x1b",
        "\x07",
        "\x9b",
        "\x9d",
        "\x90",
        "\x9f",
        "\x7f",
        "\r",
        "\n",
        "\t",
        "\x00",
        "\u202e",
        "\u2066",
        "\u200b",
        "\ufeff",
        "\u2028",
        "\U000e0041",
        "\ud800",
        "[b]",
        "[/]",
        "[@click=app.quit]",
        "[link=https://evil]",
        "\x1b]52;c;ZXZpbA==\x07",
        "\x1b]8;;https://evil\x1b\\",
        "\x1b[2J",
        "\u0301",
        "\u0489",  # combining cyrillic millions sign (Me), outside the "combining" blocks
        "\u0489" * 40,
        "\u20dd",  # combining enclosing circle (Me)
        "\u0f71",  # Tibetan vowel sign (Mn)
        "\r\n",
        "\u115f",
        "\u1160",
        "\u3164",
        "\uffa0",
        "\u034f",
        "\u2800",
        "\ufe0f",
        "\ufe0f" * 5,
        "\U000e0100",
        "\u240d",  # a literal ␍ in the input
    ]
)
hostile_text = st.lists(st.one_of(st.text(max_size=8), _dangerous), max_size=30).map("".join)


def _is_forbidden(ch: str) -> bool:
    code = ord(ch)
    if code < 0x20 or 0x7F <= code <= 0x9F:
        return True
    if 0xD800 <= code <= 0xDFFF:
        return True
    return unicodedata.category(ch) in ("Cf", "Cc", "Cs", "Zl", "Zp")


@settings(max_examples=400)
@given(hostile_text)
def test_clean_emits_no_control_format_or_surrogate_characters(value: str) -> None:
    out = clean(value)
    assert not [ch for ch in out if _is_forbidden(ch)]
    out.encode("utf-8")  # a lone surrogate would raise here, and in the terminal encoder


@settings(max_examples=300)
@given(hostile_text)
def test_multiline_keeps_only_line_feeds(value: str) -> None:
    out = clean(value, multiline=True)
    assert not [ch for ch in out if ch != "\n" and _is_forbidden(ch)]
    assert "\r" not in out


@given(hostile_text, st.integers(min_value=1, max_value=50))
def test_clean_is_bounded(value: str, limit: int) -> None:
    out = clean(value, limit=limit)
    assert len(out) <= limit
    if len(value) > limit:
        assert out.endswith(ELLIPSIS)


@given(hostile_text)
def test_clean_is_idempotent(value: str) -> None:
    once = clean(value, limit=10_000)
    assert clean(once, limit=10_000) == once


@settings(max_examples=200)
@given(hostile_text)
def test_safe_text_renders_without_escape_sequences(value: str) -> None:
    buffer = io.StringIO()
    console = Console(file=buffer, color_system=None, force_terminal=False, width=200)
    console.print(safe(value), end="")
    assert "\x1b" not in buffer.getvalue()
    assert "\x9b" not in buffer.getvalue()


def test_markup_is_kept_literally() -> None:
    text = safe("[b]bold[/] [@click=app.quit]quit[/]")
    assert text.plain == "[b]bold[/] [@click=app.quit]quit[/]"
    assert not text.spans  # nothing was interpreted as style or action


def test_escape_sequences_become_visible_pictures() -> None:
    assert clean("\x1b]52;c;ZXZpbA==\x07") == "␛]52;c;ZXZpbA==␇"
    assert clean("a\u202eb") == f"a{HIDDEN_MARK}b"
    assert clean("x\x9b2J") == f"x{HIDDEN_MARK}2J"


def test_huge_strings_are_cut_cheaply() -> None:
    out = clean("A" * 5_000_000 + "\x1b", limit=40)
    assert out == "A" * 39 + ELLIPSIS


def test_zalgo_is_capped() -> None:
    assert clean("e" + "\u0301" * 50) == "e\u0301\u0301"


def test_none_and_numbers() -> None:
    assert clean(None) == ""
    assert clean(0.5) == "0.5"


def test_join_keeps_literal_constants() -> None:
    joined = join(safe("[x]"), "·", safe("y"), separator=" ")
    assert joined.plain == "[x] · y"


def _is_selector(ch: str) -> bool:
    return "\ufe00" <= ch <= "\ufe0f" or "\U000e0100" <= ch <= "\U000e01ef"


def _longest_mark_run(text: str) -> int:
    longest = run = 0
    for ch in text:
        run = run + 1 if unicodedata.category(ch) in ("Mn", "Me") else 0
        longest = max(longest, run)
    return longest


@settings(max_examples=400)
@given(hostile_text, st.booleans())
def test_marks_fillers_and_selectors_are_capped_or_shown(value: str, multiline: bool) -> None:
    out = clean(value, limit=10_000, multiline=multiline)
    assert _longest_mark_run(out) <= MAX_MARKS
    assert not INVISIBLE & set(out)
    assert not any(_is_selector(a) and _is_selector(b) for a, b in pairwise(out))


@settings(max_examples=300)
@given(hostile_text, st.booleans())
def test_every_carriage_return_is_shown(value: str, multiline: bool) -> None:
    out = clean(value, limit=10_000, max_lines=10_000, multiline=multiline)
    bare = value.count("\r") - (value.count("\r\n") if multiline else 0)
    assert out.count("\u240d") == bare + value.count("\u240d")


def test_a_carriage_return_in_a_block_is_shown_not_deleted() -> None:
    assert clean("approved\rREJECTED", multiline=True) == "approved\u240dREJECTED"
    assert clean("approved\rREJECTED") == "approved\u240dREJECTED"
    assert clean("one\r\ntwo", multiline=True) == "one\ntwo"


def test_combining_marks_are_capped_whatever_the_block() -> None:
    assert clean("e" + "\u0489" * 298) == "e\u0489\u0489"
    assert clean("o" + "\u20dd" * 9 + "k") == "o\u20dd\u20ddk"


def test_invisible_fillers_are_made_visible() -> None:
    for ch in ("\u115f", "\u1160", "\u3164", "\uffa0", "\u034f", "\u2800"):
        assert clean(f"a{ch}b") == f"a{HIDDEN_MARK}b", repr(ch)


def test_one_variation_selector_stays_and_a_pile_is_shown() -> None:
    heart = "\u2764\ufe0f"
    assert clean(heart) == heart  # an emoji's presentation selector is content
    smuggled = "a" + "\ufe01\U000e0105\U000e0142\ufe0f"
    assert clean(smuggled) == "a\ufe01" + HIDDEN_MARK * 3
