"""Keys typed ahead in one burst (as they arrive over SSH) go where the user meant: keys after a
pane key reach the new pane, ``tab``s move one pane each."""

from __future__ import annotations

from typing import Any

from tests.support.app import burst, list_loaded, make_app, wait_for


async def test_keys_typed_after_a_pane_key_reach_the_new_pane(demo_server: Any) -> None:
    app = make_app(demo_server)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: list_loaded(app))
        screen = app.main_screen
        burst(app, "1", "j", "j")  # focus the projects, then two down: all in one read
        await wait_for(pilot, lambda: screen.sidebar.highlighted == 2)
        assert app.focused is screen.sidebar
        assert screen.orders.order_list.model.cursor == 0  # the list did not move
        burst(app, "tab", "tab")  # projects → list → detail, not projects → list twice
        await wait_for(pilot, lambda: screen.detail in app.focused.ancestors_with_self)
