"""Settings the shell applies itself: theme, and run_console's one-line failures."""

from __future__ import annotations

from typing import Any

import pytest

from artistree_tui.config import Settings
from artistree_tui.ui.app import FALLBACK_THEME, run_console
from tests.support.app import SIZE, make_app, notifications, wait_for


async def test_theme_from_settings(demo_server: Any) -> None:
    app = make_app(demo_server, theme="nord")
    async with app.run_test(size=SIZE):
        assert app.theme == "nord"


async def test_unknown_theme_falls_back_with_one_warning(demo_server: Any) -> None:
    app = make_app(demo_server, theme="[b]no-such-theme")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: notifications(app))
        assert app.theme == FALLBACK_THEME
        warnings = [n for n in notifications(app) if "theme" in n]
        assert len(warnings) == 1 and "[b]no-such-theme" in warnings[0]


def test_run_console_without_credentials_is_one_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Any
) -> None:
    settings = Settings(base_url="http://127.0.0.1:9", config_path=tmp_path / "none.toml")
    status = run_console(settings)
    err = capsys.readouterr().err
    assert status == 2
    assert err.count("\n") == 1 and "Traceback" not in err


def test_split_keymap_normalizes_and_rejects() -> None:
    from artistree_tui.ui.keys.keymap import split_keymap

    usable, unknown = split_keymap(
        {"console.refresh": " ctrl+r , f5 ", "app.help": "", "nope": "x"},
        {"console.refresh", "app.help"},
    )
    assert usable == {"console.refresh": "ctrl+r,f5"}
    assert unknown == ["app.help", "nope"]


def test_every_console_binding_has_an_id() -> None:
    from textual.binding import Binding

    from artistree_tui.ui.app import ConsoleApp
    from artistree_tui.ui.detail.annotation_table import AnnotationTable
    from artistree_tui.ui.detail.pane import DetailPane
    from artistree_tui.ui.dialogs.help import HelpBox
    from artistree_tui.ui.dialogs.order_id import OrderIdPrompt
    from artistree_tui.ui.projects.sidebar import ProjectSidebar
    from artistree_tui.ui.screen.main import MainScreen

    classes = (ConsoleApp, MainScreen, HelpBox, OrderIdPrompt, ProjectSidebar, DetailPane)
    for cls in (*classes, AnnotationTable):
        for binding in cls.__dict__.get("BINDINGS", ()):
            assert isinstance(binding, Binding) and binding.id, (cls.__name__, binding)
