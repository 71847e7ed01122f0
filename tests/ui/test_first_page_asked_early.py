"""What the console does at startup, and what it leaves for later (Pilot, real loopback HTTP).

Startup is CPU-bound (see bench/bench_startup.py), so these pin down work that must not come
back: the sync's first request (the head of All Projects) is asked for as the app loads, not
after the screen is built, and costs no extra request; with no ``[keymap]`` the bindings are
not refreshed (which rebuilds the footer).
"""

from __future__ import annotations

from typing import Any

import pytest

from artistree_tui.api.models import ALL_PROJECTS
from artistree_tui.connect import build_client
from artistree_tui.sync.engine import HEAD_LIMIT
from artistree_tui.ui.app import ConsoleApp
from tests.support.app import (
    SIZE,
    demo_settings,
    list_loaded,
    make_app,
    notifications,
    order_requests,
    wait_for,
)


async def test_the_console_asks_for_its_first_page_before_the_list_does(make_demo: Any) -> None:
    demo = make_demo(orders=60, seed=3)
    settings = demo_settings(demo)
    client = build_client(settings)
    events: list[tuple[str, str | None, int | None]] = []
    network, asked = client._list, client.list_orders

    def to_network(*args: Any) -> Any:
        events.append(("network", args[2], args[3]))  # page_token, limit
        return network(*args)

    async def list_orders(*args: Any, **kwargs: Any) -> Any:
        events.append(("asked", kwargs.get("page_token"), kwargs.get("limit")))
        return await asked(*args, **kwargs)

    client._list = to_network  # type: ignore[method-assign]
    client.list_orders = list_orders  # type: ignore[method-assign]
    app = ConsoleApp(settings, client, prefetch=True)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: list_loaded(app))
        assert app.main_screen.orders.loaded_count == 60
    first = ("network", None, HEAD_LIMIT)
    assert events[0] == first  # at load, before the sync asked ...
    assert ("asked", None, HEAD_LIMIT) in events
    assert events.count(first) == 1  # ... and the sync's head request took that answer
    assert order_requests(demo)[0].query == {
        "project_id": ALL_PROJECTS,
        "preview": "true",
        "limit": str(HEAD_LIMIT),
    }


@pytest.mark.parametrize("user_keymap", [{}, {"list.down": "n"}])
async def test_no_keymap_means_no_binding_refresh(
    make_demo: Any, monkeypatch: pytest.MonkeyPatch, user_keymap: dict[str, str]
) -> None:
    app = make_app(make_demo(orders=20, seed=2), keymap=user_keymap)
    applied: list[dict[str, str]] = []
    real = ConsoleApp.set_keymap
    monkeypatch.setattr(
        ConsoleApp, "set_keymap", lambda self, keymap: (applied.append(keymap), real(self, keymap))
    )
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: list_loaded(app))
        assert applied == ([{"list.down": "n"}] if user_keymap else [])
        assert app.apply_keymap({}) == []  # clearing a keymap that was set still applies
        assert applied[-1:] == ([{}] if user_keymap else [])
        assert not [n for n in notifications(app) if "keymap" in n]
