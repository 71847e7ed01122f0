"""A CSV cell is the display boundary's text of the value, formulas defused: the fast path for
printable ASCII (most cells) gives exactly what ``clean`` gives, for any text at all."""

from __future__ import annotations

import string

from hypothesis import given
from hypothesis import strategies as st

from artistree_tui.display import clean
from artistree_tui.export.formats import CSV_CELL_LIMIT, csv_cell, defuse_formula


def slow_cell(text: str) -> str:
    return defuse_formula(clean(text, limit=CSV_CELL_LIMIT), text)


@given(st.text(alphabet=string.printable, max_size=80))
def test_printable_ascii_cells(text: str) -> None:
    assert csv_cell(text) == slow_cell(text)


@given(st.text(max_size=80))
def test_any_text(text: str) -> None:
    assert csv_cell(text) == slow_cell(text)


def test_long_ascii_is_still_capped() -> None:
    text = "a" * (CSV_CELL_LIMIT + 10)
    assert csv_cell(text) == slow_cell(text) and len(csv_cell(text)) == CSV_CELL_LIMIT
