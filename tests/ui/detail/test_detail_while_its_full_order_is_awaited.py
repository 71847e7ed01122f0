"""The detail pane while the order under the cursor waits for its full copy (up to
``FIRST_DRAW_WAIT`` at rest, or until a burst rests): the pane still shows the order the cursor
left, and nothing done meanwhile may act on that one or lose the one coming.

A pane alone, with a fetcher the test controls (an answer, a failure, or an answer held until
the test lets it go), so each window is as long as the test needs.
"""

from __future__ import annotations

import asyncio

import pytest
from textual.app import App, ComposeResult
from textual.widgets import Static

from artistree_tui.api.models import Order
from artistree_tui.ui.detail.pane import DetailPane
from tests.support.app import wait_for


def order(n: int) -> Order:
    return Order(order_id=f"00000000-0000-4000-8000-{n:012d}", order_title=f"row {n}")


class Fetcher:
    """``GET /v1/orders/{id}`` as the test wants it: records each call; fails while ``fail``;
    holds the answer while ``hold`` is clear."""

    def __init__(self) -> None:
        self.calls: list[str] = []
        self.fail = False
        self.hold = asyncio.Event()
        self.hold.set()

    async def __call__(self, order_id: str) -> Order:
        self.calls.append(order_id)
        await self.hold.wait()
        if self.fail:
            raise RuntimeError("the API answered 503")
        return Order(order_id=order_id, order_title="full", failed_items=("ok",))


class PaneApp(App[None]):
    def __init__(self, fetcher: Fetcher) -> None:
        super().__init__()
        self.fetcher = fetcher

    def compose(self) -> ComposeResult:
        yield DetailPane(self.fetcher, debounce=0.01, id="detail")

    @property
    def pane(self) -> DetailPane:
        return self.query_one(DetailPane)


async def awaiting_the_next(pilot: object, app: PaneApp) -> DetailPane:
    """Row 1 drawn in full, then row 2 shown, its full order asked for and held."""
    pane, fetcher = app.pane, app.fetcher
    pane.show(order(1))
    await wait_for(pilot, lambda: pane.complete)  # type: ignore[arg-type]
    fetcher.hold.clear()
    pane.show(order(2))
    await wait_for(pilot, lambda: fetcher.calls[-1:] == [order(2).order_id])  # type: ignore[arg-type]
    return pane


def error_shown(pane: DetailPane) -> bool:
    return pane.query_one("#detail-status", Static).has_class("-visible")


@pytest.fixture(autouse=True)
def long_wait(monkeypatch: pytest.MonkeyPatch) -> None:
    """The wait for the full order outlasts anything the test does (0.1 s in the console)."""
    monkeypatch.setattr("artistree_tui.ui.detail.timing.FIRST_DRAW_WAIT", 30.0)
    monkeypatch.setattr("artistree_tui.ui.detail.timing.REST", 0.0)  # every show is at rest


async def test_enter_after_a_failed_fetch_clears_the_error_line() -> None:
    fetcher = Fetcher()
    app = PaneApp(fetcher)
    async with app.run_test() as pilot:
        pane = app.pane
        pane.show(order(1))
        await wait_for(pilot, lambda: pane.complete)
        fetcher.fail = True
        pane.show(order(2))
        await wait_for(pilot, lambda: error_shown(pane))  # the list's copy, the error above
        fetcher.fail = False
        pane.show(order(2))  # enter on it: asked again, and it comes
        await wait_for(pilot, lambda: pane.complete and pane.order_id == order(2).order_id)
        assert not error_shown(pane)


async def test_r_while_the_next_order_is_awaited_asks_for_that_one() -> None:
    fetcher = Fetcher()
    app = PaneApp(fetcher)
    async with app.run_test() as pilot:
        pane = await awaiting_the_next(pilot, app)
        pane.reload()  # r: the cache is forgotten; the order coming is asked for, not row 1
        fetcher.hold.set()
        await wait_for(pilot, lambda: pane.complete and pane.order_id == order(2).order_id)
        assert order(1).order_id not in fetcher.calls[1:]


async def test_a_refetch_of_the_order_being_left_does_not_lose_the_next() -> None:
    fetcher = Fetcher()
    app = PaneApp(fetcher)
    async with app.run_test() as pilot:
        pane = await awaiting_the_next(pilot, app)
        pane.refetch(order(1).order_id)  # the sync says row 1 changed: it is being left
        fetcher.hold.set()
        await wait_for(pilot, lambda: pane.complete and pane.order_id == order(2).order_id)
        assert fetcher.calls.count(order(1).order_id) == 1
