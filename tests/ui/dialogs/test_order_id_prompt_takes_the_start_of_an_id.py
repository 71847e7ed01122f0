"""The "Go to order id" prompt (``o``) takes the start of an id, as a table that cut its id
column shows it (with the ``…`` or without): a start one indexed order has opens that order
(fetched in full from the demo API, over loopback); a start several have says how many and
keeps the text; a start no indexed order has is not sent to the API (it takes whole ids
only) and says so."""

from __future__ import annotations

from collections import Counter
from typing import Any

from textual.widgets import Input, Static

from artistree_tui.ui.dialogs.order_id import OrderIdPrompt
from tests.support.app import SIZE, make_app, sync_done, wait_for


async def open_prompt(pilot: Any, app: Any) -> tuple[OrderIdPrompt, Input, Static]:
    await pilot.press("o")
    await wait_for(pilot, lambda: isinstance(app.screen, OrderIdPrompt))
    prompt = app.screen
    return prompt, prompt.query_one(Input), prompt.query_one("#prompt-error", Static)


def unique_start(order_id: str, ids: list[str]) -> str:
    """The first 12 characters of ``order_id`` (what an 80-column table shows), checked to be
    its own."""
    start = order_id[:12]
    assert [i for i in ids if i.startswith(start)] == [order_id]
    return start


async def test_a_unique_start_opens_its_order(demo_server: Any) -> None:
    ids = demo_server.order_ids()
    app = make_app(demo_server)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: sync_done(app))  # every order is in the index
        detail = app.main_screen.detail
        # As copied from a table (with its ellipsis), and in capitals.
        for target, pasted in (
            (ids[40], unique_start(ids[40], ids) + "…"),
            (ids[41], unique_start(ids[41], ids).upper()),
        ):
            prompt, box, _ = await open_prompt(pilot, app)
            box.value = pasted
            demo_server.clear_requests()
            await pilot.press("enter")
            await wait_for(pilot, lambda t=target: detail.order_id == t and detail.complete)
            assert app.screen is not prompt
            asked = [r.path for r in demo_server.recorded("/v1/orders/")]
            assert asked[:1] == [f"/v1/orders/{target}"]  # the whole id, from the API
            await pilot.press("escape")


async def test_a_shared_start_says_how_many_and_keeps_the_text(demo_server: Any) -> None:
    shared, count = Counter(i[:4] for i in demo_server.order_ids()).most_common(1)[0]
    assert count >= 2
    app = make_app(demo_server)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: sync_done(app))
        prompt, box, error = await open_prompt(pilot, app)
        box.value = shared
        demo_server.clear_requests()
        await pilot.press("enter")
        await wait_for(pilot, lambda: "Ambiguous" in str(error.render()))
        said = str(error.render())
        assert f"{count} orders start with {shared} in the whole index" in said
        assert "/ in All Projects with no state filter" in said  # where / finds them all
        assert app.screen is prompt and box.value == shared
        assert demo_server.recorded("/v1/orders/") == []


async def test_a_start_no_indexed_order_has_is_not_sent(demo_server: Any) -> None:
    ids = demo_server.order_ids()
    missing = next(
        p for p in (f"{n:04x}" for n in range(0x10000)) if not any(i.startswith(p) for i in ids)
    )
    app = make_app(demo_server)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: sync_done(app))
        prompt, box, error = await open_prompt(pilot, app)
        box.value = f"{missing}-12"
        demo_server.clear_requests()
        await pilot.press("enter")
        await wait_for(pilot, lambda: "No order in the local index" in str(error.render()))
        assert "whole id" in str(error.render())
        assert app.screen is prompt and box.value == f"{missing}-12"
        assert demo_server.recorded("/v1/orders/") == []
