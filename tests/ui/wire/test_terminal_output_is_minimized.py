"""Every frame is rewritten into fewer bytes that leave the terminal in the same state
(ui/wire/minimize.py): the same cells in the same styles, the same other sequences in the same
styles, the style reset at the end. Property-tested on streams shaped like Textual's, and on a
frame of the real console."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from artistree_tui.ui.wire import minimize as minimize_module
from artistree_tui.ui.wire.driver import MinimizingFile, wire_driver
from artistree_tui.ui.wire.minimize import DEFAULT, learn, minimize, parse_sgr
from tests.support.app import make_app, wait_for
from tests.support.terminal_model import Terminal

COLOURS = st.one_of(
    st.none(),
    st.sampled_from(["31", "92", "38;5;203", "38;2;224;224;224", "38;2;254;166;43"]),
)
BACKGROUNDS = st.one_of(
    st.none(), st.sampled_from(["41", "104", "48;5;23", "48;2;18;18;18", "48;2;30;30;30"])
)
ATTRIBUTES = st.frozensets(st.sampled_from(["1", "2", "3", "4", "7", "9", "21", "53"]))
TEXT = st.text(alphabet=st.sampled_from([*"ab ─━┃▀▄●✓x\u4e2d😀", "\u0301"]), min_size=1, max_size=6)


@st.composite
def style(draw: Any) -> str:
    """An SGR sequence as Textual writes one: the whole style."""
    params = sorted(draw(ATTRIBUTES), key=int)
    params += [v for v in (draw(COLOURS), draw(BACKGROUNDS)) if v]
    if draw(st.integers(0, 20)) == 0:  # now and then one this module does not know
        params.append(draw(st.sampled_from(["58;2;1;2;3", "4:3", "38;2;1"])))
    return "\x1b[" + ";".join(params) + "m"


@st.composite
def textual_stream(draw: Any) -> str:
    """Fragments of lines after cursor moves, each a run of styled text followed by a reset,
    and now and then another sequence or a line feed."""
    pieces: list[str] = []
    for _ in range(draw(st.integers(1, 25))):
        kind = draw(st.integers(0, 9))
        if kind <= 5:
            pieces.append(f"\x1b[{draw(st.integers(1, 3))};{draw(st.integers(1, 12))}H")
            for _ in range(draw(st.integers(1, 3))):
                unstyled = draw(st.booleans()) and draw(st.booleans())
                text = draw(TEXT)
                pieces.append(text if unstyled else f"{draw(style())}{text}\x1b[0m")
        elif kind <= 7:
            pieces.append(f"{draw(style())}{draw(TEXT)}\x1b[0m")
        elif kind == 8:
            pieces.append(
                draw(st.sampled_from(["\x1b[?25l", "\x1b[2J", "\x1b]52;c;QQ==\x07", "\x1b[6n"]))
            )
        else:
            pieces.append(draw(st.sampled_from(["\n", "\r\n", "\r"])))
    return "".join(pieces)


def same_effect(before: str, after: str) -> None:
    original, rewritten = Terminal().feed(before), Terminal().feed(after)
    assert rewritten.cells == original.cells
    assert rewritten.sequences == original.sequences
    assert rewritten.style == original.style == (frozenset(), None, None)


@settings(max_examples=400, deadline=None)
@given(textual_stream())
# Found by Hypothesis: back to the default after a colour, "\x1b[49m" was written where the
# reset "\x1b[0m" is shorter.
@example(
    "\x1b[1;1H\x1b[58;2;1;2;3ma\x1b[0ma\x1b[58;2;1;2;3ma\x1b[0m\x1b[?25l"
    "\x1b[1;1H\x1b[41ma\x1b[0ma\x1b[1;1H\x1b[31;41ma\x1b[0ma"
)
def test_a_minimized_stream_leaves_the_terminal_as_the_original(stream: str) -> None:
    small = minimize(stream)
    same_effect(stream, small)
    assert len(small) <= len(stream) + 4  # never more than one closing reset longer


def test_fragments_of_one_line_in_one_style_need_one_move_and_one_style() -> None:
    style = "\x1b[38;2;224;224;224;48;2;30;30;30m"
    stream = (
        f"\x1b[3;41H{style}┃\x1b[0m{style} \x1b[0m"
        f"\x1b[3;43H{style}Order list\x1b[0m"
        f"\x1b[3;53H{style}    \x1b[0m"
    )
    small = minimize(stream)
    same_effect(stream, small)
    assert small == f"\x1b[3;41H{style}┃ Order list    \x1b[0m"


def test_only_what_changes_in_a_style_is_written() -> None:
    stream = (
        "\x1b[1;1H\x1b[38;2;1;1;1;48;2;30;30;30mA\x1b[0m"
        "\x1b[38;2;9;9;9;48;2;30;30;30mB\x1b[0m"  # a new foreground only
        "\x1b[1;38;2;9;9;9;48;2;30;30;30mC\x1b[0m"  # bold added
        "\x1b[38;2;9;9;9;48;2;30;30;30mD\x1b[0m"  # bold gone: a reset and the whole style
    )
    small = minimize(stream)
    same_effect(stream, small)
    assert "\x1b[38;2;9;9;9mB" in small and "\x1b[1mC" in small
    assert "\x1b[0;38;2;9;9;9;48;2;30;30;30mD" in small


def test_a_move_after_a_wide_character_is_kept() -> None:
    stream = "\x1b[1;1H\x1b[31m中\x1b[0m\x1b[1;3H\x1b[31mx\x1b[0m"
    small = minimize(stream)
    same_effect(stream, small)
    assert "\x1b[1;3H" in small  # the width of 中 is not taken for granted


def test_other_sequences_come_with_the_style_reset() -> None:
    stream = "\x1b[1;1H\x1b[41mx\x1b[0m\x1b[2J\x1b[41my\x1b[0m"
    small = minimize(stream)
    same_effect(stream, small)
    assert small.index("\x1b[0m") < small.index("\x1b[2J")


def test_unknown_parameters_pass_as_they_are() -> None:
    assert parse_sgr("4:3").raw == "4:3"
    assert parse_sgr("0") == DEFAULT
    stream = "\x1b[1;1H\x1b[4:3mx\x1b[0m\x1b[4:3my\x1b[0m"
    small = minimize(stream)
    same_effect(stream, small)
    assert "\x1b[4:3mxy" in small


class _File:
    def __init__(self) -> None:
        self.written: list[str] = []

    def write(self, text: str) -> int:
        self.written.append(text)
        return len(text)

    def fileno(self) -> int:
        return 99


def test_the_driver_writes_through_the_minimizer() -> None:
    class Base:
        def __init__(self) -> None:
            self._file = _File()

    driver = wire_driver(Base)()  # type: ignore[arg-type]
    file = driver._file
    assert isinstance(file, MinimizingFile) and file.fileno() == 99
    stream = "\x1b[1;1H\x1b[31mab\x1b[0m\x1b[1;3H\x1b[31mc\x1b[0m"
    file.write(stream)
    assert file._file.written == [minimize(stream)]
    assert file.asked == len(stream) > file.written


@pytest.mark.parametrize("size", [(160, 48)])
async def test_a_frame_of_the_console_is_smaller_and_the_same(
    demo_server: Any, size: tuple[int, int]
) -> None:
    """The console's whole screen as Textual would write it (a full frame, preview on)."""
    app = make_app(demo_server, preview="halfblock")
    async with app.run_test(size=size) as pilot:
        detail = app.main_screen.detail
        await wait_for(pilot, lambda: detail.order is not None and detail.complete)
        await pilot.pause(0.5)
        frame = app.screen._compositor.render_full_update().render_segments(app.console)
    small = minimize(frame)
    same_effect(frame, small)
    assert len(small.encode()) < 0.8 * len(frame.encode())


