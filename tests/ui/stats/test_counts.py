"""The stats bar's counts are written like the list's: with thousands separators."""

from __future__ import annotations

from collections.abc import Callable

from artistree_tui.demo import DemoServer
from tests.support.app import (
    list_loaded,
    make_app,
    screen_text,
    wait_for,
)


async def test_the_counts_have_thousands_separators_like_the_list(
    make_demo: Callable[..., DemoServer],
) -> None:
    server = make_demo(orders=2000, seed=3)
    app = make_app(server)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: list_loaded(app))
        top = screen_text(app).splitlines()[0]
        total = app.main_screen.stats.stats.total
        assert total == 2000
        assert f"Σ {total:,}" in top and f"Σ {total} " not in top + " "
        assert f"of {total:,} loaded" in screen_text(app)
