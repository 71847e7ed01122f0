"""Widgets mounted on first use (help, the certificate and export desks) are mounted while the
console runs, and never raise when asked for as it closes (``q`` or a stop signal during the
start): the exit stays clean."""

from __future__ import annotations

from textual.app import App
from textual.screen import Screen
from textual.widgets import Static

from artistree_tui.ui.mounting import mount_later


async def test_mounted_while_the_console_runs() -> None:
    app: App[None] = App()
    async with app.run_test() as pilot:
        widget = mount_later(app.screen, Static("desk"))
        await pilot.pause()
        assert widget.is_mounted and widget.parent is app.screen


async def test_not_mounted_on_a_screen_that_is_gone_and_no_error() -> None:
    app: App[None] = App()
    async with app.run_test() as pilot:
        gone: Screen[None] = Screen()  # never shown, or already removed
        widget = mount_later(gone, Static("desk"))
        await pilot.pause()
        assert not widget.is_mounted
