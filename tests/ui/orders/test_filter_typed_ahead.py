"""``/`` and the filter text typed in one burst (fast typing over SSH: the keys arrive in one
read) filter the list exactly as if typed slowly: the letters land in the filter box, never run
list commands, and keys after ``enter``/``esc`` go back to the list.

Textual routes a key to the widget focused when the app dequeues it, so every key of a burst
is routed to the list before the list's ``/`` moves the focus to the filter box; pilot.press
waits for each key to be handled, which hides that, so these tests queue the keys at once
(``burst``)."""

from __future__ import annotations

from typing import Any

import pytest
from textual import events
from textual.command import CommandPalette
from textual.widgets import Input

from artistree_tui.store import ViewSpec
from artistree_tui.ui.app import ConsoleApp
from artistree_tui.ui.orders.order_list import OrderList
from artistree_tui.ui.orders.type_ahead import deliver_typed_ahead
from tests.support.app import burst, list_loaded, make_app, sync_done, wait_for


def filter_box(app: ConsoleApp) -> Input:
    return app.main_screen.orders.query_one("#orders-filter", Input)


def shown_orders(order_list: OrderList) -> list[str]:
    """The ids of the orders the list shows (the matches, while filtering)."""
    model = order_list.model
    rows = (model.row(index) for index in range(model.count))
    return [row.order_id for row in rows if row is not None]


def ids_matching(app: ConsoleApp, text: str) -> list[str]:
    """The indexed orders the text filter must list, asked of the index directly."""
    reader = app.index.reader()
    try:
        return [row.order_id for row in reader.view(ViewSpec.of(text=text)).iter_rows()]
    finally:
        reader.close()


def filtered(order_list: OrderList, text: str) -> bool:
    model = order_list.model
    return model.query.text == text and model.pending is None


async def test_slash_and_text_typed_in_one_burst_filter_the_list(demo_server: Any) -> None:
    app = make_app(demo_server)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: sync_done(app))
        screen = app.main_screen
        order_list = screen.orders.order_list
        auto = screen.live.live_auto
        expected = ids_matching(app, "paint")
        assert 0 < len(expected) < order_list.model.count  # "paint" really filters
        burst(app, "slash", "p", "a", "i", "n", "t", "enter")
        await wait_for(
            pilot,
            lambda: app.focused is order_list and filtered(order_list, "paint"),
            state=lambda: (filter_box(app).value, order_list.model.query, app.focused),
        )
        assert filter_box(app).value == "paint"
        assert order_list.model.count == len(expected)
        assert shown_orders(order_list) == expected
        # The letters never ran list commands (p: go to project, a: auto-refresh).
        assert not isinstance(app.screen, CommandPalette)
        assert app.screen is screen and screen.live.live_auto == auto


async def test_keys_after_enter_or_esc_in_a_burst_go_back_to_the_list(demo_server: Any) -> None:
    app = make_app(demo_server)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: sync_done(app))
        order_list = app.main_screen.orders.order_list
        expected = ids_matching(app, "k")
        assert 3 <= len(expected) < order_list.model.count
        burst(app, "slash", "k", "enter", "j", "j")  # k is typed in the box, j moves the list
        await wait_for(
            pilot,
            lambda: (
                app.focused is order_list
                and filtered(order_list, "k")
                and order_list.model.cursor == 2
            ),
            state=lambda: (filter_box(app).value, order_list.model.cursor, app.focused),
        )
        assert filter_box(app).value == "k" and order_list.model.query.text == "k"
        assert shown_orders(order_list) == expected
        third = expected[2]
        burst(app, "slash", "escape", "k")  # esc clears the text filter as today; k moves up
        await wait_for(
            pilot,
            lambda: app.focused is order_list and filtered(order_list, ""),
            state=lambda: (filter_box(app).value, order_list.model.cursor, app.focused),
        )
        await pilot.pause()
        model = order_list.model
        assert filter_box(app).value == "" and model.query.text == ""
        below = model.row(model.cursor + 1)
        assert below is not None and below.order_id == third  # one row above the third match


