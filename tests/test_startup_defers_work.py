"""What the console's start leaves out or puts off, so the first rows paint sooner.

- the cyclic garbage collector is off from the CLI's start until the first page is painted
  (artistree_tui/startup.py), and only a collector the start turned off is turned back on;
- the footer rebuilds once for a burst of "bindings changed" signals, not once per signal,
  and not at all when the keys it shows are the same — but it does follow a real change;
- the detail pane draws its first order after the list's rows, and still draws it;
- the detail pane's first frame has its header line alone: its sections, the annotations
  table and the preview slot (with the preview panel) are mounted with its first order;
- nothing is restyled before the first frame for want of being composed right: the list has
  the keyboard from the screen's compose (never the sidebar first), and the detail pane is
  styled empty from its mount.
"""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator
from typing import Any

import pytest
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets._footer import FooterKey

from artistree_tui import startup
from artistree_tui.ui.detail.pane import DetailPane
from artistree_tui.ui.keys.footer import ConsoleFooter
from artistree_tui.ui.preview.panel import PreviewPanel
from artistree_tui.ui.screen.follow import CursorFollow
from tests.support.app import SIZE, list_loaded, make_app, wait_for


@pytest.fixture
def collector() -> Iterator[None]:
    """Start from no pause and nothing left to settle (a console run earlier in this process,
    by another test, may have resumed without settling), and leave the collector as the test
    found it."""
    was_enabled = gc.isenabled()

    def clear() -> None:
        startup.resume()
        startup.settle()
        gc.unfreeze()  # the test process's own objects: back to the collector

    clear()
    try:
        yield
    finally:
        clear()
        if was_enabled:
            gc.enable()
        else:
            gc.disable()


def test_pause_turns_the_collector_off_and_resume_back_on(collector: None) -> None:
    gc.enable()
    startup.pause()
    assert not gc.isenabled() and startup.paused()
    startup.resume()
    assert gc.isenabled() and not startup.paused()
    startup.resume()  # twice is harmless
    assert gc.isenabled()


def test_the_start_settles_frozen_once_its_garbage_is_collected(collector: None) -> None:
    gc.enable()
    gc.unfreeze()
    startup.pause()
    made_at_start = Made()  # lives on
    dropped = Made()
    dropped.itself = dropped  # a cycle the start drops: only the collector frees it
    gone = weakref.ref(dropped)
    del dropped
    startup.resume()
    assert gc.get_freeze_count() == 0  # nothing frozen yet: the reviewer has the first rows
    startup.settle()
    assert gone() is None  # collected first: frozen, it would never be freed
    assert gc.get_freeze_count() > 0
    assert not any(thing is made_at_start for thing in gc.get_objects())  # never walked again
    made_later = Made()
    assert any(thing is made_later for thing in gc.get_objects())  # walked as before
    frozen = gc.get_freeze_count()
    startup.settle()  # once only
    assert gc.get_freeze_count() == frozen


def test_settle_leaves_a_collector_that_was_not_paused(collector: None) -> None:
    gc.enable()
    gc.unfreeze()
    startup.resume()  # nothing paused
    startup.settle()
    assert gc.get_freeze_count() == 0


class Made:
    """An object the collector tracks."""

    itself: object = None


def test_resume_leaves_a_collector_that_someone_else_turned_off(collector: None) -> None:
    gc.disable()
    startup.pause()  # nothing to pause: it is off already, and not by us
    assert not startup.paused()
    startup.resume()
    assert not gc.isenabled()


