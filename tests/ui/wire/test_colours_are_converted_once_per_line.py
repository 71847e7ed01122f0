"""The console's truecolor line filter (ui/wire/truecolor.py) converts exactly what Textual's
converts, and hands back as it is a line with nothing to convert; the app uses it in place of
Textual's, one object for as long as the theme stays."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from rich.segment import Segment
from rich.style import Style
from rich.terminal_theme import MONOKAI
from textual.color import Color
from textual.filter import ANSIToTruecolor

from artistree_tui.ui.wire.truecolor import QuickTruecolor
from tests.support.app import list_loaded, make_app, wait_for

COLOURS = st.sampled_from([None, "red", "bright_blue", "color(203)", "#fea62b", "rgb(1,2,3)"])
STYLES = st.one_of(
    st.none(),
    st.builds(
        lambda colour, background, dim, bold: Style(
            color=colour, bgcolor=background, dim=dim, bold=bold
        ),
        COLOURS,
        COLOURS,
        st.booleans(),
        st.booleans(),
    ),
)
SEGMENTS = st.lists(
    st.builds(
        Segment,
        st.text(alphabet="ab ▀▄", min_size=1, max_size=3),
        STYLES,
        st.one_of(st.none(), st.just([(1,)]), st.just(None)),  # now and then a control code
    ),
    max_size=12,
)
TRUECOLOUR = st.lists(
    st.builds(
        lambda text, red, blue: Segment(text, Style(color=f"rgb({red},0,9)", bgcolor="#121212")),
        st.text(alphabet="▀▄ ", min_size=1, max_size=3),
        st.integers(0, 255),
        st.integers(0, 255),
    ),
    min_size=1,
    max_size=12,
)


@settings(max_examples=300, deadline=None)
@given(SEGMENTS)
def test_every_line_comes_out_as_textuals_filter_makes_it(segments: list[Any]) -> None:
    textuals = ANSIToTruecolor(MONOKAI)
    background = Color(30, 30, 30)
    assert QuickTruecolor(textuals).apply(segments, background) == textuals.apply(
        segments, background
    )


@settings(max_examples=50, deadline=None)
@given(TRUECOLOUR)
def test_a_line_in_truecolour_is_not_rebuilt(segments: list[Segment]) -> None:
    quick = QuickTruecolor(ANSIToTruecolor(MONOKAI))
    assert quick.apply(segments, Color(30, 30, 30)) is segments


async def test_the_app_filters_through_one_quick_filter_per_theme(demo_server: Any) -> None:
    app = make_app(demo_server)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, lambda: list_loaded(app))
        first = [f for f in app.get_line_filters() if isinstance(f, ANSIToTruecolor)]
        assert len(first) == 1 and isinstance(first[0], QuickTruecolor)
        assert app.get_line_filters()[0] is first[0]  # the lines' filter caches hold
        app.theme = "textual-light"  # Textual swaps in a filter for the light terminal theme
        after = [f for f in app.get_line_filters() if isinstance(f, ANSIToTruecolor)]
        assert isinstance(after[0], QuickTruecolor) and after[0] is not first[0]
        assert after[0]._terminal_theme is app.ansi_theme_light
