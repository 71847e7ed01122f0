"""Asking the list for the view it already shows, up to date and with the cursor where the
request would put it, prepares nothing. At a start the list paints its first rows from the index
as it mounts, and the screen then opens that same scope: preparing it once more was a second
query on a worker thread, competing with the first frame for the interpreter.

Anything that makes the answer differ is still prepared: the index written since, the cursor
elsewhere, another query.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from artistree_tui.demo import DemoServer
from artistree_tui.store import Index
from artistree_tui.ui.orders.source import Prepared
from tests.support.app import wait_for
from tests.support.list_pilot import running_list, settle, sweep

IndexOf = Callable[[DemoServer], Awaitable[Index]]


async def test_the_scope_on_screen_asked_again_is_not_prepared_again(
    make_demo: Callable[..., DemoServer], index_of: IndexOf
) -> None:
    server = make_demo(orders=120, seed=3)
    index = await index_of(server)
    async with running_list(index) as (pilot, app):
        model = app.order_list.model
        runs: list[str] = []
        run = model.run

        def counted(request: object) -> Prepared:
            runs.append(request.purpose)  # type: ignore[attr-defined]
            return run(request)  # type: ignore[arg-type]

        model.run = counted  # type: ignore[method-assign]
        scope = model.query.scope
        app.pane.show_scope(scope)
        assert model.pending is None
        await settle(pilot, app)
        assert runs == []

        await pilot.press("j")  # the cursor off the top: opening the scope moves it back
        app.pane.show_scope(scope)
        assert model.pending is not None
        await wait_for(pilot, lambda: model.pending is None and model.cursor == 0)
        assert runs == ["show"]

        await sweep(server, index)  # the index written under the view on screen
        app.pane.show_scope(scope)
        assert model.pending is not None
        await wait_for(pilot, lambda: model.pending is None)
        assert runs == ["show", "show"]