async def test_text_typed_after_slash_never_runs_list_commands(demo_server: Any) -> None:
    app = make_app(demo_server)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: list_loaded(app))
        screen = app.main_screen
        auto = screen.live.live_auto
        burst(app, "slash", "p", "a")  # p: go to project, a: auto-refresh, on the list
        await wait_for(
            pilot,
            lambda: filter_box(app).value == "pa",  # every key of the burst was handled
            state=lambda: (filter_box(app).value, app.focused),
        )
        assert not isinstance(app.screen, CommandPalette)
        assert app.screen is screen and screen.live.live_auto == auto
        assert app.focused is screen.orders.query_one("#orders-filter")


async def test_letters_in_the_box_survive_a_status_change_that_overtakes_them(
    demo_server: Any,
) -> None:
    """Fast typing over SSH: letters are in the box before their ``Input.Changed`` reaches the
    pane, and a status change of the list (an earlier view arriving) can be handled first. It
    must not take the box's not-yet-applied text for a cleared filter (it did: typing
    ``/lighthouse`` right after ``esc`` left "use")."""
    app = make_app(demo_server)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: sync_done(app))
        pane = app.main_screen.orders
        order_list = pane.order_list
        await pilot.press("slash")
        box = filter_box(app)
        box.insert_text_at_cursor("light")  # typed; its Changed message not handled yet
        pane.on_order_list_status_changed(OrderList.StatusChanged())  # overtakes it
        assert box.value == "light"
        await wait_for(pilot, lambda: filtered(order_list, "light"))
        assert shown_orders(order_list) == ids_matching(app, "light")
        await pilot.press("escape")  # esc in the box: cleared, on purpose
        await wait_for(pilot, lambda: filtered(order_list, ""))
        assert box.value == ""


async def test_a_letter_typed_before_the_box_hears_of_its_focus_is_kept(
    demo_server: Any,
) -> None:
    # In a burst the first letters after "/" can reach the box (typed ahead, type_ahead.py)
    # before the box handles its Focus event; selecting the box's text on that event (to
    # replace an old filter) then selected those letters, and the next one replaced them:
    # "/hero" filtered by "ero" now and then in a real terminal. The old filter text is
    # selected when "/" opens the box instead: typing still replaces it.
    app = make_app(demo_server)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: list_loaded(app))
        pane = app.main_screen.orders
        box = filter_box(app)
        for old in ("", "paint"):
            box.value = old
            pane.open_filter()  # what "/" does; the box's Focus event is still queued
            assert app.focused is box
            for letter in "he":
                deliver_typed_ahead(box, events.Key(letter, letter))
            await pilot.pause()  # the Focus event is handled
            await pilot.press("r", "o")
            assert box.value == "hero"
            await pilot.press("enter")
            await wait_for(pilot, lambda: filtered(pane.order_list, "hero"))


async def test_keys_routed_to_the_box_behind_enter_or_esc_go_to_the_list(
    demo_server: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # "⏎jj" in one read: the app routes all three to the box (focused when it takes them)
    # before enter has given the keyboard back; the j's are for the list, not the box.
    app = make_app(demo_server)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: sync_done(app))
        pane = app.main_screen.orders
        order_list = pane.order_list
        box = filter_box(app)
        moves: list[str] = []
        down = OrderList.action_cursor_down

        def counted(self: OrderList) -> None:
            moves.append("j")
            down(self)

        monkeypatch.setattr(OrderList, "action_cursor_down", counted)
        for close, text in (("enter", "k"), ("escape", "")):
            pane.open_filter()
            await pilot.press("k")
            moves.clear()
            for key in (close, "j", "j"):  # as the app forwards a burst: all to the box
                box._forward_event(events.Key(key, None if len(key) > 1 else key))
            await wait_for(
                pilot,
                lambda: app.focused is order_list and len(moves) == 2,
                state=lambda: (box.value, moves, app.focused),
            )
            assert box.value == text
            await wait_for(pilot, lambda: filtered(order_list, text))  # noqa: B023
