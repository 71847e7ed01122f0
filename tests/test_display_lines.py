"""The display boundary's line cap for multi-line blocks (huge annotation bodies)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from artistree_tui.display import BLOCK_LINES, ELLIPSIS, clean, safe


def test_a_block_of_thousands_of_lines_is_cut_to_the_cap() -> None:
    out = clean("line\n" * 5000, limit=100_000, multiline=True)
    assert out.count("\n") == BLOCK_LINES - 1
    assert out.endswith(ELLIPSIS)
    assert len(safe("x\n" * 5000, limit=100_000, multiline=True).plain.splitlines()) == BLOCK_LINES


def test_a_block_within_the_cap_is_kept_whole() -> None:
    body = "\n".join(f"line {n}" for n in range(BLOCK_LINES))
    assert clean(body, limit=100_000, multiline=True) == body


@given(
    st.lists(st.sampled_from(["a", "\n", "\r\n", "bc", "\x1b"]), max_size=60).map("".join),
    st.integers(min_value=1, max_value=8),
)
def test_the_cap_holds_and_cleaning_twice_changes_nothing(value: str, lines: int) -> None:
    out = clean(value, limit=10_000, multiline=True, max_lines=lines)
    assert out.count("\n") <= lines - 1
    assert clean(out, limit=10_000, multiline=True, max_lines=lines) == out


def test_single_line_text_ignores_the_cap() -> None:
    assert clean("a\nb\nc", max_lines=1) == "a␊b␊c"
