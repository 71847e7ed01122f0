"""``paint_now``: the frame of the repaints asked for so far is made at once, the same frame
Textual would make a few turns of the loop later; where Textual's way is needed (a layout, a
scroll, new styles, more messages waiting), nothing is done."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.message import Message
from textual.widget import Widget

from artistree_tui.ui.wire.compositor import paint_now


class Waiting(Message):
    """A message in the app's queue."""


class Word(Widget):
    """A word, repainted (no layout) when it changes."""

    DEFAULT_CSS = "Word { height: 1; }"

    def __init__(self, text: str, id: str) -> None:
        super().__init__(id=id)
        self.text = text

    def render(self) -> str:
        return self.text

    def update(self, text: str) -> None:
        self.text = text
        self.refresh()


class Two(App[None]):
    def compose(self) -> ComposeResult:
        yield Word("one", id="one")
        yield Word("two", id="two")
        hidden = Word("three", id="three")
        hidden.display = False
        yield hidden


def frames_of(app: Two) -> list[set[str]]:
    """Record each frame the screen makes: the ids of the widgets repainted in it."""
    screen = app.screen
    frames: list[set[str]] = []
    refresh = screen._compositor_refresh

    def recorded() -> None:
        frames.append({str(widget.id) for widget in screen._dirty_widgets})
        refresh()

    screen._compositor_refresh = recorded  # type: ignore[method-assign]
    return frames


async def test_a_repaint_is_made_into_a_frame_at_once() -> None:
    app = Two()
    async with app.run_test() as pilot:
        await pilot.pause()
        frames = frames_of(app)
        one = app.query_one("#one", Word)
        one.update("ONE")
        assert paint_now(app.screen)
        assert frames == [{"one"}]  # made here, before any message went round
        assert "ONE" in app.screen._compositor.render_update(full=True).render_segments(app.console)
        await pilot.pause()
        assert frames == [{"one"}]  # and not made again after


async def test_what_needs_textuals_way_is_left_to_it() -> None:
    app = Two()
    async with app.run_test() as pilot:
        await pilot.pause()
        frames = frames_of(app)
        one, two = app.query_one("#one", Word), app.query_one("#two", Word)

        two.refresh(layout=True)  # a layout: Textual's way
        one.update("ONE")
        assert not paint_now(app.screen)
        assert frames == []
        await pilot.pause()
        assert frames and "one" in set().union(*frames)

        frames.clear()
        one.update("again")
        app.post_message(Waiting())  # a message waiting (a burst of keys): Textual's way
        assert not paint_now(app.screen)
        assert frames == []
        await pilot.pause()
        assert frames

        frames.clear()
        app.query_one("#three", Word).display = True  # shown: a layout, and not on screen yet
        one.update("once more")
        assert not paint_now(app.screen)
        assert frames == []
        await pilot.pause()
        assert frames

        frames.clear()
        one.update("and again")
        for pump in (app, app.screen):  # a message Textual's loop took out to look at
            pump._pending_message = Waiting()
            try:
                assert not paint_now(app.screen), pump
            finally:
                pump._pending_message = None
        assert frames == []
        assert paint_now(app.screen)
        assert frames == [{"one"}]
