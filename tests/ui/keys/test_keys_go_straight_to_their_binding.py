"""A key that nothing on the focused widget's path acts on runs its binding at once
(``ui/keys/direct.py``), with the same outcome as Textual's way round the ancestors.

Small apps run the same keys both ways: a focused widget with a binding, one with a ``key_``
method, one with a key handler (``on_key`` and ``@on(Key)``), under a container, with app
bindings (a priority one among them) and an unbound key. What ran must be the same, in the
same order; the direct way is taken only where nothing on the path acts on the key. Then the
real console: ``j`` at rest reaches the list's action without visiting its ancestors.
"""

from __future__ import annotations

from typing import Any, ClassVar

import pytest
from textual import events, on
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.widget import Widget

from artistree_tui.ui.keys import direct
from artistree_tui.ui.keys.direct import passes_keys_on, run_directly
from tests.support.app import cursor_shown, list_loaded, make_app, wait_for, wait_steady


class Leaf(Widget, can_focus=True):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("j", "down", "Down")]

    def action_down(self) -> None:
        self.app.trace.append("leaf binding j")  # type: ignore[attr-defined]


class WithKeyMethod(Leaf):
    def key_j(self) -> None:
        self.app.trace.append("leaf key_j")  # type: ignore[attr-defined]


class WithHandler(Leaf):
    def on_key(self, event: events.Key) -> None:
        self.app.trace.append(f"leaf on_key {event.key}")  # type: ignore[attr-defined]


class WithDecoratedHandler(Leaf):
    @on(events.Key)
    def seen(self, event: events.Key) -> None:
        self.app.trace.append(f"leaf @on {event.key}")  # type: ignore[attr-defined]


class Shell(Vertical):
    """A container on the path that acts on nothing."""


class StraightApp(App[None]):
    """An app that takes the straight way for its keys (``straight``), or Textual's, and
    keeps a trace of what ran and of the keys that went straight."""

    def __init__(self, *, straight: bool) -> None:
        super().__init__()
        self.straight = straight
        self.trace: list[str] = []
        self.direct_keys: list[str] = []

    async def on_event(self, event: events.Event) -> None:
        key = isinstance(event, events.Key) and not event.is_forwarded
        if self.straight and key and await run_directly(self, event):  # type: ignore[arg-type]
            self.direct_keys.append(event.key)  # type: ignore[attr-defined]
            return
        await super().on_event(event)


class KeysApp(StraightApp):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("x", "app_key('x')", "X"),
        Binding("p", "app_key('p')", "P", priority=True),
        Binding("j", "app_key('j')", "J"),  # shadowed by the leaf's own j
    ]

    def __init__(self, leaf: type[Leaf], *, straight: bool) -> None:
        super().__init__(straight=straight)
        self.leaf = leaf

    def compose(self) -> ComposeResult:
        with Shell():
            yield self.leaf()

    def on_mount(self) -> None:
        self.query_one(Leaf).focus()

    def action_app_key(self, key: str) -> None:
        self.trace.append(f"app binding {key}")

    def key_z(self) -> None:
        self.trace.append("app key_z")


KEYS = ("j", "x", "p", "z", "q")


async def run_keys(leaf: type[Leaf], *, straight: bool) -> KeysApp:
    app = KeysApp(leaf, straight=straight)
    async with app.run_test() as pilot:
        await pilot.pause()
        for key in KEYS:
            await pilot.press(key)
            await pilot.pause()
    return app


@pytest.mark.parametrize("leaf", [Leaf, WithKeyMethod, WithHandler, WithDecoratedHandler])
async def test_the_same_handlers_run_either_way(leaf: type[Leaf]) -> None:
    textuals = await run_keys(leaf, straight=False)
    straight = await run_keys(leaf, straight=True)
    assert straight.trace == textuals.trace
    assert textuals.trace  # the keys did something
    if leaf is Leaf:
        assert straight.direct_keys == list(KEYS)  # nothing on the path acts on any key
    elif leaf is WithKeyMethod:
        assert straight.direct_keys == [k for k in KEYS if k != "j"]  # its key_j: Textual's
    else:
        assert straight.direct_keys == []  # the leaf acts on every key: Textual's way


