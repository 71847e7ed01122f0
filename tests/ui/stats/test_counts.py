"""The stats bar's counts are written like the list's: with thousands separators."""

from __future__ import annotations

from collections.abc import Callable

from artistree_tui.demo import DemoServer
from tests.support.app import (
    make_app,
    screen_text,
    sync_done,
    wait_for,
)


async def test_the_counts_have_thousands_separators_like_the_list(
    make_demo: Callable[..., DemoServer],
) -> None:
    server = make_demo(orders=2000, seed=3)
    app = make_app(server)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: sync_done(app))
        await wait_for(pilot, lambda: "2,000" in screen_text(app).splitlines()[0])
        top = screen_text(app).splitlines()[0]
        counts = app.main_screen.stats.counts
        assert counts is not None and counts.total == 2000
        assert f"Σ {counts.total:,}" in top and f"Σ {counts.total} " not in top + " "
        assert f"{counts.total:,} orders" in screen_text(app)
