"""The preview pipeline and the asset fetcher never import Textual (only the widget does)."""

from __future__ import annotations

import json
import subprocess
import sys

MODULES = [
    "artistree_tui.api.assets",
    "artistree_tui.preview.geometry",
    "artistree_tui.preview.colors",
    "artistree_tui.preview.decode",
    "artistree_tui.preview.overlay",
    "artistree_tui.preview.halfblock",
    "artistree_tui.preview.cache",
    "artistree_tui.preview.loader",
    "artistree_tui.preview.state",
    "artistree_tui.preview.status",
    "artistree_tui.preview.stream",
    "artistree_tui.preview.layout",
    "artistree_tui.api.asset_urls",
]

# A fresh interpreter imports each module and reports whether Textual got loaded; then it
# imports the widget, to prove the probe sees Textual when it is there.
PROBE = """
import importlib, json, sys
def loaded():
    return any(m == "textual" or m.startswith("textual.") for m in sys.modules)
report = {}
for name in json.loads(sys.argv[1]):
    importlib.import_module(name)
    report[name] = loaded()
import artistree_tui.ui.preview_panel
report["widget"] = loaded()
print(json.dumps(report))
"""


def test_preview_modules_import_without_textual() -> None:
    result = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(MODULES)],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    report = json.loads(result.stdout)
    assert report.pop("widget") is True
    assert report == dict.fromkeys(MODULES, False)