def test_what_was_learnt_ahead_is_not_worked_out_again(monkeypatch: pytest.MonkeyPatch) -> None:
    """A picture's styles and the changes between neighbouring runs, learnt in the decoding
    thread, are found in the caches when its frame is minimized."""
    line = ["38;2;1;2;3;48;2;4;5;6", "38;2;7;8;9;48;2;4;5;6", "1;38;2;7;8;9"]
    minimize_module._styles.clear()
    minimize_module._transitions.clear()
    learn([line])
    worked_out: list[object] = []
    parse, change = minimize_module._parse, minimize_module._transition
    monkeypatch.setattr(minimize_module, "_parse", lambda p: worked_out.append(p) or parse(p))
    monkeypatch.setattr(
        minimize_module, "_transition", lambda a, b: worked_out.append(b) or change(a, b)
    )
    minimize("".join(f"\x1b[{params}m▀\x1b[0m" for params in line))
    # Only the change into the line's first run (from what comes before it on the screen).
    assert worked_out == [parse_sgr(line[0])]


def test_a_full_cache_forgets_its_older_half(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(minimize_module, "_CACHE_LIMIT", 8)
    minimize_module._styles.clear()
    for n in range(8):
        parse_sgr(f"3{n}")
    parse_sgr("41")  # the ninth: room is made
    assert list(minimize_module._styles) == ["34", "35", "36", "37", "41"]
