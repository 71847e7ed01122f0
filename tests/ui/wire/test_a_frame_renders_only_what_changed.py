"""``SparseCompositor``: a partial frame asks only the widgets that meet a dirty region for
lines, and only those lines; what it writes to the terminal is what Textual's own compositor
writes for the same dirty regions, byte for byte.

Each frame of a small app (containers, a line-API widget, a layer over the others, scrolled
content) is made both ways from the same dirty regions while random changes hit random widgets.
"""

from __future__ import annotations

import random
from collections import Counter
from typing import Any

from rich.segment import Segment
from textual.app import App, ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.geometry import Region
from textual.screen import Screen
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import Static

from artistree_tui.ui.wire import compositor
from artistree_tui.ui.wire.compositor import SparseCompositor

#: Widgets asked for lines, by id, since the test last cleared it.
asked: Counter[str] = Counter()


class Counted(Widget):
    """A line-API widget whose lines say which row they are and how often it changed."""

    DEFAULT_CSS = "Counted { height: 1fr; }"

    def __init__(self, id: str) -> None:
        super().__init__(id=id)
        self.generation = 0

    def render_line(self, y: int) -> Strip:
        return Strip([Segment(f"{self.id} {y} {self.generation}".ljust(self.size.width))])

    def render_lines(self, crop: Region) -> list[Strip]:
        asked[str(self.id)] += 1
        return super().render_lines(crop)


class CountedStatic(Static):
    def render_lines(self, crop: Region) -> list[Strip]:
        asked[str(self.id)] += 1
        return super().render_lines(crop)


class Checked(SparseCompositor):
    """Makes each partial frame both ways; keeps both renders."""

    frames: list[tuple[str, str]]
    console: Any  # the app's (Rich) console, set once the app runs

    def render_partial_update(self):  # type: ignore[no-untyped-def]
        regions = set(self._dirty_regions)
        sparse = super().render_partial_update()
        self._dirty_regions = set(regions)
        textual = compositor.Compositor.render_partial_update(self)  # Textual's own
        console = self.console
        if sparse is not None or textual is not None:
            self.frames.append(
                (
                    sparse.render_segments(console) if sparse is not None else "",
                    textual.render_segments(console) if textual is not None else "",
                )
            )
        return sparse


class Board(Screen[None]):
    DEFAULT_CSS = """
    Board { layers: base top; }
    #top-line, #bottom-line { height: 1; }
    #left { width: 12; }
    #overlay { layer: top; width: 14; height: 5; offset: 20 4; background: red; }
    #scroller { height: 8; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.checked = Checked()
        self.checked.frames = []
        self._compositor = self.checked

    def compose(self) -> ComposeResult:
        yield CountedStatic("top", id="top-line")
        with Horizontal(id="middle"):
            yield CountedStatic("left\n" * 8, id="left")
            with Vertical(id="right"):
                yield Counted("lines")
                with VerticalScroll(id="scroller"):
                    for n in range(12):
                        yield CountedStatic(f"item {n}", id=f"item{n}")
        yield CountedStatic("overlay", id="overlay")
        yield CountedStatic("bottom", id="bottom-line")


class BoardApp(App[None]):
    def on_mount(self) -> None:
        board = Board()
        board.checked.console = self.console
        self.push_screen(board)


def frames(app: App[Any]) -> list[tuple[str, str]]:
    board = app.screen
    assert isinstance(board, Board)
    return board.checked.frames


def change(app: App[Any], rng: random.Random) -> None:
    """One random change to the board."""
    screen = app.screen
    choice = rng.randrange(6)
    if choice == 0:
        lines = screen.query_one("#lines", Counted)
        lines.generation += 1
        y = rng.randrange(max(1, lines.size.height))
        lines.refresh(Region(rng.randrange(5), y, rng.randrange(1, 20), rng.randrange(1, 3)))
    elif choice == 1:
        target = rng.choice(["#top-line", "#bottom-line", "#left", "#overlay"])
        screen.query_one(target, Static).update(f"{target} {rng.random():.6f}")
    elif choice == 2:
        n = rng.randrange(12)
        screen.query_one(f"#item{n}", Static).update(f"item {n} · {rng.random():.4f}")
    elif choice == 3:
        screen.query_one("#scroller", VerticalScroll).scroll_to(y=rng.randrange(6), animate=False)
    elif choice == 4:
        overlay = screen.query_one("#overlay")
        overlay.styles.offset = (rng.randrange(30), rng.randrange(10))
    else:
        screen.query_one("#lines", Counted).refresh()


async def test_each_frame_writes_what_textual_writes() -> None:
    app = BoardApp()
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        rng = random.Random(20261207)
        for _ in range(150):
            for _ in range(rng.randrange(1, 4)):
                change(app, rng)
            await pilot.pause()
        made = frames(app)
        assert len(made) > 100  # the partial frames were made both ways
        for sparse, textual in made:
            assert sparse == textual


async def test_a_frame_asks_only_the_widgets_it_changes() -> None:
    """The top and the bottom line change: Textual's compositor would ask every widget
    between them for all its lines (their outline is the whole screen); this one asks those
    two and what lies under them."""
    app = BoardApp()
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        screen = app.screen
        asked.clear()
        sparse: SparseCompositor = screen._compositor  # type: ignore[assignment]
        sparse._dirty_regions = {Region(0, 0, 60, 1), Region(0, 19, 60, 1)}
        SparseCompositor.render_partial_update(sparse)  # this one alone
        assert asked == Counter({"top-line": 1, "bottom-line": 1})
        asked.clear()
        sparse._dirty_regions = {Region(0, 0, 60, 1), Region(0, 19, 60, 1)}
        compositor.Compositor.render_partial_update(sparse)  # Textual's, for comparison
        assert {"left", "lines", "item0"} <= set(asked)


def test_install_keeps_textuals_compositor_when_it_lacks_what_is_overridden(
    monkeypatch: Any,
) -> None:
    screen = Screen[None]()
    compositor.install(screen)
    assert isinstance(screen._compositor, SparseCompositor)
    monkeypatch.delattr(compositor.Compositor, "_get_renders")
    other = Screen[None]()
    compositor.install(other)
    assert not isinstance(other._compositor, SparseCompositor)
