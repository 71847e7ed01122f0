"""The index and the sync are layers below the UI: importing them never loads Textual, and the
index does not even load httpx (rows painted from it at start need no HTTP stack)."""

from __future__ import annotations

from tests.support.import_probe import heavy_imports, package_modules, textual_after_each

STORE = package_modules("artistree_tui.store")
SYNC = package_modules("artistree_tui.sync")


def test_store_and_sync_modules_import_without_textual() -> None:
    assert {"artistree_tui.store.views", "artistree_tui.sync.engine"} <= {*STORE, *SYNC}
    modules = [*STORE, *SYNC, "artistree_tui.cli.cache_commands"]
    report = textual_after_each(modules, proof="textual")
    assert report.pop("textual") is True  # the probe is not blind
    assert report == dict.fromkeys(modules, False)


def test_the_store_needs_no_http_stack() -> None:
    report, after = heavy_imports(STORE, ("httpx", "textual"))
    assert report == {name: [] for name in STORE}
    assert after == ["httpx", "textual"]
