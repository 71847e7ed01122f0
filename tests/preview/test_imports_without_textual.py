"""The preview pipeline and the asset fetcher never import Textual (only the widget does)."""

from __future__ import annotations

from tests.support.import_probe import package_modules, textual_after_each

# The whole pipeline package, and the fetcher of the images it draws.
MODULES = [
    *package_modules("artistree_tui.preview"),
    "artistree_tui.api.assets",
    "artistree_tui.api.asset_urls",
]


def test_preview_modules_import_without_textual() -> None:
    assert {"artistree_tui.preview.halfblock", "artistree_tui.preview.loader"} <= set(MODULES)
    report = textual_after_each(MODULES, proof="artistree_tui.ui.preview.panel")
    assert report.pop("artistree_tui.ui.preview.panel") is True  # the probe is not blind
    assert report == dict.fromkeys(MODULES, False)
