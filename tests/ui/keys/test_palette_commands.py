"""The command palette (ctrl+p) reaches the list: filter, each state, sort, export and every
project by name; its "Keys" is this console's help, which esc closes. And the two keyboard
mistakes it must survive: a ``[keymap]`` key name that is not one, an order id that is not
one."""

from __future__ import annotations

from typing import Any

from textual.command import CommandPalette
from textual.widgets import Input, Static

from artistree_tui.api.models import ALL_PROJECTS
from artistree_tui.ui.dialogs.export import ExportDialog
from artistree_tui.ui.dialogs.order_id import OrderIdPrompt
from artistree_tui.ui.keys.palette import SORTS
from tests.support.app import (
    SIZE,
    help_open,
    list_loaded,
    make_app,
    notifications,
    order_requests,
    palette_hits,
    wait_for,
)


async def run_command(pilot: Any, app: Any, title: str, query: str | None = None) -> None:
    """Open the palette, type ``query`` (default: the title), wait for ``title``, run it."""
    await pilot.press("ctrl+p")
    palette = app.screen
    assert isinstance(palette, CommandPalette)
    palette.query_one(Input).value = query if query is not None else title
    await wait_for(pilot, lambda: palette_hits(app)[:1] == [title], state=lambda: palette_hits(app))
    await pilot.press("enter")
    await wait_for(pilot, lambda: not isinstance(app.screen, CommandPalette))


async def test_the_palette_sets_the_state_filter(demo_server: Any) -> None:
    app = make_app(demo_server)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: list_loaded(app))
        order_list = app.main_screen.orders.order_list
        await run_command(pilot, app, "State: Failed")
        await wait_for(pilot, lambda: order_list.query_shown.state == "Failed")
        await wait_for(pilot, lambda: app.main_screen.orders.highlighted_order is not None)
        order = app.main_screen.orders.highlighted_order
        assert order is not None and order.order_state == "Failed"
        await run_command(pilot, app, "State: Action Required")
        await wait_for(pilot, lambda: order_list.query_shown.state == "Action Required")
        await run_command(pilot, app, "State: all")
        await wait_for(pilot, lambda: order_list.query_shown.state is None)


async def test_the_palette_opens_a_project_by_name(demo_server: Any) -> None:
    project = next(p for p in demo_server.projects if p.name == "Game Concept Art")
    app = make_app(demo_server)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: list_loaded(app))
        screen = app.main_screen
        await wait_for(pilot, lambda: screen.directory.id_for("Game Concept Art") is not None)
        await run_command(pilot, app, "Project: Game Concept Art", "project game concept")
        await wait_for(pilot, lambda: screen.scope_id == project.id)
        assert screen.scope_name == "Game Concept Art"
        await wait_for(pilot, lambda: screen.orders.scope.name == project.name)


def sort_shown(screen: Any) -> tuple[str, bool]:
    shown = screen.orders.order_list.query_shown
    return shown.sort, shown.descending


async def test_the_palette_opens_the_filter_sorts_and_exports(demo_server: Any) -> None:
    app = make_app(demo_server)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: list_loaded(app))
        screen = app.main_screen
        await run_command(pilot, app, "Filter orders")
        assert app.focused is screen.orders.query_one(Input)
        await pilot.press("escape")
        # Every sort of the list, each from its own command (the I key reverses any).
        for label, key, descending in SORTS:
            await run_command(pilot, app, label)
            want = (key, descending)
            await wait_for(pilot, lambda want=want: sort_shown(screen) == want)
        assert len({(key, descending) for _, key, descending in SORTS}) == 8  # all of them
        # Export: the palette's "Export view…" (the e binding) opens the export dialog.
        await run_command(pilot, app, "State: Failed")
        await run_command(pilot, app, "Export view…")
        await wait_for(pilot, lambda: isinstance(app.screen, ExportDialog))
        await pilot.press("escape")
        assert screen.scope_id == ALL_PROJECTS


async def test_palette_keys_is_our_help_and_esc_closes_it(demo_server: Any) -> None:
    app = make_app(demo_server)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: list_loaded(app))
        await run_command(pilot, app, "Keys")
        await wait_for(pilot, lambda: help_open(app))
        await pilot.press("escape")
        assert not help_open(app)
        assert not app.screen.query("HelpPanel")  # not Textual's panel, which esc left open
        assert app.is_running


async def test_an_invalid_key_name_is_reported_like_an_unknown_id(demo_server: Any) -> None:
    keymap = {"console.refresh": "ctlr+r", "console.copy_id": "f55", "no.such": "x"}
    app = make_app(demo_server, keymap=keymap)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: list_loaded(app))
        warnings = [n for n in notifications(app) if n.startswith("[keymap] ignored")]
        assert len(warnings) == 1, warnings
        assert "no.such" in warnings[0]
        assert "console.refresh = “ctlr+r”" in warnings[0]
        assert "console.copy_id = “f55”" in warnings[0]
        # The default keys stay bound.
        demo_server.clear_requests()
        await pilot.press("r")
        await wait_for(pilot, lambda: order_requests(demo_server))


async def test_the_order_id_prompt_keeps_text_that_is_not_an_id(demo_server: Any) -> None:
    order_id = demo_server.order_ids()[4]
    app = make_app(demo_server)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: list_loaded(app))
        await pilot.press("o")
        await wait_for(pilot, lambda: isinstance(app.screen, OrderIdPrompt))
        prompt = app.screen
        box = prompt.query_one(Input)
        box.value = "7795a850-not-an-id"
        demo_server.clear_requests()
        error = prompt.query_one("#prompt-error", Static)
        await pilot.press("enter")
        await wait_for(pilot, lambda: "Not an order id" in str(error.render()))
        assert app.screen is prompt and box.value == "7795a850-not-an-id"
        assert "UUID" in str(error.render())
        assert demo_server.recorded("/v1/orders/") == []  # nothing sent
        # (the start of an id: tests/ui/dialogs/test_order_id_prompt_takes_the_start_of_an_id.py)
        box.value = f"https://app.example/orders/{order_id}?tab=1"  # an id in a pasted link
        await pilot.press("enter")
        detail = app.main_screen.detail
        await wait_for(pilot, lambda: detail.order_id == order_id and detail.complete)
