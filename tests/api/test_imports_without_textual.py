"""The API layer must be usable without Textual (scripts, benchmarks, the demo's tests)."""

from __future__ import annotations

from tests.support.import_probe import package_modules, textual_after_each

MODULES = package_modules("artistree_tui.api")


def test_api_modules_import_without_textual() -> None:
    assert {"artistree_tui.api.client", "artistree_tui.api.auth"} <= set(MODULES)
    report = textual_after_each(MODULES, proof="textual")
    assert report.pop("textual") is True  # the probe is not blind
    assert report == dict.fromkeys(MODULES, False)
