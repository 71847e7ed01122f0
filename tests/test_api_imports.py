"""The API layer must be usable without Textual (scripts, benchmarks, the demo's tests)."""

from __future__ import annotations

import json
import subprocess
import sys

MODULES = [
    "artistree_tui.api",
    "artistree_tui.api.errors",
    "artistree_tui.api.models",
    "artistree_tui.api.parse",
    "artistree_tui.api.retry",
    "artistree_tui.api.wire",
    "artistree_tui.api.auth",
    "artistree_tui.api.certificate",
    "artistree_tui.api.paging",
    "artistree_tui.api.client",
]

# One fresh interpreter imports the modules one by one and reports, after each, whether any
# textual module is loaded; then it imports textual itself, to prove the probe can see it.
PROBE = """
import importlib, json, sys
def loaded():
    return any(m == "textual" or m.startswith("textual.") for m in sys.modules)
report = {}
for name in json.loads(sys.argv[1]):
    importlib.import_module(name)
    report[name] = loaded()
import textual
report["textual itself"] = loaded()
print(json.dumps(report))
"""


def test_api_modules_import_without_textual() -> None:
    result = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(MODULES)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report.pop("textual itself") is True  # the probe is not blind
    assert report == dict.fromkeys(MODULES, False)