def test_what_passes_keys_on() -> None:
    assert passes_keys_on(Leaf) and passes_keys_on(Shell)
    assert passes_keys_on(WithKeyMethod)  # its key_ methods are checked per key
    assert not passes_keys_on(WithHandler)
    assert not passes_keys_on(WithDecoratedHandler)


#: Presses of ``j`` at most, in the real console, until one arrives with nothing in flight.
PRESSES = 20


def at_rest(app: Any) -> bool:
    """No message waits on the app or on the focused widget's path (checked before a press;
    the sync or a timer may still post one before the key arrives)."""
    node = app.focused
    nodes = [app]
    while node is not None and node is not app:
        nodes.append(node)
        node = node.parent
    return all(n._message_queue.empty() and n._pending_message is None for n in nodes)


async def test_j_at_rest_goes_straight_to_the_lists_action(
    demo_server: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app(demo_server)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: list_loaded(app))
        order_list = app.main_screen.orders.order_list
        assert app.focused is order_list
        visited: list[str] = []
        on_key = Widget._on_key

        async def counted(self: Widget, event: events.Key) -> None:
            visited.append(type(self).__name__)
            await on_key(self, event)

        monkeypatch.setattr(Widget, "_on_key", counted)
        took: list[bool] = []
        run = direct.run_directly

        async def watched(app: Any, event: events.Key) -> bool:
            took.append(await run(app, event))
            return took[-1]

        monkeypatch.setattr(direct, "run_directly", watched)
        # At rest means nothing in flight when the key arrives; the sync, the prefetch and the
        # timers may still post now and then (a loaded machine), so that press takes Textual's
        # way. Press until one goes straight: it must not have visited any widget.
        for press in range(PRESSES):
            await wait_steady(pilot, lambda: at_rest(app))
            row, seen = order_list.model.cursor, len(visited)
            await pilot.press("j")
            await wait_for(pilot, lambda row=row: order_list.model.cursor == row + 1)
            await cursor_shown(pilot, app)  # and what the move started is over
            assert len(took) == press + 1  # each j went through run_directly once
            if took[-1]:
                assert visited[seen:] == []  # not the list, not one of its ancestors
                return
            assert visited[seen:]  # Textual's way goes round the list and its ancestors
        raise AssertionError(f"no j of {PRESSES} went straight to the list's action: {took}")


class Mark(Widget, can_focus=True):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("j", "mark", "Mark")]

    def action_mark(self) -> None:
        self.app.trace.append(f"{self.id} j")  # type: ignore[attr-defined]


class Go(Message):
    """A message waiting."""


class TwoApp(StraightApp):
    """Two widgets bound to ``j``; ``e`` runs an action that fails."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("e", "boom", "Boom")]

    def compose(self) -> ComposeResult:
        yield Mark(id="a")
        yield Mark(id="b")

    def on_mount(self) -> None:
        self.screen.set_focus(self.query_one("#a"))

    def action_boom(self) -> None:
        self.trace.append("boom")
        raise AttributeError("a bug in an action")


async def test_a_key_with_a_message_behind_it_takes_textuals_way() -> None:
    # While the app handles a key, Textual's loop has already taken the next message out of
    # the queue to look at (to merge it with this one if it could): the queue is empty, yet
    # something waits, a change of focus say, that Textual would apply before the binding.
    app = TwoApp(straight=True)
    async with app.run_test() as pilot:
        await pilot.pause()
        mark = app.query_one("#a", Mark)
        await wait_for(pilot, lambda: direct._straight(app, events.Key("j", "j")))
        for pump in (app, mark, app.screen):
            pump._pending_message = Go()  # what the loop took out to look at
            try:
                assert not direct._straight(app, events.Key("j", "j")), pump
            finally:
                pump._pending_message = None
        assert direct._straight(app, events.Key("j", "j"))


async def test_an_action_that_fails_runs_once() -> None:
    for straight in (False, True):
        app = TwoApp(straight=straight)
        with pytest.raises(AttributeError):
            async with app.run_test() as pilot:
                await pilot.pause()
                await pilot.press("e")
                await pilot.pause()
        assert app.trace == ["boom"]