def test_the_cli_turns_the_collector_back_on_when_the_console_ends(
    collector: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    from artistree_tui import cli

    seen: list[bool] = []

    def launch(settings: Any) -> int:
        seen.append(gc.isenabled())
        return 0

    monkeypatch.setattr(cli, "_launch", launch)
    monkeypatch.setattr("artistree_tui.cli.session.load_settings", lambda **_: object())
    gc.enable()
    assert cli.main([]) == 0
    assert seen == [False]  # off while the console starts…
    assert gc.isenabled() and not startup.paused()  # …and on again once it has ended


async def test_the_first_page_turns_the_collector_back_on_and_the_start_settles(
    collector: None, demo_server, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(startup, "SETTLE_AFTER", 0.5)
    app = make_app(demo_server)
    gc.enable()
    gc.unfreeze()
    startup.pause()
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: list_loaded(app))
        await wait_for(pilot, lambda: not startup.paused())
        assert gc.isenabled()
        await wait_for(pilot, lambda: gc.get_freeze_count() > 0)  # settled: a timer's doing


def _keys(footer: ConsoleFooter) -> list[str]:
    return [key.key for key in footer.query(FooterKey)]


async def test_the_footer_rebuilds_once_for_a_burst_and_follows_real_changes(
    demo_server,
) -> None:
    app = make_app(demo_server)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: list_loaded(app))
        footer = app.screen.query_one(ConsoleFooter)
        await wait_for(pilot, lambda: bool(_keys(footer)))
        rebuilds: list[int] = []
        recompose = footer.recompose

        async def counted() -> None:
            rebuilds.append(1)
            await recompose()

        footer.recompose = counted  # type: ignore[method-assign]
        for _ in range(4):  # a burst of signals with the same keys: no rebuild at all
            app.screen.refresh_bindings()
        await pilot.pause()
        await pilot.pause()
        assert rebuilds == []
        list_keys = _keys(footer)
        await pilot.press("1")  # the sidebar's keys differ from the list's
        await wait_for(pilot, lambda: _keys(footer) != list_keys, state=lambda: _keys(footer))
        assert len(rebuilds) == 1


async def test_the_detail_pane_still_shows_the_first_order(demo_server) -> None:
    app = make_app(demo_server)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: list_loaded(app))
        screen = app.main_screen
        first = screen.orders.highlighted_order
        assert first is not None and screen.detail.order is not None
        assert screen.detail.order.order_id == first.order_id


async def test_the_list_has_the_keyboard_from_the_start(
    demo_server, monkeypatch: pytest.MonkeyPatch
) -> None:
    focused: list[Widget | None] = []
    set_focus = Screen.set_focus

    def recorded(screen: Screen[Any], widget: Widget | None, *args: Any, **kwargs: Any) -> None:
        focused.append(widget)
        set_focus(screen, widget, *args, **kwargs)

    monkeypatch.setattr(Screen, "set_focus", recorded)
    app = make_app(demo_server)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: list_loaded(app))
        order_list = app.main_screen.orders.order_list
        assert focused and all(widget is order_list for widget in focused)
        assert app.focused is order_list


async def test_the_detail_pane_is_empty_before_it_is_styled(
    demo_server, monkeypatch: pytest.MonkeyPatch
) -> None:
    at_mount: list[bool] = []
    on_mount = DetailPane.on_mount

    def recorded(pane: DetailPane) -> None:
        at_mount.append(pane.has_class("-empty"))
        on_mount(pane)

    monkeypatch.setattr(DetailPane, "on_mount", recorded)
    app = make_app(demo_server)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: list_loaded(app))
        assert at_mount == [True]  # composed with it: its on_mount changes nothing


async def test_the_detail_sections_come_with_the_first_order(
    demo_server, monkeypatch: pytest.MonkeyPatch
) -> None:
    before_first: list[list[str]] = []
    show_first = CursorFollow._show_first

    def recorded(follow: CursorFollow) -> None:
        # One frame after the rows: what the first frames had in the pane.
        screen = follow._host
        before_first.append([type(node).__name__ for node in screen.detail.walk_children()])
        show_first(follow)

    monkeypatch.setattr(CursorFollow, "_show_first", recorded)
    app = make_app(demo_server, preview="halfblock")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: list_loaded(app))
        detail = app.main_screen.detail
        await wait_for(
            pilot, lambda: detail.order is not None and detail.annotations_table.is_mounted
        )
        assert before_first and "AnnotationTable" not in before_first[0]
        assert "PreviewPanel" not in before_first[0] and "Container" not in before_first[0]
        assert detail.query("#detail-verdict") and detail.query("#detail-fields")
        panel = app.main_screen.query_one(PreviewPanel)
        assert panel.parent is detail.preview_slot
